// The managed engine's settings (kind, image overrides, port, GPU, periodic restart, memory and CPU limits), stored
// under their own key.
import { cpus, totalmem } from 'node:os';
import * as v from 'valibot';
import {
  fields,
  flag,
  numberWithin,
  patchOf,
  plainObject,
  type Message,
} from '../../src-shared/schemas/rules.js';
import type { SettingsRepository } from '../store/settings-repo.js';
import { parseOrThrow } from '../util/validation.js';
import { CATALOG, ENGINE_KINDS } from './catalog.js';
import type { EngineKind } from '../../src-shared/engine-types.js';

/** The settings a new installation starts with. */
export const DEFAULT_ENGINE_SETTINGS: EngineSettings = {
  kind: 'offline-cpu',
  images: {},
  port: null,
  gpu: false,
  restartEveryHours: 0,
  memoryGiB: null,
  cpus: null,
};

const KEY = 'engine';

/** The size of the computer the engine runs on, as the limits' defaults and checks see it. */
export interface MachineSize {
  totalMemoryBytes: number;
  cpuCount: number;
}

/** The memory and CPU limits of an engine container. */
export interface ContainerLimits {
  memoryBytes: number;
  /** CPUs, fractions allowed. */
  cpus: number;
}

const GIB = 1024 ** 3;
/** Below this the servers cannot hold their models (the Chinese LM alone is about 0.9 GB). */
export const MIN_MEMORY_GIB = 2;
/**
 * What the main engine of each kind should get when the computer has it: FunASR's smallest documented machine is 4
 * vCPUs with 8 GB for the CPU images and 8 vCPUs with 32 GB for the GPU image (runtime/docs/SDK_tutorial.md,
 * SDK_advanced_guide_offline_gpu_zh.md).
 */
const WANTED_MEMORY_GIB = { cpu: 8, gpu: 32 } as const;
/**
 * What the live-caption engine should get: its 2pass server holds two quantized Paraformer-large ONNX models (offline
 * and streaming, about 0.24 GB on disk each, several times that once onnxruntime has built its sessions), the realtime
 * punctuation model (about 0.3 GB), the VAD (10 MB), the n-gram LM FST read whole into memory (about 0.8 GB) and ITN
 * FSTs, and keeps about 100 MB per connection it never frees (FunASR issue #2164): about 3 GB, with room to spare.
 * Not measured here (the real image and its models were not at hand); the caption engine shows a failure with the
 * out-of-memory hint if it is too little.
 */
const CAPTION_MEMORY_GIB = 4;
/** The share of the memory (this computer's, or Docker's when less) the managed engines get together by default. */
const DEFAULT_MEMORY_SHARE = 0.75;

/** Which of the two managed engines limits are for: the main (file) engine, or the live-caption engine beside it. */
export type EngineRole = 'main' | 'captions';

/** This computer's memory and CPU count. */
export function thisMachine(): MachineSize {
  return { totalMemoryBytes: totalmem(), cpuCount: Math.max(1, cpus().length) };
}

/** The machine as the engines see it: this computer's memory, or Docker's (its MemTotal, e.g. Docker Desktop's VM) when less. */
export function withDockerMemory(machine: MachineSize, dockerMemoryBytes: number | null): MachineSize {
  return dockerMemoryBytes
    ? { ...machine, totalMemoryBytes: Math.min(machine.totalMemoryBytes, dockerMemoryBytes) }
    : machine;
}

/** `bytes` in GiB with one decimal, for messages. */
const gib = (bytes: number): string => (bytes / GIB).toFixed(1);

/** GiB rounded down to 0.5 GiB steps. */
const halfSteps = (gibs: number): number => Math.floor(gibs / 0.5) * 0.5;

/**
 * The memory caps (GiB) of the two managed engines, decided together so that both running stay within the engines'
 * share of the memory (3/4 of this computer's, or of Docker's when less, in 0.5 GiB steps): the caption engine's is its
 * own figure (CAPTION_MEMORY_GIB) or a third of the share, whichever is less; the main engine gets what FunASR wants for
 * its kind or what the caption engine leaves, whichever is less (all of the share when it runs the 2pass kind, as its
 * server then serves the captions and no caption engine starts). The setting memoryGiB is the main engine's and
 * replaces its default; the caption engine then gets what is left of the share, up to its own figure. Neither gets
 * less than MIN_MEMORY_GIB, so on a very small machine the two together may exceed the share.
 */
export function engineMemoryGiB(
  settings: Pick<EngineSettings, 'memoryGiB'>,
  mainKind: EngineKind,
  machine: MachineSize,
): Record<EngineRole, number> {
  const share = halfSteps((machine.totalMemoryBytes / GIB) * DEFAULT_MEMORY_SHARE);
  const captionDefault = Math.min(CAPTION_MEMORY_GIB, Math.max(MIN_MEMORY_GIB, halfSteps(share / 3)));
  const wanted = WANTED_MEMORY_GIB[CATALOG[mainKind].gpu ? 'gpu' : 'cpu'];
  const reserved = CATALOG[mainKind].protocol === '2pass' ? 0 : captionDefault;
  const main = settings.memoryGiB ?? Math.max(MIN_MEMORY_GIB, Math.min(wanted, share - reserved));
  return { main, captions: Math.max(MIN_MEMORY_GIB, Math.min(captionDefault, share - main)) };
}

/**
 * The limits an engine runs with: memory from engineMemoryGiB (the main engine of `kind`, or the caption engine beside
 * the main engine the settings choose), capped at the computer's size (settings may come from a bigger one); CPUs from
 * the settings, else all but one, so that the app stays responsive (the same for both engines: CPU time is shared, not
 * reserved).
 */
export function engineLimits(
  settings: Pick<EngineSettings, 'memoryGiB' | 'cpus' | 'kind' | 'gpu'>,
  kind: EngineKind,
  machine: MachineSize = thisMachine(),
  role: EngineRole = 'main',
): ContainerLimits {
  const mainKind = role === 'main' ? kind : effectiveKind(settings);
  const memoryGiB = engineMemoryGiB(settings, mainKind, machine)[role];
  return {
    memoryBytes: Math.min(Math.round(memoryGiB * GIB), machine.totalMemoryBytes),
    cpus: Math.min(settings.cpus ?? Math.max(1, machine.cpuCount - 1), machine.cpuCount),
  };
}

const got = (issue: v.BaseIssue<unknown>): string => JSON.stringify(issue.input);

/** An engine kind of the catalog. */
const EngineKindSchema = v.picklist(ENGINE_KINDS, (issue) => `There is no engine kind ${got(issue)}.`);

const imageRefMessage: Message = (issue) =>
  `An image reference looks like registry/name:tag (got ${got(issue)}).`;

/** An image reference: no spaces, a name part; trimmed. */
export const ImageRefSchema = v.pipe(
  v.string(imageRefMessage),
  v.check((ref) => /^[a-z0-9][\w.\-/:@]*$/i.test(ref.trim()) && ref.length <= 300, imageRefMessage),
  v.trim(),
);

/** A host port (1024–65535). */
export const PortSchema = numberWithin(
  1024,
  65535,
  (issue) => `The engine port must be a whole number from 1024 to 65535 (got ${got(issue)}).`,
);

/** Image references per kind; an empty or null reference drops the override. */
const ImagesSchema = v.pipe(
  plainObject('Image overrides must be an object from engine kind to image reference.'),
  v.record(EngineKindSchema, v.unknown()),
  v.transform((images) =>
    Object.fromEntries(Object.entries(images).filter(([, ref]) => ref !== '' && ref !== null)),
  ),
  v.record(EngineKindSchema, ImageRefSchema),
);

const restartMessage = 'The engine restart interval must be 0 (never) or from 1 to 720 hours.';

/** The rules of every engine setting; the memory and CPU limits are bounded by `machine` (this computer). */
function engineSettingsEntries(machine: MachineSize) {
  const memoryMessage: Message = (issue) =>
    `The main engine's memory limit must be a number of GiB from ${MIN_MEMORY_GIB} (FunASR cannot load its models ` +
    `with less) to ${gib(machine.totalMemoryBytes)} (this computer's memory); got ${got(issue)}.`;
  const cpusMessage: Message = (issue) =>
    `The engine CPU limit must be a number of CPUs from 1 to ${machine.cpuCount} (this computer's), in steps of ` +
    `0.01 at most; got ${got(issue)}.`;
  return {
    /** Which image to run. */
    kind: EngineKindSchema,
    /** Image references that replace the catalog's, per kind. */
    images: ImagesSchema,
    /** A fixed host port, or null to use the kind's default (or the next free one). */
    port: v.nullable(PortSchema),
    /** Run the GPU image instead of the offline CPU one. */
    gpu: flag('The setting gpu'),
    /** Restart the server after this many hours up (its memory grows); 0 = never. */
    restartEveryHours: v.pipe(
      v.number(restartMessage),
      v.check((hours) => hours === 0 || (hours >= 1 && hours <= 24 * 30), restartMessage),
    ),
    /**
     * Memory the main engine's container may use, in GiB; null = the default for this computer. The live-caption
     * engine gets what is left of the engines' share (see engineMemoryGiB).
     */
    memoryGiB: v.nullable(
      v.pipe(
        v.number(memoryMessage),
        v.finite(memoryMessage),
        v.minValue(MIN_MEMORY_GIB, memoryMessage),
        v.maxValue(machine.totalMemoryBytes / GIB, memoryMessage),
      ),
    ),
    /** CPUs the engine container may use, fractions allowed (docker run --cpus); null = the default for this computer. */
    cpus: v.nullable(
      v.pipe(
        v.number(cpusMessage),
        v.finite(cpusMessage),
        v.minValue(1, cpusMessage),
        v.maxValue(machine.cpuCount, cpusMessage),
        v.check((count) => Math.abs(count * 100 - Math.round(count * 100)) <= 1e-9, cpusMessage),
      ),
    ),
  };
}

type EngineSettingsEntries = ReturnType<typeof engineSettingsEntries>;

/** What the user can choose about the managed engine (see engineSettingsEntries for each setting). */
export type EngineSettings = { [K in keyof EngineSettingsEntries]: v.InferOutput<EngineSettingsEntries[K]> };

/** A change of some engine settings, with the limits checked against `machine`. */
function engineSettingsPatchSchema(machine: MachineSize) {
  return fields(patchOf(engineSettingsEntries(machine)), {
    notObject: 'Engine settings must be an object.',
    unknown: (keys) => `There is no engine setting called ${JSON.stringify(keys[0])}.`,
  });
}

/** Checks an image reference; returns it trimmed. */
export function validateImageRef(value: unknown): string {
  return parseOrThrow(ImageRefSchema, value);
}

/** Checks a host port value (1024–65535). */
export function validatePort(value: unknown): number {
  return parseOrThrow(PortSchema, value);
}

/**
 * Validates a partial change of the engine settings; unknown keys and wrong types are refused. The limits are checked
 * against `machine` (this computer).
 */
export function validateEngineSettingsPatch(
  patch: unknown,
  machine: MachineSize = thisMachine(),
): Partial<EngineSettings> {
  return parseOrThrow(engineSettingsPatchSchema(machine), patch);
}

/** The kind actually run: the GPU setting turns the offline CPU engine into the GPU one. */
export function effectiveKind(settings: Pick<EngineSettings, 'kind' | 'gpu'>): EngineKind {
  return settings.gpu && settings.kind === 'offline-cpu' ? 'offline-gpu' : settings.kind;
}

/** Reads and writes the engine settings, merging stored values over the defaults. */
export class EngineSettingsStore {
  constructor(private readonly repo: SettingsRepository) {}

  /** The current engine settings. */
  get(): EngineSettings {
    return { ...DEFAULT_ENGINE_SETTINGS, ...this.repo.get<Partial<EngineSettings>>(KEY, {}) };
  }

  /** Validates and applies a change; returns the new settings. */
  update(patch: unknown): EngineSettings {
    const next = { ...this.get(), ...validateEngineSettingsPatch(patch) };
    this.repo.set(KEY, next);
    return next;
  }
}
