import { describe, expect, it } from 'vitest';
import { displayWidth, foldWhitespace } from '../../../src-main/export/text.js';
import { segmentTimeline } from '../../../src-main/export/timeline.js';
import { joinUnits, splitUnits } from '../../../src-main/export/units.js';
import { lineFits, wrapLines } from '../../../src-main/export/wrap.js';

const texts = (text: string): string[] => splitUnits(text).map((unit) => unit.text);

describe('text units', () => {
  it('keeps Latin words whole with their punctuation', () => {
    expect(texts('Hello, world! It costs 3.14 per e-mail.')).toEqual([
      'Hello,',
      'world!',
      'It',
      'costs',
      '3.14',
      'per',
      'e-mail.',
    ]);
  });

  it('cuts Chinese into words and glues punctuation to the word before', () => {
    expect(texts('我们今天讨论预算，好吗？')).toEqual(['我们', '今天', '讨论', '预算，', '好', '吗？']);
  });

  it('glues opening brackets and quotes to the word after', () => {
    expect(texts('请看（附件一）和“新方案”。')).toEqual(['请看', '（附件', '一）', '和', '“新', '方案”。']);
    expect(texts('(see the notes) now')).toEqual(['(see', 'the', 'notes)', 'now']);
  });

  it('separates Latin words from neighbouring Chinese even without spaces', () => {
    expect(texts('我们用Python写，效果不错')).toEqual(['我们', '用', 'Python', '写，', '效果', '不错']);
  });

  it('joins back to exactly the folded text', () => {
    for (const raw of [
      '  Hello,\n world ',
      '我们用 Python 写了一个 FunASR 的客户端，效果还不错。',
      'a < b && c --> d',
    ]) {
      const text = foldWhitespace(raw);
      const units = splitUnits(text);
      expect(joinUnits(units, 0, units.length)).toBe(text);
      for (const unit of units) expect(text.slice(unit.start, unit.end)).toBe(unit.text);
    }
  });
});

describe('line width', () => {
  it('counts CJK and full-width characters as two columns, marks as none', () => {
    expect(displayWidth('ab')).toBe(2);
    expect(displayWidth('你好，ab')).toBe(8);
    expect(displayWidth('こんにちは')).toBe(10);
    expect(displayWidth('e\u0301')).toBe(1);
  });

  it('allows 42 Latin columns or 16 CJK characters per line', () => {
    expect(lineFits('x'.repeat(42))).toBe(true);
    expect(lineFits('x'.repeat(43))).toBe(false);
    expect(lineFits('会'.repeat(16))).toBe(true);
    expect(lineFits('会'.repeat(17))).toBe(false);
  });

  it('wraps two lines evenly, at punctuation when it can, and counts the prefix', () => {
    const text = 'The release is on track but the installer still needs signing';
    const units = splitUnits(text);
    expect(wrapLines(units, 0, units.length)).toEqual([
      'The release is on track but the',
      'installer still needs signing',
    ]);
    const comma = splitUnits('After the long review, everybody went home for the weekend');
    expect(wrapLines(comma, 0, comma.length)).toEqual([
      'After the long review,',
      'everybody went home for the weekend',
    ]);
    const short = splitUnits('Thanks everyone for coming today, see you');
    expect(wrapLines(short, 0, short.length)).toEqual(['Thanks everyone for coming today, see you']);
    expect(wrapLines(short, 0, short.length, 'Speaker 2: ')).toEqual([
      'Speaker 2: Thanks everyone',
      'for coming today, see you',
    ]);
  });

  it('keeps a word longer than a line whole', () => {
    const units = splitUnits(`see https://example.com/${'x'.repeat(60)} now`);
    const lines = wrapLines(units, 0, units.length);
    expect(lines.some((line) => line.includes(`https://example.com/${'x'.repeat(60)}`))).toBe(true);
  });
});

describe('segment timeline', () => {
  it('pins token times and interpolates between them', () => {
    const tokens = [
      { text: 'hello', startMs: 100, endMs: 400 },
      { text: 'world', startMs: 600, endMs: 1000 },
    ];
    const at = segmentTimeline('Hello, world.', { startMs: 0, endMs: 1200, tokens });
    expect([at(0), at(5), at(7), at(12), at(13)]).toEqual([100, 400, 600, 1000, 1200]);
    expect(at(6)).toBeGreaterThan(400);
    expect(at(6)).toBeLessThan(600);
  });

  it('runs proportionally to characters without tokens, or when ITN rewrote them', () => {
    const itn = [
      { text: '二', startMs: 0, endMs: 100 },
      { text: '零', startMs: 100, endMs: 200 },
    ];
    for (const tokens of [[], itn]) {
      const at = segmentTimeline('2024年见', { startMs: 1000, endMs: 7000, tokens });
      expect([at(0), at(3), at(6)]).toEqual([1000, 4000, 7000]);
    }
  });
});
