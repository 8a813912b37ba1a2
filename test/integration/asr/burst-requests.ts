// The three-burst test file of the ASR client tests: a request for it and the check that sentences sit on its bursts.
import { join } from 'node:path';
import { expect } from 'vitest';
import type { OfflineTranscribeRequest } from '../../../src-main/asr/offline-session.js';
import { writeBurstPcm, type Burst } from './pcm-bursts.js';

/** Three bursts in 9.5 s of audio, 1.5 s of silence apart. */
export const BURSTS: readonly Burst[] = [
  { startMs: 1000, endMs: 2500 },
  { startMs: 4000, endMs: 6000 },
  { startMs: 7500, endMs: 8300 },
];

/** Writes `bursts` into a PCM file of `durationMs` in `dir` and returns a request for it. */
export async function burstFileRequest(
  dir: string,
  url: string,
  extra: Partial<OfflineTranscribeRequest> = {},
  durationMs = 9500,
  bursts: readonly Burst[] = BURSTS,
): Promise<OfflineTranscribeRequest> {
  const pcmPath = join(dir, `bursts-${durationMs}-${bursts.length}.pcm`);
  await writeBurstPcm(pcmPath, durationMs, bursts);
  return {
    url,
    pcmPath,
    wavName: 'bursts.pcm',
    hotwords: [],
    itn: true,
    allowSelfSignedTls: false,
    ...extra,
  };
}

/** Expects one sentence within 200 ms of each of the three bursts, in order. */
export function expectSentencesOnBursts(sentences: readonly { startMs: number; endMs: number }[]): void {
  expect(sentences).toHaveLength(BURSTS.length);
  sentences.forEach((sentence, index) => {
    const burst = BURSTS[index] as Burst;
    expect(Math.abs(sentence.startMs - burst.startMs)).toBeLessThanOrEqual(200);
    expect(Math.abs(sentence.endMs - burst.endMs)).toBeLessThanOrEqual(200);
  });
}
