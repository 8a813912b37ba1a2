// The model-path part of the binaries' startup log, without any download: local paths are used as given,
// model ids are shown resolved under --download-model-dir (where the real server would have fetched them).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { LOGGED_FLAGS, type ServerFlags } from './cli-flags.js';

interface ModelStep {
  flag: string;
  /** The offline binary handles VAD, ASR and punctuation only when the flag was given. */
  onlyWhenGiven: boolean;
  notSet: string;
}

const STEPS: Record<ServerFlags['protocol'], ModelStep[]> = {
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

/** The startup lines before "hotword path:": one `<flag> : <value>` per logged flag, then the model paths. */
export function startupLines(flags: ServerFlags): string[] {
  const value = (name: string): string => flags.values.get(name) ?? '';
  const lines = LOGGED_FLAGS[flags.protocol].map((name) => `${name} : ${value(name)}`);
  const english = value('model-dir').includes(ENGLISH_MODEL);
  for (const step of STEPS[flags.protocol]) {
    let path = value(step.flag);
    if (english && (step.flag === 'itn-dir' || step.flag === 'lm-dir')) path = '';
    if (step.flag === 'lm-dir' && (path === 'NONE' || path === 'none')) path = '';
    if (path === '' || (step.onlyWhenGiven && !flags.given.has(step.flag))) {
      lines.push(step.notSet);
      continue;
    }
    const resolved = existsSync(path) ? path : join(value('download-model-dir'), path);
    lines.push(`Set ${step.flag} : ${resolved}`);
  }
  return lines;
}
