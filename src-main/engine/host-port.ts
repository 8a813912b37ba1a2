// The host port an engine is published on (the preferred one unless something on 127.0.0.1 holds it) and its address.
import { createServer } from 'node:net';
import { FunscribeError } from '../util/errors.js';

/** How many ports after the preferred one are tried. */
const ATTEMPTS = 50;

/** Whether nothing listens on `port` at 127.0.0.1 (found by listening on it for a moment). */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** The preferred port when free, else the next free one above it; PORT_IN_USE when none of 50 is. */
export async function choosePort(preferred: number, host = '127.0.0.1'): Promise<number> {
  for (let port = preferred; port < preferred + ATTEMPTS && port <= 65535; port++) {
    if (await isPortFree(port, host)) return port;
  }
  throw new FunscribeError(
    'PORT_IN_USE',
    `Ports ${preferred}–${preferred + ATTEMPTS - 1} on 127.0.0.1 are all taken; choose a free port for the engine in the settings.`,
    { params: { reason: 'range', from: preferred, to: preferred + ATTEMPTS - 1 } },
  );
}

/** The websocket address of an engine published on a loopback port. */
export function endpointOf(port: number): string {
  return `ws://127.0.0.1:${port}`;
}
