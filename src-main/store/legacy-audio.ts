// Meetings saved before audio copies point at the raw PCM their job decoded (16 kHz mono, 110 MB an hour), which no
// player reads. The desktop app replaces it, one meeting at a time in the background, by the Opus copy new meetings
// get, or by no audio at all when copies are off; the PCM is removed once the meeting no longer points at it.
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { AUDIO_COPY_EXTENSION, writeAudioCopy } from '../audio/audio-copy.js';
import { removeQuietly } from '../audio/audio-files.js';
import type { FfmpegTools } from '../audio/ffmpeg-locate.js';
import type { MeetingRepository } from './meetings-repo.js';

/** What the upgrade needs: the library, its audio folder, ffmpeg, the setting, and a signal that stops it. */
export interface LegacyAudioUpgrade {
  meetings: MeetingRepository;
  audioDir: string;
  ffmpeg: () => Promise<FfmpegTools>;
  keepAudioCopies: () => boolean;
  signal: AbortSignal;
}

/**
 * Upgrades every meeting whose audio is a legacy PCM file and returns how many it changed. It stops quietly at the
 * first failure or when the signal aborts (the rest is done at a later start); it never rejects.
 */
export async function upgradeLegacyAudio(upgrade: LegacyAudioUpgrade): Promise<number> {
  const { meetings, audioDir, signal } = upgrade;
  let upgraded = 0;
  try {
    for (const { id, audioPath } of meetings.pcmAudio()) {
      if (signal.aborted) break;
      const pcmPath = join(audioDir, basename(audioPath));
      const copyPath = pcmPath.replace(/\.pcm$/, AUDIO_COPY_EXTENSION);
      const keep = upgrade.keepAudioCopies() && existsSync(pcmPath);
      if (keep) await writeAudioCopy(await upgrade.ffmpeg(), { pcmPath, channels: 1 }, copyPath, { signal });
      if (!meetings.replaceAudioPath(id, audioPath, keep ? copyPath : null)) {
        if (keep) await removeQuietly([copyPath]);
        continue;
      }
      await removeQuietly([pcmPath]);
      upgraded += 1;
    }
  } catch {
    // left for a later start
  }
  return upgraded;
}
