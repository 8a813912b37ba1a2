// The real binaries' model loading, simulated: once the port is bound ("SSL is closed!") they spend seconds loading
// each model before the ready line, and a websocket handshake is not answered meanwhile. See README.md "Model loading".
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ServerFlags } from './cli-flags.js';
import type { SimLogger } from './glog.js';
import { expectedFile, modelKind, type ModelKind } from './model-files.js';
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

/** One `Successfully load model from <file>` line per model the binary loads, with its loader's source tag. */
export function loadLines(flags: ServerFlags): { source: string; text: string }[] {
  return modelSteps(flags).flatMap((step) => {
    if (!step.set) return [];
    const kind = modelKind(step.flag);
    const file = join(step.path, expectedFile(kind, flags));
    return [{ source: LOADER_SOURCES[kind], text: `Successfully load model from ${file}` }];
  });
}

/** Logs the load lines, spreading `totalMs` evenly before them (the time the real binary spends per model). */
export async function loadModels(flags: ServerFlags, log: SimLogger, totalMs: number): Promise<void> {
  const lines = loadLines(flags);
  if (lines.length === 0) await sleep(totalMs);
  for (const line of lines) {
    await sleep(totalMs / lines.length);
    log('I', line.source, line.text);
  }
}
