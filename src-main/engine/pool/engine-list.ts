// The check of the engine list the pool is given: names, addresses and per-engine limits.
import { concurrency } from '../../../src-shared/schemas/rules.js';
import { ServerUrlSchema } from '../../../src-shared/schemas/settings.js';
import { FunscribeError } from '../../util/errors.js';
import { parseOrThrow } from '../../util/validation.js';
import type { PoolEngine } from './pool-types.js';

/** Checks an engine list: unique non-empty ids, valid fixed addresses, concurrency 1–16. */
export function validateEngines(engines: readonly PoolEngine[]): PoolEngine[] {
  const ids = new Set<string>();
  for (const engine of engines) {
    if (typeof engine.id !== 'string' || engine.id === '' || ids.has(engine.id)) {
      throw new FunscribeError(
        'INVALID_ARGUMENT',
        `Every engine needs its own name (got ${JSON.stringify(engine.id)}).`,
      );
    }
    ids.add(engine.id);
    if (typeof engine.url === 'string') parseOrThrow(ServerUrlSchema, engine.url);
    parseOrThrow(concurrency(`The number of files engine ${engine.id} works on at once`), engine.concurrency);
  }
  return [...engines];
}
