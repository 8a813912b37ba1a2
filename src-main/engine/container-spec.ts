// The container FunScribe creates for an engine: the server in the foreground, models in a named volume, the app's
// hotword file, a loopback-only port, labels marking it as ours, and a hash of all that to notice when it changed.
import { createHash } from 'node:crypto';
import type Dockerode from 'dockerode';
import { CATALOG, SERVER_BIN_DIR } from './catalog.js';
import type { EngineKind } from './engine-types.js';

/** The port every FunASR server listens on inside its container. */
export const CONTAINER_PORT = 10095;
/** Where the models volume is mounted (and where the server downloads models to). */
export const MODELS_DIR = '/workspace/models';
/** Where the app's hotword file appears inside the container. */
export const CONTAINER_HOTWORD_FILE = '/workspace/resources/funscribe-hotwords.txt';

/** Labels on every container FunScribe manages. */
export const LABELS = {
  managed: 'org.funscribe.managed',
  kind: 'org.funscribe.kind',
  image: 'org.funscribe.image',
  instance: 'org.funscribe.instance',
  hostPort: 'org.funscribe.host-port',
  specHash: 'org.funscribe.spec-hash',
} as const;

/** The instance name of the app's own engine; tests use others so they do not collide. */
export const DEFAULT_INSTANCE = 'default';

/** What a container spec is built from. */
export interface ContainerSpecInput {
  kind: EngineKind;
  image: string;
  hostPort: number;
  /** Host path of the hotword file the app writes (bind-mounted read-only). */
  hotwordFile: string;
  /** CPU cores to size the thread pools by. */
  cores: number;
  /** Separates independent engines (tests); the app uses DEFAULT_INSTANCE. */
  instance?: string;
  /** Extra environment for the container; internal, for tests only (never a user setting). */
  extraEnv?: Record<string, string>;
}

/** The container name of an engine kind within an instance. */
export function containerName(kind: EngineKind, instance: string = DEFAULT_INSTANCE): string {
  return instance === DEFAULT_INSTANCE ? `funscribe-engine-${kind}` : `funscribe-engine-${kind}-${instance}`;
}

/** The named volume that keeps downloaded models across restarts, upgrades and re-creation. */
export function modelsVolumeName(instance: string = DEFAULT_INSTANCE): string {
  return instance === DEFAULT_INSTANCE ? 'funscribe-models' : `funscribe-models-${instance}`;
}

/** The server's command line: model flags from the catalog, plain ws, the hotword file, threads from the cores. */
export function serverCommand(kind: EngineKind, cores: number): string[] {
  const image = CATALOG[kind];
  const decoderThreads = Math.max(1, Math.floor(cores));
  return [
    image.serverBinary,
    '--download-model-dir',
    MODELS_DIR,
    ...image.models.flatMap((model) => [model.flag, model.id]),
    '--port',
    String(CONTAINER_PORT),
    '--certfile',
    '0',
    '--keyfile',
    '0',
    '--hotword',
    CONTAINER_HOTWORD_FILE,
    '--decoder-thread-num',
    String(decoderThreads),
    '--io-thread-num',
    String(Math.ceil(decoderThreads / 16)),
    '--model-thread-num',
    '1',
    ...(image.gpu ? ['--gpu'] : []),
  ];
}

/** A short stable hash of a spec (computed before the hash label is added). */
function specHash(spec: Dockerode.ContainerCreateOptions): string {
  return createHash('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, 16);
}

/**
 * The create options of an engine container. Restart policy: on-failure (5 tries) rather than unless-stopped, so a
 * crashed or killed server comes back, a server that fails at every start (a missing model) does not loop forever, and
 * a stopped engine does not come back with the Docker daemon at the next boot taking gigabytes of memory before the
 * app is opened. `Init` gives the server a proper PID 1 that passes on SIGTERM and reaps the downloader processes.
 */
export function buildContainerSpec(input: ContainerSpecInput): Dockerode.ContainerCreateOptions {
  const instance = input.instance ?? DEFAULT_INSTANCE;
  const portKey = `${CONTAINER_PORT}/tcp`;
  const spec: Dockerode.ContainerCreateOptions = {
    name: containerName(input.kind, instance),
    Image: input.image,
    Entrypoint: [],
    Cmd: serverCommand(input.kind, input.cores),
    WorkingDir: SERVER_BIN_DIR,
    Env: Object.entries(input.extraEnv ?? {}).map(([key, value]) => `${key}=${value}`),
    Labels: {
      [LABELS.managed]: 'true',
      [LABELS.kind]: input.kind,
      [LABELS.image]: input.image,
      [LABELS.instance]: instance,
      [LABELS.hostPort]: String(input.hostPort),
    },
    ExposedPorts: { [portKey]: {} },
    HostConfig: {
      PortBindings: { [portKey]: [{ HostIp: '127.0.0.1', HostPort: String(input.hostPort) }] },
      Mounts: [
        { Type: 'volume', Source: modelsVolumeName(instance), Target: MODELS_DIR },
        { Type: 'bind', Source: input.hotwordFile, Target: CONTAINER_HOTWORD_FILE, ReadOnly: true },
      ],
      RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 5 },
      Init: true,
      ...(CATALOG[input.kind].gpu
        ? { DeviceRequests: [{ Driver: 'nvidia', Count: -1, Capabilities: [['gpu']] }] }
        : {}),
    },
  };
  const hash = specHash(spec);
  return { ...spec, Labels: { ...spec.Labels, [LABELS.specHash]: hash } };
}
