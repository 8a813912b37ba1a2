import { describe, expect, it } from 'vitest';
import {
  clampMs,
  formatClock,
  formatDateTime,
  formatDuration,
  formatSrtTime,
  formatVttTime,
} from '../../../src-shared/time.js';
import { speakerDisplayName, speakerNameMap } from '../../../src-shared/speaker-name.js';

describe('time formatting', () => {
  it('formats clock times with hours always shown and growing past 24', () => {
    expect(formatClock(0)).toBe('00:00:00');
    expect(formatClock(65_120)).toBe('00:01:05');
    expect(formatClock(65_999)).toBe('00:01:05');
    expect(formatClock(10_799_999)).toBe('02:59:59');
    expect(formatClock(25 * 3_600_000)).toBe('25:00:00');
    expect(formatClock(100 * 3_600_000 + 1000)).toBe('100:00:01');
  });

  it('formats SRT and WebVTT timestamps with milliseconds', () => {
    expect(formatSrtTime(65_120)).toBe('00:01:05,120');
    expect(formatVttTime(65_120)).toBe('00:01:05.120');
    expect(formatSrtTime(10_799_999)).toBe('02:59:59,999');
    expect(formatVttTime(7)).toBe('00:00:00.007');
    expect(formatSrtTime(1.9)).toBe('00:00:00,001');
  });

  it('clamps negative, NaN and infinite input to zero', () => {
    for (const bad of [-1, -65_000, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY]) {
      expect(clampMs(bad)).toBe(0);
      expect(formatClock(bad)).toBe('00:00:00');
      expect(formatSrtTime(bad)).toBe('00:00:00,000');
      expect(formatVttTime(bad)).toBe('00:00:00.000');
      expect(formatDuration(bad)).toBe('0 s');
    }
  });

  it('formats durations for people', () => {
    expect(formatDuration(45_000)).toBe('45 s');
    expect(formatDuration(400)).toBe('0 s');
    expect(formatDuration(192_000)).toBe('3 min 12 s');
    expect(formatDuration(185_000)).toBe('3 min 05 s');
    expect(formatDuration(3_900_000)).toBe('1 h 05 min');
    expect(formatDuration(3_599_600)).toBe('1 h 00 min');
    expect(formatDuration(27 * 3_600_000)).toBe('27 h 00 min');
  });

  it('formats dates in the requested time zone', () => {
    const instant = Date.UTC(2024, 4, 1, 22, 3, 59);
    expect(formatDateTime(instant, 'UTC')).toBe('2024-05-01 22:03');
    expect(formatDateTime(instant, 'Asia/Shanghai')).toBe('2024-05-02 06:03');
    expect(formatDateTime(Date.UTC(2024, 0, 1, 0, 0), 'UTC')).toBe('2024-01-01 00:00');
  });
});

describe('speaker names', () => {
  it('prefers the user name, falls back to the label, and is null without a speaker', () => {
    expect(speakerDisplayName({ id: 1, number: 1, label: 'Speaker 1', name: 'Alice' })).toBe('Alice');
    expect(speakerDisplayName({ id: 1, number: 1, label: 'Speaker 1', name: null })).toBe('Speaker 1');
    expect(speakerDisplayName({ id: 1, number: 1, label: 'Speaker 1', name: '   ' })).toBe('Speaker 1');
    expect(speakerDisplayName(null)).toBeNull();
    expect(speakerDisplayName(undefined)).toBeNull();
  });

  it('maps speaker ids to display names', () => {
    const names = speakerNameMap({
      speakers: [
        { id: 3, number: 1, label: 'Speaker 1', name: '王老师' },
        { id: 8, number: 2, label: 'Speaker 2', name: null },
      ],
    });
    expect([...names]).toEqual([
      [3, '王老师'],
      [8, 'Speaker 2'],
    ]);
  });
});
