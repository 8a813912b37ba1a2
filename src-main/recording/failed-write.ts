// A recording of the app that a failed write stopped (the disk filled up) is kept and listed at once, when the library
// still takes writes: its journal is cut at its last whole frame in place (no new space needed) and its row finished
// with the error, so it waits in the record screen's list to be transcribed once there is room. When the library is on
// the full disk too, the row stays as the session left it, and is finished as soon as it is asked to be transcribed
// (or by the next start's recovery, as the CLI's recordings are).
import type { RecordingRepository, StoredRecording } from '../store/recordings-repo.js';
import type { ErrorInfo } from '../../src-shared/types.js';
import type { StoppedRecording } from './recording-session.js';
import { journalMs, repairJournal } from './wav-journal.js';

/** Finishes the row of a recording stopped by a failed write (see the module comment); returns it as kept. */
export function finishAfterFailedWrite(
  recordings: RecordingRepository,
  stopped: StoppedRecording,
): StoppedRecording {
  const stored = recordings.get(stopped.id);
  if (!stopped.error || stored?.status !== 'recording') return stopped;
  try {
    return { ...stopped, durationMs: finishInPlace(recordings, stored, stopped.error) };
  } catch {
    return stopped;
  }
}

/**
 * Cuts the journal of a recording whose row still says it records at its last whole frame, in place, and finishes the
 * row with `error`; returns the length kept, in ms. Throws what the library throws when it cannot be written.
 */
export function finishInPlace(
  recordings: RecordingRepository,
  stored: StoredRecording,
  error: ErrorInfo | null,
): number {
  const format = { sampleRate: stored.sampleRate, channels: stored.channels };
  const durationMs = journalMs(format, repairJournal(stored.path, format) ?? 0);
  recordings.finish(stored.id, { durationMs, error });
  return durationMs;
}
