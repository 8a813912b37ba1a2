import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import webvtt, { type VttNode } from 'webvtt-parser';
import { toSrt } from '../../../src-main/export/srt.js';
import { toVtt } from '../../../src-main/export/vtt.js';
import type { Meeting } from '../../../src-shared/types.js';
import { expectCuesMatch, type ParsedCue } from './cue-checks.js';
import { MEETINGS, meeting, plain } from './meetings.js';

/** The displayed text of a cue tree, and the annotation of its voice span if any. */
function flatten(node: VttNode): { text: string; voice: string | null } {
  let text = '';
  let voice: string | null = null;
  const walk = (n: VttNode): void => {
    if (n.type === 'text') text += n.value ?? '';
    if (n.type === 'object' && n.name === 'v') voice = n.value ?? null;
    n.children?.forEach(walk);
  };
  walk(node);
  return { text, voice };
}

/** The full HTML entity table: the parser's small default table decodes `&amp;` wrongly (as `&;`). */
const ENTITIES = createRequire(import.meta.url)('webvtt-parser/html-entities.json') as Record<string, string>;

/** Parses WebVTT with the W3C validator's parser and asserts it found no conformance error. */
function parseVtt(vtt: string): ParsedCue[] {
  const result = new webvtt.WebVTTParser(ENTITIES).parse(vtt);
  expect(result.errors).toEqual([]);
  return result.cues.map((cue) => {
    const { text, voice } = flatten(cue.tree);
    return {
      startMs: Math.round(cue.startTime * 1000),
      endMs: Math.round(cue.endTime * 1000),
      lines: text.split('\n'),
      voice,
    };
  });
}

const VTT = { prefix: false, voice: true, transform: (text: string) => text };

describe('WebVTT export', () => {
  it.each(['chinese', 'english', 'mixed', 'threeHours', 'longCjk', 'special'])(
    'parses without errors to cues matching the %s meeting',
    (name) => {
      const m = MEETINGS[name] as Meeting;
      expectCuesMatch(m, parseVtt(toVtt(m)), VTT);
    },
  );

  it('starts with the signature and uses dot timestamps and LF endings', () => {
    const vtt = toVtt(MEETINGS.english as Meeting);
    expect(vtt.startsWith('WEBVTT\n\nNOTE Weekly sync\n\n00:00:00.000 --> ')).toBe(true);
    expect(vtt).not.toContain('\r');
  });

  it('puts the speaker in a voice span on every cue, and none without speaker', () => {
    const m = meeting([
      plain('One.', 0, 1000, 7),
      plain('Two.', 1000, 2000, 7),
      plain('Three.', 2000, 3000, null),
    ]);
    expect(toVtt(m)).toContain('<v Alice>One.</v>\n\n00:00:01.000 --> 00:00:02.000\n<v Alice>Two.</v>');
    expect(parseVtt(toVtt(m)).map((cue) => cue.voice ?? null)).toEqual(['Alice', 'Alice', null]);
  });

  it('escapes markup so tags, ampersands and arrows in speech stay text', () => {
    const vtt = toVtt(MEETINGS.special as Meeting);
    expect(vtt).toContain('Is a &lt; b &amp;&amp; c --&gt; d?');
    const cueLines = vtt.split('\n').filter((line) => line.includes('-->'));
    for (const line of cueLines)
      expect(line).toMatch(/^\d{2}:\d{2}:\d{2}\.\d{3} --> \d{2}:\d{2}:\d{2}\.\d{3}$/);
    const texts = parseVtt(vtt).map((cue) => cue.lines.join(' '));
    expect(texts.join(' ')).toBe(
      'Is a < b && c --> d? Yes, <i>really</i>. Use --> arrows & <v Bob> tags freely.',
    );
  });

  it('escapes a speaker name and keeps a title arrow out of the NOTE', () => {
    const speakers = [{ id: 1, number: 1, label: 'Speaker 1', name: 'R&D <lead>' }];
    const m = meeting([plain('Ship it.', 0, 1500, 1)], speakers, 'Plan --> ship');
    const vtt = toVtt(m);
    expect(vtt).toContain('<v R&amp;D &lt;lead&gt;>Ship it.</v>');
    expect(vtt).toContain('NOTE Plan -> ship\n');
    expect(parseVtt(vtt)).toHaveLength(1);
  });

  it('cuts cues exactly like SRT', () => {
    const m = MEETINGS.longCjk as Meeting;
    const vttTimes = parseVtt(toVtt(m)).map((cue) => [cue.startMs, cue.endMs]);
    const srtTimes = toSrt(m)
      .split('\n')
      .filter((line) => line.includes(' --> '))
      .map((line) =>
        line.split(' --> ').map((t) => {
          const [h, mi, rest] = t.split(':');
          const [s, ms] = (rest ?? '').split(',');
          return ((Number(h) * 60 + Number(mi)) * 60 + Number(s)) * 1000 + Number(ms);
        }),
      );
    expect(vttTimes).toEqual(srtTimes);
  });

  it('is just the signature for an empty meeting', () => {
    const m = { ...(MEETINGS.empty as Meeting), title: '' };
    expect(toVtt(m)).toBe('WEBVTT\n');
    expect(parseVtt(toVtt(m))).toEqual([]);
  });
});
