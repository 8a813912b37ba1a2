// The real binaries' model step at start, simulated: for each model id (not a local path) they log
// "Download model: <id> from modelscope", run ModelScope's downloader into <download-model-dir>/<id>, check the
// expected file ("<path> do not exists." and exit(-1) when missing) and log "Set <flag> : <path>".
// The sim writes small placeholder files with tqdm-shaped progress lines; see README.md "Model download".
import {
  accessSync,
  appendFileSync,
  constants,
  existsSync,
  mkdirSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ServerFlags } from './cli-flags.js';
import { makeLogger, type LineSink } from './glog.js';
import {
  expectedFile,
  LOCAL_NAMES,
  MODEL_FILES,
  modelKind,
  revisionFlag,
  type PretendFile,
} from './model-files.js';
import { modelSteps, type ModelStep } from './startup-lines.js';
import { tqdmLine } from './tqdm-line.js';

/** How the simulated download behaves. */
export interface DownloadSettings {
  /** Time for all files that need downloading together, in ms (env FUNASR_SIM_DOWNLOAD_MS, default 2000). */
  totalMs: number;
  /** A model whose id contains this text fails to download (env FUNASR_SIM_DOWNLOAD_FAIL; '' for none). */
  failMatch: string;
}

/** Options of `prepareModels`: the settings, where raw lines go, and the glog source tag of the binary. */
export interface PrepareOptions extends DownloadSettings {
  sink: LineSink;
  source: string;
}

/** The link speed the progress lines pretend (their sizes, times and rate are pretend; the wait is real). */
const PRETEND_BYTES_PER_SECOND = 24 * 1024 * 1024;

/** The exit status of the real binaries after "do not exists." (`exit(-1)`). */
export const MISSING_MODEL_EXIT = 255;

/** Reads the download settings from the environment. */
export function downloadSettings(env: NodeJS.ProcessEnv = process.env): DownloadSettings {
  const ms = Number(env.FUNASR_SIM_DOWNLOAD_MS ?? '');
  return {
    totalMs: env.FUNASR_SIM_DOWNLOAD_MS && Number.isFinite(ms) && ms >= 0 ? ms : 2000,
    failMatch: env.FUNASR_SIM_DOWNLOAD_FAIL ?? '',
  };
}

/** Whether `dir` is an existing, writable directory (otherwise the sim downloads nothing, as before). */
export function canDownloadInto(dir: string): boolean {
  try {
    accessSync(dir, constants.W_OK);
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

type SetStep = Extract<ModelStep, { set: true }>;

interface Fetch {
  step: SetStep;
  missing: PretendFile[];
  fails: boolean;
}

/** Python logging's default time stamp, e.g. `2026-11-23 19:01:50,732`. */
function asctime(): string {
  const now = new Date();
  const two = (n: number): string => String(n).padStart(2, '0');
  const date = `${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}`;
  const time = `${two(now.getHours())}:${two(now.getMinutes())}:${two(now.getSeconds())}`;
  return `${date} ${time},${String(now.getMilliseconds()).padStart(3, '0')}`;
}

/** The placeholder written instead of a model file: about 2 KB of text saying what it stands for. */
function placeholder(id: string, file: PretendFile): string {
  const head = `funasr-sim placeholder for ${id}/${file.name}: not a real model (the real file is about ${file.bytes} bytes).\n`;
  return head + 'placeholder\n'.repeat(Math.ceil((2048 - head.length) / 12));
}

/** Writes one placeholder file in steps over `ms`, printing a progress line per step; renamed into place at the end. */
async function fetchFile(
  dir: string,
  id: string,
  file: PretendFile,
  ms: number,
  sink: LineSink,
): Promise<void> {
  const target = join(dir, file.name);
  const partial = `${target}.downloading`;
  const body = placeholder(id, file);
  const ticks = Math.max(1, Math.min(10, Math.ceil(ms / 200)));
  writeFileSync(partial, '');
  sink(tqdmLine({ file: file.name, doneBytes: 0, totalBytes: file.bytes, elapsedSeconds: 0 }));
  for (let i = 1; i <= ticks; i++) {
    await sleep(ms / ticks);
    appendFileSync(
      partial,
      body.slice(Math.floor(((i - 1) * body.length) / ticks), Math.floor((i * body.length) / ticks)),
    );
    const doneBytes = Math.round((file.bytes * i) / ticks);
    sink(
      tqdmLine({
        file: file.name,
        doneBytes,
        totalBytes: file.bytes,
        elapsedSeconds: doneBytes / PRETEND_BYTES_PER_SECOND,
      }),
    );
  }
  renameSync(partial, target);
}

/** What the downloader would do for one model id: which files it still lacks, and whether it is told to fail. */
function planFetch(step: SetStep, failMatch: string): Fetch {
  const missing = MODEL_FILES[modelKind(step.flag)].filter((file) => !existsSync(join(step.path, file.name)));
  return { step, missing, fails: failMatch !== '' && step.value.includes(failMatch) };
}

/**
 * Logs the model step of the binary's start. With a writable download dir, ids are "downloaded" (placeholders,
 * progress lines) and the expected file is checked; false means "<path> do not exists." was logged and the binary
 * would exit with MISSING_MODEL_EXIT. Without one (local runs), ids just resolve under it, as before.
 */
export async function prepareModels(flags: ServerFlags, options: PrepareOptions): Promise<boolean> {
  const log = makeLogger(options.sink);
  const info = (text: string): void => log('I', options.source, text);
  const steps = modelSteps(flags);
  if (!canDownloadInto(flags.values.get('download-model-dir') ?? '')) {
    for (const step of steps) info(step.set ? `Set ${step.flag} : ${step.path}` : step.notSet);
    return true;
  }
  const fetches = new Map<SetStep, Fetch>();
  for (const step of steps)
    if (step.set && !step.local) fetches.set(step, planFetch(step, options.failMatch));
  const pending = [...fetches.values()].filter((f) => !f.fails).flatMap((f) => f.missing);
  const totalBytes = pending.reduce((sum, file) => sum + file.bytes, 0);
  const msPerByte = totalBytes > 0 ? options.totalMs / totalBytes : 0;

  for (const step of steps) {
    if (!step.set) {
      info(step.notSet);
      continue;
    }
    const kind = modelKind(step.flag);
    const fetch = fetches.get(step);
    if (fetch) {
      const offlineCore = flags.protocol === 'offline' && ['vad', 'asr', 'punc'].includes(kind);
      info(`Download model: ${step.value} from modelscope${offlineCore ? ': ' : ' : '}`);
      const revision = flags.values.get(revisionFlag(step.flag, flags.protocol)) ?? '';
      options.sink(`${asctime()} - modelscope - INFO - Use user-specified model revision: ${revision}`);
      if (fetch.fails) {
        options.sink(
          `${asctime()} - modelscope - ERROR - funasr-sim: download of ${step.value} failed on purpose`,
        );
        info(
          `Failed to download model from modelscope. If you set local ${LOCAL_NAMES[kind]} model path, you can ignore the errors.`,
        );
      } else {
        mkdirSync(step.path, { recursive: true });
        for (const file of fetch.missing)
          await fetchFile(step.path, step.value, file, file.bytes * msPerByte, options.sink);
      }
    }
    const required = join(step.path, expectedFile(kind, flags));
    if (!existsSync(required)) {
      log('E', options.source, `${required} do not exists.`);
      return false;
    }
    info(`Set ${step.flag} : ${step.path}`);
  }
  return true;
}
