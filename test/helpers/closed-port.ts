// A loopback TCP port nothing listens on, for tests of connections that are refused.
import { createServer, type AddressInfo } from 'node:net';

/** A loopback port nothing listens on right now (bound for a moment, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
