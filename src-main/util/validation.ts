// The one bridge from a schema to FunScribe's errors: the first rule a value breaks becomes a FunscribeError with that
// rule's message. A schema step may also throw a FunscribeError of its own (hotwords, speaker models): it passes on.
import * as v from 'valibot';
import { FunscribeError, type ErrorCode } from './errors.js';

/** Checks `value` against `schema` and returns its output; throws `code` (INVALID_ARGUMENT) naming the broken rule. */
export function parseOrThrow<T>(
  schema: v.GenericSchema<unknown, T>,
  value: unknown,
  code: ErrorCode = 'INVALID_ARGUMENT',
): T {
  const result = v.safeParse(schema, value, { abortEarly: true });
  if (result.success) return result.output;
  throw new FunscribeError(code, result.issues[0].message);
}
