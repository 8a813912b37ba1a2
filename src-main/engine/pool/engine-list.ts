// The check of the engine list the pool is given: names, addresses and per-engine limits.
import { validateServerUrl } from '../../settings/app-settings.js';
import { FunscribeError } from '../../util/errors.js';
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
    if (typeof engine.url === 'string') validateServerUrl(engine.url);
    if (!Number.isInteger(engine.concurrency) || engine.concurrency < 1 || engine.concurrency > 16) {
      throw new FunscribeError(
        'INVALID_ARGUMENT',
        `The number of files engine ${engine.id} works on at once must be from 1 to 16.`,
      );
    }
  }
  return [...engines];
}
