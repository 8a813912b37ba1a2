// Building blocks of the schemas: each rule carries the sentence a user reads when a value breaks it, so the first
// broken rule becomes the error message as it stands. Pure valibot: the renderer may use these too.
import * as v from 'valibot';
import { CONCURRENCY } from './limits.js';

/** A schema that takes any input and gives a T. */
export type Schema<T> = v.GenericSchema<unknown, T>;

/** A rule's message: fixed, or worded from the issue (its `input` is the value that broke the rule). */
export type Message = string | ((issue: v.BaseIssue<unknown>) => string);

/** A number checked by each of these rules, all worded with one message. */
export function numberWithin(min: number, max: number, message: Message) {
  return v.pipe(v.number(message), v.integer(message), v.minValue(min, message), v.maxValue(max, message));
}

/** What a broken whole-number rule says about `subject`. */
export function wholeNumberMessage(subject: string, min: number, max: number): string {
  return `${subject} must be a whole number from ${min} to ${max}.`;
}

/** A whole number from `min` to `max`. */
export function wholeNumber(subject: string, min: number, max: number) {
  return numberWithin(min, max, wholeNumberMessage(subject, min, max));
}

/** An id of a stored row: a whole number from 1 up. */
export function rowId(subject: string) {
  return wholeNumber(subject, 1, Number.MAX_SAFE_INTEGER);
}

/** How many files are worked on at once: a whole number from 1 to 16 (`subject` names whose number it is). */
export function concurrency(subject: string) {
  return wholeNumber(subject, CONCURRENCY.min, CONCURRENCY.max);
}

/** True for a number of files at once that the concurrency rule accepts. */
export const isConcurrency = (value: unknown): value is number => v.is(concurrency(''), value);

/** A text of 1..maxLength characters (code points) that is not only whitespace and has no NUL (or '' if allowed). */
export function text(subject: string, maxLength: number, options: { allowEmpty?: boolean } = {}) {
  const message = `${subject} must be a non-empty text of at most ${maxLength} characters.`;
  return v.pipe(
    v.string(message),
    v.check((value) => (options.allowEmpty === true && value === '') || value.trim() !== '', message),
    v.check((value) => [...value].length <= maxLength, message),
    v.check((value) => !value.includes('\0'), `${subject} must not contain NUL characters.`),
  );
}

/** One of a fixed list of words. */
export function oneOf<const T extends readonly [string, ...string[]]>(subject: string, options: T) {
  return v.picklist(options, `${subject} must be one of ${options.join(', ')}.`);
}

/** True or false. */
export function flag(subject: string) {
  return v.boolean(`${subject} must be true or false.`);
}

/** How an object with fixed fields is worded when it is not an object or has fields it should not. */
export interface FieldsWording {
  notObject: string;
  /** For the unknown field names, in input order. */
  unknown: (keys: readonly string[]) => string;
}

/** True for `{...}` written as a literal (or parsed from JSON), not an array, class instance or null. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** A plain object (`{...}`), not an array, class instance or null. */
export function plainObject(message: string) {
  return v.custom<Record<string, unknown>>(isPlainObject, message);
}

/** The entry types that let a field be left out. */
const OPTIONAL_TYPES = new Set(['optional', 'exact_optional', 'nullish']);

/**
 * A plain object with exactly these fields (optional ones may be left out). A missing required field is checked as
 * `undefined`, so its own rule says what is wrong.
 */
export function fields<const E extends v.ObjectEntries>(entries: E, wording: FieldsWording) {
  const known = Object.keys(entries);
  const required = known.filter((key) => !OPTIONAL_TYPES.has(entries[key]?.type ?? ''));
  const unknownKeys = (value: Record<string, unknown>) =>
    Object.keys(value).filter((key) => !known.includes(key));
  return v.pipe(
    plainObject(wording.notObject),
    v.check(
      (value) => unknownKeys(value).length === 0,
      (issue) => wording.unknown(unknownKeys(issue.input as Record<string, unknown>)),
    ),
    v.transform((value) => ({ ...Object.fromEntries(required.map((key) => [key, undefined])), ...value })),
    v.strictObject(entries, wording.notObject),
  );
}

/** The same fields, each of which may be left out but not given as `undefined` (a change of some fields). */
export function patchOf<const E extends Record<string, v.GenericSchema>>(
  entries: E,
): { [K in keyof E]: v.ExactOptionalSchema<E[K], undefined> } {
  return Object.fromEntries(
    Object.entries(entries).map(([key, schema]) => [key, v.exactOptional(schema)]),
  ) as {
    [K in keyof E]: v.ExactOptionalSchema<E[K], undefined>;
  };
}

/**
 * A list of at most `max` items, each checked by the schema for its position (1-based), so that a message can name
 * the item ("file 3", "Remote server 2").
 */
export function listOf<T>(max: number, message: string, itemAt: (position: number) => Schema<T>) {
  return v.pipe(
    v.array(v.unknown(), message),
    v.maxLength(max, message),
    v.rawTransform(({ dataset, addIssue, NEVER }) => {
      const items: T[] = [];
      for (const [index, item] of dataset.value.entries()) {
        const result = v.safeParse(itemAt(index + 1), item, { abortEarly: true });
        if (!result.success) {
          addIssue({ message: result.issues[0].message });
          return NEVER;
        }
        items.push(result.output);
      }
      return items;
    }),
  );
}
