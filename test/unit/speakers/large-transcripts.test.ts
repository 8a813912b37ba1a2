// Transcripts far larger than usual (a hostile server, or hours of speech) go through the speaker code without
// spreading data into function arguments (a stack overflow past about 120,000 items) or copying it quadratically, and
// the voice windows cover the recording at most once whatever spans a server claimed.
import { describe, expect, it } from 'vitest';
import type { Sentence } from '../../../src-shared/types.js';
import { seededRandom } from '../../../src-main/util/seeded-random.js';
import {
  assignSpeakers,
  slidingWindows,
  type Span,
  type SpeakerTurn,
} from '../../../src-main/speakers/labelling/assignment.js';
import { meetingSpeakers } from '../../../src-main/speakers/labelling/meeting-speakers.js';
import { piecesOfSegments } from '../../../src-main/speakers/labelling/segment-builder.js';
import { stereoLevelsOf } from '../../../src-main/speakers/labelling/stereo-levels.js';
import {
  smoothPieceLabels,
  speechStretches,
  stretchesWithinRecording,
} from '../../../src-main/speakers/labelling/token-speakers.js';

const COUNT = 200_000;

/** `count` one-character pieces of 10 ms each, back to back, without punctuation (one long stretch). */
function tinyPieces(count: number): Sentence[] {
  return Array.from({ length: count }, (_, i) => ({
    text: '好',
    startMs: i * 10,
    endMs: i * 10 + 10,
    tokens: [{ text: '好', startMs: i * 10, endMs: i * 10 + 10 }],
  }));
}

describe('large transcripts', () => {
  it('smooths one stretch of 200,000 tokens', () => {
    const spans = Array.from({ length: COUNT }, (_, i) => ({ startMs: i * 10, endMs: i * 10 + 10 }));
    expect(smoothPieceLabels(spans, new Array<number>(COUNT).fill(0))).toHaveLength(COUNT);
  });

  it('builds the segments of 200,000 pieces and cuts a 200,000-token segment back into pieces', () => {
    const pieces = tinyPieces(COUNT);
    const { segments, speakers } = meetingSpeakers(
      pieces,
      pieces.map(() => [0]),
    );
    expect(speakers).toEqual([{ label: 'Speaker 1' }]);
    expect(segments).toHaveLength(1);
    expect(segments[0]!.tokens).toHaveLength(COUNT);
    const { pieces: cut } = piecesOfSegments(segments);
    expect(cut).toHaveLength(1);
    expect(cut[0]!.endMs).toBe(COUNT * 10);
  });
});

/** The speaker rule checked pair by pair over every turn: the reference the indexed assignSpeakers must match. */
function assignByEveryTurn(sentences: readonly Span[], turns: readonly SpeakerTurn[]): number[] {
  return sentences.map((sentence) => {
    const overlap = new Map<number, number>();
    for (const turn of turns) {
      const shared = Math.min(sentence.endMs, turn.endMs) - Math.max(sentence.startMs, turn.startMs);
      if (shared > 0) overlap.set(turn.speaker, (overlap.get(turn.speaker) ?? 0) + shared);
    }
    const ranked = [...overlap].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
    if (ranked[0]) return ranked[0][0];
    let nearest: { speaker: number; distance: number } | undefined;
    for (const turn of turns) {
      const distance = Math.max(turn.startMs - sentence.endMs, sentence.startMs - turn.endMs);
      if (!nearest || distance < nearest.distance) nearest = { speaker: turn.speaker, distance };
    }
    return nearest?.speaker ?? 0;
  });
}

/** `count` random spans of whole milliseconds within `rangeMs`, up to `maxMs` long (zero-length ones included). */
function randomSpans(random: () => number, count: number, rangeMs: number, maxMs: number): Span[] {
  return Array.from({ length: count }, () => {
    const startMs = Math.floor(random() * rangeMs);
    return { startMs, endMs: startMs + Math.floor(random() * maxMs) };
  });
}

describe('assignSpeakers', () => {
  it('gives what checking every turn gives, for back-to-back and for arbitrary overlapping turns', () => {
    const random = seededRandom(8);
    for (let round = 0; round < 200; round++) {
      const count = 1 + Math.floor(random() * 30);
      let at = Math.floor(random() * 500);
      const backToBack = Array.from({ length: count }, () => {
        const startMs = at;
        at += 10 * Math.floor(random() * 200);
        return { startMs, endMs: at, speaker: Math.floor(random() * 4) };
      });
      const arbitrary = randomSpans(random, count, 20_000, 3000).map((span) => ({
        ...span,
        speaker: Math.floor(random() * 4),
      }));
      const sentences = randomSpans(random, 40, 25_000, 2000);
      for (const turns of [backToBack, arbitrary, []]) {
        expect(assignSpeakers(sentences, turns)).toEqual(assignByEveryTurn(sentences, turns));
      }
    }
  });

  it('labels 200,000 tokens by 30,000 turns', () => {
    const turns = Array.from({ length: 30_000 }, (_, i) => ({
      startMs: i * 700,
      endMs: i * 700 + 700,
      speaker: i % 3,
    }));
    const tokens = Array.from({ length: COUNT }, (_, i) => ({ startMs: i * 100, endMs: i * 100 + 90 }));
    const labels = assignSpeakers(tokens, turns);
    expect(labels[COUNT - 1]).toBe(Math.floor(((COUNT - 1) * 100) / 700) % 3);
  });
});

describe('channel levels of many overlapping spans', () => {
  it('measures 100,000 spans that each claim the whole minute', () => {
    const frames = 60 * 16_000;
    const samples = new Int16Array(frames * 2);
    for (let i = 0; i < frames; i++) samples[2 * i] = i % 2 === 0 ? 16384 : -16384;
    const spans = Array.from({ length: 100_000 }, () => ({ startMs: 0, endMs: 9e15 }));
    const levels = stereoLevelsOf(new Uint8Array(samples.buffer), spans);
    expect(levels.spans).toHaveLength(100_000);
    expect(levels.spans[99_999]).toEqual({ left: 0.5, right: 0, frames });
  });
});

describe('stretchesWithinRecording', () => {
  it('covers the recording at most once, whatever the claimed spans', () => {
    const claimed = Array.from({ length: 1000 }, (_, i) => ({ startMs: i, endMs: 9e15 }));
    const stretches = stretchesWithinRecording(claimed, 60_000);
    expect(stretches).toEqual([{ startMs: 0, endMs: 60_000 }]);
    expect(slidingWindows(stretches).length).toBeLessThanOrEqual(60_000 / 750 + 1);
  });

  it('keeps the stretches of a real transcript as they are', () => {
    const pieces: Sentence[] = [
      { text: '今天', startMs: 500, endMs: 900, tokens: [] },
      { text: '开会', startMs: 900, endMs: 1500, tokens: [] },
      { text: '好', startMs: 2500, endMs: 2800, tokens: [] },
    ];
    const stretches = speechStretches(pieces);
    expect(stretchesWithinRecording(stretches, 3000)).toEqual(stretches);
  });

  it('drops what lies past the end and trims overlaps', () => {
    const spans = [
      { startMs: 2000, endMs: 2600 },
      { startMs: 0, endMs: 1000 },
      { startMs: 800, endMs: 1200 },
      { startMs: 5000, endMs: 6000 },
    ];
    expect(stretchesWithinRecording(spans, 2500)).toEqual([
      { startMs: 0, endMs: 1000 },
      { startMs: 1000, endMs: 1200 },
      { startMs: 2000, endMs: 2500 },
    ]);
  });
});
