// Finding the Docker daemon: DOCKER_HOST and its companions (TLS files, ssh agent) as docker-modem, dockerode's
// transport, reads them, else the platform's default socket or pipe; and the daemon's address as messages name it.
import Dockerode from 'dockerode';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { FunscribeError } from '../util/errors.js';

const LINUX_SOCKET = '/var/run/docker.sock';
const WINDOWS_PIPE = '//./pipe/docker_engine';

/** Docker's own ports for a tcp:// address without one, plain and with TLS (docker-modem would use 80 and 443). */
const DEFAULT_PORTS = { http: '2375', https: '2376' } as const;

/** The variables docker-modem reads to find and reach the daemon; it reads them from process.env only. */
const MODEM_VARIABLES = [
  'DOCKER_HOST',
  'DOCKER_TLS_VERIFY',
  'DOCKER_CERT_PATH',
  'DOCKER_PATH_PREFIX',
  'DOCKER_CLIENT_TIMEOUT',
  'SSH_AUTH_SOCK',
] as const;

/** How to reach the daemon, plus a short description of where that is for messages. */
export interface DockerTarget {
  /** The address; docker-modem adds the TLS files, ssh agent and timeout from the same environment. */
  options: Dockerode.DockerOptions;
  /** e.g. `/var/run/docker.sock`, `10.0.0.5:2375` or `ssh://me@box`. */
  where: string;
}

/** What docker-modem made of the variables: the fields of its modem that say where the daemon is. */
interface ModemAddress {
  /** A path, or (for `unix://` without one) docker-modem's own search for the default socket. */
  socketPath?: unknown;
  host?: string;
  port?: string | number;
  protocol?: string;
  username?: string;
}

/** The docker-modem variables of `env`, DOCKER_HOST trimmed and left out when empty. */
function modemVariables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const variables = Object.fromEntries(MODEM_VARIABLES.map((name) => [name, env[name]]));
  return { ...variables, DOCKER_HOST: env.DOCKER_HOST?.trim() || undefined };
}

/** Sets or (for undefined) removes one variable of process.env. */
function setVariable(name: string, value: string | undefined): void {
  if (value === undefined) delete process.env[name];
  else process.env[name] = value;
}

/**
 * Builds a Dockerode client while process.env holds exactly these docker-modem variables, then puts the old values
 * back: docker-modem reads them in its constructor, synchronously, so nothing else runs in between. Any address or
 * certificate docker-modem cannot use is DOCKER_ERROR.
 */
function dockerodeUnder(variables: NodeJS.ProcessEnv, options?: Dockerode.DockerOptions): Dockerode {
  const saved = MODEM_VARIABLES.map((name) => [name, process.env[name]] as const);
  try {
    for (const name of MODEM_VARIABLES) setVariable(name, variables[name]);
    return new Dockerode(options);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new FunscribeError(
      'DOCKER_ERROR',
      `Docker cannot be reached as the environment says (DOCKER_HOST=${variables.DOCKER_HOST ?? ''}): ${reason}. ` +
        'Set DOCKER_HOST to an address such as unix:///var/run/docker.sock, tcp://host:2375 or ssh://user@host ' +
        '(and for TLS, DOCKER_CERT_PATH to a folder with ca.pem, cert.pem and key.pem).',
      { params: { reason: 'dockerHost', address: variables.DOCKER_HOST ?? '' } },
    );
  } finally {
    for (const [name, value] of saved) setVariable(name, value);
  }
}

/** The platform's default socket or pipe; Docker Desktop's per-user socket only when the system one is missing. */
function defaultSocket(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform,
  fileExists: (path: string) => boolean,
): string {
  if (platform === 'win32') return WINDOWS_PIPE;
  const desktop = join(env.HOME || homedir(), '.docker', 'run', 'docker.sock');
  return !fileExists(LINUX_SOCKET) && fileExists(desktop) ? desktop : LINUX_SOCKET;
}

/** The daemon's address as messages name it: the socket path, `host:port`, or `ssh://user@host[:port]`. */
function daemonAddress(address: ModemAddress): string {
  if (typeof address.socketPath === 'string') return address.socketPath;
  const port = address.port ? `:${String(address.port)}` : '';
  if (address.protocol !== 'ssh') return `${address.host ?? '?'}${port}`;
  return `ssh://${address.username ? `${address.username}@` : ''}${address.host ?? '?'}${port}`;
}

/** What docker-modem made of the environment, read from a client's modem. */
function modemAddress(docker: Dockerode): ModemAddress {
  return docker.modem as unknown as ModemAddress;
}

/** The address of the daemon a client talks to, as messages name it (see daemonAddress). */
export function daemonAddressOf(docker: Dockerode): string {
  return daemonAddress(modemAddress(docker));
}

/**
 * Works out the daemon address: DOCKER_HOST as docker-modem reads it (unix://, npipe://, tcp:// with TLS when
 * DOCKER_TLS_VERIFY=1 or port 2376, ssh:// through `docker system dial-stdio`), with Docker's default port for a tcp://
 * address without one; without DOCKER_HOST the platform default (Docker Desktop's per-user socket too).
 */
export function dockerTarget(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  fileExists: (path: string) => boolean = existsSync,
): DockerTarget {
  const variables = modemVariables(env);
  const modem: ModemAddress = variables.DOCKER_HOST ? modemAddress(dockerodeUnder(variables)) : {};
  let options: Dockerode.DockerOptions;
  if (typeof modem.socketPath === 'string') options = { socketPath: modem.socketPath };
  else if (!modem.host) options = { socketPath: defaultSocket(env, platform, fileExists) };
  else {
    const protocol = modem.protocol as 'http' | 'https' | 'ssh';
    const port = modem.port || (protocol === 'ssh' ? undefined : DEFAULT_PORTS[protocol]);
    options = { host: modem.host, port, protocol, ...(modem.username ? { username: modem.username } : {}) };
  }
  return { options, where: daemonAddress(options) };
}

/**
 * A Dockerode client for the daemon named by `env`, or the platform's default. Only `env`'s Docker variables count:
 * a DOCKER_HOST of this process's own environment does not override an `env` without one.
 */
export function connectDocker(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
): Dockerode {
  return dockerodeUnder(modemVariables(env), dockerTarget(env, platform).options);
}
