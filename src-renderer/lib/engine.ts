// The managed engine's status in words for the engine panel: one state line, the progress share, the button to show.
import type { EngineProgress, EngineState, EngineStatus } from '../../src-shared/engine-types.js';

const DOCKER_PROBLEMS: Record<string, string> = {
  DOCKER_NOT_INSTALLED: 'Docker is not installed',
  DOCKER_NOT_RUNNING: 'Docker is not running',
  DOCKER_PERMISSION_DENIED: 'No permission to use Docker',
  DOCKER_API_TOO_OLD: 'Docker is too old',
};

const STATE_WORDS: Record<EngineState, string> = {
  'no-docker': 'Docker cannot be used',
  absent: 'Not installed',
  pulling: 'Downloading the engine',
  starting: 'Starting…',
  'downloading-models': 'Downloading models',
  'exporting-models': 'Converting models',
  loading: 'Loading models…',
  ready: 'Ready',
  stopping: 'Stopping…',
  stopped: 'Stopped',
  failed: 'Failed',
};

/** States in which the engine is running or on its way there (so the panel offers Stop). */
const ACTIVE_STATES: readonly EngineState[] = [
  'pulling',
  'starting',
  'downloading-models',
  'exporting-models',
  'loading',
  'ready',
];

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
export function engineStateText(status: EngineStatus, progress: EngineProgress | null): string {
  const problem = status.docker.problem;
  if (problem) return DOCKER_PROBLEMS[problem.code] ?? STATE_WORDS['no-docker'];
  const words = STATE_WORDS[status.state];
  if (status.state === 'ready' && status.endpoint)
    return `${words} on ${status.endpoint.replace(/^ws:\/\//, '')}`;
  const current = progressFor(status.state, progress);
  if (!current) return words;
  const percent = progressPercent(current);
  // A conversion has no share to show, and its hint names the model.
  if (status.state === 'exporting-models') return words;
  const subject = status.state === 'downloading-models' ? current.subject : null;
  const detail = [subject, percent === null ? null : `${percent}%`].filter(Boolean).join(' ');
  return detail ? `${words}: ${detail}` : words;
}

/** Whether the engine runs or is starting, so that Stop (not Start) applies. */
export function isEngineActive(state: EngineState): boolean {
  return ACTIVE_STATES.includes(state);
}
