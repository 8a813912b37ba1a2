// The record screen's pure helpers: the meters' decibel scale and pace, the channels' names, where the microphone permission is
// set on each system, which microphone a remembered choice opens, and a new recording's title in either language.
import * as v from 'valibot';
import { describe, expect, it } from 'vitest';
import { StartRecordingOptionsSchema } from '../../../src-shared/schemas/api-args.js';
import { channelNames, meterFill } from '../../../src-renderer/features/record/levels.js';
import { permissionPlace } from '../../../src-renderer/features/record/permission-help.js';
import { CHUNKS_PER_METER_MOVE, MeterHold } from '../../../src-renderer/lib/recording/meter-hold.js';
import { microphoneToOpen } from '../../../src-renderer/lib/recording/chosen-microphone.js';
import { recordingTitle } from '../../../src-renderer/lib/recording/recording-title.js';
import { chineseCatalog, englishCatalog } from './catalog-translate.js';

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

describe('MeterHold', () => {
  it('moves the meters at every other chunk, showing the loudest peak of each channel since they last moved', () => {
    expect(CHUNKS_PER_METER_MOVE).toBe(2);
    const hold = new MeterHold();
    expect(hold.take([0.2, 0.9])).toBeNull();
    expect(hold.take([0.5, 0.1])).toEqual([0.5, 0.9]);
    expect(hold.take([0.1, 0])).toBeNull();
    expect(hold.take([0.05, 0.3])).toEqual([0.1, 0.3]);
  });

  it('follows a channel that appears or goes between two moves', () => {
    const hold = new MeterHold();
    hold.take([0.4]);
    expect(hold.take([0.1, 0.6])).toEqual([0.4, 0.6]);
    hold.take([0.3, 0.2]);
    expect(hold.take([0.1])).toEqual([0.3]);
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

describe('microphoneToOpen', () => {
  const inputs = [
    { deviceId: 'a1', label: 'Built-in Microphone' },
    { deviceId: 'b2', label: 'USB Headset' },
  ];

  it('opens the remembered microphone by its id, or by its label when it came back under a new id', () => {
    expect(microphoneToOpen({ deviceId: 'b2', label: 'USB Headset' }, inputs)).toBe('b2');
    expect(microphoneToOpen({ deviceId: 'old-id', label: 'USB Headset' }, inputs)).toBe('b2');
  });

  it('opens the default input for none, or for one that is gone', () => {
    expect(microphoneToOpen(null, inputs)).toBeNull();
    expect(microphoneToOpen({ deviceId: 'gone', label: 'Webcam' }, inputs)).toBeNull();
    // An unnamed device is not matched by its blank label.
    expect(microphoneToOpen({ deviceId: 'gone', label: '' }, [{ deviceId: 'c3', label: '' }])).toBeNull();
  });

  it('tries the remembered id while the browser names no input (no access yet)', () => {
    const unnamed = [{ deviceId: '', label: '' }];
    expect(microphoneToOpen({ deviceId: 'b2', label: 'USB Headset' }, unnamed)).toBe('b2');
    expect(microphoneToOpen(null, unnamed)).toBeNull();
  });
});

describe('recordingTitle', () => {
  const at = new Date(2026, 11, 4, 16, 9);

  it('words the title in the interface language, one that main takes as a file name', () => {
    const titles = [
      recordingTitle(englishCatalog('record'), at),
      recordingTitle(chineseCatalog('record'), at),
    ];
    expect(titles).toEqual(['Recording 2026-12-04 16.09', '录音 2026年12月04日 16时09分']);
    for (const title of titles)
      expect(
        v.parse(StartRecordingOptionsSchema, { title, channels: 1, captions: true, transcribe: true }),
      ).toEqual({ title, channels: 1, captions: true, transcribe: true });
  });
});
