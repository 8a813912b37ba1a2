import { describe, expect, it } from 'vitest';
import {
  EXPORT_FORMATS,
  exportFileName,
  exportMeeting,
  fileExtension,
  isExportFormat,
} from '../../../src-main/export/index.js';
import { toJson } from '../../../src-main/export/json.js';
import { toMarkdown } from '../../../src-main/export/markdown.js';
import { toSrt } from '../../../src-main/export/srt.js';
import { toTxt } from '../../../src-main/export/txt.js';
import { toVtt } from '../../../src-main/export/vtt.js';
import { FunscribeError } from '../../../src-main/util/errors.js';
import type { ExportFormat } from '../../../src-shared/types.js';
import { MEETINGS, meeting } from './meetings.js';

const english = MEETINGS.english!;

describe('export index', () => {
  it('lists every format once and recognises only those', () => {
    expect([...EXPORT_FORMATS].sort()).toEqual(['json', 'md', 'srt', 'txt', 'vtt']);
    for (const format of EXPORT_FORMATS) expect(isExportFormat(format)).toBe(true);
    for (const value of ['docx', 'SRT', '', null, undefined, 3, {}])
      expect(isExportFormat(value)).toBe(false);
  });

  it('names file extensions without the dot', () => {
    expect(EXPORT_FORMATS.map(fileExtension)).toEqual(EXPORT_FORMATS.map((f) => f));
    expect(fileExtension('md')).toBe('md');
  });

  it('makes safe file names from titles', () => {
    expect(exportFileName({ title: 'Q3 budget: 预算/plan?' }, 'srt')).toBe('Q3 budget_ 预算_plan_.srt');
    expect(exportFileName({ title: '  ..\n ' }, 'md')).toBe('meeting.md');
    expect(exportFileName({ title: 'NUL' }, 'vtt')).toBe('_NUL.vtt');
    expect(exportFileName({ title: 'Weekly sync' }, 'srt', 2)).toBe('Weekly sync (2).srt');
  });

  it('cuts long titles by UTF-8 bytes, whole characters only, keeping room for the copy number', () => {
    const bytes = (name: string) => Buffer.byteLength(name);
    expect(exportFileName({ title: 'a'.repeat(300) }, 'json')).toBe(`${'a'.repeat(250)}.json`);
    // 85 CJK characters are 255 bytes: the title alone fills a file name, so 2 characters give way to ".txt".
    expect(exportFileName({ title: '会'.repeat(85) }, 'txt')).toBe(`${'会'.repeat(83)}.txt`);
    expect(exportFileName({ title: '会'.repeat(85) }, 'txt', 12)).toBe(`${'会'.repeat(82)} (12).txt`);
    const mixed = `${'é'.repeat(40)}👩‍👩‍👧${'会'.repeat(60)}`;
    for (let copy = 1; copy <= 1000; copy += 333) {
      const name = exportFileName({ title: mixed }, 'vtt', copy);
      expect(bytes(name)).toBeLessThanOrEqual(255);
      expect(bytes(name)).toBeGreaterThan(250);
      expect(name).not.toContain('\uFFFD');
      expect(mixed.startsWith(name.replace(/( \(\d+\))?\.vtt$/u, ''))).toBe(true);
    }
    // A family emoji is one character of 18 bytes: it is kept whole or left out whole.
    const family = exportFileName({ title: `${'a'.repeat(245)}👩‍👩‍👧` }, 'md');
    expect(family).toBe(`${'a'.repeat(245)}.md`);
    // A cut that ends in dots or spaces loses them (Windows drops them; a trailing dot reads as a missing extension).
    expect(exportFileName({ title: `${'a'.repeat(248)} ... ${'b'.repeat(20)}` }, 'md')).toBe(
      `${'a'.repeat(248)}.md`,
    );
  });

  it('drops control characters from what it renders, in every format', () => {
    const hostile = meeting(
      [
        {
          startMs: 0,
          endMs: 2000,
          text: 'Hi\u001b[2J there\u009b\u0007',
          originalText: 'Hey\u001b[2J there\u0007',
          speakerId: 7,
          tokens: [],
        },
      ],
      [{ id: 7, number: 1, label: 'Speaker 1', name: 'Al\u001b]0;x\u0007ice' }],
      'Sync\u001b[31m',
    );
    for (const format of EXPORT_FORMATS) {
      const rendered = exportMeeting(hostile, format, { timeZone: 'UTC' });
      expect(rendered).not.toMatch(/(?![\t\n])\p{Cc}/u);
      expect(rendered).toContain(format === 'json' ? 'Hi[2J there' : 'there');
    }
  });

  it('dispatches to the format writers', () => {
    const options = { timeZone: 'UTC' };
    expect(exportMeeting(english, 'txt', options)).toBe(toTxt(english, options));
    expect(exportMeeting(english, 'md', options)).toBe(toMarkdown(english, options));
    expect(exportMeeting(english, 'srt')).toBe(toSrt(english));
    expect(exportMeeting(english, 'vtt')).toBe(toVtt(english));
    expect(exportMeeting(english, 'json')).toBe(toJson(english));
  });

  it('rejects an unknown format or time zone with INVALID_ARGUMENT', () => {
    const attempts = [
      () => exportMeeting(english, 'docx' as ExportFormat),
      () => exportMeeting(english, 'txt', { timeZone: 'Mars/Olympus_Mons' }),
    ];
    for (const attempt of attempts) {
      expect(attempt).toThrow(FunscribeError);
      try {
        attempt();
      } catch (error) {
        expect((error as FunscribeError).code).toBe('INVALID_ARGUMENT');
      }
    }
  });

  it('survives broken times in every format', () => {
    const broken = meeting([
      { startMs: Number.NaN, endMs: 500, text: 'no start', speakerId: 7, tokens: [] },
      {
        startMs: -300,
        endMs: -100,
        text: 'negative',
        speakerId: 9,
        tokens: [{ text: 'negative', startMs: -300, endMs: -100 }],
      },
      { startMs: 2000, endMs: 1000, text: 'backwards', speakerId: null, tokens: [] },
    ]);
    for (const format of EXPORT_FORMATS)
      expect(exportMeeting(broken, format, { timeZone: 'UTC' }).length).toBeGreaterThan(0);
    expect(exportMeeting(broken, 'srt')).toContain('00:00:00,000 --> ');
    expect(JSON.parse(exportMeeting(broken, 'json')).sentence_info[0].start).toBe(0);
  });
});
