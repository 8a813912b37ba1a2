// The one error class of FunScribe: a stable code plus a message written for users.
import type { ErrorInfo } from '../../src-shared/types.js';
import { sqliteFailure } from './sqlite-failures.js';

/** Stable error codes; the UI and the CLI act on these, the message is for people. */
export type ErrorCode =
  | 'FFMPEG_NOT_FOUND'
  | 'FILE_NOT_FOUND'
  | 'NOT_A_FILE'
  | 'EMPTY_FILE'
  | 'UNREADABLE_MEDIA'
  | 'NO_AUDIO_STREAM'
  | 'DECODE_FAILED'
  | 'AUDIO_COPY_FAILED'
  | 'AUDIO_MISSING'
  | 'HOTWORDS_INVALID'
  | 'ASR_BAD_URL'
  | 'ASR_CONNECT_FAILED'
  | 'ASR_TLS_FAILED'
  | 'ASR_CONNECTION_LOST'
  | 'ASR_TIMEOUT'
  | 'ASR_BAD_REPLY'
  | 'ASR_SERVER_ERROR'
  | 'NO_SPEECH'
  | 'CANCELLED'
  | 'INTERRUPTED'
  | 'NOT_FOUND'
  | 'INVALID_ARGUMENT'
  | 'FORBIDDEN'
  | 'DATABASE_ERROR'
  | 'DOCKER_NOT_INSTALLED'
  | 'DOCKER_NOT_RUNNING'
  | 'DOCKER_PERMISSION_DENIED'
  | 'DOCKER_API_TOO_OLD'
  | 'DOCKER_ERROR'
  | 'IMAGE_NOT_FOUND'
  | 'REGISTRY_AUTH'
  | 'REGISTRY_UNREACHABLE'
  | 'DISK_FULL'
  | 'LIBRARY_DAMAGED'
  | 'LIBRARY_BUSY'
  | 'EXPORT_FORBIDDEN'
  | 'EXPORT_EXISTS'
  | 'EXPORT_UNWRITABLE'
  | 'PORT_IN_USE'
  | 'GPU_UNAVAILABLE'
  | 'ENGINE_FAILED'
  | 'ENGINE_UNAVAILABLE'
  | 'SPEAKER_MODEL_MISSING'
  | 'SPEAKER_MODEL_FAILED'
  | 'SPEAKER_ANALYSIS_MISSING'
  | 'MODEL_DOWNLOAD_FAILED'
  | 'MODEL_INVALID'
  | 'MODEL_DIR_UNWRITABLE'
  | 'RECORDING_WRITE_FAILED'
  | 'RECORDING_INPUT_FAILED'
  | 'RECORDING_UNSUPPORTED'
  | 'INTERNAL';

/** An error with a stable `code` and a user-facing message. `cause` keeps the technical detail. */
export class FunscribeError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FunscribeError';
    this.code = code;
  }
}

/** Turns anything thrown into data that can cross IPC or be printed as JSON. */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof FunscribeError) return { code: error.code, message: error.message };
  if (error instanceof Error && error.name === 'AbortError')
    return { code: 'CANCELLED', message: 'Cancelled.' };
  const storage = sqliteFailure(error);
  if (storage) return storage;
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message: `Unexpected error: ${message}` };
}

/** Throws a CANCELLED error when the signal has been aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new FunscribeError('CANCELLED', 'Cancelled.');
}
