// The one bridge from a schema to FunScribe's errors: the first rule a value breaks becomes a FunscribeError with that
// rule's message. A schema step may also throw a FunscribeError of its own (hotwords, speaker models): it passes on.
import * as v from 'valibot';
import type { ErrorParams } from '../../src-shared/error-codes.js';
import { isServerUrl } from '../../src-shared/schemas/settings.js';
import { FunscribeError, type ErrorCode } from './errors.js';

/** The params of a broken rule whose message has its own words in the catalogs, by the rule's check. */
const RULE_PARAMS = new Map<unknown, (input: unknown) => ErrorParams>([
  [isServerUrl, (input) => ({ reason: 'serverUrl', url: String(input) })],
]);

/** The params of the rule an issue comes from, when its message has its own words in the catalogs. */
function ruleParams(issue: v.BaseIssue<unknown>): ErrorParams | undefined {
  return RULE_PARAMS.get(issue.requirement)?.(issue.input);
}

/** Checks `value` against `schema` and returns its output; throws `code` (INVALID_ARGUMENT) naming the broken rule. */
export function parseOrThrow<T>(
  schema: v.GenericSchema<unknown, T>,
  value: unknown,
  code: ErrorCode = 'INVALID_ARGUMENT',
): T {
  const result = v.safeParse(schema, value, { abortEarly: true });
  if (result.success) return result.output;
  const [issue] = result.issues;
  throw new FunscribeError(code, issue.message, { params: ruleParams(issue) });
}
