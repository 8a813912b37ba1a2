// Creating and starting an engine container: a free port (the next one when Docker finds it taken), the GPU error
// turned into the CPU offer, and no half-created container left behind when the start fails.
import { FunscribeError } from '../util/errors.js';
import { DEFAULT_HOST_PORT } from './catalog.js';
import { buildContainerSpec, LABELS, type ContainerSpecInput } from './container-spec.js';
import type { DockerEngine } from './docker-engine.js';
import { choosePort } from './host-port.js';
import { nextRunSince } from './readiness.js';

/** How often a start is retried on another port when Docker reports the port as taken. */
const PORT_RETRIES = 5;

/** The text of a dockerode error (its JSON message when the daemon sent one). */
function errorText(error: unknown): string {
  const shape = error as { json?: { message?: string }; message?: string } | null;
  return shape?.json?.message ?? shape?.message ?? String(error);
}

/**
 * Maps a failed container create/start to a FunscribeError (GPU_UNAVAILABLE, PORT_IN_USE, DOCKER_ERROR, the last with
 * advice when Docker has fewer CPUs than the engine's limit).
 */
export function startError(error: unknown, hostPort: number): FunscribeError {
  if (error instanceof FunscribeError) return error;
  const text = errorText(error);
  if (
    /could not select device driver|nvidia-container|unknown or invalid runtime name: nvidia|no NVIDIA|NVML/i.test(
      text,
    )
  ) {
    return new FunscribeError(
      'GPU_UNAVAILABLE',
      `This computer cannot give Docker an NVIDIA GPU (${text.trim()}). Use the CPU engine instead: ` +
        'funscribe engine start without --gpu (or turn GPU off in the settings); it is slower but needs no GPU. ' +
        'For the GPU engine, install the NVIDIA driver and the NVIDIA Container Toolkit.',
      { cause: error },
    );
  }
  const cpus = /Range of CPUs is from [\d.]+ to [\d.]+, as there are only (\d+) CPUs available/i.exec(text);
  if (cpus) {
    return new FunscribeError(
      'DOCKER_ERROR',
      `Docker has only ${cpus[1]} CPUs for containers, fewer than the engine's CPU limit. Set the engine setting cpus ` +
        `to ${cpus[1]} at most, or give Docker more CPUs (Docker Desktop: Settings → Resources).`,
      { cause: error, params: { reason: 'tooFewCpus', cpus: Number(cpus[1]) } },
    );
  }
  if (/port is already allocated|address already in use/i.test(text)) {
    return new FunscribeError(
      'PORT_IN_USE',
      `Port ${hostPort} on 127.0.0.1 is already in use; choose another engine port.`,
      { cause: error, params: { reason: 'port', port: hostPort } },
    );
  }
  return new FunscribeError('DOCKER_ERROR', `Docker could not start the engine: ${text}`, {
    cause: error,
    params: { reason: 'start' },
  });
}

/** A started container, the host port it is published on, and where the log of the run just started begins. */
export interface LaunchedContainer {
  id: string;
  hostPort: number;
  /** `since` for Docker (Unix seconds): after the container's previous run, read before this one started. */
  logSince: number;
}

/**
 * Creates and starts a container for `input` (its hostPort ignored): on `fixedPort` when given, else on the kind's
 * default port or the next free one. A container whose start fails is removed before the error is thrown.
 */
export async function launchContainer(
  engine: DockerEngine,
  input: Omit<ContainerSpecInput, 'hostPort'>,
  fixedPort: number | null,
): Promise<LaunchedContainer> {
  let preferred = fixedPort ?? DEFAULT_HOST_PORT[input.kind];
  for (let attempt = 0; ; attempt++) {
    const hostPort = fixedPort ?? (await choosePort(preferred));
    const id = await engine.create(buildContainerSpec({ ...input, hostPort })).catch((error: unknown) => {
      throw startError(error, hostPort);
    });
    try {
      await engine.start(id);
      return { id, hostPort, logSince: 0 };
    } catch (error) {
      await engine.remove(id);
      const mapped = startError(error, hostPort);
      if (mapped.code !== 'PORT_IN_USE' || fixedPort !== null || attempt >= PORT_RETRIES) throw mapped;
      preferred = hostPort + 1;
    }
  }
}

/**
 * The container for `input` in `instance`, started: the existing one when its spec is unchanged (same hash), else a
 * new one (an image upgrade keeps the models volume). Containers of other kinds in the instance are removed.
 * A running container that differs only in naming its models by id is kept: moving it to the copies in the volume
 * would restart a server that is up; its next start uses them.
 */
export async function ensureContainer(
  engine: DockerEngine,
  instance: string,
  input: Omit<ContainerSpecInput, 'hostPort'>,
  fixedPort: number | null,
): Promise<LaunchedContainer> {
  const managed = await engine.findManaged(instance);
  for (const other of managed.filter((container) => container.kind !== input.kind))
    await engine.remove(other.id);
  const existing = managed.find((container) => container.kind === input.kind);
  if (!existing) return launchContainer(engine, input, fixedPort);
  const hostPort = fixedPort ?? existing.hostPort;
  const accepted =
    hostPort === null
      ? []
      : [input, ...(existing.state === 'running' ? [{ ...input, localModels: undefined }] : [])].map(
          (variant) => buildContainerSpec({ ...variant, hostPort }).Labels?.[LABELS.specHash],
        );
  if (hostPort !== null && accepted.includes(existing.specHash)) {
    try {
      const before = await engine.inspect(existing.id);
      // A stopped container's last logged line bounds its previous run; a running one's belongs to this run.
      const lastLine = before && !before.State.Running ? await engine.lastLogTime(existing.id) : null;
      await engine.start(existing.id);
      return { id: existing.id, hostPort, logSince: before ? nextRunSince(before.State, lastLine) : 0 };
    } catch (error) {
      const mapped = startError(error, hostPort);
      if (mapped.code !== 'PORT_IN_USE' || fixedPort !== null) throw mapped;
    }
  }
  await engine.remove(existing.id);
  return launchContainer(engine, input, fixedPort);
}
