// Words for what an engine check learnt about a FunASR server: its kind and whether it gives token times.
import type { ServerTraits } from '../../src-shared/types.js';

const KIND_TEXT: Record<ServerTraits['kind'], string> = {
  offline: 'Offline file server',
  '2pass': '2pass streaming server',
};

/** One line for the engine panel, e.g. "2pass streaming server · token times". */
export function serverTraitsText(server: ServerTraits): string {
  const times =
    server.timestamps === null
      ? 'token times unknown (no words in the test sound)'
      : server.timestamps
        ? 'token times'
        : 'no token times';
  return `${KIND_TEXT[server.kind]} · ${times}`;
}
