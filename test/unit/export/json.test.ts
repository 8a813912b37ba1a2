import { describe, expect, it } from 'vitest';
import { toJson, type JsonTranscript } from '../../../src-main/export/json.js';
import type { Meeting, Segment } from '../../../src-shared/types.js';
import { MEETINGS, meeting, plain } from './meetings.js';

const parse = (m: Meeting): JsonTranscript => JSON.parse(toJson(m)) as JsonTranscript;

/** Rebuilds a meeting's segments from the JSON export, as a tool reading FunASR-style output would. */
function segmentsFrom(doc: JsonTranscript): Omit<Segment, 'id' | 'tokens'>[] {
  return doc.sentence_info.map((s) => ({
    startMs: s.start,
    endMs: s.end,
    text: s.text,
    speakerId: s.spk >= 0 ? (doc.speakers[s.spk]?.id ?? null) : null,
  }));
}

describe('JSON export', () => {
  it.each(Object.keys(MEETINGS))('round-trips the %s meeting', (key) => {
    const m = MEETINGS[key]!;
    const doc = parse(m);
    expect(doc.title).toBe(m.title);
    expect(doc.source).toBe(m.sourceName);
    expect(doc.createdAt).toBe(m.createdAt);
    expect(doc.durationMs).toBe(m.durationMs);
    expect(doc.speakers).toEqual(m.speakers.map(({ id, label, name }) => ({ id, label, name })));
    expect(segmentsFrom(doc)).toEqual(
      m.segments.map(({ startMs, endMs, text, speakerId }) => ({ startMs, endMs, text, speakerId })),
    );
    doc.sentence_info.forEach((sentence, i) => {
      const segment = m.segments[i] as Segment;
      expect(sentence.timestamp).toEqual(segment.tokens.map((t) => [t.startMs, t.endMs]));
      const speaker = m.speakers.find((s) => s.id === segment.speakerId);
      expect(sentence.speaker).toBe(speaker ? (speaker.name ?? speaker.label) : null);
    });
  });

  it('uses FunASR sentence_info field names and 2-space indentation', () => {
    const json = toJson(MEETINGS.chinese!);
    expect(json).toBe(`${JSON.stringify(JSON.parse(json), null, 2)}\n`);
    const doc = JSON.parse(json) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual([
      'title',
      'source',
      'createdAt',
      'durationMs',
      'speakers',
      'sentence_info',
    ]);
    const first = (doc.sentence_info as Record<string, unknown>[])[0] ?? {};
    expect(Object.keys(first)).toEqual(['text', 'start', 'end', 'timestamp', 'spk', 'speaker']);
    expect(first).toMatchObject({
      text: '大家好，今天我们开会讨论预算。',
      start: 0,
      spk: 0,
      speaker: 'Alice',
    });
    expect((first.timestamp as number[][]).slice(0, 2)).toEqual([
      [0, 240],
      [300, 540],
    ]);
  });

  it('gives spk -1 and speaker null to a sentence without a (known) speaker', () => {
    const m = meeting([
      plain('Who?', 0, 500, null),
      plain('Ghost.', 500, 900, 404),
      plain('Bob.', 900, 1200, 9),
    ]);
    expect(parse(m).sentence_info.map((s) => [s.spk, s.speaker])).toEqual([
      [-1, null],
      [-1, null],
      [1, 'Speaker 2'],
    ]);
  });

  it('keeps the original text, newlines included', () => {
    const doc = parse(MEETINGS.special!);
    expect(doc.sentence_info[0]?.text).toBe('Is a < b && c --> d?\nYes, <i>really</i>.');
  });

  it('gives an edited sentence the text it was recognised as, and only an edited one', () => {
    const m = meeting([
      { ...plain('The forecast is rejected.', 0, 900, 7), originalText: 'The budget is approved.' },
      plain('Agreed.', 900, 1500, 9),
    ]);
    const [edited, untouched] = parse(m).sentence_info;
    expect(edited).toMatchObject({
      text: 'The forecast is rejected.',
      originalText: 'The budget is approved.',
    });
    expect(Object.keys(edited!)).toEqual([
      'text',
      'originalText',
      'start',
      'end',
      'timestamp',
      'spk',
      'speaker',
    ]);
    expect(untouched).not.toHaveProperty('originalText');
  });

  it('names the source file without its folder, even when given the stored path', () => {
    const stored = { ...MEETINGS.english!, source: '/home/user/recordings/sync.m4a' };
    const json = toJson(stored);
    expect(JSON.parse(json)).toMatchObject({ source: 'sync.m4a' });
    expect(json).not.toContain('/home/user');
  });
});
