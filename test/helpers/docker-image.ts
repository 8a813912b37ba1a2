// The stand-in FunASR image for tests against a real Docker engine: built (cached by the hash of its inputs) and
// pushed to the local registry once per test process; the lock in buildSimImage keeps parallel processes apart.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { buildSimImage, DEFAULT_REGISTRY, type SimImage } from '../funasr-sim/image/build-image.js';

const ENV_SCRIPT = fileURLToPath(new URL('../../scripts/docker-test-env.sh', import.meta.url));

let pending: Promise<SimImage> | undefined;

/** host:port of the local test registry (FUNSCRIBE_TEST_REGISTRY or 127.0.0.1:5000). */
export function registryAddress(): string {
  return process.env.FUNSCRIBE_TEST_REGISTRY ?? DEFAULT_REGISTRY;
}

async function registryAnswers(): Promise<boolean> {
  const response = await fetch(`http://${registryAddress()}/v2/`, {
    signal: AbortSignal.timeout(2000),
  }).catch(() => undefined);
  return response?.status === 200;
}

/** Starts the Docker engine and registry with scripts/docker-test-env.sh when the registry does not answer. */
async function ensureEnvironment(): Promise<void> {
  if (await registryAnswers()) return;
  execFileSync('bash', [ENV_SCRIPT], { stdio: ['ignore', 'ignore', 'inherit'] });
}

/** The stand-in image, built if needed and pushed to the local registry: `{ localTag, registryRef }`. */
export function ensureSimImage(): Promise<SimImage> {
  pending ??= ensureEnvironment().then(() => buildSimImage({ push: true, registry: registryAddress() }));
  pending.catch(() => (pending = undefined));
  return pending;
}
