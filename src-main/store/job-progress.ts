// One progress number over all of a job's stages, and the time left, from the share of time each stage takes.
import type { JobStage, JobStatus } from '../../src-shared/types.js';

/**
 * The share of a job's time each stage takes, measured on a one-hour two-speaker recording (test/fixtures, 16 kHz
 * WAV) with the stand-in server (test/funasr-sim): decode 6 %, transcribe 24 %, speakers 56 %, save (the audio copy
 * and the library write) 14 %. A real FunASR server takes longer to transcribe, so early estimates run short.
 */
export const STAGE_WEIGHTS: Readonly<Record<JobStage, number>> = {
  decode: 0.06,
  transcribe: 0.24,
  speakers: 0.56,
  save: 0.14,
};

const ORDER: readonly JobStage[] = ['decode', 'transcribe', 'speakers', 'save'];

/** Below this much overall progress no time left is estimated (it would be a guess). */
const MIN_PROGRESS_FOR_ESTIMATE = 0.03;
/** The running time (ms) a job needs before its time left is estimated, for the same reason. */
export const MIN_ELAPSED_FOR_ESTIMATE_MS = 1500;

/** 0..1 over all stages: the weights of the stages done plus the current stage's share of its own. */
export function overallProgress(status: JobStatus, stage: JobStage | null, progress: number): number {
  if (status === 'done') return 1;
  if (stage === null) return 0;
  const before = ORDER.slice(0, ORDER.indexOf(stage)).reduce((sum, done) => sum + STAGE_WEIGHTS[done], 0);
  const within = Math.min(1, Math.max(0, progress)) * STAGE_WEIGHTS[stage];
  return Math.min(1, before + within);
}

/** The time left (ms) of a job running for `elapsedMs` that is `overall` done, or null when too early to tell. */
export function remainingMs(overall: number, elapsedMs: number): number | null {
  if (overall < MIN_PROGRESS_FOR_ESTIMATE || elapsedMs < MIN_ELAPSED_FOR_ESTIMATE_MS || overall >= 1)
    return null;
  return Math.round((elapsedMs * (1 - overall)) / overall);
}
