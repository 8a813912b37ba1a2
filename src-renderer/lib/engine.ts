// The managed engine's status in words for the engine panel and the first run: one state line, the progress share,
// the button to show, the steps of a start, and download sizes in GB.
import type { EngineProgress, EngineState, EngineStatus } from '../../src-shared/engine-types.js';
import type { Translate } from './translate.js';

/** Docker problems with a short name of their own (the others are "Docker cannot be used"). */
const DOCKER_PROBLEMS = [
  'DOCKER_NOT_INSTALLED',
  'DOCKER_NOT_RUNNING',
  'DOCKER_PERMISSION_DENIED',
  'DOCKER_API_TOO_OLD',
];

/** States in which the engine is running or on its way there (so the panel offers Stop). */
const ACTIVE_STATES: readonly EngineState[] = [
  'pulling',
  'starting',
  'downloading-models',
  'exporting-models',
  'loading',
  'ready',
];

/** The steps of a first start, in order, as the first run lists them. */
export const START_STEPS = ['pulling', 'starting', 'downloading-models', 'loading', 'ready'] as const;

/** One step of a start. */
export type StartStep = (typeof START_STEPS)[number];

/** The step a state belongs to (a model conversion is part of getting the models). */
export function startStepOf(state: EngineState): StartStep | null {
  if (state === 'exporting-models') return 'downloading-models';
  return (START_STEPS as readonly EngineState[]).includes(state) ? (state as StartStep) : null;
}

/** The share of a progress done, 0–100, when its byte counts are known. */
export function progressPercent(progress: EngineProgress | null): number | null {
  if (!progress || progress.doneBytes === null || !progress.totalBytes) return null;
  return Math.min(100, Math.floor((progress.doneBytes / progress.totalBytes) * 100));
}

/** The progress that belongs to a state (a model download's progress says nothing about loading). */
export function progressFor(state: EngineState, progress: EngineProgress | null): EngineProgress | null {
  if (state === 'pulling') return progress?.phase === 'pull' ? progress : null;
  if (state === 'downloading-models') return progress?.phase === 'download-model' ? progress : null;
  if (state === 'exporting-models') return progress?.phase === 'export-model' ? progress : null;
  return null;
}

/** The engine's state in words, e.g. "Docker is not running", "Downloading models: iic/… 45%", "Ready on 127.0.0.1:10095". */
export function engineStateText(t: Translate, status: EngineStatus, progress: EngineProgress | null): string {
  const problem = status.docker.problem;
  if (problem) {
    return t(
      DOCKER_PROBLEMS.includes(problem.code) ? `engine.docker.${problem.code}` : 'engine.state.no-docker',
    );
  }
  const words = t(`engine.state.${status.state}`);
  if (status.state === 'ready' && status.endpoint) {
    return t('engine.readyOn', { values: { address: status.endpoint.replace(/^ws:\/\//, '') } });
  }
  const current = progressFor(status.state, progress);
  // A conversion has no share to show, and its hint names the model.
  if (!current || status.state === 'exporting-models') return words;
  const percent = progressPercent(current);
  const subject = status.state === 'downloading-models' ? current.subject : null;
  const detail = [subject, percent === null ? null : `${percent}%`].filter(Boolean).join(' ');
  return detail ? t('engine.stateDetail', { values: { state: words, detail } }) : words;
}

/**
 * The line under the progress bar in the interface language: for a download with known sizes, how much of how much;
 * otherwise the step worded from its code and params (a model conversion names the file it writes).
 */
export function progressHint(t: Translate, progress: EngineProgress): string {
  const sized = progress.phase === 'pull' || progress.phase === 'download-model';
  if (!sized || progress.doneBytes === null || !progress.totalBytes) {
    return t(`engine.step.${progress.step}`, { values: progress.params });
  }
  const megabytes = (bytes: number): number => Math.round(bytes / 1e6);
  return t('engine.downloaded', {
    values: { done: megabytes(progress.doneBytes), total: megabytes(progress.totalBytes) },
  });
}

/** Whether the engine runs or is starting, so that Stop (not Start) applies. */
export function isEngineActive(state: EngineState): boolean {
  return ACTIVE_STATES.includes(state);
}

/** Bytes as gigabytes (10^9) with one decimal, at least 0.1 for anything above nothing. */
export function gigabytes(bytes: number): number {
  if (bytes <= 0) return 0;
  return Math.max(0.1, Math.round(bytes / 1e8) / 10);
}
