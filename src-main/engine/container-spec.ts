// The container FunScribe creates for an engine: the server in the foreground (the GPU one through a shell that puts
// torch on the library path), models in a named volume (by id until they are there, then by path), no server-wide
// hotwords, a loopback-only port, hardened (no capabilities, no privilege gain, bounded processes, memory and CPUs, a
// read-only root with a scratch /tmp), labels marking it as ours, and a hash of all that to notice when it changed.
import { createHash } from 'node:crypto';
import type Dockerode from 'dockerode';
import { CATALOG, modelKey, SERVER_BIN_DIR } from './catalog.js';
import { DEFAULT_ENGINE_SETTINGS, engineLimits, type ContainerLimits } from './engine-settings.js';
import type { EngineKind } from '../../src-shared/engine-types.js';

/** The port every FunASR server listens on inside its container. */
export const CONTAINER_PORT = 10095;
/** Where the models volume is mounted (and where the server downloads models to). */
export const MODELS_DIR = '/workspace/models';
/**
 * The server-wide hotword file: an empty one. The server reads `--hotword` once, at start, into a map applied to every
 * connection, so a word removed later would stay active until a restart; FunScribe sends the hotwords with each request
 * instead (as it must for remote servers anyway), and a change applies to the next file without restarting anything.
 */
export const SERVER_HOTWORDS = '/dev/null';

/**
 * The GPU image's launch, as its run_server.sh does it: the binary links torch and torch_blade without an rpath and dies
 * at once ("error while loading shared libraries: libtorch_global_deps.so", FunASR issue #2095) unless their
 * directories, asked from python3, come first on LD_LIBRARY_PATH. Run as `sh -c <this> funasr-gpu <server command>`.
 */
export const GPU_LAUNCH_SCRIPT =
  'TORCH_DIR=$(python3 -c "import os, torch; print(os.path.dirname(torch.__file__))"); ' +
  'BLADE_DIR=$(python3 -c "import os, torch_blade; print(os.path.dirname(torch_blade.__file__))"); ' +
  'export LD_LIBRARY_PATH="/usr/local/lib:$TORCH_DIR/lib:$BLADE_DIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"; ' +
  'exec "$@"';

/**
 * The container's only writable place besides the models volume, a tmpfs (in memory, counted in the memory limit,
 * empty at each start). The servers themselves write nothing (glog goes to stderr, audio is decoded in memory), but:
 * the download tool's ModelScope client keeps a session id under $HOME/.modelscope at every download by id, so HOME
 * points here; and the GPU server's torch_blade writes each compiled engine to a temporary file in /tmp and dlopens it,
 * so /tmp must allow executing there for the GPU kind (noexec for the others).
 */
export const SCRATCH_DIR = '/tmp';
/** Size cap of the scratch tmpfs. */
const SCRATCH_SIZE = '1g';

/**
 * The limit on processes and threads: the server's threads (about one per core), and while it starts the download
 * tool's torch (two pools of one thread per core of the host, whatever the CPU limit), with room to spare.
 */
export function pidsLimit(cores: number): number {
  return Math.max(1024, 4 * Math.ceil(cores));
}

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
  /** Keys (catalog modelKey) of the models whose files are in the volume: passed as paths, not ModelScope ids. */
  localModels?: ReadonlySet<string>;
  /** CPU cores of the host: the thread pools are sized by these or by the CPU limit, whichever is less. */
  cores: number;
  /** Memory and CPU limits; default: the defaults for this computer (engine-settings engineLimits). */
  limits?: ContainerLimits;
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

/**
 * The server's command line: each catalog model by ModelScope id (the server asks the hub at every start) or, once its
 * files are in the volume, by path (no network), with its revision; plain ws, no server-wide hotwords, threads from
 * the cores.
 */
export function serverCommand(
  kind: EngineKind,
  cores: number,
  localModels: ReadonlySet<string> = new Set(),
): string[] {
  const image = CATALOG[kind];
  const decoderThreads = Math.max(1, Math.floor(cores));
  return [
    image.serverBinary,
    '--download-model-dir',
    MODELS_DIR,
    ...image.models.flatMap((model) => [
      model.flag,
      localModels.has(modelKey(model)) ? `${MODELS_DIR}/${model.id}` : model.id,
      model.revisionFlag,
      model.revision,
    ]),
    '--port',
    String(CONTAINER_PORT),
    '--certfile',
    '0',
    '--keyfile',
    '0',
    '--hotword',
    SERVER_HOTWORDS,
    '--decoder-thread-num',
    String(decoderThreads),
    '--io-thread-num',
    String(Math.ceil(decoderThreads / 16)),
    '--model-thread-num',
    '1',
    ...(image.gpu ? ['--gpu'] : []),
  ];
}

/** Entrypoint and Cmd of an engine: the server itself, or for the GPU image the shell launch around it. */
export function launchCommand(
  kind: EngineKind,
  cores: number,
  localModels?: ReadonlySet<string>,
): { Entrypoint: string[]; Cmd: string[] } {
  const command = serverCommand(kind, cores, localModels);
  if (!CATALOG[kind].gpu) return { Entrypoint: [], Cmd: command };
  return { Entrypoint: ['/bin/sh'], Cmd: ['-c', GPU_LAUNCH_SCRIPT, 'funasr-gpu', ...command] };
}

/** A short stable hash of a spec (computed before the hash label is added). */
function specHash(spec: Dockerode.ContainerCreateOptions): string {
  return createHash('sha256').update(JSON.stringify(spec)).digest('hex').slice(0, 16);
}

/**
 * The hardening of every engine container: no capabilities (the servers run as root in the image, write only files
 * they own in the volume, listen on a port above 1024 and change no user), no privilege gain through setuid files,
 * bounded processes, memory (swap as Docker allows by default) and CPUs, a read-only root and the scratch tmpfs.
 */
function hardening(kind: EngineKind, cores: number, limits: ContainerLimits): Dockerode.HostConfig {
  const exec = CATALOG[kind].gpu ? 'exec' : 'noexec';
  return {
    CapDrop: ['ALL'],
    SecurityOpt: ['no-new-privileges'],
    PidsLimit: pidsLimit(cores),
    Memory: limits.memoryBytes,
    NanoCpus: Math.round(limits.cpus * 1e9),
    ReadonlyRootfs: true,
    Tmpfs: { [SCRATCH_DIR]: `rw,${exec},nosuid,nodev,size=${SCRATCH_SIZE}` },
  };
}

/**
 * The create options of an engine container (the body of Docker's container create request, plus `name`).
 * PYTHONUNBUFFERED: the model download/export tool prints with print(), which a container's pipe would hold back until
 * the tool exits (minutes of a silent GPU export). HOME: the scratch tmpfs (the root is read-only). MODELSCOPE_CACHE:
 * the models volume, so that the GPU export's second download of the checkpoint (AutoModel given the id asks the hub
 * for it in the default cache) finds the files the tool has just put there instead of copying a GB into memory.
 * The threads are sized by the CPU limit when it is below the cores. Restart policy: on-failure (5 tries) rather than unless-stopped, so a
 * crashed or killed server comes back, a server that fails at every start (a missing model) does not loop forever, and
 * a stopped engine does not come back with the Docker daemon at the next boot taking gigabytes of memory before the
 * app is opened. `Init` gives the server a proper PID 1 that passes on SIGTERM and reaps the downloader processes.
 */
export function buildContainerSpec(input: ContainerSpecInput): Dockerode.ContainerCreateOptions {
  const instance = input.instance ?? DEFAULT_INSTANCE;
  const limits = input.limits ?? engineLimits(DEFAULT_ENGINE_SETTINGS, input.kind);
  const portKey = `${CONTAINER_PORT}/tcp`;
  const spec: Dockerode.ContainerCreateOptions = {
    name: containerName(input.kind, instance),
    Image: input.image,
    ...launchCommand(input.kind, Math.min(input.cores, Math.ceil(limits.cpus)), input.localModels),
    WorkingDir: SERVER_BIN_DIR,
    Env: Object.entries({
      PYTHONUNBUFFERED: '1',
      HOME: SCRATCH_DIR,
      MODELSCOPE_CACHE: MODELS_DIR,
      ...input.extraEnv,
    }).map(([key, value]) => `${key}=${value}`),
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
      Mounts: [{ Type: 'volume', Source: modelsVolumeName(instance), Target: MODELS_DIR }],
      RestartPolicy: { Name: 'on-failure', MaximumRetryCount: 5 },
      Init: true,
      ...hardening(input.kind, input.cores, limits),
      ...(CATALOG[input.kind].gpu
        ? { DeviceRequests: [{ Driver: 'nvidia', Count: -1, Capabilities: [['gpu']] }] }
        : {}),
    },
  };
  const hash = specHash(spec);
  return { ...spec, Labels: { ...spec.Labels, [LABELS.specHash]: hash } };
}
