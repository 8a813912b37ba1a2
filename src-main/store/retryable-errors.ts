// Which failures a retry can fix. A file that cannot be read as audio, holds no speech, or was given settings a server
// refuses fails the same way again; a lost connection, a busy engine or a full disk may not.
import type { ErrorCode } from '../util/errors.js';

/** Every error code a job can end with, and whether trying the same file again may succeed. */
export const RETRYABLE_ERRORS: Readonly<Record<ErrorCode, boolean>> = {
  // The file itself: the same bytes give the same answer.
  NOT_A_FILE: false,
  EMPTY_FILE: false,
  UNREADABLE_MEDIA: false,
  NO_AUDIO_STREAM: false,
  DECODE_FAILED: false,
  NO_SPEECH: false,
  // What the job asks for: the retry keeps the job's settings.
  HOTWORDS_INVALID: false,
  ASR_BAD_URL: false,
  INVALID_ARGUMENT: false,
  FORBIDDEN: false,
  // The file may come back (a drive plugged in again), engines recover, space is freed, models are installed.
  FILE_NOT_FOUND: true,
  FFMPEG_NOT_FOUND: true,
  AUDIO_COPY_FAILED: true,
  AUDIO_MISSING: true,
  ASR_CONNECT_FAILED: true,
  ASR_TLS_FAILED: true,
  ASR_CONNECTION_LOST: true,
  ASR_TIMEOUT: true,
  ASR_BAD_REPLY: true,
  ASR_SERVER_ERROR: true,
  CANCELLED: true,
  INTERRUPTED: true,
  NOT_FOUND: true,
  DATABASE_ERROR: true,
  DOCKER_NOT_INSTALLED: true,
  DOCKER_NOT_RUNNING: true,
  DOCKER_PERMISSION_DENIED: true,
  DOCKER_API_TOO_OLD: true,
  DOCKER_ERROR: true,
  IMAGE_NOT_FOUND: true,
  REGISTRY_AUTH: true,
  REGISTRY_UNREACHABLE: true,
  DISK_FULL: true,
  LIBRARY_DAMAGED: true,
  LIBRARY_BUSY: true,
  EXPORT_FORBIDDEN: true,
  EXPORT_EXISTS: true,
  EXPORT_UNWRITABLE: true,
  PORT_IN_USE: true,
  GPU_UNAVAILABLE: true,
  ENGINE_FAILED: true,
  ENGINE_UNAVAILABLE: true,
  SPEAKER_MODEL_MISSING: true,
  SPEAKER_MODEL_FAILED: true,
  SPEAKER_ANALYSIS_MISSING: true,
  MODEL_DOWNLOAD_FAILED: true,
  MODEL_INVALID: true,
  MODEL_DIR_UNWRITABLE: true,
  RECORDING_WRITE_FAILED: true,
  RECORDING_INPUT_FAILED: true,
  RECORDING_UNSUPPORTED: false,
  // A permission the user can give in the system settings.
  MICROPHONE_DENIED: true,
  SYSTEM_AUDIO_DENIED: true,
  INTERNAL: true,
};

/** Whether a job that failed with `code` (or was cancelled: null) may succeed when tried again; unknown codes may. */
export function isRetryableError(code: string | null): boolean {
  if (code === null) return true;
  return Object.hasOwn(RETRYABLE_ERRORS, code) ? RETRYABLE_ERRORS[code as ErrorCode] : true;
}
