// Which job errors a retry can fix, and the one progress number over all stages with the time left.
import { describe, expect, it } from 'vitest';
import { overallProgress, remainingMs, STAGE_WEIGHTS } from '../../../src-main/store/job-progress.js';
import { isRetryableError, RETRYABLE_ERRORS } from '../../../src-main/store/retryable-errors.js';

describe('retryable job errors', () => {
  it('offers no retry for what the same file or the same settings would give again', () => {
    const never = Object.entries(RETRYABLE_ERRORS)
      .filter(([, retryable]) => !retryable)
      .map(([code]) => code)
      .sort();
    expect(never).toEqual(
      [
        'ASR_BAD_URL',
        'DECODE_FAILED',
        'EMPTY_FILE',
        'FORBIDDEN',
        'HOTWORDS_INVALID',
        'INVALID_ARGUMENT',
        'NOT_A_FILE',
        'NO_AUDIO_STREAM',
        'NO_SPEECH',
        'RECORDING_UNSUPPORTED',
        'UNREADABLE_MEDIA',
      ].sort(),
    );
    for (const code of never) expect(isRetryableError(code), code).toBe(false);
  });

  it('offers a retry for what may pass: lost connections, busy engines, a missing file, a cancel, unknown codes', () => {
    for (const code of [
      'ASR_CONNECTION_LOST',
      'ENGINE_UNAVAILABLE',
      'FILE_NOT_FOUND',
      'DISK_FULL',
      'INTERRUPTED',
    ]) {
      expect(isRetryableError(code), code).toBe(true);
    }
    expect(isRetryableError(null)).toBe(true);
    expect(isRetryableError('SOMETHING_NEW')).toBe(true);
  });
});

describe('overall job progress', () => {
  it('weights the stages to a whole and counts the stages done plus the share of the current one', () => {
    expect(Object.values(STAGE_WEIGHTS).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
    expect(overallProgress('queued', null, 0)).toBe(0);
    expect(overallProgress('running', 'decode', 0.5)).toBeCloseTo(STAGE_WEIGHTS.decode / 2, 10);
    expect(overallProgress('running', 'speakers', 0)).toBeCloseTo(
      STAGE_WEIGHTS.decode + STAGE_WEIGHTS.transcribe,
      10,
    );
    expect(overallProgress('running', 'save', 1)).toBeCloseTo(1, 10);
    expect(overallProgress('running', 'transcribe', 7)).toBeCloseTo(
      STAGE_WEIGHTS.decode + STAGE_WEIGHTS.transcribe,
      10,
    );
    expect(overallProgress('done', null, 0)).toBe(1);
  });

  it('never goes back when the stage moves on', () => {
    const steps = (['decode', 'transcribe', 'speakers', 'save'] as const).flatMap((stage) =>
      [0, 0.25, 0.5, 1].map((p) => overallProgress('running', stage, p)),
    );
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
  });

  it('estimates the time left from the time so far, once there is enough to go by', () => {
    expect(remainingMs(0.25, 10_000)).toBe(30_000);
    expect(remainingMs(0.5, 60_000)).toBe(60_000);
    expect(remainingMs(0.01, 60_000)).toBeNull();
    expect(remainingMs(0.5, 200)).toBeNull();
    expect(remainingMs(1, 60_000)).toBeNull();
  });
});
