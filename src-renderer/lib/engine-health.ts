// Words for what an engine check learnt about a FunASR server: its kind and whether it gives token times.
import type { ServerTraits } from '../../src-shared/types.js';
import type { Translate } from './translate.js';

/** One line for the engine panel, e.g. "2pass streaming server · token times". */
export function serverTraitsText(t: Translate, server: ServerTraits): string {
  const times = server.timestamps === null ? 'unknown' : server.timestamps ? 'yes' : 'no';
  return t('engine.traits', {
    values: { kind: t(`engine.kind.${server.kind}`), times: t(`engine.tokenTimes.${times}`) },
  });
}
