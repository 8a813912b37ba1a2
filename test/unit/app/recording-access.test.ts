import { describe, expect, it } from 'vitest';
import {
  ensureRecordingAccess,
  type MediaAccessStatus,
  type MediaAccessSystem,
} from '../../../src-main/app/recording-access.js';
import { toErrorInfo } from '../../../src-main/util/errors.js';

/** A system whose answers are given (Electron's systemPreferences is what the app passes); counts macOS's questions. */
function system(
  platform: NodeJS.Platform,
  statuses: { microphone: MediaAccessStatus; screen?: MediaAccessStatus },
  userAllows = true,
) {
  const asked: string[] = [];
  const fake: MediaAccessSystem = {
    platform,
    status: (media) => statuses[media] ?? 'granted',
    askForMicrophone: () => {
      asked.push('microphone');
      return Promise.resolve(userAllows);
    },
  };
  return { fake, asked };
}

/** The error data a call gives the renderer, or null when it resolves. */
async function outcome(target: MediaAccessSystem, systemAudio = false) {
  try {
    await ensureRecordingAccess(target, systemAudio);
    return null;
  } catch (error) {
    return toErrorInfo(error);
  }
}

describe('ensureRecordingAccess', () => {
  it('on macOS asks once when undecided, and a refusal names the Microphone setting', async () => {
    const undecided = system('darwin', { microphone: 'not-determined' });
    expect(await outcome(undecided.fake)).toBeNull();
    expect(undecided.asked).toEqual(['microphone']);

    const refusing = system('darwin', { microphone: 'not-determined' }, false);
    const error = await outcome(refusing.fake);
    expect(error).toMatchObject({ code: 'MICROPHONE_DENIED', params: { reason: 'macos' } });
    expect(error?.message).toContain('Privacy & Security › Microphone');

    const granted = system('darwin', { microphone: 'granted' });
    expect(await outcome(granted.fake)).toBeNull();
    expect(granted.asked).toEqual([]);
  });

  it('on macOS does not ask again after a refusal or under a device policy', async () => {
    for (const status of ['denied', 'restricted'] as const) {
      const target = system('darwin', { microphone: status });
      expect(await outcome(target.fake)).toMatchObject({ code: 'MICROPHONE_DENIED' });
      expect(target.asked).toEqual([]);
    }
  });

  it('on Windows follows the privacy switch without asking', async () => {
    const off = system('win32', { microphone: 'denied' });
    const error = await outcome(off.fake);
    expect(error).toMatchObject({ code: 'MICROPHONE_DENIED', params: { reason: 'windows' } });
    expect(error?.message).toContain('Let desktop apps access your microphone');
    const on = system('win32', { microphone: 'granted' });
    expect(await outcome(on.fake, true)).toBeNull();
    expect([...off.asked, ...on.asked]).toEqual([]);
  });

  it('on macOS refuses system audio when screen recording is denied, and only when it was asked for', async () => {
    const screenDenied = system('darwin', { microphone: 'granted', screen: 'denied' });
    const error = await outcome(screenDenied.fake, true);
    expect(error).toMatchObject({ code: 'SYSTEM_AUDIO_DENIED', params: { reason: 'macos' } });
    expect(error?.message).toContain('Screen & System Audio Recording');
    expect(await outcome(screenDenied.fake, false)).toBeNull();
    expect(
      await outcome(system('darwin', { microphone: 'granted', screen: 'not-determined' }).fake, true),
    ).toBeNull();
  });

  it('on Linux has nothing to ask', async () => {
    const linux = system('linux', { microphone: 'denied', screen: 'denied' });
    expect(await outcome(linux.fake, true)).toBeNull();
    expect(linux.asked).toEqual([]);
  });
});
