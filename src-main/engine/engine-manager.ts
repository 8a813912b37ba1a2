// The managed FunASR engine: one container per instance, started at most once at a time, reused while its spec is
// unchanged, watched through Docker events, and ready only when its log says so.
import { cpus } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import type Dockerode from 'dockerode';
import type { ErrorInfo } from '../../src-shared/types.js';
import { errorFromInfo, FunscribeError, toErrorInfo } from '../util/errors.js';
import { CATALOG, DEFAULT_HOST_PORT, modelKey, resolveImageRef } from './catalog.js';
import { buildContainerSpec, DEFAULT_INSTANCE, modelsVolumeName } from './container-spec.js';
import { downloadPlan } from './download-plan.js';
import { UNKNOWN_DOCKER } from './docker-diagnosis.js';
import type { ContainerEvent, DockerEngine, ManagedContainer } from './docker-engine.js';
import { ensureContainer } from './engine-launch.js';
import {
  effectiveKind,
  engineLimits,
  thisMachine,
  withDockerMemory,
  type ContainerLimits,
  type EngineRole,
  type EngineSettingsStore,
} from './engine-settings.js';
import type {
  DockerStatus,
  EngineDownloadPlan,
  EngineKind,
  EngineProgress,
  EngineState,
  EngineStatus,
} from '../../src-shared/engine-types.js';
import { endpointOf } from './host-port.js';
import { containerEngineState, currentRunSince, waitForReady } from './readiness.js';
import { ModelCache, modelCachePath } from './model-cache.js';
import { compressedImageBytes } from './registry-manifest.js';
import { SharedTask } from './shared-task.js';

/** What the manager is built from (constructor injection, so tests and the CLI build their own). */
export interface EngineManagerOptions {
  engine: DockerEngine;
  settings: EngineSettingsStore;
  /** Where the manager keeps what it learns (which models the volume holds). */
  dataDir: string;
  /** Separates independent engines (tests); containers and the models volume are named after it. */
  instance?: string;
  env?: NodeJS.ProcessEnv;
  /** CPU cores to size the server's threads by (default: this machine's). */
  cores?: number;
  /** Extra container environment; internal, for tests only. */
  extraEnv?: Record<string, string>;
  /** Whether a periodic restart may happen now (e.g. no transcription running); default always. */
  canRestart?: () => boolean;
  /**
   * Always run this kind (the live-caption engine runs the 2pass image), whatever the settings' kind and GPU choice,
   * on the kind's default port or the next free one: the settings' port belongs to the main engine.
   */
  pinnedKind?: EngineKind;
  /** Which of the two managed engines this is, for its memory limit (engine-settings engineMemoryGiB); default main. */
  role?: EngineRole;
}

/** A ready engine: the kind of server it runs and its ws:// endpoint. */
export interface ReadyServer {
  kind: EngineKind;
  endpoint: string;
}

/** What `ensureRunning` may override; the rest comes from the engine settings. */
export interface EnsureRunningOptions {
  kind?: EngineKind;
  gpu?: boolean;
  image?: string;
  port?: number;
  signal?: AbortSignal;
  onProgress?: (progress: EngineProgress) => void;
}

/** Whether a server started at `startedAtMs` has run for `hours` by `nowMs` (0 hours = never). */
export function dueForRestart(startedAtMs: number, nowMs: number, hours: number): boolean {
  return hours > 0 && nowMs - startedAtMs >= hours * 3_600_000;
}

/** What to do when each engine ran out of memory (the caption engine's cap is what the main engine leaves). */
const OUT_OF_MEMORY_ADVICE: Record<EngineRole, string> = {
  main: ': it ran out of memory; raise the engine memory limit (the setting memoryGiB), or give Docker more',
  captions:
    ': it ran out of memory; give Docker more, or lower the main engine memory limit (the setting memoryGiB) to ' +
    'leave the live-caption engine more',
};

/** How long after an unexpected exit the manager waits for Docker's restart policy before starting it itself. */
const REVIVE_AFTER_MS = 1500;

/** Starts, watches and stops the managed engine. */
export class EngineManager {
  private readonly instance: string;
  private state: EngineState = 'absent';
  private error: ErrorInfo | null = null;
  private current: { id: string; kind: EngineKind; image: string; port: number } | null = null;
  /** The kind the start in flight runs (kept after it, but read only while `startTask` runs). */
  private startKind: EngineKind | null = null;
  private dockerStatus: DockerStatus | null = null;
  private readonly startTask = new SharedTask<{ endpoint: string }>();
  private stopping = false;
  private redetecting: AbortController | null = null;
  private outOfMemory = false;
  private readonly statusListeners = new Set<(status: EngineStatus) => void>();
  private readonly progressListeners = new Set<(progress: EngineProgress) => void>();
  private readonly models: ModelCache;

  constructor(private readonly options: EngineManagerOptions) {
    this.instance = options.instance ?? DEFAULT_INSTANCE;
    this.models = new ModelCache(modelCachePath(options.dataDir, this.instance));
  }

  /**
   * The container a first start would create (models by id, the settings' port or the kind's default), built without
   * asking Docker: `funscribe engine command` prints it for running the same engine elsewhere.
   */
  plannedContainer(
    options: Pick<EnsureRunningOptions, 'kind' | 'gpu'> = {},
  ): Dockerode.ContainerCreateOptions {
    const { kind, image } = this.plan(options);
    return buildContainerSpec({
      kind,
      image,
      hostPort: this.fixedPort() ?? DEFAULT_HOST_PORT[kind],
      cores: this.cores(),
      limits: this.limits(kind),
      instance: this.instance,
      extraEnv: this.options.extraEnv,
    });
  }

  /**
   * What a start with the current settings would download: the image unless Docker has it (sized by its registry's
   * manifest within `deadlineMs`, else the catalog's estimate) and the models the volume lacks. Needs Docker.
   */
  async downloadPlan(deadlineMs?: number): Promise<EngineDownloadPlan> {
    await this.requireDocker();
    const { engine } = this.options;
    const { kind, image } = this.plan({});
    const imagePresent = await engine.imageExists(image);
    const measuredImageBytes = imagePresent
      ? null
      : await compressedImageBytes(image, { deadlineMs }).catch(() => null);
    const localModels = await this.models.present(
      await engine.volumeCreatedAt(modelsVolumeName(this.instance)),
    );
    return downloadPlan({ entry: CATALOG[kind], image, imagePresent, measuredImageBytes, localModels });
  }

  /** Chooses the NVIDIA GPU image (true) or the CPU one for later starts; a running engine is left as it is. */
  useGpu(gpu: boolean): void {
    this.options.settings.update({ gpu });
  }

  /** The current status, read from Docker (state during a start in flight comes from that start). */
  async status(): Promise<EngineStatus> {
    return (await this.read()).status;
  }

  /** The kind and endpoint of the engine when it is ready (read from Docker like `status`), else null. */
  async readyServer(): Promise<ReadyServer | null> {
    const { status, kind } = await this.read();
    return status.state === 'ready' && status.endpoint ? { kind, endpoint: status.endpoint } : null;
  }

  /** The kind of the engine while a start is in flight (pulling, loading...), else null. */
  startingKind(): EngineKind | null {
    return this.startTask.running ? this.startKind : null;
  }

  /** Starts the engine unless it is ready; concurrent callers share one start. Resolves with its ws:// endpoint. */
  async ensureRunning(options: EnsureRunningOptions = {}): Promise<{ endpoint: string }> {
    if (options.onProgress) this.progressListeners.add(options.onProgress);
    try {
      return await this.startTask.join((signal) => this.start(options, signal), options.signal);
    } finally {
      if (options.onProgress) this.progressListeners.delete(options.onProgress);
    }
  }

  /** Stops the engine (cancelling a start in flight); models and the container stay for a quick next start. */
  async stop(): Promise<void> {
    this.startTask.cancel();
    await this.requireDocker();
    this.redetecting?.abort();
    this.stopping = true;
    this.setState('stopping');
    try {
      for (const container of await this.options.engine.findManaged(this.instance)) {
        await this.options.engine.stop(container.id);
      }
    } finally {
      this.stopping = false;
    }
    this.setState('stopped');
  }

  /** Stops and starts the engine again, e.g. to free the memory the servers are known to leak. */
  async restart(options: EnsureRunningOptions = {}): Promise<{ endpoint: string }> {
    await this.stop();
    return this.ensureRunning(options);
  }

  /** Removes the engine's containers; with keepModels false also the models volume (a multi-GB re-download). */
  async remove(options: { keepModels: boolean } = { keepModels: true }): Promise<void> {
    await this.stop();
    for (const container of await this.options.engine.findManaged(this.instance)) {
      await this.options.engine.remove(container.id);
    }
    if (!options.keepModels) {
      await this.options.engine.removeVolume(modelsVolumeName(this.instance));
      await this.models.forget();
    }
    this.current = null;
    this.setState('absent');
  }

  /** The last `tail` lines of the engine's log. */
  async logs(tail = 200): Promise<string[]> {
    return this.options.engine.logs((await this.requireContainer()).id, { tail });
  }

  /** Follows the engine's log (from the last `tail` lines) until it stops or the signal aborts. */
  async followLogs(onLine: (line: string) => void, signal?: AbortSignal, tail = 0): Promise<void> {
    const container = await this.requireContainer();
    await this.options.engine.followLogs(container.id, { tail, signal }, onLine);
  }

  /** Calls `listener` on every state change; returns a function that unsubscribes. */
  onStatus(listener: (status: EngineStatus) => void): () => void {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  /**
   * Follows Docker events: a managed container that dies is noticed at once, and when it comes back (restart policy)
   * readiness is read from its log again. Also runs the optional periodic restart. Returns a function that stops it.
   */
  watch(): () => void {
    const controller = new AbortController();
    void this.options.engine
      .events(this.instance, controller.signal, (event) => this.onDockerEvent(event, controller.signal))
      .catch(() => undefined);
    const timer = setInterval(() => void this.restartIfDue().catch(() => undefined), 60_000);
    timer.unref();
    return () => {
      controller.abort();
      this.redetecting?.abort();
      clearInterval(timer);
    };
  }

  /** The status read from Docker, and the kind of server it describes. */
  private async read(): Promise<{ status: EngineStatus; kind: EngineKind }> {
    const docker = await this.options.engine.diagnose();
    this.dockerStatus = docker;
    const { kind, image } = this.plan({});
    const base: EngineStatus = {
      docker,
      image,
      container: null,
      state: docker.available ? 'absent' : 'no-docker',
      port: null,
      endpoint: null,
      gpu: CATALOG[kind].gpu,
      error: docker.problem ?? this.error,
    };
    if (!docker.available) return { status: base, kind };
    if (this.startTask.running) return { status: this.snapshot(), kind: this.current?.kind ?? kind };
    const container = await this.findContainer(kind);
    if (!container) return { status: base, kind };
    const state = await containerEngineState(this.options.engine, container, this.state);
    const status: EngineStatus = {
      ...base,
      image: container.image,
      container: { id: container.id, name: container.name },
      state,
      port: container.hostPort,
      endpoint: state === 'ready' && container.hostPort ? endpointOf(container.hostPort) : null,
      gpu: CATALOG[container.kind].gpu,
      error: state === 'failed' || state === 'stopped' ? this.error : null,
    };
    return { status, kind: container.kind };
  }

  /** Which kind and image a start with these overrides would run. */
  private plan(options: EnsureRunningOptions): { kind: EngineKind; image: string } {
    const settings = this.options.settings.get();
    const kind =
      this.options.pinnedKind ??
      effectiveKind({ kind: options.kind ?? settings.kind, gpu: options.gpu ?? settings.gpu });
    return { kind, image: options.image ?? resolveImageRef(kind, settings.images, this.options.env) };
  }

  /** The host port the settings fix for this engine, or null (the kind's default or the next free one). */
  private fixedPort(): number | null {
    return this.options.pinnedKind ? null : this.options.settings.get().port;
  }

  /** The limits of this engine running `kind`, within Docker's memory when a start has asked Docker for it. */
  private limits(kind: EngineKind): ContainerLimits {
    const machine = withDockerMemory(thisMachine(), this.dockerStatus?.memoryBytes ?? null);
    return engineLimits(this.options.settings.get(), kind, machine, this.options.role);
  }

  /** CPU cores to size the server's threads by. */
  private cores(): number {
    return this.options.cores ?? cpus().length;
  }

  /**
   * The whole start: Docker check, image, container (reused, recreated or new), readiness. Models a ready start has
   * shown to be in the volume are passed by path, so the server needs no network; the others by id. When a copy turns
   * out to be incomplete ("<file> do not exists."), they are forgotten and the start is made once more from the ids.
   */
  private async start(options: EnsureRunningOptions, signal: AbortSignal): Promise<{ endpoint: string }> {
    const { engine } = this.options;
    const { kind, image } = this.plan(options);
    this.startKind = kind;
    const volume = modelsVolumeName(this.instance);
    const modelKeys = CATALOG[kind].models.map(modelKey);
    this.error = null;
    this.current = null;
    try {
      await this.requireDocker();
      if (!(await engine.imageExists(image))) {
        this.setState('pulling');
        await engine.pull(image, { signal, onProgress: (progress) => this.emitProgress(progress) });
      }
      const attempt = (localModels: ReadonlySet<string>): Promise<number> =>
        this.launch({ ...options, kind, image, localModels }, signal);
      const localModels = await this.models.present(await engine.volumeCreatedAt(volume));
      const hostPort = await attempt(localModels).catch(async (error: unknown) => {
        const copyMissing =
          error instanceof FunscribeError &&
          error.code === 'ENGINE_FAILED' &&
          / do not exists\./.test(error.message);
        if (!copyMissing || signal.aborted || !modelKeys.some((key) => localModels.has(key))) throw error;
        await this.models.forget();
        return attempt(new Set());
      });
      const createdAt = await engine.volumeCreatedAt(volume);
      if (createdAt) await this.models.remember(createdAt, modelKeys);
      return { endpoint: endpointOf(hostPort) };
    } catch (error) {
      // Set by launch(); TypeScript still sees the null assigned above.
      const launched = this.current as { id: string } | null;
      if (signal.aborted && launched) await engine.stop(launched.id);
      const failure =
        signal.aborted && !(error instanceof FunscribeError && error.code === 'ENGINE_FAILED')
          ? new FunscribeError('CANCELLED', 'Starting the engine was cancelled.')
          : error;
      this.error = toErrorInfo(failure);
      this.setState(this.error.code === 'CANCELLED' ? 'stopped' : 'failed');
      throw failure;
    }
  }

  /** Runs the container of one start attempt until it is ready (a failed one is stopped); returns its host port. */
  private async launch(
    attempt: EnsureRunningOptions & { kind: EngineKind; image: string; localModels: ReadonlySet<string> },
    signal: AbortSignal,
  ): Promise<number> {
    const { engine } = this.options;
    const input = {
      kind: attempt.kind,
      image: attempt.image,
      localModels: attempt.localModels,
      cores: this.cores(),
      limits: this.limits(attempt.kind),
      instance: this.instance,
      extraEnv: this.options.extraEnv,
    };
    const fixedPort = attempt.port ?? this.fixedPort();
    const launched = await ensureContainer(engine, this.instance, input, fixedPort);
    this.current = { id: launched.id, kind: attempt.kind, image: attempt.image, port: launched.hostPort };
    try {
      await this.awaitReadiness(launched.id, launched.logSince, signal);
    } catch (error) {
      if (error instanceof FunscribeError && error.code === 'ENGINE_FAILED')
        await engine.stop(launched.id, 2);
      throw error;
    }
    return launched.hostPort;
  }

  /** Waits for the ready line in the log from `since` (the run's start), tracking state and progress. */
  private async awaitReadiness(id: string, since: number, signal: AbortSignal): Promise<void> {
    this.setState('starting');
    await waitForReady(this.options.engine, id, {
      since,
      signal,
      onState: (state) => this.setState(state),
      onProgress: (progress) => this.emitProgress(progress),
    });
    this.setState('ready');
  }

  /** The managed container of `kind` (else any managed container of this instance), or null. */
  private async findContainer(kind: EngineKind): Promise<ManagedContainer | null> {
    const managed = await this.options.engine.findManaged(this.instance);
    return managed.find((container) => container.kind === kind) ?? managed[0] ?? null;
  }

  /** Throws the user-facing Docker problem (not installed, not running, no permission…) when there is one. */
  private async requireDocker(): Promise<void> {
    const docker = await this.options.engine.diagnose();
    this.dockerStatus = docker;
    if (docker.problem) throw errorFromInfo(docker.problem);
  }

  /** The container to read logs from, or NOT_FOUND (or the Docker problem that stops us from looking). */
  private async requireContainer(): Promise<ManagedContainer> {
    await this.requireDocker();
    const container = await this.findContainer(this.plan({}).kind);
    if (!container) {
      throw new FunscribeError(
        'NOT_FOUND',
        'There is no engine container yet: start it with funscribe engine start.',
        { params: { reason: 'noContainer' } },
      );
    }
    return container;
  }

  /** Reacts to a Docker event about one of our containers (events caused by our own start or stop are ignored). */
  private onDockerEvent(event: ContainerEvent, signal: AbortSignal): void {
    if (this.startTask.running || this.stopping) return;
    if (event.action === 'oom') this.outOfMemory = true;
    if (event.action === 'start') void this.redetect(event.id);
    if (event.action !== 'die') return;
    const wasReady = this.state === 'ready';
    const exitCode = event.attributes.exitCode ?? '?';
    const memory = this.outOfMemory ? OUT_OF_MEMORY_ADVICE[this.options.role ?? 'main'] : '';
    this.outOfMemory = false;
    this.redetecting?.abort();
    this.error = {
      code: 'ENGINE_FAILED',
      message: `The engine stopped unexpectedly (exit code ${exitCode})${memory}.`,
    };
    this.setState('failed');
    if (wasReady && exitCode !== '0' && exitCode !== '143')
      void this.revive(event.id, signal).catch(() => undefined);
  }

  /**
   * Starts a crashed or killed engine again when Docker's restart policy does not (Docker 20.10 never restarts after
   * `docker kill`). Only an engine that was ready is revived, so a server failing at startup cannot loop; exit code
   * 143 (SIGTERM) means someone stopped it on purpose.
   */
  private async revive(id: string, signal: AbortSignal): Promise<void> {
    await delay(REVIVE_AFTER_MS, undefined, { signal });
    if (this.startTask.running || this.stopping) return;
    const info = await this.options.engine.inspect(id);
    if (info?.State.Status === 'exited') await this.options.engine.start(id);
  }

  /** Re-reads readiness of a container Docker started again on its own. */
  private async redetect(id: string): Promise<void> {
    this.redetecting?.abort();
    const controller = new AbortController();
    this.redetecting = controller;
    try {
      const info = await this.options.engine.inspect(id);
      await this.awaitReadiness(id, info ? currentRunSince(info.State) : 0, controller.signal);
      this.error = null;
      this.setState('ready');
    } catch (error) {
      if (controller.signal.aborted) return;
      this.error = toErrorInfo(error);
      this.setState('failed');
    }
  }

  /** Restarts a ready engine that has run for the configured number of hours, when allowed. */
  private async restartIfDue(): Promise<void> {
    const hours = this.options.settings.get().restartEveryHours;
    if (this.state !== 'ready' || !this.current || !(this.options.canRestart?.() ?? true)) return;
    const info = await this.options.engine.inspect(this.current.id);
    if (info && dueForRestart(Date.parse(info.State.StartedAt), Date.now(), hours)) await this.restart();
  }

  /** The in-memory status. */
  private snapshot(): EngineStatus {
    const kind = this.current?.kind ?? this.plan({}).kind;
    const port = this.current?.port ?? null;
    return {
      docker: this.dockerStatus ?? UNKNOWN_DOCKER,
      image: this.current?.image ?? this.plan({}).image,
      container: this.current ? { id: this.current.id, name: '' } : null,
      state: this.state,
      port,
      endpoint: this.state === 'ready' && port !== null ? endpointOf(port) : null,
      gpu: CATALOG[kind].gpu,
      error: this.error,
    };
  }

  /** Moves to a state and tells the listeners. */
  private setState(state: EngineState): void {
    if (state === this.state) return;
    this.state = state;
    const status = this.snapshot();
    for (const listener of this.statusListeners) listener(status);
  }

  /** Hands progress to every caller waiting on the start in flight. */
  private emitProgress(progress: EngineProgress): void {
    for (const listener of this.progressListeners) listener(progress);
  }
}
