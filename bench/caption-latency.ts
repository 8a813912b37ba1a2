// Caption latency added by the app, not counting the server's own time. A websocket relay between main's caption
// client and the FunASR stand-in (2pass) stamps every audio frame and every reply as it passes, so for each caption:
//   app time = (frame on the socket − the chunk that completed it arriving) + (caption shown − reply off the socket)
// where the frame is the last one sent before the reply came. Node half: a chunk "arrives" when appendRecording is
// called (through the IPC router) and a caption is "shown" when main emits 'recording:caption'.
// `npx tsx bench/caption-latency.ts [--seconds 60]`
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startSimProcess } from '../test/helpers/sim-process.js';
import { ms, quantile } from './browser-bench.js';
import {
  CHUNK_MS,
  feedRecording,
  openBenchLibrary,
  speechChunks,
  startBenchRecording,
} from './recording-feed.js';
import { epochNow, startWsRelay } from './ws-relay.js';

/** The target for the app's share of a caption's latency. */
const TARGET_MS = 100;
/** Mono s16le bytes of one chunk: the caption client sends the mono mix. */
const MONO_CHUNK_BYTES = (16_000 * 2 * CHUNK_MS) / 1000;

/** What passed through one relayed connection. */
interface ConnectionLog {
  /** Each audio frame sent: when, and the mono bytes sent up to its end. */
  frames: { at: number; endByte: number }[];
  /** Each text reply received, when. */
  replies: number[];
}

/** One caption's share of the app: before the socket and after it. */
interface CaptionTimes {
  sendMs: number;
  receiveMs: number;
}

/** The caption connection of a relay's log: the one that carried the most audio (a server check carries little). */
function captionConnection(logs: ConnectionLog[]): ConnectionLog {
  const bytes = (log: ConnectionLog): number => log.frames.at(-1)?.endByte ?? 0;
  return logs.reduce((best, log) => (bytes(log) > bytes(best) ? log : best));
}

/**
 * The app's times of each caption shown at `shownAt`: the reply is the last one received before it, the frame the
 * last one sent before that reply, and the chunk the one holding the frame's last byte (`arrivedAt` by seq). Audio
 * recorded while the client connected is not sent, so the socket's first byte is the first byte of the last chunk
 * that arrived before the first frame was sent.
 */
function captionTimes(log: ConnectionLog, arrivedAt: number[], shownAt: number[]): CaptionTimes[] {
  const times: CaptionTimes[] = [];
  const firstFrame = log.frames[0];
  if (!firstFrame) return times;
  const firstChunk = arrivedAt.findLastIndex((at) => at <= firstFrame.at);
  for (const shown of shownAt) {
    const reply = log.replies.filter((at) => at <= shown).at(-1);
    if (reply === undefined) continue;
    const frame = log.frames.filter((each) => each.at <= reply).at(-1);
    if (!frame) continue;
    const arrived = arrivedAt[firstChunk + Math.floor((frame.endByte - 1) / MONO_CHUNK_BYTES)];
    if (arrived === undefined) continue;
    times.push({ sendMs: frame.at - arrived, receiveMs: shown - reply });
  }
  return times;
}

/** Prints p50/p95/max of each share and of their sum. */
function printTimes(label: string, times: CaptionTimes[]): void {
  const line = (name: string, values: number[]): string =>
    `    ${name}: p50 ${ms(quantile(values, 0.5))}, p95 ${ms(quantile(values, 0.95))}, max ${ms(Math.max(...values))}`;
  const total = times.map((each) => each.sendMs + each.receiveMs);
  console.log(`  ${label}: ${times.length} captions`);
  console.log(
    line(
      'chunk arrived → frame on the socket',
      times.map((each) => each.sendMs),
    ),
  );
  console.log(
    line(
      'reply off the socket → caption     ',
      times.map((each) => each.receiveMs),
    ),
  );
  console.log(line('app time (the sum)                 ', total));
  const worst = quantile(total, 0.95);
  console.log(`    p95 ${worst < TARGET_MS ? 'under' : 'OVER'} the ${TARGET_MS} ms target`);
}

/** Main's half: a call fed in real time through the IPC router, captions through the relay to the stand-in. */
async function nodeHalf(seconds: number, simUrl: string): Promise<CaptionTimes[]> {
  const logs: ConnectionLog[] = [];
  const relay = await startWsRelay(simUrl, () => {
    const log: ConnectionLog = { frames: [], replies: [] };
    logs.push(log);
    let sent = 0;
    return {
      toServer: (data, isBinary, at) => {
        if (!isBinary) return;
        sent += data.length;
        log.frames.push({ at, endByte: sent });
      },
      toApp: (_data, isBinary, at) => {
        if (!isBinary) log.replies.push(at);
      },
    };
  });
  const library = await openBenchLibrary('caption-latency');
  try {
    const chunk = await speechChunks();
    const shownAt: number[] = [];
    const stopListening = library.services.liveRecordings.onEvent((event) => {
      if (event === 'recording:caption') shownAt.push(epochNow());
    });
    const recording = await startBenchRecording(library, relay.url);
    const arrivedAt: number[] = [];
    await feedRecording({
      durationMs: seconds * 1000,
      speed: 1,
      chunk,
      append: (seq, pcm) => {
        arrivedAt[seq] = epochNow();
        return recording.append(seq, pcm);
      },
    });
    await recording.stop();
    stopListening();
    return captionTimes(captionConnection(logs), arrivedAt, shownAt);
  } finally {
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
    printTimes(
      'main (appendRecording called → … → recording:caption emitted)',
      await nodeHalf(seconds, sim.url),
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
