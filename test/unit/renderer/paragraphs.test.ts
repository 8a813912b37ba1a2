// The transcript's layout and text helpers: paragraphs by speaker cut into rows, the sentence being played, speaker
// numbers and colours, where tokens stand in a sentence, and the search term's marks.
import { describe, expect, it } from 'vitest';
import {
  PARAGRAPH_PAUSE_MS,
  rowOfSegment,
  segmentAtTime,
  speakerColour,
  transcriptRows,
} from '../../../src-renderer/lib/paragraphs.js';
import {
  sentenceParts,
  sentencesWithTerm,
  termRanges,
  termWords,
} from '../../../src-renderer/lib/term-highlight.js';
import { timeAtOffset, tokenAtTime, tokenPositions } from '../../../src-renderer/lib/token-positions.js';

/** Sentences of 1 s each, back to back, spoken by the given speakers in turn. */
function sentences(speakerIds: (number | null)[]) {
  return speakerIds.map((speakerId, i) => ({
    id: 100 + i,
    speakerId,
    startMs: i * 1000,
    endMs: i * 1000 + 900,
  }));
}

describe('transcript rows', () => {
  it('groups consecutive sentences of one speaker into one paragraph with one heading', () => {
    const rows = transcriptRows(sentences([1, 1, 1, 2, 2, 1, null, null]));
    expect(
      rows.map(({ first, end, speakerId, opensParagraph }) => [first, end, speakerId, opensParagraph]),
    ).toEqual([
      [0, 3, 1, true],
      [3, 5, 2, true],
      [5, 6, 1, true],
      [6, 8, null, true],
    ]);
    expect(rows.map((row) => row.key)).toEqual([100, 103, 105, 106]);
  });

  it('cuts a long paragraph into rows without a heading after the first, covering every sentence once', () => {
    const rows = transcriptRows(sentences(Array(14).fill(3)), 6);
    expect(rows.map(({ first, end, opensParagraph }) => [first, end, opensParagraph])).toEqual([
      [0, 6, true],
      [6, 12, false],
      [12, 14, false],
    ]);
  });

  it('starts a new paragraph of the same speaker after a long silence', () => {
    const segments = sentences([1, 1]);
    segments[1]!.startMs = segments[0]!.endMs + PARAGRAPH_PAUSE_MS;
    expect(transcriptRows(segments).map((row) => row.opensParagraph)).toEqual([true, true]);
  });

  it('finds the row of a sentence and the sentence being played', () => {
    const segments = sentences([1, 1, 2, 2, 2, 1]);
    const rows = transcriptRows(segments);
    expect([0, 1, 2, 4, 5].map((index) => rowOfSegment(rows, index))).toEqual([0, 0, 1, 1, 2]);
    expect(segmentAtTime(segments, -1)).toBe(-1);
    expect(segmentAtTime(segments, 0)).toBe(0);
    expect(segmentAtTime(segments, 2950)).toBe(2);
    expect(segmentAtTime(segments, 99_000)).toBe(5);
    expect(transcriptRows([])).toEqual([]);
  });
});

describe('speakers', () => {
  it('gives each number one of the ten speaker colours, the same one every time', () => {
    expect(speakerColour(1)).toBe('var(--speaker-0)');
    expect(speakerColour(10)).toBe('var(--speaker-9)');
    expect(speakerColour(11)).toBe('var(--speaker-0)');
  });
});

describe('tokens in a sentence', () => {
  const tokens = [
    { text: '今', startMs: 100, endMs: 200 },
    { text: '天', startMs: 200, endMs: 300, punc: '，' },
    { text: 'budget', startMs: 400, endMs: 800 },
    { text: '好', startMs: 900, endMs: 1000, punc: '。' },
  ];

  it('places each token on its characters, skipping punctuation and matching words without case', () => {
    expect(tokenPositions('今天，Budget 好。', tokens)).toEqual([
      { start: 0, end: 1, startMs: 100, endMs: 200 },
      { start: 1, end: 2, startMs: 200, endMs: 300 },
      { start: 3, end: 9, startMs: 400, endMs: 800 },
      { start: 10, end: 11, startMs: 900, endMs: 1000 },
    ]);
  });

  it('leaves out tokens an edited text no longer spells', () => {
    expect(tokenPositions('明日，budget。', tokens).map((p) => p.startMs)).toEqual([400]);
  });

  it('seeks a click on a character to its token, and marks the token being played', () => {
    const positions = tokenPositions('今天，Budget 好。', tokens);
    expect(timeAtOffset(positions, 0)).toBe(100);
    expect(timeAtOffset(positions, 2)).toBe(200);
    expect(timeAtOffset(positions, 5)).toBe(400);
    expect(timeAtOffset([], 5)).toBeNull();
    expect(tokenAtTime(positions, 450)).toMatchObject({ start: 3, end: 9 });
    expect(tokenAtTime(positions, 50)).toBeNull();
  });
});

describe('the search term in a transcript', () => {
  it('reads the words of a term and finds them in sentences, ignoring case', () => {
    expect(termWords(' Budget  "预算" -cost OR ')).toEqual(['budget', '预算', 'cost']);
    expect(termWords(null)).toEqual([]);
    expect(termRanges('The budget, the BUDGET.', ['budget'])).toEqual([
      { start: 4, end: 10 },
      { start: 16, end: 22 },
    ]);
    expect(sentencesWithTerm([{ text: '预算很多' }, { text: 'none' }, { text: '说预算' }], ['预算'])).toEqual(
      [0, 2],
    );
    expect(sentencesWithTerm([{ text: 'x' }], [])).toEqual([]);
  });

  it('cuts a sentence into marked, playing and plain parts that join back into the text', () => {
    const text = '今天讨论预算和预算表';
    const parts = sentenceParts(text, termRanges(text, ['预算']), { start: 3, end: 5 });
    expect(parts.map((p) => p.text).join('')).toBe(text);
    expect(parts.map(({ text: t, marked, playing }) => [t, marked, playing])).toEqual([
      ['今天讨', false, false],
      ['论', false, true],
      ['预', true, true],
      ['算', true, false],
      ['和', false, false],
      ['预算', true, false],
      ['表', false, false],
    ]);
    expect(sentenceParts('', [], null)).toEqual([]);
  });
});
