// The speaker-embedding models FunScribe can download: 3D-Speaker checkpoints exported to ONNX by sherpa-onnx.
//
// Sizes and SHA-256 values: every value below was found, identical, in at least three unrelated public projects
// that pin these exact files (download scripts, model manifests, verification notes); the 3D-Speaker
// `infer_sv.py` model table gives the embedding sizes. Every download and import is checked against them.
// The sherpa-onnx release tag really is spelt "speaker-recongition-models".
// hf-mirror.com is a community mirror of Hugging Face, and the ModelScope copies are community uploads (no
// official ModelScope copy of these ONNX files exists); the hash check is what makes them safe to use.
import { FunscribeError } from '../../util/errors.js';

/** Where a mirror is quick to reach: 'cn' for mainland China, 'global' elsewhere. */
export type MirrorRegion = 'global' | 'cn';

/** One place a model file can be downloaded from. */
export interface ModelMirror {
  /** The host name shown to the user, e.g. "github.com". */
  host: string;
  url: string;
  region: MirrorRegion;
}

/** A downloadable speaker-embedding model and how to recognise its exact bytes. */
export interface SpeakerModelEntry {
  /** Stable id stored in settings and in `SpeakerLabelling.method`. */
  id: string;
  displayName: string;
  /** What the model was trained on, in words for the model picker. */
  language: string;
  /** File name in the models folder (the upstream name, so a hand-downloaded file can be dropped in as is). */
  fileName: string;
  sizeBytes: number;
  /** Lower-case hex SHA-256 of the whole file. */
  sha256: string;
  embeddingDim: number;
  /** Mirrors in their default order; `orderedMirrors` puts the preferred region first. */
  mirrors: readonly ModelMirror[];
}

const GITHUB_RELEASE = 'https://github.com/k2-fsa/sherpa-onnx/releases/download/speaker-recongition-models';
const HUGGING_FACE = 'https://huggingface.co/csukuangfj/speaker-embedding-models/resolve/main';
const HF_MIRROR = 'https://hf-mirror.com/csukuangfj/speaker-embedding-models/resolve/main';

/** Builds a mirror whose host label is taken from its URL. */
export function mirrorAt(url: string, region: MirrorRegion): ModelMirror {
  return { host: new URL(url).host, url, region };
}

/**
 * The sherpa-onnx release, Hugging Face, a ModelScope copy when there is one, and hf-mirror.com (last: it is said
 * to redirect large files to a CDN that is often blocked in mainland China).
 */
function mirrorsFor(fileName: string, modelScopeUrl?: string): ModelMirror[] {
  return [
    mirrorAt(`${GITHUB_RELEASE}/${fileName}`, 'global'),
    mirrorAt(`${HUGGING_FACE}/${fileName}`, 'global'),
    ...(modelScopeUrl === undefined ? [] : [mirrorAt(modelScopeUrl, 'cn')]),
    mirrorAt(`${HF_MIRROR}/${fileName}`, 'cn'),
  ];
}

const CAMPPLUS_ZH_CN = '3dspeaker_speech_campplus_sv_zh-cn_16k-common.onnx';
const CAMPPLUS_EN = '3dspeaker_speech_campplus_sv_en_voxceleb_16k.onnx';
const CAMPPLUS_ZH_EN = '3dspeaker_speech_campplus_sv_zh_en_16k-common_advanced.onnx';
const ERES2NET_BASE = '3dspeaker_speech_eres2net_base_sv_zh-cn_3dspeaker_16k.onnx';

/** Every speaker model FunScribe offers; the first is the default. */
export const SPEAKER_MODELS: readonly SpeakerModelEntry[] = [
  {
    id: 'campplus-zh-cn',
    displayName: 'CAM++ (Chinese)',
    language: 'Mandarin, 200k speakers (3D-Speaker common); the model FunASR uses for "cam++"',
    fileName: CAMPPLUS_ZH_CN,
    sizeBytes: 28_281_138,
    sha256: 'f682b514c05d947ee3fa91cd6ec6c5c7543479a128373fa29b1faedccd21fd11',
    embeddingDim: 192,
    mirrors: mirrorsFor(CAMPPLUS_ZH_CN),
  },
  {
    id: 'campplus-en-voxceleb',
    displayName: 'CAM++ (English, VoxCeleb)',
    language: 'English (VoxCeleb)',
    fileName: CAMPPLUS_EN,
    sizeBytes: 29_596_978,
    sha256: '357a834f702b80161e5b981182c038e18553c1f2ca752ed6cec2052365d4129b',
    embeddingDim: 512,
    mirrors: mirrorsFor(CAMPPLUS_EN),
  },
  {
    id: 'campplus-zh-en-advanced',
    displayName: 'CAM++ (Chinese + English, advanced)',
    language: 'Mandarin and English (3D-Speaker common, advanced)',
    fileName: CAMPPLUS_ZH_EN,
    sizeBytes: 28_281_164,
    sha256: 'aa3cfc16963a10586a9393f5035d6d6b57e98d358b347f80c2a30bf4f00ceba2',
    embeddingDim: 192,
    mirrors: mirrorsFor(
      CAMPPLUS_ZH_EN,
      `https://www.modelscope.cn/models/fengge2024/${CAMPPLUS_ZH_EN}/resolve/master/${CAMPPLUS_ZH_EN}`,
    ),
  },
  {
    id: 'eres2net-base-zh-cn',
    displayName: 'ERes2Net base (Chinese)',
    language: 'Mandarin (3D-Speaker dataset)',
    fileName: ERES2NET_BASE,
    sizeBytes: 39_593_761,
    sha256: '1a331345f04805badbb495c775a6ddffcdd1a732567d5ec8b3d5749e3c7a5e4b',
    embeddingDim: 512,
    mirrors: mirrorsFor(
      ERES2NET_BASE,
      `https://modelscope.cn/api/v1/models/zyaztec/sherpa-onnx-3dspeaker-eres2net-base-sv-zh-cn/repo?Revision=master&FilePath=${ERES2NET_BASE}`,
    ),
  },
];

/** The model used when the user has not picked one: CAM++ zh-cn, as FunASR's "cam++". */
export const DEFAULT_SPEAKER_MODEL_ID = 'campplus-zh-cn';

/** Looks a model up by id; an unknown id is an INVALID_ARGUMENT error that lists the known ones. */
export function speakerModel(
  id: string,
  catalog: readonly SpeakerModelEntry[] = SPEAKER_MODELS,
): SpeakerModelEntry {
  const entry = catalog.find((m) => m.id === id);
  if (entry) return entry;
  throw new FunscribeError(
    'INVALID_ARGUMENT',
    `There is no speaker model called "${id}". Known models: ${catalog.map((m) => m.id).join(', ')}.`,
  );
}

/** The entry's mirrors with those of `preferredRegion` first, each group in catalog order. */
export function orderedMirrors(
  entry: SpeakerModelEntry,
  preferredRegion: MirrorRegion = 'global',
): ModelMirror[] {
  return [
    ...entry.mirrors.filter((m) => m.region === preferredRegion),
    ...entry.mirrors.filter((m) => m.region !== preferredRegion),
  ];
}
