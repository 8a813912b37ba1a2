// The FunASR runtime images FunScribe can run, the models each server loads, and where image references come from.
// Model ids and flags follow the runtime's run_server.sh (offline) and run_server_2pass.sh (2pass) defaults; sizes are
// rough figures from the FunASR issue tracker (nobody here has measured them), for the UI before a download starts.
import type { CatalogImage, CatalogModel, EngineKind } from './engine-types.js';

const REGISTRY = 'registry.cn-hangzhou.aliyuncs.com/funasr_repo/funasr';
const BIN_DIR = '/workspace/FunASR/runtime/websocket/build/bin';
const MB = 1_000_000;

/** The directory inside every image that holds the server binaries. */
export const SERVER_BIN_DIR = BIN_DIR;

/** Every engine kind, in the order the UI lists them. */
export const ENGINE_KINDS: readonly EngineKind[] = ['offline-cpu', 'offline-gpu', 'online-cpu', 'en-cpu'];

const model = (role: CatalogModel['role'], flag: string, id: string, approxBytes: number): CatalogModel => ({
  role,
  flag,
  id,
  approxBytes,
});

const ZH_ITN = model('itn', '--itn-dir', 'thuduj12/fst_itn_zh', 20 * MB);
/** The VAD, large punctuation and n-gram LM models both offline Chinese images load. */
const ZH_VAD = model('vad', '--vad-dir', 'iic/speech_fsmn_vad_zh-cn-16k-common-onnx', 10 * MB);
const ZH_PUNC = model(
  'punc',
  '--punc-dir',
  'iic/punc_ct-transformer_cn-en-common-vocab471067-large-onnx',
  1000 * MB,
);
const ZH_LM = model('lm', '--lm-dir', 'iic/speech_ngram_lm_zh-cn-ai-wesp-fst', 800 * MB);

/** The four images with their models and features. */
export const CATALOG: Readonly<Record<EngineKind, CatalogImage>> = {
  'offline-cpu': {
    kind: 'offline-cpu',
    title: 'Chinese file transcription (CPU)',
    reference: `${REGISTRY}:funasr-runtime-sdk-cpu-0.4.7`,
    protocol: 'offline',
    gpu: false,
    serverBinary: `${BIN_DIR}/funasr-wss-server`,
    models: [
      ZH_VAD,
      model(
        'asr',
        '--model-dir',
        'iic/speech_paraformer-large-vad-punc_asr_nat-zh-cn-16k-common-vocab8404-onnx',
        1100 * MB,
      ),
      ZH_PUNC,
      ZH_LM,
      ZH_ITN,
    ],
    approxImageBytes: 1500 * MB,
    features: { timestamps: true, hotwords: true, itn: true, liveCaptions: false },
  },
  'offline-gpu': {
    kind: 'offline-gpu',
    title: 'Chinese file transcription (NVIDIA GPU)',
    reference: `${REGISTRY}:funasr-runtime-sdk-gpu-0.2.1`,
    protocol: 'offline',
    gpu: true,
    serverBinary: `${BIN_DIR}/funasr-wss-server`,
    models: [
      ZH_VAD,
      model(
        'asr',
        '--model-dir',
        'iic/speech_paraformer-large-vad-punc_asr_nat-zh-cn-16k-common-vocab8404-pytorch',
        900 * MB,
      ),
      ZH_PUNC,
      ZH_LM,
      ZH_ITN,
    ],
    approxImageBytes: 8000 * MB,
    features: { timestamps: true, hotwords: true, itn: true, liveCaptions: false },
  },
  'online-cpu': {
    kind: 'online-cpu',
    title: 'Chinese live captions and files (2pass, CPU)',
    reference: `${REGISTRY}:funasr-runtime-sdk-online-cpu-0.1.13`,
    protocol: '2pass',
    gpu: false,
    serverBinary: `${BIN_DIR}/funasr-wss-server-2pass`,
    models: [
      model('vad', '--vad-dir', 'damo/speech_fsmn_vad_zh-cn-16k-common-onnx', 10 * MB),
      model(
        'asr',
        '--model-dir',
        'damo/speech_paraformer-large_asr_nat-zh-cn-16k-common-vocab8404-onnx',
        1100 * MB,
      ),
      model(
        'online-asr',
        '--online-model-dir',
        'damo/speech_paraformer-large_asr_nat-zh-cn-16k-common-vocab8404-online-onnx',
        1100 * MB,
      ),
      model(
        'punc',
        '--punc-dir',
        'damo/punc_ct-transformer_zh-cn-common-vad_realtime-vocab272727-onnx',
        300 * MB,
      ),
      model('lm', '--lm-dir', 'damo/speech_ngram_lm_zh-cn-ai-wesp-fst', 800 * MB),
      ZH_ITN,
    ],
    approxImageBytes: 1500 * MB,
    features: { timestamps: false, hotwords: true, itn: true, liveCaptions: true },
  },
  'en-cpu': {
    kind: 'en-cpu',
    title: 'English file transcription (CPU)',
    reference: `${REGISTRY}:funasr-runtime-sdk-en-cpu-0.1.8`,
    protocol: 'offline',
    gpu: false,
    serverBinary: `${BIN_DIR}/funasr-wss-server`,
    models: [
      model('vad', '--vad-dir', 'damo/speech_fsmn_vad_zh-cn-16k-common-onnx', 10 * MB),
      model(
        'asr',
        '--model-dir',
        'damo/speech_paraformer-large_asr_nat-en-16k-common-vocab10020-onnx',
        1000 * MB,
      ),
      model('punc', '--punc-dir', 'damo/punc_ct-transformer_cn-en-common-vocab471067-large-onnx', 1000 * MB),
    ],
    approxImageBytes: 1500 * MB,
    // The English model turns ITN and the n-gram LM off in the server, and FST hotwords need the LM.
    features: { timestamps: false, hotwords: false, itn: false, liveCaptions: false },
  },
};

/** The environment variable that overrides each kind's image (tests point these at a local registry). */
export const IMAGE_ENV: Readonly<Record<EngineKind, string>> = {
  'offline-cpu': 'FUNSCRIBE_IMAGE_OFFLINE_CPU',
  'offline-gpu': 'FUNSCRIBE_IMAGE_OFFLINE_GPU',
  'online-cpu': 'FUNSCRIBE_IMAGE_ONLINE_CPU',
  'en-cpu': 'FUNSCRIBE_IMAGE_EN_CPU',
};

/** The host port the FunASR docs publish each image on; used unless taken. */
export const DEFAULT_HOST_PORT: Readonly<Record<EngineKind, number>> = {
  'offline-cpu': 10095,
  'offline-gpu': 10098,
  'online-cpu': 10096,
  'en-cpu': 10097,
};

/** Whether a value names one of the engine kinds. */
export function isEngineKind(value: unknown): value is EngineKind {
  return typeof value === 'string' && (ENGINE_KINDS as readonly string[]).includes(value);
}

/** The image reference to run for a kind: the settings override, then the environment, then the catalog default. */
export function resolveImageRef(
  kind: EngineKind,
  overrides: Partial<Record<EngineKind, string>> = {},
  env: NodeJS.ProcessEnv = process.env,
): string {
  const fromSettings = overrides[kind]?.trim();
  if (fromSettings) return fromSettings;
  const fromEnv = env[IMAGE_ENV[kind]]?.trim();
  return fromEnv || CATALOG[kind].reference;
}
