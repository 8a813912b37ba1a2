// Caption latency added by the app, not counting the server's own time. A websocket relay between main's caption
// client and the FunASR stand-in (2pass) stamps every audio frame and every reply as it passes, so for each caption:
//   app time = (frame on the socket − the chunk that completed it arriving) + (caption shown − reply off the socket)
// where the frame is the last one sent before the reply came. Node half: a chunk "arrives" when appendRecording is
// called (through the IPC router) and a caption is "shown" when main emits 'recording:caption'.
// `npx tsx bench/caption-latency.ts [--seconds 60]`
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { setTimeout as sleep } from 'node:timers/promises';
import { monoMix } from '../src-main/recording/live-recordings.js';
import type { Services } from '../src-main/services.js';
import { startSimProcess } from '../test/helpers/sim-process.js';
import { ms, quantile } from './browser-bench.js';
import {
  CHUNK_MS,
  feedRecording,
  openBenchLibrary,
  speechChunks,
  startBenchRecording,
  useCaptionServer,
} from './recording-feed.js';
import { pageStamps, stampPage } from './caption-latency-page.js';
import { openRecordScreen, startRecordingOnScreen, stopRecordingOnScreen } from './recording-page.js';
import { epochNow, startWsRelay, type WsRelay } from './ws-relay.js';

/** The target for the app's share of a caption's latency. */
const TARGET_MS = 100;
/** Mono s16le bytes of one chunk: the caption client sends the mono mix. */
const MONO_CHUNK_BYTES = (16_000 * 2 * CHUNK_MS) / 1000;
/** How much of the socket's first audio is matched against the chunks to find the chunk it starts with (1 s). */
const ALIGN_BYTES = 10 * MONO_CHUNK_BYTES;

/** What passed through one relayed connection. */
interface ConnectionLog {
  /** Each audio frame sent: when, and the mono bytes sent up to its end. */
  frames: { at: number; endByte: number }[];
  /** Each text reply received, when. */
  replies: number[];
  /** The first audio bytes sent (at least ALIGN_BYTES, once there are so many). */
  head: Buffer[];
}

/** When each thing happened on the app's side of the socket (epoch ms). */
interface AppStamps {
  /** Each chunk reaching main's live recordings, by seq. */
  arrivedAt: number[];
  /** Each chunk's mono mix, as the caption client sends it, by seq. */
  mono: Buffer[];
  /** Each chunk leaving the capture (the worklet's message received in the page), by seq; none in the Node half. */
  capturedAt: number[] | null;
  /** Each 'recording:caption' event main emitted. */
  emittedAt: { at: number; text: string }[];
  /** Each change of the captions on the page (a MutationObserver's call); none in the Node half. */
  renderedAt: { at: number; text: string }[] | null;
}

/** The stages of a caption's time on the app's side, as printed. */
const STAGES = [
  'capture → main                 ',
  'main → frame on the socket     ',
  'reply off the socket → emitted ',
  'emitted → on the page (DOM)    ',
] as const;

/**
 * The chunk whose mono mix the socket's audio starts with: the last chunk from which the chunks' bytes equal the
 * socket's first second (the meeting loops, but a second of it, pauses included, is found once per loop).
 */
function firstChunkSent(log: ConnectionLog, mono: Buffer[]): number {
  const head = Buffer.concat(log.head).subarray(0, ALIGN_BYTES);
  const count = Math.ceil(head.length / MONO_CHUNK_BYTES);
  for (let seq = mono.length - count; seq >= 0; seq--) {
    if (
      Buffer.concat(mono.slice(seq, seq + count))
        .subarray(0, head.length)
        .equals(head)
    )
      return seq;
  }
  throw new Error('the socket carried audio that no recorded chunk starts');
}

/**
 * When a caption's text first showed in the page's log after it was emitted: undefined when it changed nothing (its
 * text was there already, or it is empty), null when it never showed.
 */
function renderedAt(
  changes: { at: number; text: string }[],
  emitted: number,
  text: string,
): number | null | undefined {
  if (
    text === '' ||
    changes
      .filter((change) => change.at < emitted)
      .at(-1)
      ?.text.includes(text)
  )
    return undefined;
  return changes.find((change) => change.at >= emitted && change.text.includes(text))?.at ?? null;
}

/** The caption connection of a relay's log: the one that carried the most audio (a server check carries little). */
function captionConnection(logs: ConnectionLog[]): ConnectionLog {
  const bytes = (log: ConnectionLog): number => log.frames.at(-1)?.endByte ?? 0;
  return logs.reduce((best, log) => (bytes(log) > bytes(best) ? log : best));
}

/**
 * The app's time in each stage (null: not measured) of each caption emitted: its reply is the last one received
 * before it, the frame the last one sent before that reply, and the chunk the one holding the frame's last byte.
 * Audio recorded while the client connected is not sent, so the chunk the socket's audio starts with is found by its
 * bytes (firstChunkSent). On the page, a caption is there at the first change after it.
 */
function captionStages(log: ConnectionLog, stamps: AppStamps): (number | null)[][] {
  const captions: (number | null)[][] = [];
  const firstChunk = firstChunkSent(log, stamps.mono);
  for (const { at: emitted, text } of stamps.emittedAt) {
    const reply = log.replies.filter((at) => at <= emitted).at(-1);
    const frame = reply === undefined ? undefined : log.frames.filter((each) => each.at <= reply).at(-1);
    if (reply === undefined || !frame) continue;
    const seq = firstChunk + Math.floor((frame.endByte - 1) / MONO_CHUNK_BYTES);
    const arrived = stamps.arrivedAt[seq];
    const captured = stamps.capturedAt?.[seq];
    const rendered = stamps.renderedAt ? renderedAt(stamps.renderedAt, emitted, text) : undefined;
    if (arrived === undefined || (stamps.capturedAt && captured === undefined)) continue;
    if (stamps.renderedAt && rendered === undefined) continue;
    if (rendered === null) throw new Error(`the caption "${text}" never showed on the page`);
    captions.push([
      captured === undefined ? null : arrived - captured,
      frame.at - arrived,
      emitted - reply,
      rendered === undefined ? null : rendered - emitted,
    ]);
  }
  return captions;
}

/** Prints p50/p95/max of each measured stage and of their sum. */
function printStages(label: string, captions: (number | null)[][]): void {
  const line = (name: string, values: number[]): string =>
    `    ${name}: p50 ${ms(quantile(values, 0.5))}, p95 ${ms(quantile(values, 0.95))}, max ${ms(Math.max(...values))}`;
  console.log(`  ${label}: ${captions.length} captions`);
  if (captions.length === 0) return;
  STAGES.forEach((name, stage) => {
    if (captions[0]![stage] !== null)
      console.log(
        line(
          name,
          captions.map((caption) => caption[stage]!),
        ),
      );
  });
  const total = captions.map((caption) => caption.reduce<number>((sum, value) => sum + (value ?? 0), 0));
  console.log(line('app time (the sum)             ', total));
  const worst = quantile(total, 0.95);
  console.log(`    p95 ${worst < TARGET_MS ? 'under' : 'OVER'} the ${TARGET_MS} ms target`);
}

/** A relay to `simUrl` that logs each connection's audio frames and replies. */
async function startLoggingRelay(simUrl: string): Promise<{ relay: WsRelay; logs: ConnectionLog[] }> {
  const logs: ConnectionLog[] = [];
  const relay = await startWsRelay(simUrl, () => {
    const log: ConnectionLog = { frames: [], replies: [], head: [] };
    logs.push(log);
    let sent = 0;
    return {
      toServer: (data, isBinary, at) => {
        if (!isBinary) return;
        if (sent < ALIGN_BYTES) log.head.push(data);
        sent += data.length;
        log.frames.push({ at, endByte: sent });
      },
      toApp: (_data, isBinary, at) => {
        if (!isBinary) log.replies.push(at);
      },
    };
  });
  return { relay, logs };
}

/** Stamps each chunk reaching main's live recordings and each caption event main emits; returns the stamps. */
function stampMain(services: Services): AppStamps & { stop(): void } {
  const stamps: AppStamps = { arrivedAt: [], mono: [], capturedAt: null, emittedAt: [], renderedAt: null };
  const live = services.liveRecordings;
  const append = live.append.bind(live);
  const channels = new Map<string, 1 | 2>();
  live.append = (id, chunk) => {
    stamps.arrivedAt[chunk.seq] = epochNow();
    if (!channels.has(id)) channels.set(id, services.recordings.get(id)?.channels ?? 1);
    const mono = monoMix(chunk.pcm, channels.get(id)!);
    stamps.mono[chunk.seq] = Buffer.from(mono.buffer, mono.byteOffset, mono.byteLength);
    append(id, chunk);
  };
  const stopListening = live.onEvent((event, payload) => {
    if ('provisional' in payload) {
      const text = payload.sentence?.text ?? payload.provisional;
      stamps.emittedAt.push({ at: epochNow(), text });
    }
  });
  return { ...stamps, stop: stopListening };
}

/** Main's half: a call fed in real time through the IPC router, captions through the relay to the stand-in. */
async function nodeHalf(seconds: number, simUrl: string): Promise<(number | null)[][]> {
  const { relay, logs } = await startLoggingRelay(simUrl);
  const library = await openBenchLibrary('caption-latency');
  try {
    const chunk = await speechChunks();
    const stamps = stampMain(library.services);
    const recording = await startBenchRecording(library, relay.url);
    await feedRecording({ durationMs: seconds * 1000, speed: 1, chunk, append: recording.append });
    await recording.stop();
    stamps.stop();
    return captionStages(captionConnection(logs), stamps);
  } finally {
    await library.dispose();
    await relay.close();
  }
}

/** The whole way: the record screen in Chromium with the fake microphone, captions through the relay. */
async function browserHalf(seconds: number, simUrl: string): Promise<(number | null)[][]> {
  const { relay, logs } = await startLoggingRelay(simUrl);
  const library = await openBenchLibrary('caption-latency-page');
  useCaptionServer(library.services, relay.url);
  const app = await openRecordScreen(library.services);
  try {
    const stamps = stampMain(library.services);
    await app.page.evaluate(stampPage);
    await startRecordingOnScreen(app.page, true);
    await sleep(seconds * 1000);
    await stopRecordingOnScreen(app.page);
    stamps.stop();
    const page = await app.page.evaluate(pageStamps);
    if (app.consoleErrors.length > 0)
      throw new Error(`the page logged errors: ${app.consoleErrors.join('; ')}`);
    return captionStages(captionConnection(logs), { ...stamps, ...page });
  } finally {
    await app.close();
    await library.dispose();
    await relay.close();
  }
}

/** Runs the benchmark and prints its figures. */
export async function runCaptionLatencyBench(options: { seconds?: number } = {}): Promise<void> {
  const seconds = options.seconds ?? 60;
  const sim = await startSimProcess(['--protocol', '2pass']);
  console.log(
    `\nCaption latency added by the app (the server's own time left out): ${seconds} s of a call in real time, ` +
      `captions from the stand-in in 2pass mode through a timing relay (target: p95 under ${TARGET_MS} ms)`,
  );
  try {
    printStages('main alone (the chunks fed through the IPC router)', await nodeHalf(seconds, sim.url));
    printStages(
      "the record screen in Chromium (fake microphone; the bridge's websocket stands in for IPC)",
      await browserHalf(seconds, sim.url),
    );
  } finally {
    await sim.stop();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { seconds: { type: 'string' } } });
  await runCaptionLatencyBench({
    seconds: values.seconds === undefined ? undefined : Number(values.seconds),
  });
}
