import { describe, expect, it } from 'vitest';
import { parseSync, type NodeCue } from 'subtitle';
import { toSrt } from '../../../src-main/export/srt.js';
import type { Meeting } from '../../../src-shared/types.js';
import { expectCuesMatch, expectWellTimed, type ParsedCue } from './cue-checks.js';
import { MEETINGS, meeting, plain } from './meetings.js';

/** Parses SRT with the `subtitle` package. */
function parseSrt(srt: string): ParsedCue[] {
  return parseSync(srt)
    .filter((node): node is NodeCue => node.type === 'cue')
    .map(({ data }) => ({ startMs: data.start, endMs: data.end, lines: data.text.split('\n') }));
}

const SRT = { prefix: true, voice: false, transform: (text: string) => text.replaceAll('-->', '->') };

function roundTrip(m: Meeting): ParsedCue[] {
  const cues = parseSrt(toSrt(m));
  expectCuesMatch(m, cues, SRT);
  return cues;
}

describe('SRT export', () => {
  it.each(['chinese', 'english', 'mixed', 'threeHours', 'longCjk', 'special'])(
    'parses back to cues matching the %s meeting',
    (name) => {
      const m = MEETINGS[name] as Meeting;
      expect(roundTrip(m).length).toBeGreaterThanOrEqual(m.segments.length);
    },
  );

  it('numbers cues from 1 with comma timestamps, blank lines between, LF endings', () => {
    const srt = toSrt(MEETINGS.chinese as Meeting);
    expect(srt).not.toContain('\r');
    const blocks = srt.trimEnd().split('\n\n');
    blocks.forEach((block, i) => {
      const [index, timing] = block.split('\n');
      expect(index).toBe(String(i + 1));
      expect(timing).toMatch(/^\d{2}:\d{2}:\d{2},\d{3} --> \d{2}:\d{2}:\d{2},\d{3}$/);
    });
    expect(srt.startsWith('1\n00:00:00,000 --> ')).toBe(true);
  });

  it('prefixes a cue with the speaker only when the speaker changes', () => {
    const m = meeting([
      plain('One.', 0, 1000, 7),
      plain('Two.', 1000, 2000, 7),
      plain('Three.', 2000, 3000, 9),
    ]);
    expect(parseSrt(toSrt(m)).map((cue) => cue.lines.join('\n'))).toEqual([
      'Alice: One.',
      'Two.',
      'Speaker 2: Three.',
    ]);
  });

  it('writes no speaker prefix for a segment without speaker', () => {
    const m = meeting([plain('Nobody said this.', 0, 1000, null)]);
    expect(parseSrt(toSrt(m))[0]?.lines).toEqual(['Nobody said this.']);
  });

  it('shows the 02:59:59.999 segment of a three-hour meeting at the right time', () => {
    const srt = toSrt(MEETINGS.threeHours as Meeting);
    expect(srt).toContain('02:59:59,999 --> 03:00:01,500');
    expect(parseSrt(srt).at(-1)?.startMs).toBe(10_799_999);
  });

  it('cuts a 200-character Chinese segment at token times, mostly after punctuation', () => {
    const m = MEETINGS.longCjk as Meeting;
    const cues = roundTrip(m);
    const tokens = m.segments[0]?.tokens ?? [];
    expect(cues.length).toBeGreaterThanOrEqual(7);
    for (const cue of cues.slice(1)) expect(tokens.map((t) => t.startMs)).toContain(cue.startMs);
    const inner = cues.slice(0, -1).map((cue) => cue.lines.join(''));
    const punctuated = inner.filter((text) => /[，。、；：！？]$/u.test(text));
    expect(punctuated.length / inner.length).toBeGreaterThanOrEqual(0.5);
  });

  it('breaks Chinese lines only between words', () => {
    const m = MEETINGS.longCjk as Meeting;
    const text = m.segments[0]?.text ?? '';
    const segmenter = new Intl.Segmenter('zh', { granularity: 'word' });
    const boundaries = new Set(Array.from(segmenter.segment(text), (s) => s.index));
    const lines = parseSrt(toSrt(m)).flatMap((cue) => cue.lines);
    lines[0] = (lines[0] ?? '').replace(/^Speaker 2: /, '');
    let offset = 0;
    for (const line of lines) {
      expect(boundaries.has(offset), `a line starts at a word: "${line}"`).toBe(true);
      offset += line.length;
    }
    expect(offset).toBe(text.length);
  });

  it('splits a long segment without tokens proportionally, covering the whole span', () => {
    const text = Array.from(
      { length: 12 },
      (_, i) => `Sentence number ${i + 1} talks about the quarterly budget.`,
    ).join(' ');
    const m = meeting([plain(text, 10_000, 70_000, 9)]);
    const cues = roundTrip(m);
    expect(cues[0]?.startMs).toBe(10_000);
    expect(cues.at(-1)?.endMs).toBe(70_000);
    const share = (cue: ParsedCue): number => cue.lines.join(' ').length / text.length;
    for (const cue of cues)
      expect(Math.abs((cue.endMs - cue.startMs) / 60_000 - share(cue))).toBeLessThan(0.02);
  });

  it('keeps cues apart when segments overlap or share a start', () => {
    const m = meeting([
      plain('Alice talks first.', 0, 5000, 7),
      plain('Bob interrupts her.', 3000, 8000, 9),
      plain('Both at once.', 3000, 4000, 7),
      plain('Broken times.', 9000, 8500, 9),
    ]);
    const cues = parseSrt(toSrt(m));
    expect(cues).toHaveLength(4);
    expectWellTimed(cues);
    expect(cues[0]?.endMs).toBe(3000);
    expect(cues.map((cue) => cue.startMs)).toEqual([0, 3000, 3001, 9000]);
    expect(cues[3]?.endMs).toBe(9001);
  });

  it('never writes a timing arrow inside cue text', () => {
    const srt = toSrt(MEETINGS.special as Meeting);
    const textLines = srt
      .split('\n')
      .filter((line) => line && !/^\d+$/.test(line) && !/^\d{2}:.* --> /.test(line));
    for (const line of textLines) expect(line).not.toContain('-->');
    expect(srt).toContain('c -> d?');
  });

  it('writes nothing for an empty meeting', () => {
    expect(toSrt(MEETINGS.empty as Meeting)).toBe('');
    expect(toSrt(meeting([plain('  \n ', 0, 1000, 7)]))).toBe('');
  });
});
