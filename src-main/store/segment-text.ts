// The rule for a sentence's text as the user edits it.
import { MAX_SEGMENT_TEXT_CHARS } from '../../src-shared/schemas/limits.js';
import { FunscribeError } from '../util/errors.js';

/** Control characters (line breaks included): a sentence is one line of printable text. */
const CONTROL = /\p{Cc}/u;

/** A sentence's new text trimmed and checked: not empty, at most MAX_SEGMENT_TEXT_CHARS, no control characters. */
export function cleanSegmentText(text: unknown): string {
  if (typeof text !== 'string') throw new FunscribeError('INVALID_ARGUMENT', 'The sentence must be text.');
  const trimmed = text.trim();
  if (trimmed.length === 0) {
    throw new FunscribeError('INVALID_ARGUMENT', 'A sentence cannot be empty. Undo the change instead.', {
      params: { reason: 'sentenceEmpty' },
    });
  }
  if (trimmed.length > MAX_SEGMENT_TEXT_CHARS) {
    throw new FunscribeError(
      'INVALID_ARGUMENT',
      `A sentence can have at most ${MAX_SEGMENT_TEXT_CHARS} characters.`,
      { params: { reason: 'sentenceTooLong', max: MAX_SEGMENT_TEXT_CHARS } },
    );
  }
  if (CONTROL.test(trimmed)) {
    throw new FunscribeError(
      'INVALID_ARGUMENT',
      'A sentence cannot contain line breaks or control characters.',
      { params: { reason: 'sentenceLineBreaks' } },
    );
  }
  return trimmed;
}
