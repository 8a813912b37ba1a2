import { describe, expect, it } from 'vitest';
import type { ApiHandlers, RecordingInfo } from '../../../src-shared/contract.js';
import { watchRecordings } from '../../../src-main/app/recording-watch.js';
import { FunscribeError } from '../../../src-main/util/errors.js';

/** Handlers whose recording methods answer as the service does: ids in order, and the append failures given. */
function recordingHandlers(
  appendFailure: () => FunscribeError | null = () => null,
  stopped: string[] = [],
): ApiHandlers {
  let next = 0;
  const recording = {
    startRecording: (): Promise<RecordingInfo> =>
      Promise.resolve({ id: `r${next++}`, startedAt: 0, channels: 1, captions: 'off' }),
    stopRecording: (id: string) => {
      if (id === 'unknown') return Promise.reject(new FunscribeError('NOT_FOUND', 'No such recording.'));
      stopped.push(id);
      return Promise.resolve({ id, durationMs: 1000, jobId: null, error: null });
    },
    appendRecording: () => {
      const failure = appendFailure();
      return failure ? Promise.reject(failure) : Promise.resolve();
    },
  };
  return recording as unknown as ApiHandlers;
}

const OPTIONS = { channels: 1, captions: false, transcribe: true } as const;
const pcm = new Uint8Array(2);

describe('watchRecordings', () => {
  it('tells when the first recording starts and the last one stops, once each', async () => {
    const changes: boolean[] = [];
    const api = watchRecordings(recordingHandlers(), (recording) => changes.push(recording)).handlers;
    const first = await api.startRecording(OPTIONS);
    const second = await api.startRecording(OPTIONS);
    expect(changes).toEqual([true]);
    await api.stopRecording(first.id);
    expect(changes).toEqual([true]);
    expect(await api.stopRecording(second.id)).toMatchObject({ id: second.id, durationMs: 1000 });
    expect(changes).toEqual([true, false]);
  });

  it('counts a stop that fails as stopped, and keeps the error for the caller', async () => {
    const changes: boolean[] = [];
    const api = watchRecordings(recordingHandlers(), (recording) => changes.push(recording)).handlers;
    await api.startRecording(OPTIONS);
    await expect(api.stopRecording('unknown')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(changes).toEqual([true]);
    await api.stopRecording('r0');
    expect(changes).toEqual([true, false]);
  });

  it('ends a recording whose append fails with a full disk, not one whose chunk was refused', async () => {
    let failure: FunscribeError | null = new FunscribeError('INVALID_ARGUMENT', 'A gap.');
    const changes: boolean[] = [];
    const api = watchRecordings(
      recordingHandlers(() => failure),
      (recording) => changes.push(recording),
    ).handlers;
    const { id } = await api.startRecording(OPTIONS);
    await expect(api.appendRecording(id, 5, pcm)).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(changes).toEqual([true]);
    failure = new FunscribeError('DISK_FULL', 'The disk is full.');
    await expect(api.appendRecording(id, 1, pcm)).rejects.toMatchObject({ code: 'DISK_FULL' });
    expect(changes).toEqual([true, false]);
    failure = null;
    await expect(api.appendRecording(id, 2, pcm)).resolves.toBeUndefined();
    expect(changes).toEqual([true, false]);
  });

  it('does not count a start that failed', async () => {
    const changes: boolean[] = [];
    const failing = {
      ...recordingHandlers(),
      startRecording: () => Promise.reject(new FunscribeError('DISK_FULL', 'The disk is full.')),
    };
    const api = watchRecordings(failing, (recording) => changes.push(recording)).handlers;
    await expect(api.startRecording(OPTIONS)).rejects.toMatchObject({ code: 'DISK_FULL' });
    expect(changes).toEqual([]);
  });

  it('stops every recording still going on when their page is gone, and only those', async () => {
    const stopped: string[] = [];
    const changes: boolean[] = [];
    const watch = watchRecordings(recordingHandlers(undefined, stopped), (recording) =>
      changes.push(recording),
    );
    const first = await watch.handlers.startRecording(OPTIONS);
    const second = await watch.handlers.startRecording(OPTIONS);
    const third = await watch.handlers.startRecording(OPTIONS);
    await watch.handlers.stopRecording(second.id);
    await watch.stopAll();
    expect(stopped.sort()).toEqual([first.id, second.id, third.id].sort());
    expect(changes).toEqual([true, false]);
    await watch.stopAll();
    expect(stopped).toHaveLength(3);
  });
});
