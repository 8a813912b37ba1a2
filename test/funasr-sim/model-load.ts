// The real binaries' model loading, simulated: once the port is bound ("SSL is closed!") they spend seconds loading
// each model before the ready line, and a websocket handshake is not answered meanwhile. A binary built without GPU
// code given --gpu logs "GPU is not supported! CPU will be used!…" at ERROR and carries on (offline-stream.cpp); the
// GPU image's build (FUNASR_SIM_BUILD=gpu) loads the TorchScript export. See README.md "Model loading".
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ServerFlags } from './cli-flags.js';
import type { SimLogger } from './glog.js';
import { expectedFile, modelKind, usesGpu, type ModelKind } from './model-files.js';
import { modelSteps } from './startup-lines.js';

/** The glog source tag of the class that loads each kind of model. */
const LOADER_SOURCES: Record<ModelKind, string> = {
  vad: 'fsmn-vad.cpp:38',
  asr: 'paraformer.cpp:48',
  'asr-online': 'paraformer-online.cpp:31',
  punc: 'ct-transformer.cpp:29',
  itn: 'itn-processor.cpp:33',
  lm: 'wfst-decoder.cpp:21',
};

/** How long loading all models takes, in ms (env FUNASR_SIM_LOAD_MS, default 0). */
export function loadDelayMs(env: NodeJS.ProcessEnv = process.env): number {
  const ms = Number(env.FUNASR_SIM_LOAD_MS ?? '');
  return env.FUNASR_SIM_LOAD_MS && Number.isFinite(ms) && ms >= 0 ? ms : 0;
}

/** One line of the loading phase: its glog severity, source tag and text. */
interface LoadLine {
  severity: 'I' | 'E';
  source: string;
  text: string;
}

/** Whether the stand-in plays the GPU image's binary (built with GPU code): env FUNASR_SIM_BUILD=gpu. */
export function isGpuBuild(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.FUNASR_SIM_BUILD === 'gpu';
}

/** What a binary built without GPU code logs when given --gpu (it goes on with the CPU). */
const GPU_NOT_SUPPORTED =
  'GPU is not supported! CPU will be used! If you want to use GPU, please add -DGPU=ON when cmake';

/** The flags as the CPU build goes on with them: --gpu dropped. */
function withoutGpu(flags: ServerFlags): ServerFlags {
  return { ...flags, values: new Map(flags.values).set('gpu', 'false') };
}

/**
 * One `Successfully load model from <file>` line per model the binary loads, with its loader's source tag; before the
 * ASR model, the CPU build's refusal of --gpu (it then loads the ONNX file instead).
 */
export function loadLines(flags: ServerFlags, gpuBuild = isGpuBuild()): LoadLine[] {
  const cpuFallback = usesGpu(flags) && !gpuBuild;
  return modelSteps(flags).flatMap((step): LoadLine[] => {
    if (!step.set) return [];
    const kind = modelKind(step.flag);
    const loaded = cpuFallback ? withoutGpu(flags) : flags;
    const file = join(step.path, expectedFile(kind, loaded));
    const line: LoadLine = {
      severity: 'I',
      source: LOADER_SOURCES[kind],
      text: `Successfully load model from ${file}`,
    };
    if (kind !== 'asr' || !cpuFallback) return [line];
    return [{ severity: 'E', source: 'offline-stream.cpp:45', text: GPU_NOT_SUPPORTED }, line];
  });
}

/** Logs the load lines, spreading `totalMs` evenly before the model lines (the time the real binary spends per model). */
export async function loadModels(flags: ServerFlags, log: SimLogger, totalMs: number): Promise<void> {
  const lines = loadLines(flags);
  const models = lines.filter((line) => line.severity === 'I').length;
  if (models === 0) await sleep(totalMs);
  for (const line of lines) {
    if (line.severity === 'I') await sleep(totalMs / models);
    log(line.severity, line.source, line.text);
  }
}
