// Where a model's files live in the models folder, how their bytes are hashed, and the small "verified" record
// that spares re-hashing a 30 MB file every time the app asks whether the model is installed.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { FunscribeError } from '../../util/errors.js';
import type { SpeakerModelEntry } from './model-catalog.js';

/** The installed model file of `entry` in `modelsDir`. */
export function modelFilePath(modelsDir: string, entry: SpeakerModelEntry): string {
  return join(modelsDir, entry.fileName);
}

/** The partial download kept next to the model file (resumed with a Range request). */
export function partFilePath(modelPath: string): string {
  return `${modelPath}.part`;
}

/** The record of a completed verification: size, modification time and hash of the file when it was checked. */
export function verifiedRecordPath(modelPath: string): string {
  return `${modelPath}.verified.json`;
}

/** What `verifiedRecordPath` holds. */
export interface VerifiedRecord {
  sizeBytes: number;
  mtimeMs: number;
  sha256: string;
}

/** Lower-case hex SHA-256 of a whole file, streamed. */
export async function sha256OfFile(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash, signal ? { signal } : {});
  return hash.digest('hex');
}

/** Writes the verified record of `modelPath` (which must now hold bytes hashing to `sha256`). */
export async function recordVerified(modelPath: string, sha256: string): Promise<void> {
  const info = await stat(modelPath);
  const record: VerifiedRecord = { sizeBytes: info.size, mtimeMs: info.mtimeMs, sha256 };
  const target = verifiedRecordPath(modelPath);
  await writeFile(`${target}.tmp`, JSON.stringify(record));
  await rename(`${target}.tmp`, target);
}

/** True when the verified record still describes the file on disk (same size and mtime) and names `sha256`. */
export async function isRecordedVerified(
  modelPath: string,
  sizeBytes: number,
  sha256: string,
): Promise<boolean> {
  const [info, text] = await Promise.all([
    stat(modelPath).catch(() => null),
    readFile(verifiedRecordPath(modelPath), 'utf8').catch(() => null),
  ]);
  if (!info || text === null) return false;
  let record: Partial<VerifiedRecord>;
  try {
    record = JSON.parse(text) as Partial<VerifiedRecord>;
  } catch {
    return false;
  }
  return (
    record.sha256 === sha256 &&
    record.sizeBytes === sizeBytes &&
    info.size === sizeBytes &&
    record.mtimeMs === info.mtimeMs
  );
}

/** Turns a file-system failure in the models folder into a user-facing error; other errors pass through. */
export function storageError(error: unknown, modelsDir: string): unknown {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOSPC' || code === 'EDQUOT')
    return new FunscribeError(
      'DISK_FULL',
      `There is not enough free disk space for the speaker model in ${modelsDir}. Free some space and try again.`,
      { cause: error, params: { reason: 'model' } },
    );
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'ENOTDIR')
    return new FunscribeError(
      'MODEL_DIR_UNWRITABLE',
      `FunScribe cannot write to the models folder ${modelsDir}. Check that it is a folder you may write to, or choose another data folder.`,
      { cause: error },
    );
  return error;
}
