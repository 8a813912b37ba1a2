// Ingest benchmark: one hour of generated meeting audio through `funscribe transcribe` against the stand-in server.
// The same hour as a 16 kHz mono WAV and as a 48 kHz stereo AAC .m4a (what recorders produce), side by side.
// Figures: client wall time and the client's peak RSS (targets: under 30 s and under 300 MB on a 2-core machine).
// Then the cost of the frame size: the same hour through the file session with the old 256 KiB frames (before) and
// the 200 ms frames that keep the 2pass server from dropping sentences (after), on both server kinds, side by side.
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DEFAULT_FRAME_BYTES, runOfflineSession } from '../src-main/asr/offline-session.js';
import { decodeToPcm } from '../src-main/audio/decode.js';
import { locateFfmpeg } from '../src-main/audio/ffmpeg-locate.js';
import { generateConversation, MEETING_SCRIPT, repeatConversation } from '../test/fixtures/speech.js';
import { startSimProcess } from '../test/helpers/sim-process.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const GENERATED = join(ROOT, 'test/fixtures/generated/speech');
const HOUR_MS = 3_600_000;

/** Figures of one ingest run. */
export interface IngestFigures {
  file: string;
  audioMs: number;
  wallMs: number;
  peakRssBytes: number;
  sentences: number;
  referenceTurns: number;
}

/** Runs the CLI once on `wavPath` and measures it from outside the process. */
async function measureCli(
  wavPath: string,
  serverUrl: string,
  dataDir: string,
): Promise<{ wallMs: number; peakRssBytes: number; stdout: string }> {
  const args = ['--import', join(ROOT, 'bench/report-peak-rss.mjs'), join(ROOT, 'bin/funscribe.js')];
  args.push('--data-dir', dataDir, 'transcribe', wavPath, '--server', serverUrl, '--json');
  const started = performance.now();
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const wallMs = performance.now() - started;
  const rss = /PEAK_RSS_BYTES=(\d+)/.exec(stderr);
  if (code !== 0 || !rss) throw new Error(`funscribe transcribe failed (${code}):\n${stderr}`);
  return { wallMs, peakRssBytes: Number(rss[1]), stdout };
}

/** Encodes the hour as a 48 kHz stereo AAC .m4a, the shape a real recording usually has (made once, then reused). */
export async function encodeM4a(wavPath: string): Promise<string> {
  const m4a = wavPath.replace(/\.wav$/, '.48k-stereo.m4a');
  if (!existsSync(m4a)) {
    const args = [
      '-hide_banner',
      '-loglevel',
      'error',
      '-y',
      '-i',
      wavPath,
      '-ac',
      '2',
      '-ar',
      '48000',
      '-c:a',
      'aac',
    ];
    await promisify(execFile)('ffmpeg', [...args, '-b:a', '96k', `${m4a}.tmp.m4a`]);
    await rename(`${m4a}.tmp.m4a`, m4a);
  }
  return m4a;
}

/** Prints one run's figures against the targets. */
function printFigures(figures: IngestFigures): void {
  const mb = figures.peakRssBytes / 1024 / 1024;
  const verdict = (met: boolean): string => (met ? 'met' : 'NOT met');
  console.log(
    `  ${figures.file.padEnd(28)} ${(figures.audioMs / 60000).toFixed(1).padStart(5)} min  ` +
      `wall ${(figures.wallMs / 1000).toFixed(1).padStart(5)} s (${verdict(figures.wallMs < 30_000)})  ` +
      `peak RSS ${mb.toFixed(0).padStart(4)} MB (${verdict(mb < 300)})  ` +
      `sentences ${figures.sentences}/${figures.referenceTurns} reference turns`,
  );
}

/** Figures of one file session run with one frame size. */
export interface FrameSizeFigures {
  server: 'offline' | '2pass';
  frameBytes: number;
  frames: number;
  wallMs: number;
  sentences: number;
}

/** The old frame size, before the 2pass server was served. */
const BEFORE_FRAME_BYTES = 256 * 1024;

/** Transcribes the PCM once on `url` with `frameBytes` frames and measures the whole session. */
async function measureSession(
  url: string,
  pcmPath: string,
  frameBytes: number,
): Promise<Omit<FrameSizeFigures, 'server'>> {
  const frames = Math.ceil((await stat(pcmPath)).size / frameBytes);
  const started = performance.now();
  const { transcript } = await runOfflineSession({
    url,
    pcmPath,
    wavName: 'meeting-1h',
    hotwords: [],
    itn: true,
    allowSelfSignedTls: false,
    frameBytes,
  });
  return { frameBytes, frames, wallMs: performance.now() - started, sentences: transcript.sentences.length };
}

/** Runs the session with the old and the new frame size on each server kind and prints them side by side. */
async function runFrameSizeBench(wavPath: string, dir: string): Promise<FrameSizeFigures[]> {
  const { pcmPath } = await decodeToPcm(await locateFfmpeg(), wavPath, join(dir, 'hour'));
  console.log(
    '\nFrame size: the file session alone on the same hour, before (256 KiB frames) and after (200 ms)',
  );
  console.log('  (the faster of two runs each; sentences = the timed pieces the session returns)');
  const all: FrameSizeFigures[] = [];
  for (const server of ['offline', '2pass'] as const) {
    const sim = await startSimProcess(['--protocol', server, '--language', 'zh']);
    try {
      // Before, after, after, before: each size gets one early and one late run, and its faster one counts, so
      // warm-up and a busy machine do not favour either.
      const sizes = [BEFORE_FRAME_BYTES, DEFAULT_FRAME_BYTES, DEFAULT_FRAME_BYTES, BEFORE_FRAME_BYTES];
      const runs: Omit<FrameSizeFigures, 'server'>[] = [];
      for (const frameBytes of sizes) runs.push(await measureSession(sim.url, pcmPath, frameBytes));
      const fastest = (frameBytes: number): Omit<FrameSizeFigures, 'server'> =>
        runs
          .filter((run) => run.frameBytes === frameBytes)
          .reduce((best, run) => (run.wallMs < best.wallMs ? run : best));
      const before = fastest(BEFORE_FRAME_BYTES);
      const after = fastest(DEFAULT_FRAME_BYTES);
      const cell = (f: Omit<FrameSizeFigures, 'server'>): string =>
        `${(f.wallMs / 1000).toFixed(1).padStart(5)} s, ${String(f.frames).padStart(6)} frames, ${String(f.sentences).padStart(4)} sentences`;
      console.log(`  ${server.padEnd(8)} before ${cell(before)}   |   after ${cell(after)}`);
      all.push({ server, ...before }, { server, ...after });
    } finally {
      await sim.stop();
    }
  }
  return all;
}

/** Generates (or reuses) the one-hour meeting as WAV and as m4a, runs the measured ingest of each and prints figures. */
export async function runIngestBench(): Promise<IngestFigures[]> {
  await mkdir(GENERATED, { recursive: true });
  const base = await generateConversation(GENERATED, 'meeting-4-turns', MEETING_SCRIPT);
  const hour = await repeatConversation(base, join(GENERATED, 'meeting-1h.wav'), HOUR_MS);
  const inputs = [hour.wavPath, await encodeM4a(hour.wavPath)];
  const sim = await startSimProcess(['--language', 'zh']);
  const dataDir = await mkdtemp(join(tmpdir(), 'funscribe-bench-ingest-'));
  console.log('\nIngest: funscribe transcribe on a one-hour meeting → stand-in FunASR over ws on loopback');
  console.log('  (targets: client wall time < 30 s, client peak RSS < 300 MB, on 2 cores)');
  try {
    const all: IngestFigures[] = [];
    for (const input of inputs) {
      const run = await measureCli(input, sim.url, dataDir);
      const result = JSON.parse(run.stdout) as { meetings: { segments: unknown[] }[] };
      const figures: IngestFigures = {
        file: basename(input),
        audioMs: hour.durationMs,
        wallMs: run.wallMs,
        peakRssBytes: run.peakRssBytes,
        sentences: result.meetings[0]?.segments.length ?? 0,
        referenceTurns: hour.turns.length,
      };
      printFigures(figures);
      all.push(figures);
    }
    await runFrameSizeBench(hour.wavPath, dataDir);
    return all;
  } finally {
    await sim.stop();
    await rm(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await runIngestBench();
}
