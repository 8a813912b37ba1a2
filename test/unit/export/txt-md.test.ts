import { describe, expect, it } from 'vitest';
import { toMarkdown, escapeMarkdown } from '../../../src-main/export/markdown.js';
import { toTxt } from '../../../src-main/export/txt.js';
import type { Meeting } from '../../../src-shared/types.js';
import { MEETINGS, meeting, plain } from './meetings.js';

const UTC = { timeZone: 'UTC' };
const fold = (text: string): string => text.replace(/\s+/g, ' ').trim();
const clock = (ms: number): string =>
  [Math.floor(ms / 3_600_000), Math.floor(ms / 60_000) % 60, Math.floor(ms / 1000) % 60]
    .map((n) => String(n).padStart(2, '0'))
    .join(':');
const nameOf = (m: Meeting, id: number | null): string | null => {
  const speaker = m.speakers.find((s) => s.id === id);
  return speaker ? (speaker.name ?? speaker.label) : null;
};
/** CommonMark: a backslash before ASCII punctuation stands for that character. */
const unescape = (text: string): string => text.replace(/\\([!-/:-@[-`{-~])/g, '$1');

describe('TXT export', () => {
  it.each(Object.keys(MEETINGS))(
    'has every segment of the %s meeting with time and speaker, in order',
    (key) => {
      const m = MEETINGS[key] as Meeting;
      const lines = toTxt(m, UTC).split('\n');
      const expected = m.segments.map((s) => {
        const name = nameOf(m, s.speakerId);
        return `[${clock(s.startMs)}] ${name ? `${name}: ` : ''}${fold(s.text)}`;
      });
      expect(lines.slice(4, -1)).toEqual(expected);
      expect(lines.at(-1)).toBe('');
    },
  );

  it('starts with title, date and duration', () => {
    const txt = toTxt(MEETINGS.threeHours as Meeting, UTC);
    expect(txt.split('\n').slice(0, 4)).toEqual([
      'Weekly sync',
      'Date: 2024-05-01 06:03',
      'Duration: 3 h 00 min',
      '',
    ]);
    expect(txt).toContain('[02:59:59] Alice: Last words.\n');
    expect(toTxt(MEETINGS.threeHours as Meeting, { timeZone: 'Asia/Shanghai' })).toContain(
      'Date: 2024-05-01 14:03',
    );
  });

  it('leaves the speaker out when there is none and folds newlines', () => {
    const m = meeting([
      plain('first\nsecond\n\nthird', 61_000, 62_000, null),
      plain(' \n ', 63_000, 64_000, 7),
    ]);
    expect(toTxt(m, UTC)).toBe(
      'Weekly sync\nDate: 2024-05-01 06:03\nDuration: 1 min 04 s\n\n[00:01:01] first second third\n',
    );
  });

  it('is only the header for an empty meeting, with a fallback title', () => {
    const m = { ...(MEETINGS.empty as Meeting), title: '  ' };
    expect(toTxt(m, UTC)).toBe('Untitled meeting\nDate: 2024-05-01 06:03\nDuration: 0 s\n');
  });
});

describe('Markdown export', () => {
  it.each(Object.keys(MEETINGS))(
    'has every segment of the %s meeting with time and speaker, in order',
    (key) => {
      const m = MEETINGS[key] as Meeting;
      const blocks = toMarkdown(m, UTC).trimEnd().split('\n\n').slice(2);
      expect(blocks).toHaveLength(m.segments.length);
      m.segments.forEach((segment, i) => {
        const [head, text, ...rest] = (blocks[i] ?? '').split('\n');
        const name = nameOf(m, segment.speakerId);
        expect(head).toBe(`${name ? `**${name}** ` : ''}[${clock(segment.startMs)}]`);
        expect(unescape(text ?? '')).toBe(fold(segment.text));
        expect(rest).toEqual([]);
      });
    },
  );

  it('starts with the title and a metadata list', () => {
    const md = toMarkdown(MEETINGS.english as Meeting, UTC);
    expect(
      md.startsWith(
        '# Weekly sync\n\n- Date: 2024-05-01 06:03\n- Duration: 15 s\n- Speakers: Alice, Speaker 2\n\n',
      ),
    ).toBe(true);
    expect(md).toContain(
      '**Alice** [00:00:00]\nGood morning everyone, thanks for joining the weekly sync.\n',
    );
  });

  it('escapes Markdown syntax in transcript text, speaker names and title', () => {
    const speakers = [{ id: 1, number: 1, label: 'Speaker 1', name: 'dev_ops*' }];
    const m = meeting(
      [
        plain('1. first, - then *this* and [a link](http://x) `code` <b> & # | ~ $5', 0, 1000, 1),
        plain('- a dash', 1000, 2000, 1),
        plain('+ plus = equal', 2000, 3000, null),
        plain('=== not a heading', 3000, 4000, null),
      ],
      speakers,
      '# C# <sync>',
    );
    const md = toMarkdown(m, UTC);
    expect(md).toContain('# \\# C\\# \\<sync\\>\n');
    expect(md).toContain('- Speakers: dev\\_ops\\*\n');
    expect(md).toContain(
      '**dev\\_ops\\*** [00:00:00]\n1\\. first, - then \\*this\\* and \\[a link\\](http://x) \\`code\\` \\<b\\> \\& \\# \\| \\~ \\$5\n',
    );
    expect(md).toContain('[00:00:01]\n\\- a dash\n');
    expect(md).toContain('[00:00:02]\n\\+ plus = equal\n');
    expect(md).toContain('[00:00:03]\n\\=== not a heading\n');
  });

  it('escapes so that removing the escapes gives the text back', () => {
    for (const text of ['a\\b*c_d[e]f<g>h#i|j~k$l&m`n', '42) answer', '你好，*世界*', 'plain words']) {
      expect(unescape(escapeMarkdown(text))).toBe(text);
    }
  });

  it('has the header only for an empty meeting', () => {
    expect(toMarkdown(MEETINGS.empty as Meeting, UTC)).toBe(
      '# Weekly sync\n\n- Date: 2024-05-01 06:03\n- Duration: 0 s\n- Speakers: Alice, Speaker 2\n',
    );
    expect(toMarkdown(meeting([], []), UTC)).toContain('- Speakers: —\n');
  });
});
