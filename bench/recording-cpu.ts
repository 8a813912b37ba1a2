// Recording CPU: what recording costs while it runs, in real time, as % of one core. Main's side (the journal, and
// the live-caption client when captions are on) in this process with process.cpuUsage(), fed a two-channel call in
// 100 ms chunks; the renderer's side (getUserMedia, the AudioWorklet, its resampler, the chunks sent) in Chromium with
// its fake microphone, from /proc of Chromium's processes, against the same page idle on the record screen.
// `npx tsx bench/recording-cpu.ts [--seconds 60]`
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startSimProcess } from '../test/helpers/sim-process.js';
import { cpuByKind, cpuPercentBetween, threadCpuOfKind } from './process-cpu.js';
import {
  feedRecording,
  openBenchLibrary,
  speechChunks,
  startBenchRecording,
  useCaptionServer,
} from './recording-feed.js';
import { openRecordScreen, startRecordingOnScreen, stopRecordingOnScreen } from './recording-page.js';

/** The target for everything recording costs together. */
const TARGET_PERCENT = 10;
/** How long the idle page is measured, as the renderer's peer. */
const IDLE_SECONDS = 10;

/** This process's CPU time and the wall time while `work` runs, as % of one core. */
async function ownCpuPercent(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  const before = process.cpuUsage();
  await work();
  const used = process.cpuUsage(before);
  return ((used.user + used.system) / 1000 / (performance.now() - started)) * 100;
}

/** Main's side: a recording fed in real time for `seconds` (captions to `captionServer` when given); % of one core. */
async function mainSidePercent(seconds: number, captionServer: string | null): Promise<number> {
  const library = await openBenchLibrary('recording-cpu');
  try {
    const chunk = await speechChunks();
    const recording = await startBenchRecording(library, captionServer);
    const percent = await ownCpuPercent(() =>
      feedRecording({ durationMs: seconds * 1000, speed: 1, chunk, append: recording.append }),
    );
    await recording.stop();
    return percent;
  } finally {
    await library.dispose();
  }
}

/** CPU over a window of wall time: Chromium's processes by kind, the renderer's threads by name, this process. */
interface CpuWindow {
  kinds: Map<string, number>;
  rendererThreads: Map<string, number>;
  own: number;
}

/** Measures Chromium's processes' CPU (% of one core) and this process's over `seconds` of wall time. */
async function browserWindow(seconds: number): Promise<CpuWindow> {
  const before = cpuByKind(process.pid);
  const threadsBefore = threadCpuOfKind(process.pid, 'renderer');
  const started = performance.now();
  const own = await ownCpuPercent(() => sleep(seconds * 1000));
  const wallS = (performance.now() - started) / 1000;
  return {
    kinds: cpuPercentBetween(before, cpuByKind(process.pid), wallS),
    rendererThreads: cpuPercentBetween(threadsBefore, threadCpuOfKind(process.pid, 'renderer'), wallS),
    own,
  };
}

/** The renderer's side: the record screen idle, then recording (live captions on) from the fake microphone. */
async function browserSide(
  seconds: number,
  captionServer: string,
): Promise<{ idle: CpuWindow; recording: CpuWindow; elsewhere: CpuWindow }> {
  const library = await openBenchLibrary('recording-cpu-page');
  useCaptionServer(library.services, captionServer);
  const app = await openRecordScreen(library.services);
  try {
    const idle = await browserWindow(IDLE_SECONDS);
    await startRecordingOnScreen(app.page, true);
    const recording = await browserWindow(seconds);
    // The same recording with the settings shown: the record screen's meters and captions are not painted.
    await app.page.getByRole('button', { name: 'Settings', exact: true }).click();
    const elsewhere = await browserWindow(seconds);
    await app.page.getByRole('button', { name: /^Recording .*: show the recording$/ }).click();
    await stopRecordingOnScreen(app.page);
    if (app.consoleErrors.length > 0)
      throw new Error(`the page logged errors: ${app.consoleErrors.join('; ')}`);
    return { idle, recording, elsewhere };
  } finally {
    await app.close();
    await library.dispose();
  }
}

/** A percentage as printed. */
const pct = (value: number | undefined): string => `${(value ?? 0).toFixed(1)} %`;

/** Prints each entry (above 0.05 % in any window) in the three windows side by side, busiest first. */
function printSideBySide(
  label: string,
  windows: [Map<string, number>, Map<string, number>, Map<string, number>],
): void {
  const [recording] = windows;
  const names = [...new Set(windows.flatMap((window) => [...window.keys()]))]
    .filter((name) => windows.some((window) => (window.get(name) ?? 0) >= 0.05))
    .sort((a, b) => (recording.get(b) ?? 0) - (recording.get(a) ?? 0));
  for (const name of names) {
    const [onScreen, elsewhere, idle] = windows.map((window) => pct(window.get(name)));
    console.log(`  ${label} ${name}: ${onScreen} | ${elsewhere} | ${idle}`);
  }
}

/** Runs the benchmark and prints its figures. */
export async function runRecordingCpuBench(options: { seconds?: number } = {}): Promise<void> {
  const seconds = options.seconds ?? 60;
  console.log(
    `\nRecording CPU: ${seconds} s in real time, % of one core (target: under ${TARGET_PERCENT} % together)`,
  );
  const sim = await startSimProcess(['--protocol', '2pass']);
  try {
    const journal = await mainSidePercent(seconds, null);
    const main = await mainSidePercent(seconds, sim.url);
    console.log(
      `  main: ${pct(main)} with live captions (the 2pass stand-in), ${pct(journal)} with captions off`,
    );
    await printBrowserSide(seconds, main, sim.url);
  } finally {
    await sim.stop();
  }
}

/** Measures the renderer's side and prints it, and its sum with main's `main` %. */
async function printBrowserSide(seconds: number, main: number, captionServer: string): Promise<void> {
  const page = await browserSide(seconds, captionServer);
  console.log(
    '  child processes (Chromium by kind), % of one core: recording with captions on the record screen | the same, settings shown | idle',
  );
  const { recording, elsewhere, idle } = page;
  printSideBySide('process', [recording.kinds, elsewhere.kinds, idle.kinds]);
  printSideBySide('  renderer thread', [
    recording.rendererThreads,
    elsewhere.rendererThreads,
    idle.rendererThreads,
  ]);
  console.log(
    `  this process while the page records (main's journal + the bridge's websocket): ${pct(page.recording.own)}`,
  );
  for (const [where, kinds] of [
    ['on the record screen', page.recording.kinds],
    ['with the settings shown', page.elsewhere.kinds],
  ] as const) {
    const renderer = kinds.get('renderer') ?? 0;
    const browser = kinds.get('chromium') ?? 0;
    const gpuAndAudio =
      (kinds.get('gpu-process') ?? 0) + (kinds.get('utility (audio.mojom.AudioService)') ?? 0);
    const total = main + renderer;
    console.log(
      `  main + renderer, ${where}: ${pct(total)} (${total < TARGET_PERCENT ? 'under' : 'OVER'} the ${TARGET_PERCENT} % target); ` +
        `with Chromium's browser process (in Electron, part of main): ${pct(total + browser)}; ` +
        `also with its GPU process and audio service: ${pct(total + browser + gpuAndAudio)}`,
    );
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { seconds: { type: 'string' } } });
  await runRecordingCpuBench({ seconds: values.seconds === undefined ? undefined : Number(values.seconds) });
}
