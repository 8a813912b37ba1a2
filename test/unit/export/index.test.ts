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
import type { ExportFormat, Meeting } from '../../../src-main/api/types.js';
import { MEETINGS, meeting } from './meetings.js';

const english = MEETINGS.english as Meeting;

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
    expect(exportFileName({ title: 'a'.repeat(300) }, 'json')).toBe(`${'a'.repeat(100)}.json`);
    expect(exportFileName({ title: '会'.repeat(150) }, 'txt')).toBe(`${'会'.repeat(100)}.txt`);
    expect(exportFileName({ title: 'NUL' }, 'vtt')).toBe('_NUL.vtt');
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
