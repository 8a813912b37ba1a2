// The one seam to Docker: every dockerode call FunScribe makes goes through this class.
import type Dockerode from 'dockerode';
import { PassThrough } from 'node:stream';
import { diagnoseDocker } from './docker-diagnosis.js';
import { LABELS } from './container-spec.js';
import type { DockerStatus, EngineKind } from '../../src-shared/engine-types.js';
import { pullImage, type PullOptions } from './image-pull.js';
import { demuxLogBuffer, LineSplitter, splitLines } from './log-lines.js';

/** A container FunScribe manages, as found by its labels. */
export interface ManagedContainer {
  id: string;
  name: string;
  kind: EngineKind;
  image: string;
  specHash: string;
  /** Docker's state: created, running, restarting, exited, … */
  state: string;
  /** The host port the server is published on (from its label: a stopped container lists no ports). */
  hostPort: number | null;
}

/** A Docker event about a managed container. */
export interface ContainerEvent {
  action: string;
  id: string;
  attributes: Record<string, string>;
}

/** Options for reading logs. */
export interface LogOptions {
  /** Only lines after this time (Unix seconds, fractions allowed). */
  since?: number;
  /** Only the last N lines. */
  tail?: number;
}

/** HTTP status of a dockerode error, if any. */
function statusOf(error: unknown): number | undefined {
  return (error as { statusCode?: number } | null)?.statusCode;
}

/** Runs `action`, treating the given HTTP statuses as success (e.g. 304 "already stopped", 404 "gone"). */
async function tolerate(action: Promise<unknown>, ...statuses: number[]): Promise<void> {
  try {
    await action;
  } catch (error) {
    if (!statuses.includes(statusOf(error) ?? 0)) throw error;
  }
}

/** The query of a logs request: both streams, and only the given `since`/`tail` (absent means everything). */
function logQuery(options: LogOptions): Dockerode.ContainerLogsOptions {
  return {
    stdout: true,
    stderr: true,
    ...(options.since === undefined ? {} : { since: options.since }),
    ...(options.tail === undefined ? {} : { tail: options.tail }),
  };
}

/** Wraps one Dockerode client (constructor injection) with the operations the engine manager needs. */
export class DockerEngine {
  constructor(readonly docker: Dockerode) {}

  /** Whether Docker can be used, and why not. */
  diagnose(): Promise<DockerStatus> {
    return diagnoseDocker(this.docker);
  }

  /** The managed containers of an instance (all states). */
  async findManaged(instance: string): Promise<ManagedContainer[]> {
    const list = await this.docker.listContainers({
      all: true,
      filters: { label: [`${LABELS.managed}=true`, `${LABELS.instance}=${instance}`] },
    });
    return list.map((info) => ({
      id: info.Id,
      name: (info.Names[0] ?? '').replace(/^\//, ''),
      kind: info.Labels[LABELS.kind] as EngineKind,
      image: info.Labels[LABELS.image] ?? info.Image,
      specHash: info.Labels[LABELS.specHash] ?? '',
      state: info.State,
      hostPort: Number(info.Labels[LABELS.hostPort]) || null,
    }));
  }

  /** The full inspect document of a container, or null when it does not exist. */
  async inspect(id: string): Promise<Dockerode.ContainerInspectInfo | null> {
    try {
      return await this.docker.getContainer(id).inspect();
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
  }

  /** Creates a container; returns its id. */
  async create(spec: Dockerode.ContainerCreateOptions): Promise<string> {
    return (await this.docker.createContainer(spec)).id;
  }

  /** Starts a container (no-op when running). */
  start(id: string): Promise<void> {
    return tolerate(this.docker.getContainer(id).start(), 304);
  }

  /** Stops a container, killing it after `seconds` (no-op when stopped or gone). */
  stop(id: string, seconds = 10): Promise<void> {
    return tolerate(this.docker.getContainer(id).stop({ t: seconds }), 304, 404);
  }

  /** Restarts a container. */
  async restart(id: string, seconds = 10): Promise<void> {
    await this.docker.getContainer(id).restart({ t: seconds });
  }

  /** Removes a container, running or not (no-op when gone); volumes are kept. */
  remove(id: string): Promise<void> {
    return tolerate(this.docker.getContainer(id).remove({ force: true, v: false }), 404);
  }

  /** Removes a named volume (no-op when gone). */
  removeVolume(name: string): Promise<void> {
    return tolerate(this.docker.getVolume(name).remove(), 404);
  }

  /** When a named volume was created (Docker's CreatedAt), or null when it does not exist. */
  async volumeCreatedAt(name: string): Promise<string | null> {
    try {
      const info = (await this.docker.getVolume(name).inspect()) as { CreatedAt?: string };
      return info.CreatedAt ?? null;
    } catch (error) {
      if (statusOf(error) === 404) return null;
      throw error;
    }
  }

  /** Log lines of a container (stdout and stderr interleaved). */
  async logs(id: string, options: LogOptions = {}): Promise<string[]> {
    const buffer = await this.docker.getContainer(id).logs({ ...logQuery(options), follow: false });
    return splitLines(demuxLogBuffer(Buffer.from(buffer)));
  }

  /** When the last line of a container's log was logged (epoch ms), or null when the log is empty. */
  async lastLogTime(id: string): Promise<number | null> {
    const buffer = await this.docker
      .getContainer(id)
      .logs({ stdout: true, stderr: true, timestamps: true, tail: 1, follow: false });
    const [line] = splitLines(demuxLogBuffer(Buffer.from(buffer)));
    const stamp = line ? Date.parse(line.slice(0, line.indexOf(' '))) : NaN;
    return Number.isNaN(stamp) ? null : stamp;
  }

  /** Follows a container's log line by line until it stops (resolves) or the signal aborts (resolves). */
  async followLogs(
    id: string,
    options: LogOptions & { signal?: AbortSignal },
    onLine: (line: string) => void,
  ): Promise<void> {
    if (options.signal?.aborted) return;
    const stream = (await this.docker.getContainer(id).logs({
      ...logQuery(options),
      follow: true,
      abortSignal: options.signal,
    })) as NodeJS.ReadableStream & { destroy(): void };
    const output = new PassThrough();
    const splitter = new LineSplitter(onLine);
    output.setEncoding('utf8');
    output.on('data', (chunk: string) => splitter.push(chunk));
    this.docker.modem.demuxStream(stream, output, output);
    await new Promise<void>((resolve) => {
      const finish = (): void => {
        splitter.end();
        options.signal?.removeEventListener('abort', finish);
        resolve();
      };
      options.signal?.addEventListener('abort', () => {
        stream.destroy();
        finish();
      });
      stream.on('end', finish);
      stream.on('close', finish);
      stream.on('error', finish);
    });
  }

  /** Streams die/start/oom events of an instance's managed containers until the signal aborts. */
  async events(
    instance: string,
    signal: AbortSignal,
    onEvent: (event: ContainerEvent) => void,
  ): Promise<void> {
    const stream = (await this.docker.getEvents({
      filters: {
        type: ['container'],
        event: ['die', 'start', 'oom'],
        label: [`${LABELS.managed}=true`, `${LABELS.instance}=${instance}`],
      },
      abortSignal: signal,
    } as Dockerode.GetEventsOptions)) as NodeJS.ReadableStream;
    const splitter = new LineSplitter((line) => {
      const event = JSON.parse(line) as {
        Action?: string;
        id?: string;
        Actor?: { Attributes?: Record<string, string> };
      };
      onEvent({ action: event.Action ?? '', id: event.id ?? '', attributes: event.Actor?.Attributes ?? {} });
    });
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => splitter.push(chunk));
    await new Promise<void>((resolve) => {
      stream.on('end', resolve);
      stream.on('close', resolve);
      stream.on('error', resolve);
      signal.addEventListener('abort', () => resolve(), { once: true });
    });
  }

  /** Whether an image is present locally. */
  async imageExists(ref: string): Promise<boolean> {
    try {
      await this.docker.getImage(ref).inspect();
      return true;
    } catch (error) {
      if (statusOf(error) === 404) return false;
      throw error;
    }
  }

  /** Pulls an image with progress and cancellation (see image-pull.ts). */
  pull(ref: string, options: PullOptions = {}): Promise<void> {
    return pullImage(this.docker, ref, options);
  }
}
