// Names of the ways speakers are told apart, and how to say them to users. No runtime imports: the renderer uses it.
import type { SpeakerLabelling } from './types.js';

/** The embedding backend of the model-free fallback (MFCC statistics). */
export const MFCC_STATS_BACKEND = 'mfcc-stats';
/** The backend of channel mode: per-sentence channel levels, no embeddings. */
export const CHANNEL_LEVELS_BACKEND = 'channel-levels';

/** How the speakers were told apart, as a phrase for users ("labelled by …"). */
export function describeLabelling({ mode, backend }: Pick<SpeakerLabelling, 'mode' | 'backend'>): string {
  if (mode === 'channels') return 'one speaker per stereo channel';
  if (backend === MFCC_STATS_BACKEND) return 'voice statistics (suited to clearly different voices)';
  return `voice, with the speaker model ${backend}`;
}
