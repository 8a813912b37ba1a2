// What the ASR model given to the server (`--model-dir`) decides about the replies: timestamps and language.
import type { SimLanguage } from './placeholder-text.js';

/** The ASR model run_server.sh (offline) and run_server_2pass.sh (2pass) pass by default: both vad-punc models. */
export const SCRIPT_DEFAULT_MODEL_DIRS = {
  offline: 'iic/speech_paraformer-large-vad-punc_asr_nat-zh-cn-16k-common-vocab8404-onnx',
  '2pass': 'damo/speech_paraformer-large-vad-punc_asr_nat-zh-cn-16k-common-vocab8404-onnx',
} as const;

/**
 * Only the vad-punc Paraformer is exported with four outputs (paraformer.cpp reads us_alphas and us_peaks when
 * `outputTensor.size() == 4`), so only it yields `timestamp` and `stamp_sents`. The binaries match model names by
 * substring (funasr-wss-server.cpp), so ids and local paths under the models volume both count.
 */
const TIMESTAMP_MODEL = 'speech_paraformer-large-vad-punc_asr_nat-';
/** The English Paraformer of the English image (funasr-wss-server.cpp turns ITN and the LM off for it). */
const ENGLISH_MODEL = 'speech_paraformer-large_asr_nat-en-16k-common-vocab10020';

/** What the sim's replies follow from the ASR model. */
export interface AsrModelTraits {
  /** Whether replies carry `timestamp` and `stamp_sents`. */
  timestamps: boolean;
  /** The language the model forces, or null when the placeholder language may be chosen. */
  language: SimLanguage | null;
}

/** The traits of the ASR model at `modelDir` (a ModelScope id or a directory). */
export function asrModelTraits(modelDir: string): AsrModelTraits {
  return {
    timestamps: modelDir.includes(TIMESTAMP_MODEL),
    language: modelDir.includes(ENGLISH_MODEL) ? 'en' : null,
  };
}
