// The record screen's pure helpers: the meters' decibel scale, the channels' names and where the microphone
// permission is set on each system.
import { describe, expect, it } from 'vitest';
import { channelNames, meterFill } from '../../../src-renderer/features/record/levels.js';
import { permissionPlace } from '../../../src-renderer/features/record/permission-help.js';

describe('meterFill', () => {
  it('fills the meter on a decibel scale from −60 dB (empty) to full scale', () => {
    expect(meterFill(1)).toBe(1);
    expect(meterFill(0.5)).toBeCloseTo(1 - 6.0206 / 60, 4);
    expect(meterFill(0.1)).toBeCloseTo(2 / 3, 6);
    expect(meterFill(0.001)).toBeCloseTo(0, 6);
    expect(meterFill(0.0001)).toBe(0);
  });

  it('shows silence, clipping and nonsense without leaving 0..1', () => {
    expect(meterFill(0)).toBe(0);
    expect(meterFill(-0.5)).toBe(0);
    expect(meterFill(Number.NaN)).toBe(0);
    expect(meterFill(3)).toBe(1);
  });
});

describe('channelNames', () => {
  it('names one channel the microphone, and two me (left) and them (right)', () => {
    expect(channelNames(0)).toEqual(['mono']);
    expect(channelNames(1)).toEqual(['mono']);
    expect(channelNames(2)).toEqual(['me', 'them']);
  });
});

describe('permissionPlace', () => {
  it('tells macOS, Windows and the rest apart from the user agent', () => {
    const mac =
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) FunScribe/0.1.0 Electron/45.4.1';
    const windows =
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Electron/45.4.1';
    const linux =
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/156.0.0.0';
    expect(permissionPlace(mac)).toBe('mac');
    expect(permissionPlace(windows)).toBe('windows');
    expect(permissionPlace(linux)).toBe('other');
  });
});
