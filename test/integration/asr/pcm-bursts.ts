// Test audio for the ASR client: 16 kHz mono s16le PCM with tone bursts at known places and silence between them.
import { writeFile } from 'node:fs/promises';

/** A burst of tone, in ms from the start of the file. */
export interface Burst {
  startMs: number;
  endMs: number;
}

const SAMPLES_PER_MS = 16;

/** Writes `durationMs` of PCM: silence with a 300 Hz + 700 Hz tone inside each burst; returns the byte count. */
export async function writeBurstPcm(
  path: string,
  durationMs: number,
  bursts: readonly Burst[],
): Promise<number> {
  const samples = new Int16Array(durationMs * SAMPLES_PER_MS);
  for (const burst of bursts) {
    for (
      let i = burst.startMs * SAMPLES_PER_MS;
      i < burst.endMs * SAMPLES_PER_MS && i < samples.length;
      i++
    ) {
      const t = i / 16_000;
      samples[i] = Math.round(
        6000 * Math.sin(2 * Math.PI * 300 * t) + 4000 * Math.sin(2 * Math.PI * 700 * t),
      );
    }
  }
  const bytes = Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
  await writeFile(path, bytes);
  return bytes.length;
}
