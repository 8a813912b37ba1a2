// Checks for values that reach the database from outside (IPC, CLI), so mistakes become clear errors, not SQLite ones.
import { FunscribeError } from '../util/errors.js';

/** True for a value that can be a row id: a positive safe integer. */
export function isRowId(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value > 0;
}

/** Returns `value` when it is a string, else throws INVALID_ARGUMENT naming `what`. */
export function requireString(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new FunscribeError('INVALID_ARGUMENT', `${what} must be text.`);
  return value;
}

/** Returns `value` when it is a string, null when it is null or undefined, else throws INVALID_ARGUMENT. */
export function optionalString(value: unknown, what: string): string | null {
  return value === null || value === undefined ? null : requireString(value, what);
}

/** Returns `value` rounded to an integer when it is a finite number ≥ 0, else throws INVALID_ARGUMENT naming `what`. */
export function requireMs(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new FunscribeError('INVALID_ARGUMENT', `${what} must be a number of milliseconds (0 or more).`);
  }
  return Math.round(value);
}

/** Returns an array, else throws INVALID_ARGUMENT naming `what`. */
export function requireArray(value: unknown, what: string): unknown[] {
  if (!Array.isArray(value)) throw new FunscribeError('INVALID_ARGUMENT', `${what} must be a list.`);
  return value;
}

/** Parses stored JSON, returning `fallback` when the stored text is not valid JSON. */
export function parseJson<T>(text: string | null | undefined, fallback: T): T {
  if (text === null || text === undefined) return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** JSON text for a value, or INVALID_ARGUMENT when it cannot be stored as JSON (functions, BigInt, cycles). */
export function toJson(value: unknown, what: string): string {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (error) {
    throw new FunscribeError('INVALID_ARGUMENT', `${what} cannot be saved.`, { cause: error });
  }
  if (text === undefined) throw new FunscribeError('INVALID_ARGUMENT', `${what} cannot be saved.`);
  return text;
}
