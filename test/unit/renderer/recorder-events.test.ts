// The recorder store follows main's events of the recording it starts, whenever they come: main may say the captions
// are unavailable before its answer to the start arrives (no caption server is found at once), and may say more while
// the page's capture is still starting; neither is lost or overwritten by the start's own state. Events of another
// recording are ignored, and nothing listens once the recording stops. Over a stand-in bridge, with the capture (an
// AudioContext and its worklet, which need a browser) stood in for.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { get } from 'svelte/store';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ApiEventMap, RecordingInfo } from '../../../src-shared/contract.js';
import type { ErrorInfo } from '../../../src-shared/types.js';
import type * as RecorderStore from '../../../src-renderer/lib/stores/recorder.js';

const CAPTURE = '../../../src-renderer/lib/recording/capture.js';
const MICROPHONE = '../../../src-renderer/lib/recording/chosen-microphone.js';
const RECORD_CATALOG = join(import.meta.dirname, '../../../src-renderer/i18n/record.en.json');

const NO_SERVER: ErrorInfo = { code: 'ENGINE_UNAVAILABLE', message: 'No live-caption server.', params: {} };

type Listener = (payload: unknown) => void;

/** A bridge whose startRecording runs `beforeAnswer` (main's events before its answer), then answers `info`. */
function standInBridge(info: RecordingInfo, beforeAnswer: () => void) {
  const listeners = new Map<string, Set<Listener>>();
  const emit = <E extends keyof ApiEventMap>(event: E, payload: ApiEventMap[E]): void =>
    listeners.get(event)?.forEach((listener) => listener(payload));
  const bridge = {
    requestRecordingAccess: async () => ({ ok: true, value: { systemAudioInMain: false } }),
    startRecording: async () => {
      beforeAnswer();
      return { ok: true, value: info };
    },
    stopRecording: async () => ({ ok: true, value: { id: info.id, durationMs: 1000, jobId: null } }),
    listRecordings: async () => ({ ok: true, value: [] }),
    on: (event: string, listener: Listener) => {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      return () => set.delete(listener);
    },
  };
  const listening = (): number => [...listeners.values()].reduce((sum, set) => sum + set.size, 0);
  return { bridge, emit, listening };
}

/** The recorder store over `bridge`; its capture starts when the test resolves `captureStarted`. */
async function loadRecorder(bridge: object) {
  vi.resetModules();
  // Before the window exists: with a window, svelte-i18n sets the document's language.
  const i18n = await import('svelte-i18n');
  i18n.addMessages('en', {
    record: JSON.parse(readFileSync(RECORD_CATALOG, 'utf8')) as Record<string, string>,
  });
  await i18n.init({ fallbackLocale: 'en', initialLocale: 'en' });
  vi.stubGlobal('window', { funscribe: bridge });
  vi.stubGlobal('navigator', {});
  let startCapture: () => void = () => undefined;
  const captureStarted = new Promise<void>((resolve) => (startCapture = resolve));
  vi.doMock(MICROPHONE, () => ({
    audioInputs: async () => [],
    openChosenInputs: async () => ({ streams: [{}], deviceId: 'mic', release: () => undefined }),
  }));
  vi.doMock(CAPTURE, () => ({
    startCapture: async () => {
      await captureStarted;
      return { pause: () => undefined, resume: () => undefined, finish: async () => undefined };
    },
  }));
  const store: typeof RecorderStore = await import('../../../src-renderer/lib/stores/recorder.js');
  return { store, startCapture };
}

const OPTIONS = {
  microphone: null,
  systemAudio: false,
  echoCancellation: false,
  noiseSuppression: false,
  autoGainControl: false,
  captions: true,
  transcribe: true,
};

const INFO: RecordingInfo = { id: 'rec-1', startedAt: 0, channels: 1, captions: 'connecting' };

describe('the recorder store and main’s events of its recording', () => {
  afterEach(() => {
    vi.unstubAllGlobals();
    vi.doUnmock(CAPTURE);
    vi.doUnmock(MICROPHONE);
  });

  it('keeps what main said of the captions before its answer to the start, and ignores another recording', async () => {
    const stand = standInBridge(INFO, () => {
      stand.emit('recording:captions-state', {
        recordingId: 'rec-1',
        state: 'unavailable',
        error: NO_SERVER,
      });
      stand.emit('recording:captions-state', { recordingId: 'other', state: 'live', error: null });
    });
    const { store, startCapture } = await loadRecorder(stand.bridge);
    const started = store.startRecording(OPTIONS);
    startCapture();
    await started;

    const { phase, recordingId, captions } = get(store.recorder);
    expect({ phase, recordingId }).toEqual({ phase: 'recording', recordingId: 'rec-1' });
    expect(captions.state).toBe('unavailable');
    expect(captions.error).toEqual(NO_SERVER);

    stand.emit('recording:captions-state', { recordingId: 'other', state: 'reconnecting', error: null });
    expect(get(store.recorder).captions.state).toBe('unavailable');
    await store.stopRecording();
    expect(stand.listening()).toBe(0);
  });

  it('keeps the captions that arrive while the capture starts instead of going back to the start’s state', async () => {
    const stand = standInBridge(INFO, () => undefined);
    const { store, startCapture } = await loadRecorder(stand.bridge);
    const started = store.startRecording(OPTIONS);
    await vi.waitFor(() => expect(get(store.recorder).captions.state).toBe('connecting'));

    stand.emit('recording:captions-state', { recordingId: 'rec-1', state: 'live', error: null });
    const sentence = { text: '大家好', startMs: 0, endMs: 900 };
    stand.emit('recording:caption', { recordingId: 'rec-1', provisional: '今天', sentence });
    startCapture();
    await started;

    const { captions } = get(store.recorder);
    expect(captions).toEqual({ state: 'live', sentences: [sentence], provisional: '今天', error: null });
    await store.stopRecording();
  });
});
