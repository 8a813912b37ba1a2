// The waveform the main process computed, as wavesurfer draws it: the highest sample of each bucket on top and the
// lowest below, each -1..1.
import type { WaveformPeaks } from '../../../src-shared/types.js';

/** Two channels for wavesurfer (top: the highs, bottom: the lows) and the duration in seconds. */
export interface DrawablePeaks {
  channels: [Float32Array, Float32Array];
  durationS: number;
}

/** Decodes the base64 Int8 (min, max) pairs of `peaks`. */
export function drawablePeaks(peaks: WaveformPeaks): DrawablePeaks {
  const bytes = atob(peaks.minMax);
  const buckets = Math.floor(bytes.length / 2);
  const highs = new Float32Array(buckets);
  const lows = new Float32Array(buckets);
  const signed = (code: number): number => (code > 127 ? code - 256 : code) / 127;
  for (let i = 0; i < buckets; i++) {
    lows[i] = signed(bytes.charCodeAt(2 * i));
    highs[i] = signed(bytes.charCodeAt(2 * i + 1));
  }
  return { channels: [highs, lows], durationS: peaks.durationMs / 1000 };
}
