// Readiness from the server's own log (a TCP connect succeeds long before the server serves): follow the log of the
// current run until the ready line, reporting model downloads, exports and loading on the way; a fatal line or the
// container stopping ends it with ENGINE_FAILED and the last log lines. Also the state of a container found running.
import { basename, dirname } from 'node:path';
import { FunscribeError } from '../util/errors.js';
import { MODELS_DIR } from './container-spec.js';
import type { DockerEngine, ManagedContainer } from './docker-engine.js';
import type { EngineProgress, EngineState } from '../../src-shared/engine-types.js';
import { formatBytes } from './pull-progress.js';
import { LogTail, parseLogLine, type EngineLogEvent } from './log-parser.js';

/** What waiting for readiness reports and needs. */
export interface ReadinessOptions {
  /** Where the log of the run to watch begins (Unix seconds, see nextRunSince); earlier runs' lines are ignored. */
  since: number;
  signal?: AbortSignal;
  onProgress?: (progress: EngineProgress) => void;
  onState?: (state: EngineState) => void;
  /** How many log lines an error report carries. */
  tailLines?: number;
}

/** How often a model export, which logs nothing for many minutes, is reported again with the time it has taken. */
const EXPORT_TICK_MS = 10_000;

/** How far before Docker's StartedAt a run's first log lines may be stamped when nothing better is known. */
const START_SLACK_MS = 100;

/**
 * Where the log of a container's next run begins, as `since` for Docker (Unix seconds): just after the last run's end
 * (FinishedAt) or its last logged line, whichever is later (Docker stamps a line when its log copier reads it, which
 * can be after the exit it records), or the whole log when it never ran. Exact when read before the start.
 */
export function nextRunSince(state: { FinishedAt: string }, lastLineMs: number | null = null): number {
  const end = Math.max(Date.parse(state.FinishedAt) || 0, lastLineMs ?? 0);
  return end > 0 ? (end + 1) / 1000 : 0;
}

/**
 * Where the log of a container's current run begins. While it runs after an earlier run: halfway between that run's
 * end and this one's start, as Docker stamps the run before's last lines a few ms after the FinishedAt it records and
 * this run's first lines a few ms before StartedAt, and a restart takes longer than either. Once it has ended, the run
 * before is no longer known and a little before StartedAt is the best guess. Never StartedAt or FinishedAt itself.
 */
export function currentRunSince(state: { StartedAt: string; FinishedAt: string }): number {
  const started = Date.parse(state.StartedAt);
  const finished = Date.parse(state.FinishedAt);
  if (!(finished > 0)) return 0;
  if (finished < started) return (finished + started) / 2 / 1000;
  return Math.max(0, started - START_SLACK_MS) / 1000;
}

/** The state a log event moves the engine into, or null when it does not change it. */
export function stateForEvent(event: EngineLogEvent): EngineState | null {
  switch (event.type) {
    case 'download-start':
    case 'download-progress':
      return 'downloading-models';
    case 'export':
      return 'exporting-models';
    case 'load':
      return 'loading';
    case 'ready':
      return 'ready';
    case 'fatal':
      return 'failed';
    default:
      return null;
  }
}

/**
 * Whether a line is the last progress line of a finished download, read after the export that followed it: Docker
 * copies a container's stdout and stderr apart, so the download tool's closing tqdm line (stderr) can come after the
 * export line it printed next (stdout). Such a line must not take a start that is converting back to downloading.
 */
function lateDownloadLine(event: EngineLogEvent, exporting: boolean): boolean {
  if (!exporting || event.type !== 'download-progress') return false;
  return event.percent === 100 || (event.doneBytes !== null && event.doneBytes === event.totalBytes);
}

/** The state a running container is in, judged from the log lines of its current run. */
export function stateFromLog(lines: readonly string[]): EngineState {
  let state: EngineState = 'starting';
  for (const line of lines) {
    const event = parseLogLine(line);
    if (!event || lateDownloadLine(event, state === 'exporting-models')) continue;
    state = stateForEvent(event) ?? state;
  }
  return state;
}

/** The engine state of a container from Docker's state and the log of its current run; `known` is the manager's. */
export async function containerEngineState(
  engine: DockerEngine,
  container: ManagedContainer,
  known: EngineState,
): Promise<EngineState> {
  if (container.state === 'restarting') return 'starting';
  if (container.state !== 'running') return known === 'failed' ? 'failed' : 'stopped';
  const info = await engine.inspect(container.id);
  const since = info ? currentRunSince(info.State) : 0;
  return stateFromLog(await engine.logs(container.id, { since }));
}

/**
 * The progress of a model export (the download tool converting a model the image cannot load as downloaded, e.g. to
 * TorchScript for the GPU) of `file` that has run for `elapsedMs`: it reports nothing else until it is done. The model
 * is the file's directory (under the models volume, its id).
 */
export function exportProgress(file: string, elapsedMs: number): EngineProgress {
  const directory = dirname(file);
  const subject = directory === '.' ? null : directory.replace(`${MODELS_DIR}/`, '');
  const minutes = Math.floor(elapsedMs / 60_000);
  const took = minutes >= 1 ? `, ${minutes} min so far` : '';
  return {
    phase: 'export-model',
    subject,
    doneBytes: null,
    totalBytes: null,
    message: `Converting model ${subject ?? ''} to ${basename(file) || 'the format the server loads'} (first start only; this can take many minutes${took})`,
    step: 'model-export',
    params: { model: subject ?? '', file: basename(file), minutes },
  };
}

/** The progress a log event means, given the model being downloaded; null for events without progress. */
export function progressForEvent(event: EngineLogEvent, model: string | null): EngineProgress | null {
  switch (event.type) {
    case 'download-start':
      return {
        phase: 'download-model',
        subject: event.model,
        doneBytes: null,
        totalBytes: null,
        message: `Downloading model ${event.model}`,
        step: 'model-download',
        params: { model: event.model },
      };
    case 'download-progress': {
      const amount =
        event.doneBytes !== null && event.totalBytes !== null
          ? ` (${formatBytes(event.doneBytes)} of ${formatBytes(event.totalBytes)})`
          : '';
      const percent = event.percent === null ? '' : `: ${Math.round(event.percent)}%`;
      return {
        phase: 'download-model',
        subject: model,
        doneBytes: event.doneBytes,
        totalBytes: event.totalBytes,
        message: `Downloading model ${model ?? ''}${percent}${amount}`,
        step: 'model-download',
        params: { model: model ?? '' },
      };
    }
    case 'export':
      return exportProgress(event.file, 0);
    case 'load':
      return {
        phase: 'load',
        subject: event.path,
        doneBytes: null,
        totalBytes: null,
        message: `Loading ${basename(event.path)}`,
        step: 'load',
        params: { file: basename(event.path) },
      };
    case 'ready':
      return {
        phase: 'ready',
        subject: null,
        doneBytes: null,
        totalBytes: null,
        message: 'The engine is ready.',
        step: 'ready',
        params: {},
      };
    default:
      return null;
  }
}

/** An ENGINE_FAILED error carrying the last log lines. */
export function engineFailed(message: string, lines: readonly string[]): FunscribeError {
  const tail = lines.length ? `\nLast lines of the engine log:\n${lines.join('\n')}` : '';
  return new FunscribeError('ENGINE_FAILED', `${message}${tail}`);
}

/** Follows the container's log until the ready line; rejects ENGINE_FAILED on a fatal line or exit, CANCELLED on abort. */
export async function waitForReady(
  engine: DockerEngine,
  id: string,
  options: ReadinessOptions,
): Promise<void> {
  const tail = new LogTail(options.tailLines ?? 30);
  const stopFollowing = new AbortController();
  const onAbort = (): void => stopFollowing.abort();
  options.signal?.addEventListener('abort', onAbort, { once: true });
  let outcome: 'ready' | FunscribeError | null = null;
  let model: string | null = null;
  const warnings: string[] = [];
  let exporting: { file: string; since: number } | null = null;
  const ticker = setInterval(() => {
    if (exporting) options.onProgress?.(exportProgress(exporting.file, Date.now() - exporting.since));
  }, EXPORT_TICK_MS);
  try {
    await engine.followLogs(id, { since: options.since, signal: stopFollowing.signal }, (line) => {
      if (outcome) return;
      tail.push(line);
      const event = parseLogLine(line);
      if (!event || lateDownloadLine(event, exporting !== null)) return;
      if (event.type === 'download-start') model = event.model;
      if (event.type === 'download-failed' || event.type === 'warning') warnings.push(event.message);
      const state = stateForEvent(event);
      if (event.type === 'export') exporting = { file: event.file, since: Date.now() };
      else if (state || event.type === 'model-set') exporting = null;
      if (state && state !== 'failed') options.onState?.(state);
      const progress = progressForEvent(event, model);
      if (progress) options.onProgress?.(progress);
      if (event.type === 'ready') outcome = 'ready';
      if (event.type === 'fatal')
        outcome = engineFailed(`The engine failed to start: ${event.message}`, tail.get());
      if (outcome) stopFollowing.abort();
    });
  } finally {
    clearInterval(ticker);
    options.signal?.removeEventListener('abort', onAbort);
  }
  if (outcome === 'ready') return;
  if (outcome) throw outcome;
  if (options.signal?.aborted) throw new FunscribeError('CANCELLED', 'Starting the engine was cancelled.');
  const info = await engine.inspect(id);
  const exit = info
    ? ` (exit code ${info.State.ExitCode}${info.State.OOMKilled ? ', out of memory' : ''})`
    : '';
  const hint = warnings.length ? ` ${warnings[warnings.length - 1]}` : '';
  throw engineFailed(`The engine stopped before it was ready${exit}.${hint}`, tail.get());
}
