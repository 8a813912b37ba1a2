// The one error class of FunScribe: a stable code plus a message written for users.
import {
  errorParamsOf,
  isErrorCode,
  type ErrorCode,
  type ErrorParams,
  type ErrorParamsFor,
} from '../../src-shared/error-codes.js';
import type { ErrorInfo } from '../../src-shared/types.js';
import { sqliteFailure } from './sqlite-failures.js';

/** Stable error codes (the table of codes and their message variants is src-shared/error-codes.ts). */
export type { ErrorCode };

/** The parameters a code's throw gives: its variants' (any valid ones when the code is only known at run time). */
type ParamsOf<C extends ErrorCode> = ErrorCode extends C ? ErrorParams : ErrorParamsFor<C>;

/** An error with a stable `code` and a user-facing message. `cause` keeps the technical detail. */
export class FunscribeError<C extends ErrorCode = ErrorCode> extends Error {
  readonly code: ErrorCode;
  /** The values the message names, for the renderer to word the error in the interface language. */
  readonly params: ErrorParams | undefined;

  constructor(code: C, message: string, options?: { cause?: unknown; params?: ParamsOf<C> }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'FunscribeError';
    this.code = code;
    this.params = errorParamsOf(options?.params);
  }
}

/** Turns anything thrown into data that can cross IPC or be printed as JSON. */
export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof FunscribeError) {
    return error.params
      ? { code: error.code, message: error.message, params: error.params }
      : { code: error.code, message: error.message };
  }
  if (error instanceof Error && error.name === 'AbortError')
    return { code: 'CANCELLED', message: 'Cancelled.' };
  const storage = sqliteFailure(error);
  if (storage) return storage;
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message: `Unexpected error: ${message}` };
}

/** An error again from its data (a Docker problem found earlier, say), keeping its code and parameters. */
export function errorFromInfo(info: ErrorInfo, cause?: unknown): FunscribeError {
  const code: ErrorCode = isErrorCode(info.code) ? info.code : 'INTERNAL';
  return new FunscribeError(code, info.message, { cause, params: errorParamsOf(info.params) });
}

/** Throws a CANCELLED error when the signal has been aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new FunscribeError('CANCELLED', 'Cancelled.');
}
