// The real binaries' model step at start, simulated: for each model they run the download tool
// (runtime_sdk_download_tool.py). Given a ModelScope id they log "Download model: <id> from modelscope" and the tool
// asks the hub and fetches into <download-model-dir>/<id> (at every start); given a local path it does neither. Either
// way the tool then exports the file the server loads when the repository lacks it (with --gpu the ASR model's
// TorchScript, `model_blade.torchscript`), printing "model is not exist, begin to export <file>" with print(), which
// reaches the pipe at once only with PYTHONUNBUFFERED set, else when the tool exits. Then the binary checks the
// expected file ("<path> do not exists." and exit(-1) when missing) and logs "Set <flag> : <path>".
// The sim writes small placeholder files with tqdm-shaped progress lines; see README.md "Model download".
// Inside the stand-in image it also writes where the tool's ModelScope client writes outside the models directory (its
// session id under $HOME, the export's own download into its cache), so a read-only root without a writable HOME
// fails the start as it fails the real one.
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
import { randomBytes } from 'node:crypto';
import { constants as osConstants } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ServerFlags } from './cli-flags.js';
import { makeLogger, type LineSink } from './glog.js';
import {
  expectedFile,
  exportedFile,
  LOCAL_NAMES,
  modelKind,
  repositoryFiles,
  revisionFlag,
  type ModelKind,
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
  /** Time one model export takes, in ms (env FUNASR_SIM_EXPORT_MS, default 3000; the real one takes many minutes). */
  exportMs: number;
  /** Whether the tool's print() lines reach stdout at once (env PYTHONUNBUFFERED non-empty) or when it exits. */
  unbuffered: boolean;
  /**
   * The tool's $HOME, where ModelScope keeps its session id (env FUNASR_SIM_HUB_HOME, set by the image's binaries to
   * $HOME); unset outside the image, so that runs on the host leave the user's home alone.
   */
  hubHome?: string;
  /** ModelScope's default cache (env MODELSCOPE_CACHE, else $HOME/.cache/modelscope/hub), used with hubHome. */
  hubCache?: string;
}

/** Options of `prepareModels`: the settings, where raw lines go, and the glog source tag of the binary. */
export interface PrepareOptions extends DownloadSettings {
  /** stderr lines (glog, Python logging, tqdm). */
  sink: LineSink;
  /** The download tool's stdout lines (its print() calls); default process stdout. */
  printSink?: LineSink;
  source: string;
}

/** The link speed the progress lines pretend (their sizes, times and rate are pretend; the wait is real). */
const PRETEND_BYTES_PER_SECOND = 24 * 1024 * 1024;

/** The exit status of the real binaries after "do not exists." (`exit(-1)`). */
export const MISSING_MODEL_EXIT = 255;

/** A duration in ms from the environment, or the fallback when unset or not a number ≥ 0. */
function envMs(value: string | undefined, fallback: number): number {
  const ms = Number(value ?? '');
  return value && Number.isFinite(ms) && ms >= 0 ? ms : fallback;
}

/** Reads the download settings from the environment. */
export function downloadSettings(env: NodeJS.ProcessEnv = process.env): DownloadSettings {
  return {
    totalMs: envMs(env.FUNASR_SIM_DOWNLOAD_MS, 2000),
    failMatch: env.FUNASR_SIM_DOWNLOAD_FAIL ?? '',
    exportMs: envMs(env.FUNASR_SIM_EXPORT_MS, 3000),
    unbuffered: (env.PYTHONUNBUFFERED ?? '') !== '',
    ...(env.FUNASR_SIM_HUB_HOME
      ? {
          hubHome: env.FUNASR_SIM_HUB_HOME,
          hubCache: env.MODELSCOPE_CACHE || join(env.FUNASR_SIM_HUB_HOME, '.cache', 'modelscope', 'hub'),
        }
      : {}),
  };
}

/** How Python reports a failed file operation, e.g. `OSError: [Errno 30] Read-only file system: '/root/.modelscope'`. */
function pythonOsError(error: unknown): string {
  const { code, path, message } = error as NodeJS.ErrnoException;
  const text = { EROFS: 'Read-only file system', EACCES: 'Permission denied' }[code ?? ''];
  const errno = code ? osConstants.errno[code as keyof typeof osConstants.errno] : undefined;
  return text && errno ? `OSError: [Errno ${errno}] ${text}: '${path}'` : `OSError: ${message}`;
}

/** Python's os.makedirs: each missing directory in turn, so that an error names the first one that cannot be made. */
function makeDirs(path: string): void {
  if (existsSync(path)) return;
  makeDirs(dirname(path));
  mkdirSync(path);
}

/**
 * ModelScope's session id under $HOME/.modelscope/credentials, written when missing by every hub request (the client's
 * user agent carries it: ModelScopeConfig.get_user_session_id). Null when kept, else the error the tool dies with.
 */
function keepHubSession(home: string | undefined): string | null {
  if (home === undefined) return null;
  const dir = join(home, '.modelscope', 'credentials');
  try {
    if (!existsSync(join(dir, 'session'))) {
      makeDirs(dir);
      writeFileSync(join(dir, 'session'), randomBytes(16).toString('hex'));
    }
    return null;
  } catch (error) {
    return pythonOsError(error);
  }
}

/** Puts the placeholders of a repository's files into `dir` where missing; null when done, else the Python error. */
function fillRepository(dir: string, id: string, kind: ModelKind): string | null {
  try {
    makeDirs(dir);
    for (const file of repositoryFiles(kind, id))
      if (!existsSync(join(dir, file.name))) writeFileSync(join(dir, file.name), placeholder(id, file));
    return null;
  } catch (error) {
    return pythonOsError(error);
  }
}

/**
 * The export's own download: AutoModel given a model id fetches the repository into ModelScope's default cache
 * (nothing new when that is where the tool put it). Null when the files are there, else what the tool prints.
 */
function autoModelDownload(step: SetStep, kind: ModelKind, options: PrepareOptions): string | null {
  if (step.local || options.hubCache === undefined) return null;
  const failure =
    keepHubSession(options.hubHome) ?? fillRepository(join(options.hubCache, step.value), step.value, kind);
  return failure === null ? null : `Download: ${step.value} failed!: ${failure}`;
}

/** The ASR ids whose revision the binaries replace with v2.0.5 whatever the flag says ("modify model-revision by model name"). */
const PINNED_ASR = [
  'speech_paraformer-large-vad-punc_asr_nat-zh-cn-16k-common-vocab8404',
  'speech_paraformer-large-contextual_asr_nat-zh-cn-16k-common-vocab8404',
];

/** The revision the binary hands the download tool for a model. */
function toolRevision(step: SetStep, flags: ServerFlags): string {
  const english =
    flags.protocol === 'offline' && step.value.includes('speech_paraformer-large_asr_nat-en-16k');
  if (step.flag === 'model-dir' && (english || PINNED_ASR.some((name) => step.value.includes(name))))
    return 'v2.0.5';
  return flags.values.get(revisionFlag(step.flag, flags.protocol)) ?? '';
}

/** The process's stdout, where the download tool's print() lines go (glog and Python logging go to stderr). */
const stdoutSink: LineSink = (line) => {
  process.stdout.write(`${line}\n`);
};

/** The download tool's stdout: Python block-buffers print() on a pipe unless PYTHONUNBUFFERED is set. */
class ToolStdout {
  private held: string[] = [];

  constructor(
    private readonly sink: LineSink,
    private readonly unbuffered: boolean,
  ) {}

  /** One print() call. */
  print(line: string): void {
    if (this.unbuffered) this.sink(line);
    else this.held.push(line);
  }

  /** The tool exits: Python flushes what it held. */
  exit(): void {
    for (const line of this.held) this.sink(line);
    this.held = [];
  }
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
  const files = repositoryFiles(modelKind(step.flag), step.value);
  const missing = files.filter((file) => !existsSync(join(step.path, file.name)));
  return { step, missing, fails: failMatch !== '' && step.value.includes(failMatch) };
}

/**
 * The tool's export when the model directory lacks the file the server loads: AutoModel loads the checkpoint (its
 * logging goes to stderr) and converts it, which takes `exportMs`; the placeholder is written at the end. Without a
 * checkpoint the tool fails (false).
 */
async function exportIfMissing(
  step: SetStep,
  kind: ModelKind,
  flags: ServerFlags,
  options: PrepareOptions,
  stdout: ToolStdout,
): Promise<boolean> {
  const name = exportedFile(kind, flags);
  const target = name === null ? '' : join(step.path, name);
  if (name === null || existsSync(target)) return true;
  stdout.print(`model is not exist, begin to export ${target}`);
  const download = autoModelDownload(step, kind, options);
  if (download !== null) {
    stdout.print(download);
    options.sink(`AssertionError: funasr-sim: AutoModel has no configuration for ${step.value}`);
    return false;
  }
  const checkpoint = join(step.path, 'model.pt');
  if (!existsSync(checkpoint)) {
    options.sink(`AssertionError: funasr-sim: no checkpoint ${checkpoint} to export from`);
    return false;
  }
  // AutoModel builds the model before it logs loading the checkpoint; the conversion takes the rest of the time.
  await sleep(options.exportMs / 5);
  options.sink(`INFO:root:Loading pretrained params from ${checkpoint}`);
  await sleep(options.exportMs - options.exportMs / 5);
  writeFileSync(
    target,
    `funasr-sim placeholder for ${target}: exported by the stand-in, not a real model.\n`,
  );
  stdout.print(`export_dir: ${step.path}`);
  return true;
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
    const stdout = new ToolStdout(options.printSink ?? stdoutSink, options.unbuffered);
    let fetchFailed = false;
    if (fetch) {
      const offlineCore = flags.protocol === 'offline' && ['vad', 'asr', 'punc'].includes(kind);
      info(`Download model: ${step.value} from modelscope${offlineCore ? ': ' : ' : '}`);
      const session = keepHubSession(options.hubHome);
      fetchFailed = session !== null || fetch.fails;
      if (session !== null) {
        options.sink('Traceback (most recent call last):');
        options.sink(session);
      } else {
        const revision = toolRevision(step, flags);
        options.sink(`${asctime()} - modelscope - INFO - Use user-specified model revision: ${revision}`);
        if (fetch.fails) {
          options.sink(
            `${asctime()} - modelscope - ERROR - funasr-sim: download of ${step.value} failed on purpose`,
          );
        } else {
          mkdirSync(step.path, { recursive: true });
          for (const file of fetch.missing)
            await fetchFile(step.path, step.value, file, file.bytes * msPerByte, options.sink);
        }
      }
    }
    const toolOk =
      !fetchFailed && (!existsSync(step.path) || (await exportIfMissing(step, kind, flags, options, stdout)));
    stdout.exit();
    if (!toolOk) {
      info(
        `Failed to download model from modelscope. If you set local ${LOCAL_NAMES[kind]} model path, you can ignore the errors.`,
      );
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
