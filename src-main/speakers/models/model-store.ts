// The speaker models on disk: which one is installed and verified, getting one (download or import), removing one.
// A model counts as installed only when its bytes match the catalog's size and SHA-256; the verified record
// (`<file>.verified.json`) remembers that check until the file's size or modification time changes.
import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { FunscribeError } from '../../util/errors.js';
import { SPEAKER_MODELS, speakerModel } from './model-catalog.js';
import type { SpeakerModelEntry } from './model-catalog.js';
import { downloadModel } from './model-download.js';
import type { ModelDownloadOptions } from './model-download.js';
import {
  isRecordedVerified,
  modelFilePath,
  partFilePath,
  recordVerified,
  sha256OfFile,
  storageError,
  verifiedRecordPath,
} from './model-files.js';
import { onnxStructureProblem } from './onnx-structure.js';

/** A catalog id, or a catalog entry itself (tests and custom catalogs pass entries). */
export type ModelRef = string | SpeakerModelEntry;

function entryOf(model: ModelRef): SpeakerModelEntry {
  return typeof model === 'string' ? speakerModel(model) : model;
}

/**
 * The path of the model when it is in `modelsDir` with the right bytes, else null. A file put there by hand is
 * hashed once and then trusted through its verified record; a wrong file is reported as not installed.
 */
export async function installedModel(modelsDir: string, model: ModelRef): Promise<string | null> {
  const entry = entryOf(model);
  const path = modelFilePath(modelsDir, entry);
  const info = await stat(path).catch(() => null);
  if (!info?.isFile() || info.size !== entry.sizeBytes) return null;
  if (await isRecordedVerified(path, entry.sizeBytes, entry.sha256)) return path;
  if ((await sha256OfFile(path)) !== entry.sha256) return null;
  // Only a cache: a read-only models folder still has a usable model.
  await recordVerified(path, entry.sha256).catch(() => undefined);
  return path;
}

const downloads = new Map<string, Promise<string>>();

/**
 * The model's verified path, downloading it first when it is missing or wrong. Calls for a model that is already
 * downloading share that download (and its signal and progress callback, which are the first caller's).
 */
export async function ensureModel(
  modelsDir: string,
  model: ModelRef,
  options: ModelDownloadOptions = {},
): Promise<string> {
  const entry = entryOf(model);
  const installed = await installedModel(modelsDir, entry);
  if (installed) return installed;
  const key = resolve(modelFilePath(modelsDir, entry));
  let download = downloads.get(key);
  if (!download) {
    download = downloadModel(entry, modelsDir, options).finally(() => downloads.delete(key));
    downloads.set(key, download);
  }
  return download;
}

/** The error for a file that matches no catalog model, saying whether it is an ONNX model at all. */
async function unknownFile(
  sourcePath: string,
  candidates: readonly SpeakerModelEntry[],
): Promise<FunscribeError> {
  const problem = await onnxStructureProblem(sourcePath);
  const known = candidates.map((m) => `${m.fileName} (${m.sizeBytes} bytes)`).join(', ');
  return new FunscribeError(
    'MODEL_INVALID',
    problem === null
      ? `${sourcePath} is an ONNX model, but not one of the speaker models FunScribe knows: ${known}. ` +
          'It may be damaged or a different version; download it again from the original source.'
      : `${sourcePath} is not an ONNX model file (${problem}). Expected one of: ${known}.`,
  );
}

/**
 * Installs a user-supplied model file (copied into `modelsDir`) after checking its size and SHA-256 against the
 * catalog; `modelId` restricts the match to one model. Returns the model's id and installed path.
 */
export async function importModelFile(
  modelsDir: string,
  sourcePath: string,
  options: { modelId?: string; catalog?: readonly SpeakerModelEntry[] } = {},
): Promise<{ modelId: string; path: string }> {
  const catalog = options.catalog ?? SPEAKER_MODELS;
  const candidates = options.modelId === undefined ? catalog : [speakerModel(options.modelId, catalog)];
  const info = await stat(sourcePath).catch(() => null);
  if (!info) throw new FunscribeError('FILE_NOT_FOUND', `The file ${sourcePath} does not exist.`);
  if (!info.isFile()) throw new FunscribeError('NOT_A_FILE', `${sourcePath} is not a file.`);
  const sameSize = candidates.filter((m) => m.sizeBytes === info.size);
  const sha256 = sameSize.length > 0 ? await sha256OfFile(sourcePath) : null;
  const entry = sameSize.find((m) => m.sha256 === sha256);
  if (!entry) throw await unknownFile(sourcePath, candidates);
  const target = modelFilePath(modelsDir, entry);
  try {
    await mkdir(modelsDir, { recursive: true });
    if (resolve(sourcePath) !== resolve(target)) {
      const part = partFilePath(target);
      await copyFile(sourcePath, part);
      await rename(part, target);
    }
    await recordVerified(target, entry.sha256);
  } catch (error) {
    throw storageError(error, modelsDir);
  }
  return { modelId: entry.id, path: target };
}

/** Deletes the model's file, its verified record and any partial download; a model that is not there is fine. */
export async function removeModel(modelsDir: string, model: ModelRef): Promise<void> {
  const path = modelFilePath(modelsDir, entryOf(model));
  try {
    await Promise.all(
      [path, verifiedRecordPath(path), partFilePath(path)].map((p) => rm(p, { force: true })),
    );
  } catch (error) {
    throw storageError(error, modelsDir);
  }
}
