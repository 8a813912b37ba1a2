import { describe, expect, it } from 'vitest';
import { meetingTitle } from '../../../src-main/jobs/meeting-title.js';
import { formatDateTime } from '../../../src-shared/time.js';

const AT = Date.UTC(2026, 11, 4, 10, 31, 20);

describe('meetingTitle', () => {
  it('is the file name without its extension, trimmed, on one line, without control characters', () => {
    expect(meetingTitle('/in/Weekly sync.m4a', AT)).toBe('Weekly sync');
    expect(meetingTitle('/in/  周会 \u001b[2J.wav', AT)).toBe('周会 [2J');
    expect(meetingTitle('/in/a\tb\nc.mp3', AT)).toBe('a b c');
    expect(meetingTitle('/in/.wav', AT)).toBe('.wav');
  });

  it('falls back to "Recording <local date and time>" when nothing is left of the name', () => {
    const expected = `Recording ${formatDateTime(AT)}`;
    for (const name of ['   .wav', '\u0007\u0008.wav', '\t\n.mp3', '\u0085\u009b .ogg', '\u3000.wav']) {
      expect(meetingTitle(`/in/${name}`, AT)).toBe(expected);
    }
  });
});
