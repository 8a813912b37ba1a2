// The model-path part of the binaries' startup log: which model flags are used, and where each model is found.
// Local paths are used as given; model ids resolve under --download-model-dir (where the real server fetches them).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LOGGED_FLAGS, type ServerFlags } from './cli-flags.js';

interface StepSpec {
  flag: string;
  /** The offline binary handles VAD, ASR and punctuation only when the flag was given. */
  onlyWhenGiven: boolean;
  notSet: string;
}

const STEPS: Record<ServerFlags['protocol'], StepSpec[]> = {
  offline: [
    { flag: 'vad-dir', onlyWhenGiven: true, notSet: 'VAD model is not set, use default.' },
    { flag: 'model-dir', onlyWhenGiven: true, notSet: 'ASR model is not set, use default.' },
    { flag: 'itn-dir', onlyWhenGiven: false, notSet: 'ITN model is not set, not executed.' },
    { flag: 'lm-dir', onlyWhenGiven: false, notSet: 'LM model is not set, not executed.' },
    { flag: 'punc-dir', onlyWhenGiven: true, notSet: 'PUNC model is not set, use default.' },
  ],
  '2pass': [
    { flag: 'vad-dir', onlyWhenGiven: false, notSet: 'VAD model is not set, use default.' },
    { flag: 'model-dir', onlyWhenGiven: false, notSet: 'ASR Offline model is not set, use default.' },
    { flag: 'online-model-dir', onlyWhenGiven: false, notSet: 'ASR online model is not set, use default.' },
    { flag: 'lm-dir', onlyWhenGiven: false, notSet: 'LM model is not set, not executed.' },
    { flag: 'punc-dir', onlyWhenGiven: false, notSet: 'PUNC model is not set, use default.' },
    { flag: 'itn-dir', onlyWhenGiven: false, notSet: 'ITN model is not set, not executed.' },
  ],
};

const ENGLISH_MODEL = 'speech_paraformer-large_asr_nat-en-16k-common-vocab10020';

/** What the binary does with one model flag at start: log that it is not set, or load a model id / local path. */
export type ModelStep =
  | { flag: string; set: false; notSet: string }
  | { flag: string; set: true; value: string; local: boolean; path: string };

/** The first startup lines: one `<flag> : <value>` per logged flag, in the binary's order. */
export function flagLines(flags: ServerFlags): string[] {
  return LOGGED_FLAGS[flags.protocol].map((name) => `${name} : ${flags.values.get(name) ?? ''}`);
}

/** The model flags in the order the binary handles them, each resolved to a local path or a downloaded id. */
export function modelSteps(flags: ServerFlags): ModelStep[] {
  const value = (name: string): string => flags.values.get(name) ?? '';
  const english = value('model-dir').includes(ENGLISH_MODEL);
  return STEPS[flags.protocol].map((step): ModelStep => {
    let path = value(step.flag);
    if (english && (step.flag === 'itn-dir' || step.flag === 'lm-dir')) path = '';
    if (step.flag === 'lm-dir' && (path === 'NONE' || path === 'none')) path = '';
    if (path === '' || (step.onlyWhenGiven && !flags.given.has(step.flag))) {
      return { flag: step.flag, set: false, notSet: step.notSet };
    }
    const local = existsSync(path);
    return {
      flag: step.flag,
      set: true,
      value: path,
      local,
      path: local ? path : join(value('download-model-dir'), path),
    };
  });
}

/** The startup lines before "hotword path:" when nothing is downloaded: flag lines, then one line per model. */
export function startupLines(flags: ServerFlags): string[] {
  return flagLines(flags).concat(
    modelSteps(flags).map((step) => (step.set ? `Set ${step.flag} : ${step.path}` : step.notSet)),
  );
}
