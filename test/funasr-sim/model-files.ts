// What the stand-in pretends each ModelScope model repository holds, and which file the binary checks afterwards.
import type { ServerFlags } from './cli-flags.js';

/** The kinds of model the binaries load, one per model flag. */
export type ModelKind = 'asr' | 'asr-online' | 'vad' | 'punc' | 'itn' | 'lm';

/** One file of a model repository and the size the sim pretends it has (the file written is a small placeholder). */
export interface PretendFile {
  name: string;
  bytes: number;
}

const KB = 1024;
const MB = 1024 * 1024;
const META: PretendFile[] = [
  { name: 'configuration.json', bytes: 1 * KB },
  { name: 'config.yaml', bytes: 2 * KB },
];

/** The pretend contents of a PyTorch ASR repository (`…-pytorch`, the GPU image's model): no ONNX file at all. */
const PYTORCH_ASR: PretendFile[] = META.concat([
  { name: 'am.mvn', bytes: 11 * KB },
  { name: 'tokens.json', bytes: 91 * KB },
  { name: 'model.pt', bytes: 840 * MB },
]);

/** Pretend contents of each kind of model repository (the whole repository is fetched, as snapshot_download does). */
export const MODEL_FILES: Record<ModelKind, PretendFile[]> = {
  asr: META.concat([
    { name: 'am.mvn', bytes: 11 * KB },
    { name: 'tokens.json', bytes: 91 * KB },
    { name: 'model_quant.onnx', bytes: 234 * MB },
    { name: 'model.onnx', bytes: 824 * MB },
  ]),
  'asr-online': META.concat([
    { name: 'am.mvn', bytes: 11 * KB },
    { name: 'tokens.json', bytes: 91 * KB },
    { name: 'model_quant.onnx', bytes: 160 * MB },
    { name: 'decoder_quant.onnx', bytes: 74 * MB },
    { name: 'model.onnx', bytes: 560 * MB },
    { name: 'decoder.onnx', bytes: 260 * MB },
  ]),
  vad: META.concat([
    { name: 'am.mvn', bytes: 8 * KB },
    { name: 'model_quant.onnx', bytes: 512 * KB },
    { name: 'model.onnx', bytes: 1741 * KB },
  ]),
  punc: META.concat([
    { name: 'tokens.json', bytes: 4 * MB },
    { name: 'model_quant.onnx', bytes: 280 * MB },
    { name: 'model.onnx', bytes: 1090 * MB },
  ]),
  itn: [
    { name: 'configuration.json', bytes: 1 * KB },
    { name: 'zh_itn_tagger.fst', bytes: 18 * MB },
    { name: 'zh_itn_verbalizer.fst', bytes: 12 * MB },
  ],
  lm: [
    { name: 'configuration.json', bytes: 1 * KB },
    { name: 'lexicon.txt', bytes: 3 * MB },
    { name: 'TLG.fst', bytes: 900 * MB },
  ],
};

const KINDS: Record<string, ModelKind> = {
  'model-dir': 'asr',
  'online-model-dir': 'asr-online',
  'vad-dir': 'vad',
  'punc-dir': 'punc',
  'itn-dir': 'itn',
  'lm-dir': 'lm',
};

/** The kind of model a model flag names. */
export function modelKind(flag: string): ModelKind {
  const kind = KINDS[flag];
  if (!kind) throw new Error(`not a model flag: --${flag}`);
  return kind;
}

/** The files of the repository a model id names (a `-pytorch` ASR repository holds the PyTorch checkpoint only). */
export function repositoryFiles(kind: ModelKind, id: string): PretendFile[] {
  return kind === 'asr' && id.endsWith('-pytorch') ? PYTORCH_ASR : MODEL_FILES[kind];
}

/** The word in "If you set local <x> model path, you can ignore the errors.". */
export const LOCAL_NAMES: Record<ModelKind, string> = {
  asr: 'asr',
  'asr-online': 'online asr',
  vad: 'vad',
  punc: 'punc',
  itn: 'itn',
  lm: 'lm',
};

const QUANT_FLAGS: Partial<Record<ModelKind, string>> = {
  asr: 'quantize',
  'asr-online': 'quantize',
  vad: 'vad-quant',
  punc: 'punc-quant',
};

/** Whether the offline binary was told to run the ASR model on the GPU (`--gpu`; the 2pass binary has no such flag). */
export function usesGpu(flags: ServerFlags): boolean {
  return flags.values.get('gpu') === 'true';
}

const isTrue = (value: string | undefined): boolean => ['true', 'True', 'TRUE'].includes(value ?? '');

/**
 * The file the binary requires after the download step: model_quant.onnx or model.onnx, or the FST; with --gpu the
 * ASR model's TorchScript export (model_blade.torchscript with --bladedisc true, the default, else model.torchscript).
 */
export function expectedFile(kind: ModelKind, flags: ServerFlags): string {
  if (kind === 'itn') return 'zh_itn_tagger.fst';
  if (kind === 'lm') return 'TLG.fst';
  if (kind === 'asr' && usesGpu(flags)) {
    return isTrue(flags.values.get('bladedisc')) ? 'model_blade.torchscript' : 'model.torchscript';
  }
  const quant = flags.values.get(QUANT_FLAGS[kind] ?? '') ?? 'true';
  return ['false', 'False', 'FALSE'].includes(quant) ? 'model.onnx' : 'model_quant.onnx';
}

/**
 * The file the download tool exports when the repository lacks it (runtime_sdk_download_tool.py: `--type onnx`,
 * `torchscript` or `bladedisc` with --gpu), or null for the FSTs (`--export False`): the file the binary requires.
 */
export function exportedFile(kind: ModelKind, flags: ServerFlags): string | null {
  return kind === 'itn' || kind === 'lm' ? null : expectedFile(kind, flags);
}

/** The revision flag passed to the downloader for a model flag. */
export function revisionFlag(flag: string, protocol: ServerFlags['protocol']): string {
  if (flag === 'model-dir') return protocol === 'offline' ? 'model-revision' : 'offline-model-revision';
  if (flag === 'online-model-dir') return 'online-model-revision';
  return flag.replace(/-dir$/, '-revision');
}
