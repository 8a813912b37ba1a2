// Where an export may be written, checked before any work, and writing it so that nothing is lost: never into the
// library's data folder, never over an existing file unless asked, and never a half-written file under the real name.
import { randomUUID } from 'node:crypto';
import { constants } from 'node:fs';
import { copyFile, link, mkdir, open, realpath, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { FunscribeError } from '../util/errors.js';
import { isPathInside } from '../util/paths.js';

/** Error codes of a file system call. */
function errnoOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | null)?.code;
}

/** Codes of a `link()` that the file system does not support (FAT, exFAT, some network shares). */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV']);

/** Why a file system call could not write, in words. */
function writeFailureReason(error: unknown): string {
  switch (errnoOf(error)) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'the disk is read-only';
    case 'ENOTDIR':
      return 'part of the path is a file, not a folder';
    case 'ENAMETOOLONG':
      return 'the name is too long';
    case 'EISDIR':
      return 'it is a folder';
    default:
      return error instanceof Error ? error.message : String(error);
  }
}

/** The user-facing error for a failed write of `path`: DISK_FULL when the disk is full, else EXPORT_UNWRITABLE. */
function exportWriteError(error: unknown, path: string): FunscribeError {
  if (error instanceof FunscribeError) return error;
  const code = errnoOf(error);
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new FunscribeError('DISK_FULL', `The disk is full: ${path} could not be written.`, {
      cause: error,
      params: { reason: 'export', file: basename(path) },
    });
  }
  return new FunscribeError('EXPORT_UNWRITABLE', `Cannot write ${path}: ${writeFailureReason(error)}.`, {
    cause: error,
    params: { reason: 'file', file: basename(path) },
  });
}

/** The path with every symbolic link resolved, also when its last parts do not exist yet. */
async function physicalPath(path: string): Promise<string> {
  const missing: string[] = [];
  let current = resolve(path);
  for (;;) {
    try {
      return resolve(await realpath(current), ...missing);
    } catch (error) {
      if (errnoOf(error) !== 'ENOENT' && errnoOf(error) !== 'ENOTDIR') throw exportWriteError(error, path);
    }
    const parent = dirname(current);
    if (parent === current) return resolve(path);
    missing.unshift(basename(current));
    current = parent;
  }
}

/** Throws EXPORT_FORBIDDEN when the physical `path` is inside the physical data folder. */
async function refuseDataDir(path: string, shownPath: string, dataDir: string): Promise<void> {
  if (isPathInside(path, await physicalPath(dataDir))) {
    throw new FunscribeError(
      'EXPORT_FORBIDDEN',
      `${shownPath} is inside FunScribe's data folder (${dataDir}), where the library lives. Choose another place for the export.`,
      { params: { reason: 'dataFolder', file: basename(shownPath) } },
    );
  }
}

/** A temporary name in `folder`, short enough for any file system. */
function temporaryPath(folder: string): string {
  return join(folder, `.funscribe-export-${randomUUID().slice(0, 8)}.tmp`);
}

/** Creates the folder when missing and checks that a file can be created in it (the only test every system answers). */
async function checkWritableFolder(folder: string, shownPath: string): Promise<void> {
  try {
    await mkdir(folder, { recursive: true });
    const probe = temporaryPath(folder);
    await (await open(probe, 'wx')).close();
    await rm(probe, { force: true });
  } catch (error) {
    const failure = exportWriteError(error, shownPath);
    if (failure.code === 'DISK_FULL') throw failure;
    throw new FunscribeError(
      'EXPORT_UNWRITABLE',
      `Cannot write into ${shownPath}: ${writeFailureReason(error)}.`,
      { cause: error, params: { reason: 'folder', file: basename(shownPath) } },
    );
  }
}

/** Options of an export to one file. */
export interface ExportFileOptions {
  /** FunScribe's data folder, which no export may write into. */
  dataDir: string;
  /** Replace an existing file (like `--force`). */
  force: boolean;
}

/**
 * Checks an export destination before any work and returns the physical path to write: EXPORT_FORBIDDEN inside the
 * data folder, EXPORT_EXISTS for an existing file (unless `force`; never for a folder or a device), EXPORT_UNWRITABLE
 * when its folder cannot be created or written.
 */
export async function checkExportFile(out: string, options: ExportFileOptions): Promise<string> {
  const target = await physicalPath(out);
  await refuseDataDir(target, out, options.dataDir);
  const existing = await stat(target).catch((error: unknown) => {
    if (errnoOf(error) === 'ENOENT') return null;
    throw exportWriteError(error, out);
  });
  if (existing?.isDirectory()) {
    throw new FunscribeError('EXPORT_EXISTS', `${out} is a folder. Give the name of the file to write.`, {
      params: { reason: 'folder', file: basename(out) },
    });
  }
  if (existing && !existing.isFile()) {
    throw new FunscribeError('EXPORT_EXISTS', `${out} exists and is not a regular file; it is left alone.`, {
      params: { reason: 'notFile', file: basename(out) },
    });
  }
  if (existing && !options.force) {
    throw new FunscribeError('EXPORT_EXISTS', `${out} already exists. Add --force to replace it.`, {
      params: { reason: 'exists', file: basename(out) },
    });
  }
  await checkWritableFolder(dirname(target), dirname(out));
  return target;
}

/**
 * Checks an export folder before any work and returns its physical path: EXPORT_FORBIDDEN inside the data folder,
 * EXPORT_UNWRITABLE when it cannot be created or written. It is created when missing.
 */
export async function checkExportFolder(dir: string, dataDir: string): Promise<string> {
  const target = await physicalPath(dir);
  await refuseDataDir(target, dir, dataDir);
  await checkWritableFolder(target, dir);
  return target;
}

/** Gives the finished temporary file the name `path` unless something is there already (EEXIST). */
async function linkAsNew(temp: string, path: string): Promise<void> {
  try {
    await link(temp, path);
  } catch (error) {
    if (!NO_HARD_LINKS.has(errnoOf(error) ?? '')) throw error;
    try {
      await copyFile(temp, path, constants.COPYFILE_EXCL);
    } catch (copyError) {
      if (errnoOf(copyError) !== 'EEXIST') await rm(path, { force: true });
      throw copyError;
    }
  }
}

/** Writes `content` to a temporary file in `folder`, flushed to disk, and hands its path to `place`. */
async function writeThroughTemporary<T>(
  folder: string,
  content: string,
  place: (temp: string) => Promise<T>,
): Promise<T> {
  const temp = temporaryPath(folder);
  try {
    const handle = await open(temp, 'wx');
    try {
      await handle.writeFile(content);
      await handle.sync();
    } finally {
      await handle.close();
    }
    return await place(temp);
  } finally {
    await rm(temp, { force: true });
  }
}

/**
 * Writes an export to the path `checkExportFile` returned, through a temporary file renamed into place: readers never
 * see half a file, and a failure leaves any earlier file as it was. Without `force` an existing file is never replaced
 * (EXPORT_EXISTS, also when one appeared since the check). DISK_FULL or EXPORT_UNWRITABLE when the write fails.
 */
export async function writeExportFile(path: string, content: string, force: boolean): Promise<void> {
  try {
    await writeThroughTemporary(dirname(path), content, async (temp) => {
      if (force) await rename(temp, path);
      else await linkAsNew(temp, path);
    });
  } catch (error) {
    if (errnoOf(error) === 'EEXIST') {
      throw new FunscribeError('EXPORT_EXISTS', `${path} already exists. Add --force to replace it.`, {
        params: { reason: 'exists', file: basename(path) },
      });
    }
    throw exportWriteError(error, path);
  }
}

/** How many " (n)" names an export tries before it gives up. */
const MAX_COPIES = 1000;

/**
 * Writes an export into `folder` under the first free name of `nameFor(1)`, `nameFor(2)`, … (an existing file is
 * never replaced) and returns the path written. DISK_FULL or EXPORT_UNWRITABLE when the write fails.
 */
export async function writeExportInFolder(
  folder: string,
  nameFor: (copy: number) => string,
  content: string,
): Promise<string> {
  const written = await writeThroughTemporary(folder, content, async (temp) => {
    for (let copy = 1; copy <= MAX_COPIES; copy++) {
      const path = join(folder, nameFor(copy));
      try {
        await linkAsNew(temp, path);
        return path;
      } catch (error) {
        if (errnoOf(error) !== 'EEXIST') throw exportWriteError(error, path);
      }
    }
    return null;
  }).catch((error: unknown) => {
    throw exportWriteError(error, join(folder, nameFor(1)));
  });
  if (written === null) {
    throw new FunscribeError(
      'EXPORT_EXISTS',
      `${join(folder, nameFor(1))} and ${MAX_COPIES - 1} numbered copies already exist.`,
      { params: { reason: 'copies', file: nameFor(1), count: MAX_COPIES - 1 } },
    );
  }
  return written;
}
