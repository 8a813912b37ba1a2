// What the recording benches share: speech as the renderer sends it (16 kHz s16le, the microphone left and the
// system audio right, 100 ms chunks), fed to main's recording path at a chosen speed, and a fresh library to record in.
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ApiMethodName, ApiReturn, FinishedRecording } from '../src-shared/contract.js';
import { dispatchCall } from '../src-main/app/ipc-router.js';
import { createAppService, type AppService } from '../src-main/application/app-service.js';
import { createServices, type Services } from '../src-main/services.js';
import { generateConversation, MEETING_SCRIPT } from '../test/fixtures/speech.js';
import { readMonoWav } from '../test/helpers/wav.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const GENERATED = join(ROOT, 'test/fixtures/generated/speech');

/** Audio per chunk, as the renderer sends it. */
export const CHUNK_MS = 100;
/** Frames per chunk at 16 kHz. */
const CHUNK_FRAMES = 1600;

/** Makes chunk `seq` of a looped two-channel call: the test meeting left, and right as the other side's echo of it. */
export type ChunkSource = (seq: number) => Uint8Array;

/**
 * The test meeting's speech as a source of stereo chunks, made once so that the benches measure the recording and not
 * the making of its audio; each call gives a new buffer, as IPC delivers one.
 */
export async function speechChunks(): Promise<ChunkSource> {
  await mkdir(GENERATED, { recursive: true });
  const speech = await generateConversation(GENERATED, 'meeting-4-turns', MEETING_SCRIPT);
  const samples = await readMonoWav(speech.wavPath);
  const frameBytes = 4;
  const call = Buffer.alloc(samples.length * frameBytes);
  samples.forEach((sample, i) => {
    call.writeInt16LE(Math.round(sample * 32767), i * frameBytes);
    call.writeInt16LE(Math.round(sample * 16383), i * frameBytes + 2);
  });
  // The call loops sample by sample, as before: its length is no whole number of chunks, so no two chunks repeat.
  return (seq) => {
    const pcm = Buffer.alloc(CHUNK_FRAMES * frameBytes);
    let from = ((seq * CHUNK_FRAMES) % samples.length) * frameBytes;
    for (let filled = 0; filled < pcm.length; from = 0) filled += call.copy(pcm, filled, from);
    return pcm;
  };
}

/** How a feed went. */
export interface FeedResult {
  chunks: number;
  wallMs: number;
  /** Audio fed per wall time (the speed asked for, unless the machine could not keep up). */
  speed: number;
}

/** What to feed, how fast, and what to tell along the way. */
export interface FeedOptions {
  durationMs: number;
  /** Times real time (1: real time). */
  speed: number;
  chunk: ChunkSource;
  append(seq: number, pcm: Uint8Array): void | Promise<void>;
  /** Told after every `everyChunks` chunks, with the chunks fed so far. */
  onProgress?: (chunks: number) => void;
  everyChunks?: number;
}

/** Feeds `durationMs` of chunks in order, each when it is due at `speed` (late ones are sent at once, in order). */
export async function feedRecording(options: FeedOptions): Promise<FeedResult> {
  const total = Math.round(options.durationMs / CHUNK_MS);
  const chunkWallMs = CHUNK_MS / options.speed;
  const started = performance.now();
  let seq = 0;
  while (seq < total) {
    const due = Math.min(total, Math.floor((performance.now() - started) / chunkWallMs) + 1);
    for (; seq < due; seq++) {
      await options.append(seq, options.chunk(seq));
      if (options.everyChunks && (seq + 1) % options.everyChunks === 0) options.onProgress?.(seq + 1);
    }
    const next = started + seq * chunkWallMs;
    await sleep(Math.max(0, next - performance.now()));
  }
  const wallMs = performance.now() - started;
  return { chunks: total, wallMs, speed: options.durationMs / wallMs };
}

/** A library in a temporary folder, removed by `dispose`. */
export interface BenchLibrary {
  services: Services;
  dispose(): Promise<void>;
}

/** Opens a new library in a temporary folder. */
export async function openBenchLibrary(name: string): Promise<BenchLibrary> {
  const dataDir = await mkdtemp(join(tmpdir(), `funscribe-bench-${name}-`));
  const services = await createServices({ dataDir });
  return {
    services,
    async dispose() {
      await services.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** A two-channel recording in progress, driven as the renderer drives it. */
export interface BenchRecording {
  id: string;
  append(seq: number, pcm: Uint8Array): Promise<void>;
  stop(): Promise<FinishedRecording>;
}

/** Lists `url` in the settings as the one remote server, so live captions go there. */
export function useCaptionServer(services: Services, url: string): void {
  services.updateSettings({ engineMode: 'remote', remoteEngines: [{ url, concurrency: 1 }] });
}

/** Calls one method of the application service through the IPC router, as the renderer's calls arrive. */
async function callAsIpc<K extends ApiMethodName>(
  app: AppService,
  method: K,
  args: unknown[],
): Promise<ApiReturn<K>> {
  const result = await dispatchCall(method, app, { senderFrame: { url: 'app://bench/' } }, args, {
    isTrustedSender: () => true,
  });
  if (!result.ok) throw new Error(`${method}: ${result.error.message} [${result.error.code}]`);
  return result.value;
}

/**
 * Starts a two-channel recording (record only: no transcription is queued) through the application service; with
 * `captionServer`, the settings list it as the one remote server, so the live captions go there.
 */
export async function startBenchRecording(
  library: BenchLibrary,
  captionServer: string | null = null,
): Promise<BenchRecording> {
  const { services } = library;
  if (captionServer) {
    services.updateSettings({
      engineMode: 'remote',
      remoteEngines: [{ url: captionServer, concurrency: 1 }],
    });
  }
  const app = createAppService(services);
  const info = await callAsIpc(app, 'startRecording', [
    { channels: 2, captions: captionServer !== null, transcribe: false },
  ]);
  return {
    id: info.id,
    append: async (seq, pcm) => {
      await callAsIpc(app, 'appendRecording', [info.id, seq, pcm]);
    },
    stop: () => callAsIpc(app, 'stopRecording', [info.id]),
  };
}
