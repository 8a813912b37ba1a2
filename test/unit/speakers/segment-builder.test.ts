// Segments follow speakers: pieces are cut where the speaker changes (token by token, short runs absorbed) and joined
// per speaker up to a sentence end; stored segments are cut back into the same pieces.
import { describe, expect, it } from 'vitest';
import type { Sentence, Token } from '../../../src-shared/types.js';
import {
  piecesOfSegments,
  rebuildable,
  segmentsFromPieces,
  textOfTokens,
} from '../../../src-main/speakers/labelling/segment-builder.js';
import {
  smoothPieceLabels,
  speechStretches,
  tokenSpeakersFromTurns,
} from '../../../src-main/speakers/labelling/token-speakers.js';

/** A piece of 250 ms characters from `startMs`, with `punc` after its last character and a pause before `pauseAt`. */
function piece(chars: string, startMs: number, punc = '', pauseAt = -1, pauseMs = 400): Sentence {
  const shift = (i: number): number => (pauseAt >= 0 && i >= pauseAt ? pauseMs : 0);
  const tokens: Token[] = [...chars].map((text, i) => ({
    text,
    startMs: startMs + i * 250 + shift(i),
    endMs: startMs + (i + 1) * 250 + shift(i),
  }));
  if (punc) tokens[tokens.length - 1]!.punc = punc;
  return { text: chars + punc, tokens, startMs, endMs: tokens[tokens.length - 1]!.endMs };
}

describe('smoothPieceLabels', () => {
  const spans = Array.from({ length: 12 }, (_, i) => ({ startMs: i * 250, endMs: (i + 1) * 250 }));
  /** The same tokens with a 300 ms pause before token `at`. */
  const pausedAt = (at: number) =>
    spans.map((span, i) => (i < at ? span : { startMs: span.startMs + 300, endMs: span.endMs + 300 }));

  it('keeps a hand-over where both sides hold a real turn and a pause shows where one stopped', () => {
    const labels = [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1];
    expect(smoothPieceLabels(pausedAt(6), labels)).toEqual(labels);
  });

  it('moves a hand-over onto the nearby pause, and drops one with no pause to sit on', () => {
    const labels = [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1];
    expect(smoothPieceLabels(pausedAt(4), labels)).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1]);
    expect(smoothPieceLabels(spans, labels)).toEqual(new Array(12).fill(0));
    expect(smoothPieceLabels(spans, [0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1])).toEqual(new Array(12).fill(1));
  });

  it('absorbs a run too short to be a turn into its longer neighbour', () => {
    expect(smoothPieceLabels(spans, [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 2, 2])).toEqual(new Array(12).fill(0));
    expect(smoothPieceLabels(spans, [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])).toEqual(new Array(12).fill(0));
  });
});

describe('speech stretches', () => {
  it('cut a piece where its words pause half a second or more, and keep token-less pieces whole', () => {
    const long = piece('今天我们讨论', 0, '。', 3, 600);
    expect(speechStretches([long, { startMs: 5000, endMs: 6000, tokens: [] }])).toEqual([
      { startMs: 0, endMs: 750 },
      { startMs: 1350, endMs: 2100 },
      { startMs: 5000, endMs: 6000 },
    ]);
  });

  it('keep a short reply after a long pause as its own speaker instead of absorbing it', () => {
    const spans = [
      { startMs: 0, endMs: 2000 },
      { startMs: 2600, endMs: 2900 },
      { startMs: 3500, endMs: 5500 },
    ];
    expect(smoothPieceLabels(spans, [0, 1, 0])).toEqual([0, 1, 0]);
  });
});

describe('tokenSpeakersFromTurns', () => {
  it('labels each token by the turn it lies in and splits a piece only at a real hand-over', () => {
    const pieces = [piece('今天我们讨论项目预算', 0, '，', 5), piece('好的', 4000, '。')];
    const turns = [
      { startMs: 0, endMs: 1250, speaker: 1 },
      { startMs: 1250, endMs: 6000, speaker: 0 },
    ];
    expect(tokenSpeakersFromTurns(pieces, turns)).toEqual([
      [0, 0, 0, 0, 0, 1, 1, 1, 1, 1],
      [1, 1],
    ]);
    const unbroken = [piece('今天我们讨论项目预算', 0, '，'), piece('好的', 4000, '。')];
    expect(tokenSpeakersFromTurns(unbroken, turns)).toEqual([new Array(10).fill(0), [1, 1]]);
  });

  it('gives a piece without tokens the speaker it overlaps most', () => {
    const bare = { startMs: 0, endMs: 1000, tokens: [] };
    expect(tokenSpeakersFromTurns([bare], [{ startMs: 800, endMs: 2000, speaker: 3 }])).toEqual([[0]]);
  });
});

describe('segmentsFromPieces', () => {
  const pieces = [
    piece('今天我们', 0, '，'),
    piece('讨论预算', 1200, '。'),
    piece('好的', 3000, '，'),
    piece('散会', 4000, '。'),
  ];

  it('joins pieces of one speaker up to a sentence end, and never across two speakers', () => {
    const segments = segmentsFromPieces(pieces, [
      [0, 0, 0, 0],
      [0, 0, 0, 0],
      [1, 1],
      [0, 0],
    ]);
    expect(segments.map((s) => [s.speakerIndex, s.text, s.startMs, s.endMs])).toEqual([
      [0, '今天我们，讨论预算。', 0, 2200],
      [1, '好的，', 3000, 3500],
      [0, '散会。', 4000, 4500],
    ]);
    expect(segments[0]!.tokens).toHaveLength(8);
  });

  it('does not join pieces of one speaker across a pause the VAD would have ended a sentence at', () => {
    const apart = [piece('今天我们', 0, '，'), piece('讨论预算', 1500, '。')];
    expect(
      segmentsFromPieces(apart, [
        [0, 0, 0, 0],
        [0, 0, 0, 0],
      ]).map((s) => s.text),
    ).toEqual(['今天我们，', '讨论预算。']);
  });

  it('cuts a piece of one speaker where its words pause half a second or more', () => {
    const segments = segmentsFromPieces([piece('今天我们讨论', 0, '。', 3, 600)], [[0, 0, 0, 0, 0, 0]]);
    expect(segments.map((s) => [s.text, s.startMs, s.endMs])).toEqual([
      ['今天我', 0, 750],
      ['们讨论。', 1350, 2100],
    ]);
  });

  it('cuts a piece where its speaker changes and keeps the punctuation with the tokens', () => {
    const segments = segmentsFromPieces(
      [pieces[0]!, pieces[1]!],
      [
        [0, 0, 0, 0],
        [0, 0, 1, 1],
      ],
    );
    expect(segments.map((s) => [s.speakerIndex, s.text])).toEqual([
      [0, '今天我们，讨论'],
      [1, '预算。'],
    ]);
    expect(segments[1]).toMatchObject({ startMs: 1700, endMs: 2200 });
  });

  it('keeps a piece whole, with its majority speaker, when its tokens do not spell its text', () => {
    const edited = { ...pieces[0]!, text: '今天大家，' };
    expect(rebuildable(edited)).toBe(false);
    expect(segmentsFromPieces([edited], [[1, 1, 1, 0]])).toEqual([{ ...edited, speakerIndex: 1 }]);
  });

  it('spells English tokens back with spaces, punctuation attached', () => {
    const tokens: Token[] = [
      { text: 'Hello', startMs: 0, endMs: 300, punc: ',' },
      { text: 'world', startMs: 300, endMs: 600, punc: '.' },
    ];
    expect(textOfTokens(tokens)).toBe('Hello, world.');
  });
});

describe('piecesOfSegments', () => {
  it('cuts stored segments back into the pieces they were joined from', () => {
    const pieces = [piece('今天我们', 0, '，'), piece('讨论预算', 1200, '。'), piece('好的', 3000)];
    const segments = segmentsFromPieces(pieces, [
      [0, 0, 0, 0],
      [0, 0, 0, 0],
      [1, 1],
    ]);
    const { pieces: back, sources } = piecesOfSegments(segments);
    expect(back).toEqual(pieces);
    expect(sources).toEqual([0, 0, 1]);
  });

  it('keeps a segment whole when it cannot be rebuilt from its tokens (an older library, or edited text)', () => {
    const old = { text: '今天，我们。', startMs: 0, endMs: 1000, tokens: piece('今天我们', 0).tokens };
    expect(piecesOfSegments([old]).pieces).toEqual([old]);
  });
});
