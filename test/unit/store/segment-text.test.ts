// The rule for a sentence's text as the user edits it.
import { describe, expect, it } from 'vitest';
import { cleanSegmentText } from '../../../src-main/store/segment-text.js';
import { MAX_SEGMENT_TEXT_CHARS } from '../../../src-shared/schemas/limits.js';

const refused = (text: unknown): string | undefined => {
  try {
    cleanSegmentText(text);
    return undefined;
  } catch (error) {
    return (error as { code: string; message: string }).message;
  }
};

describe('an edited sentence', () => {
  it('is trimmed, and may be as long as the limit, in any script', () => {
    expect(cleanSegmentText('  我们下周再讨论预算。 ')).toBe('我们下周再讨论预算。');
    expect(cleanSegmentText('x'.repeat(MAX_SEGMENT_TEXT_CHARS))).toHaveLength(MAX_SEGMENT_TEXT_CHARS);
  });

  it('is refused, saying why, when empty, too long, not text, or holding line breaks or control characters', () => {
    expect(refused('   ')).toMatch(/cannot be empty/);
    expect(refused('x'.repeat(MAX_SEGMENT_TEXT_CHARS + 1))).toMatch(/at most 5000 characters/);
    expect(refused(42)).toMatch(/must be text/);
    for (const text of ['two\nlines', 'tab\there', 'escape\u001b[2J', 'c1\u009b']) {
      expect(refused(text), JSON.stringify(text)).toMatch(/line breaks or control characters/);
    }
  });
});
