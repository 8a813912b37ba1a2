// Whether the operating system lets FunScribe record, asked before capture starts: macOS asks the user for the
// microphone once (and keeps the answer), Windows has a privacy switch for it, and system audio on macOS needs the
// screen-recording permission. Electron's systemPreferences is passed in, so this file is unit-tested without Electron.
import { FunscribeError } from '../util/errors.js';

/** What `systemPreferences.getMediaAccessStatus` answers. */
export type MediaAccessStatus = 'not-determined' | 'granted' | 'denied' | 'restricted' | 'unknown';

/** The parts of Electron's systemPreferences this needs, and the platform. */
export interface MediaAccessSystem {
  platform: NodeJS.Platform;
  status(media: 'microphone' | 'screen'): MediaAccessStatus;
  /** Shows macOS's own question for the microphone; true when the user allows it. */
  askForMicrophone(): Promise<boolean>;
}

/** A status the user (or a device policy) chose against recording. */
function refused(status: MediaAccessStatus): boolean {
  return status === 'denied' || status === 'restricted';
}

function microphoneDenied(platform: NodeJS.Platform): FunscribeError {
  return platform === 'darwin'
    ? new FunscribeError(
        'MICROPHONE_DENIED',
        'macOS does not let FunScribe use the microphone. Open System Settings › Privacy & Security › Microphone, turn on FunScribe, then start the recording again.',
        { params: { reason: 'macos' } },
      )
    : new FunscribeError(
        'MICROPHONE_DENIED',
        'Windows does not let FunScribe use the microphone. Open Settings › Privacy & security › Microphone, turn on “Let desktop apps access your microphone”, then start the recording again.',
        { params: { reason: 'windows' } },
      );
}

/** True when the microphone may be used, asking macOS's question when the user has not answered it yet. */
async function microphoneAllowed(system: MediaAccessSystem): Promise<boolean> {
  if (system.platform !== 'darwin' && system.platform !== 'win32') return true;
  const status = system.status('microphone');
  if (refused(status)) return false;
  if (system.platform === 'darwin' && status !== 'granted') return system.askForMicrophone();
  return true;
}

/**
 * Resolves when the system lets FunScribe record the microphone (and, with `systemAudio`, what the computer plays);
 * throws MICROPHONE_DENIED or SYSTEM_AUDIO_DENIED naming the setting to change. Linux has no such permissions.
 * macOS cannot be asked for screen recording here: an undecided status passes, and the capture itself asks.
 */
export async function ensureRecordingAccess(system: MediaAccessSystem, systemAudio: boolean): Promise<void> {
  if (!(await microphoneAllowed(system))) throw microphoneDenied(system.platform);
  if (systemAudio && system.platform === 'darwin' && refused(system.status('screen'))) {
    throw new FunscribeError(
      'SYSTEM_AUDIO_DENIED',
      'macOS does not let FunScribe record what the computer plays. Open System Settings › Privacy & Security › Screen & System Audio Recording, turn on FunScribe, restart FunScribe, then record again (or record the microphone only).',
      { params: { reason: 'macos' } },
    );
  }
}
