// Asking the Docker daemon whether FunScribe can use it, and saying what is wrong with it in words a user can act on.
import type Dockerode from 'dockerode';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import type { ErrorInfo } from '../../src-shared/types.js';
import { daemonAddressOf } from './docker-connection.js';
import type { DockerStatus } from '../../src-shared/engine-types.js';

/** The oldest Docker Engine API FunScribe uses (Docker 19.03): DeviceRequests for GPUs came with it. */
export const MIN_API_VERSION = '1.40';
/** Below this much memory for containers, the Chinese models load slowly or not at all. */
export const MIN_MEMORY_BYTES = 4 * 1024 ** 3 - 256 * 1024 ** 2;

/** The Docker status before the daemon was asked. */
export const UNKNOWN_DOCKER: DockerStatus = {
  available: false,
  version: null,
  apiVersion: null,
  memoryBytes: null,
  problem: null,
  warnings: [],
};

/** Whether a `docker` (or `dockerd`) program is on the PATH, to tell "not installed" from "not running". */
export function dockerCliInstalled(env: NodeJS.ProcessEnv = process.env): boolean {
  const names = process.platform === 'win32' ? ['docker.exe'] : ['docker', 'dockerd'];
  const dirs = (env.PATH ?? '').split(delimiter).filter(Boolean);
  return dirs.some((dir) => names.some((name) => existsSync(join(dir, name))));
}

/** The parts of a Node socket error or a dockerode HTTP error that tell what went wrong. */
interface ErrorShape {
  code?: unknown;
  errno?: unknown;
  statusCode?: unknown;
  message?: unknown;
}

/**
 * Turns a failure to talk to the daemon into a problem a user can act on. Node reports a missing socket file as
 * `{code:'ENOENT'}`, a socket nobody listens on as `{code:'ECONNREFUSED'}`, a socket the user may not open as
 * `{code:'EACCES'}` (all with `syscall:'connect'`); tcp daemons give ECONNREFUSED/ETIMEDOUT/ENOTFOUND.
 */
export function dockerConnectionProblem(error: unknown, where: string, installed: boolean): ErrorInfo {
  const { code, message } = (typeof error === 'object' && error !== null ? error : {}) as ErrorShape;
  const text = typeof message === 'string' ? message : String(error);
  const start = 'Start Docker Desktop (or on Linux: sudo systemctl start docker) and try again.';
  if (code === 'EACCES' || code === 'EPERM' || /permission denied/i.test(text)) {
    return {
      code: 'DOCKER_PERMISSION_DENIED',
      params: { reason: 'denied', address: where },
      message:
        `Docker is running but this user may not use it (no permission on ${where}). On Linux, add your user to ` +
        'the docker group: sudo usermod -aG docker $USER, then log out and in again.',
    };
  }
  if (code === 'ENOENT') {
    return installed
      ? {
          code: 'DOCKER_NOT_RUNNING',
          params: { reason: 'noDaemon', address: where },
          message: `Docker is installed but its daemon is not running (there is no ${where}). ${start}`,
        }
      : {
          code: 'DOCKER_NOT_INSTALLED',
          params: { reason: 'missing', address: where },
          message:
            `Docker does not seem to be installed or running (there is no ${where}). Install Docker Desktop ` +
            '(Windows, macOS) or Docker Engine (Linux) from docs.docker.com, start it and try again.',
        };
  }
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'ETIMEDOUT' || code === 'ENOTFOUND') {
    return {
      code: 'DOCKER_NOT_RUNNING',
      params: { reason: 'noAnswer', address: where },
      message: `Docker does not answer at ${where} (${String(code)}): the Docker daemon is not running. ${start}`,
    };
  }
  return {
    code: 'DOCKER_ERROR',
    message: `Docker at ${where} gave an error: ${text}`,
    params: { reason: 'daemon', address: where },
  };
}

/** Compares dotted API versions ("1.41" vs "1.40"); negative when a < b. */
export function compareApiVersions(a: string, b: string): number {
  const [aMajor = 0, aMinor = 0] = a.split('.').map(Number);
  const [bMajor = 0, bMinor = 0] = b.split('.').map(Number);
  return aMajor - bMajor || aMinor - bMinor;
}

/** The problem with a daemon's API version, or null when it is new enough. */
export function apiVersionProblem(apiVersion: string, version: string): ErrorInfo | null {
  if (compareApiVersions(apiVersion, MIN_API_VERSION) >= 0) return null;
  return {
    code: 'DOCKER_API_TOO_OLD',
    params: { reason: 'old', version, apiVersion, minApiVersion: MIN_API_VERSION },
    message:
      `Docker ${version} (API ${apiVersion}) is too old; FunScribe needs Docker 19.03 or newer ` +
      `(API ${MIN_API_VERSION}). Update Docker and try again.`,
  };
}

/** A warning when Docker may use too little memory for the models, or null. */
export function memoryWarning(memoryBytes: number): string | null {
  if (memoryBytes >= MIN_MEMORY_BYTES) return null;
  const gib = (memoryBytes / 1024 ** 3).toFixed(1);
  return (
    `Docker may use only ${gib} GiB of memory; the FunASR models need about 4 GiB. In Docker Desktop, raise ` +
    'Settings → Resources → Memory limit.'
  );
}

/** Asks the daemon for its version and memory and reports whether FunScribe can use it. Never throws. */
export async function diagnoseDocker(
  docker: Dockerode,
  installed: () => boolean = () => dockerCliInstalled(),
): Promise<DockerStatus> {
  const where = daemonAddressOf(docker);
  const status: DockerStatus = { ...UNKNOWN_DOCKER, warnings: [] };
  try {
    const version = await docker.version();
    status.version = version.Version;
    status.apiVersion = version.ApiVersion;
    status.problem = apiVersionProblem(version.ApiVersion, version.Version);
    const info = (await docker.info()) as { MemTotal?: number };
    status.memoryBytes = typeof info.MemTotal === 'number' ? info.MemTotal : null;
    const warning = status.memoryBytes === null ? null : memoryWarning(status.memoryBytes);
    if (warning && status.memoryBytes !== null) {
      const gib = Math.round((status.memoryBytes / 1024 ** 3) * 10) / 10;
      status.warnings.push({ code: 'low-memory', message: warning, params: { gib, neededGib: 4 } });
    }
  } catch (error) {
    status.problem = dockerConnectionProblem(error, where, installed());
  }
  status.available = status.problem === null;
  return status;
}
