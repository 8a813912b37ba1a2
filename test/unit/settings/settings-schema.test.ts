import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { AppSettingsPatchSchema } from '../../../src-shared/schemas/settings.js';
import { SettingsPatchSchema } from '../../../src-main/settings/app-settings.js';
import { parseOrThrow } from '../../../src-main/util/validation.js';

/** The code and message a settings change is refused with (fails the test when it is accepted). */
function refusal(patch: unknown): { code: string; message: string } {
  try {
    parseOrThrow(SettingsPatchSchema, patch);
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error(`${JSON.stringify(patch)} was accepted`);
}

describe('the settings schema', () => {
  it('names the remote server, the setting or the address that is wrong', () => {
    expect(refusal({ remoteEngines: [{ url: 'ws://a:1' }, null] }).message).toBe(
      'Remote server 2 must have an address and a concurrency.',
    );
    expect(refusal({ remoteEngines: [{ url: 'ws://a:1', weight: 1, colour: 2 }] }).message).toBe(
      'Remote server 1 has unknown fields: weight, colour.',
    );
    expect(refusal({ remoteEngines: [{ url: 'ws://gpu:10095', concurrency: 17 }] }).message).toBe(
      'The concurrency of ws://gpu:10095 must be a whole number from 1 to 16.',
    );
    expect(
      refusal({ remoteEngines: [{ url: 'ws://a:1' }, { url: 'ws://a:1', concurrency: 2 }] }).message,
    ).toBe('The server ws://a:1 is listed twice.');
    expect(refusal({ remoteEngines: [{ url: 'http://a:1' }] }).message).toMatch(/ws:\/\/127\.0\.0\.1:10095/);
    expect(refusal({ concurrency: 0 }).message).toBe(
      'The number of files transcribed at once must be a whole number from 1 to 16.',
    );
    expect(refusal({ colour: 'dark', itn: true }).message).toBe('There is no setting called "colour".');
    expect(refusal({ theme: 'blue' }).message).toBe('The theme must be "system", "light" or "dark".');
    expect(refusal({ interfaceLanguage: 'fr' }).message).toBe(
      'The interface language must be "system", "en" or "zh-CN".',
    );
    expect(refusal({ itn: undefined }).message).toBe('The setting itn must be true or false.');
    expect(refusal({ speakers: 51 }).message).toMatch(/from 1 to 50, not 51\.$/);
  });

  it('keeps the codes of the main-process rules: hotwords and speaker models', () => {
    expect(refusal({ hotwords: 'budget 20' })).toMatchObject({ code: 'HOTWORDS_INVALID' });
    expect(refusal({ speakerModel: 'campplus' })).toMatchObject({
      code: 'INVALID_ARGUMENT',
      message: expect.stringContaining('campplus-zh-cn') as unknown,
    });
  });

  it('gives a remote server without a concurrency one file at a time, and normalises hotwords', () => {
    expect(
      parseOrThrow(SettingsPatchSchema, {
        remoteEngines: [
          { url: 'ws://a:1' },
          { url: 'wss://b', concurrency: null },
          { url: 'ws://c:2', concurrency: 4 },
        ],
        hotwords: [{ phrase: '  预算   会议 ', weight: 20 }],
      }),
    ).toEqual({
      remoteEngines: [
        { url: 'ws://a:1', concurrency: 1 },
        { url: 'wss://b', concurrency: 1 },
        { url: 'ws://c:2', concurrency: 4 },
      ],
      hotwords: [{ phrase: '预算 会议', weight: 20 }],
    });
  });

  it('checks the same change in the renderer as in the main process, apart from the main-only rules', () => {
    const change = { itn: false, concurrency: 3, remoteEngines: [{ url: 'ws://a:1', concurrency: 2 }] };
    expect(v.parse(AppSettingsPatchSchema, change)).toEqual(parseOrThrow(SettingsPatchSchema, change));
    expect(v.safeParse(AppSettingsPatchSchema, { concurrency: 17 }).issues?.[0].message).toBe(
      refusal({ concurrency: 17 }).message,
    );
  });

  it("keeps the record screen's choices only as they should be, saying what is wrong", () => {
    const choices = {
      recordMicrophone: { deviceId: 'a1b2', label: 'USB Headset' },
      recordSystemAudio: true,
      recordCaptions: false,
      recordTranscribe: false,
      recordEchoCancellation: true,
      recordNoiseSuppression: true,
      recordAutoGainControl: false,
    };
    expect(parseOrThrow(SettingsPatchSchema, choices)).toEqual(choices);
    expect(parseOrThrow(SettingsPatchSchema, { recordMicrophone: { deviceId: 'c3', label: '' } })).toEqual({
      recordMicrophone: { deviceId: 'c3', label: '' },
    });
    expect(refusal({ recordMicrophone: 'USB Headset' })).toEqual(
      expect.objectContaining({
        code: 'INVALID_ARGUMENT',
        message: 'The microphone setting must be null (the default input) or a deviceId with its label.',
      }),
    );
    expect(refusal({ recordMicrophone: { deviceId: ' ', label: 'USB' } }).message).toBe(
      "The microphone setting's deviceId must be a non-empty text of at most 512 characters.",
    );
    expect(refusal({ recordMicrophone: { deviceId: 'a1' } }).message).toBe(
      "The microphone setting's label must be a text (empty for an unnamed device) of at most 512 characters.",
    );
    expect(refusal({ recordMicrophone: { deviceId: 'a1', label: 'x', kind: 'audioinput' } }).message).toBe(
      'The microphone setting has unknown fields: kind.',
    );
    expect(refusal({ recordCaptions: 'yes' }).message).toBe(
      'The setting recordCaptions must be true or false.',
    );
    expect(refusal({ recordAutoGainControl: 1 }).message).toBe(
      'The setting recordAutoGainControl must be true or false.',
    );
    expect(refusal({ recordDevice: null }).message).toBe('There is no setting called "recordDevice".');
  });
});
