// The FunASR runtime images FunScribe can run, the models each server loads, and where image references come from.
// Model ids and flags follow the runtime's run_server.sh (offline) and run_server_2pass.sh (2pass) defaults, with the
// revisions the current binaries default to (passed explicitly, as older images default to older ones); sizes are rough
// figures from the FunASR issue tracker (nobody here has measured them), for the UI before a download starts.
import type { CatalogImage, CatalogModel, EngineKind } from '../../src-shared/engine-types.js';

const REGISTRY = 'registry.cn-hangzhou.aliyuncs.com/funasr_repo/funasr';
const BIN_DIR = '/workspace/FunASR/runtime/websocket/build/bin';
const MB = 1024 * 1024;

/** The directory inside every image that holds the server binaries. */
export const SERVER_BIN_DIR = BIN_DIR;

/** Every engine kind, in the order the UI lists them. */
export const ENGINE_KINDS: readonly EngineKind[] = ['offline-cpu', 'offline-gpu', 'online-cpu', 'en-cpu'];

/** The revision of the ASR and punctuation models (the binaries' default since 2024-09, v2.0.4 before). */
const MODEL_REVISION = 'v2.0.5';

/** The flag that passes a model's revision to the download tool, per server binary. */
const REVISION_FLAGS: Record<'offline' | '2pass', Record<string, string>> = {
  offline: { '--model-dir': '--model-revision' },
  '2pass': { '--model-dir': '--offline-model-revision', '--online-model-dir': '--online-model-revision' },
};

const model = (
  protocol: 'offline' | '2pass',
  role: CatalogModel['role'],
  flag: string,
  id: string,
  revision: string,
  approxBytes: number,
): CatalogModel => ({
  role,
  flag,
  id,
  revisionFlag: REVISION_FLAGS[protocol][flag] ?? flag.replace(/-dir$/, '-revision'),
  revision,
  approxBytes,
});

const ZH_ITN = model('offline', 'itn', '--itn-dir', 'thuduj12/fst_itn_zh', 'v1.0.1', 20 * MB);
/** The VAD, large punctuation and n-gram LM models both offline Chinese images load. */
const ZH_VAD = model(
  'offline',
  'vad',
  '--vad-dir',
  'iic/speech_fsmn_vad_zh-cn-16k-common-onnx',
  'v2.0.6',
  10 * MB,
);
const ZH_PUNC = model(
  'offline',
  'punc',
  '--punc-dir',
  'iic/punc_ct-transformer_cn-en-common-vocab471067-large-onnx',
  MODEL_REVISION,
  1000 * MB,
);
const ZH_LM = model('offline', 'lm', '--lm-dir', 'iic/speech_ngram_lm_zh-cn-ai-wesp-fst', 'v1.0.2', 800 * MB);

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
        'offline',
        'asr',
        '--model-dir',
        'iic/speech_paraformer-large-vad-punc_asr_nat-zh-cn-16k-common-vocab8404-onnx',
        MODEL_REVISION,
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
        'offline',
        'asr',
        '--model-dir',
        'iic/speech_paraformer-large-vad-punc_asr_nat-zh-cn-16k-common-vocab8404-pytorch',
        MODEL_REVISION,
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
      model('2pass', 'vad', '--vad-dir', 'damo/speech_fsmn_vad_zh-cn-16k-common-onnx', 'v2.0.4', 10 * MB),
      // run_server_2pass.sh's offline model since 2024-02: the timestamp (vad-punc) Paraformer.
      model(
        '2pass',
        'asr',
        '--model-dir',
        'damo/speech_paraformer-large-vad-punc_asr_nat-zh-cn-16k-common-vocab8404-onnx',
        MODEL_REVISION,
        1100 * MB,
      ),
      model(
        '2pass',
        'online-asr',
        '--online-model-dir',
        'damo/speech_paraformer-large_asr_nat-zh-cn-16k-common-vocab8404-online-onnx',
        MODEL_REVISION,
        1100 * MB,
      ),
      model(
        '2pass',
        'punc',
        '--punc-dir',
        'damo/punc_ct-transformer_zh-cn-common-vad_realtime-vocab272727-onnx',
        MODEL_REVISION,
        300 * MB,
      ),
      model('2pass', 'lm', '--lm-dir', 'damo/speech_ngram_lm_zh-cn-ai-wesp-fst', 'v1.0.2', 800 * MB),
      model('2pass', 'itn', '--itn-dir', 'thuduj12/fst_itn_zh', 'v1.0.1', 20 * MB),
    ],
    approxImageBytes: 1500 * MB,
    features: { timestamps: true, hotwords: true, itn: true, liveCaptions: true },
  },
  'en-cpu': {
    kind: 'en-cpu',
    title: 'English file transcription (CPU)',
    reference: `${REGISTRY}:funasr-runtime-sdk-en-cpu-0.1.8`,
    protocol: 'offline',
    gpu: false,
    serverBinary: `${BIN_DIR}/funasr-wss-server`,
    models: [
      model('offline', 'vad', '--vad-dir', 'damo/speech_fsmn_vad_zh-cn-16k-common-onnx', 'v2.0.6', 10 * MB),
      model(
        'offline',
        'asr',
        '--model-dir',
        'damo/speech_paraformer-large_asr_nat-en-16k-common-vocab10020-onnx',
        MODEL_REVISION,
        1000 * MB,
      ),
      model(
        'offline',
        'punc',
        '--punc-dir',
        'damo/punc_ct-transformer_cn-en-common-vocab471067-large-onnx',
        MODEL_REVISION,
        1000 * MB,
      ),
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

/** A model's identity in the models volume: its id at its revision. */
export function modelKey(model: Pick<CatalogModel, 'id' | 'revision'>): string {
  return `${model.id}@${model.revision}`;
}

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
