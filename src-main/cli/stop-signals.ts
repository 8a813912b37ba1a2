// Ctrl-C, `kill` and a closed terminal while a command works: stop cleanly once, and at once on a second signal.
import { constants } from 'node:os';

/** The signals that ask a command to stop. */
export const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** How long a clean stop may take before the process exits anyway (its jobs are then cleaned up by the next run). */
export const STOP_DEADLINE_MS = 15_000;

/** The exit status of a process stopped by `signal`: 128 + its number (130 for SIGINT, 143 for SIGTERM). */
export function signalExitCode(signal: NodeJS.Signals): number {
  return 128 + constants.signals[signal];
}

/** Listens for the stop signals while a command runs. */
export interface StopListener {
  /** The first stop signal received, or null. */
  readonly received: NodeJS.Signals | null;
  /** Stops listening (the default handling comes back). */
  dispose(): void;
}

/**
 * Calls `onStop` at the first stop signal; a second one, or a stop that takes longer than STOP_DEADLINE_MS, exits at
 * once with the signal's status.
 */
export function listenForStop(onStop: (signal: NodeJS.Signals) => void): StopListener {
  let received: NodeJS.Signals | null = null;
  const handle = (signal: NodeJS.Signals): void => {
    if (received !== null) process.exit(signalExitCode(received));
    received = signal;
    setTimeout(() => process.exit(signalExitCode(signal)), STOP_DEADLINE_MS).unref();
    onStop(signal);
  };
  for (const signal of STOP_SIGNALS) process.on(signal, handle);
  return {
    get received() {
      return received;
    },
    dispose() {
      for (const signal of STOP_SIGNALS) process.off(signal, handle);
    },
  };
}
