// Changing the data folder: what a chosen folder holds, copying the library into an empty one (the database with
// SQLite's backup API, the media folders file by file, all checked; the old folder is only read), and making the
// change at start, where a failure keeps the old folder and is remembered for the settings to show.
import { accessSync, constants, existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { cp, mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { DataFolderCandidate, DataFolderKind } from '../../src-shared/contract.js';
import { copyLibraryFile, isLibraryFile } from '../store/library-copy.js';
import { readDataFolderLocation, writeDataFolderLocation } from '../util/data-dir.js';
import { FunscribeError, toErrorInfo } from '../util/errors.js';
import { isPathInside } from '../util/paths.js';
import { DATABASE_FILE, libraryFileOf } from './library-maintenance.js';

/** The folders of a library besides its database: audio copies, recordings, waveforms, models, engine state, backups. */
export const LIBRARY_FOLDERS = ['audio', 'recordings', 'waveforms', 'models', 'engine', 'backups'] as const;

/** Entries an empty folder may still hold (the file managers' own). */
const IGNORED_ENTRIES = new Set(['.DS_Store', 'Thumbs.db', 'desktop.ini']);

/** The path with symbolic links resolved as far as it exists. */
function physical(path: string): string {
  const full = resolve(path);
  if (existsSync(full)) return realpathSync(full);
  const parent = dirname(full);
  return parent === full ? full : join(physical(parent), relative(parent, full));
}

/** True when files can be created in `dir`, or (when it does not exist yet) in its nearest existing parent. */
function isWritable(dir: string): boolean {
  if (!existsSync(dir) && dirname(dir) !== dir) return isWritable(dirname(dir));
  try {
    accessSync(dir, constants.W_OK);
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/** What the folder at `path` holds, seen from a library open in `currentDir`. */
export function assessDataFolder(
  path: string,
  currentDir: string,
  options: { nativeBinding?: string } = {},
): DataFolderCandidate {
  const target = resolve(path);
  const kindOf = (): DataFolderKind => {
    if (isPathInside(physical(target), physical(currentDir))) return 'current';
    if (!isWritable(target)) return 'not-writable';
    if (!existsSync(target)) return 'empty';
    if (isLibraryFile(libraryFileOf(target), options)) return 'library';
    const entries = readdirSync(target).filter((name) => !IGNORED_ENTRIES.has(name));
    return entries.length === 0 ? 'empty' : 'not-library';
  };
  return { path: target, kind: kindOf() };
}

/** Why a folder cannot become the data folder, as a user reads it; null when it can. */
export function refusalOf(candidate: DataFolderCandidate): FunscribeError | null {
  const { path, kind } = candidate;
  const reasons: Partial<Record<DataFolderKind, string>> = {
    current: `${path} is the folder FunScribe uses now, or inside it. Choose another folder.`,
    'not-writable': `FunScribe cannot write to ${path}. Choose a folder you may write to.`,
    'not-library': `${path} holds other files and no FunScribe library. Choose an empty folder or one with a FunScribe library.`,
  };
  const reason = reasons[kind];
  return reason ? new FunscribeError('INVALID_ARGUMENT', reason) : null;
}

/** Every file under `dir` (relative paths) with its size. */
async function fileSizes(dir: string): Promise<Map<string, number>> {
  const sizes = new Map<string, number>();
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    sizes.set(relative(dir, path), (await stat(path)).size);
  }
  return sizes;
}

/** Copies one media folder and checks that every file arrived whole (same names, same sizes). */
async function copyFolder(from: string, to: string): Promise<void> {
  await cp(from, to, { recursive: true, errorOnExist: true, force: false, preserveTimestamps: true });
  const [source, copy] = await Promise.all([fileSizes(from), fileSizes(to)]);
  for (const [name, size] of source) {
    if (copy.get(name) !== size) {
      throw new FunscribeError('DATABASE_ERROR', `The copy of ${join(from, name)} in ${to} is incomplete.`);
    }
  }
}

/** Options of a library copy. */
export interface CopyLibraryOptions {
  nativeBinding?: string;
}

/**
 * Copies the library in `from` into the empty (or missing) folder `to`: the media folders, then the database under a
 * temporary name renamed into place last, so `to` holds a library only once all of it is there and checked. On
 * failure, what was copied is removed again and the error thrown; `from` is only read.
 */
export async function copyLibrary(from: string, to: string, options: CopyLibraryOptions = {}): Promise<void> {
  await mkdir(to, { recursive: true });
  const partial = join(to, `${DATABASE_FILE}.partial-${process.pid}`);
  const folders = LIBRARY_FOLDERS.filter((name) => existsSync(join(from, name)));
  try {
    for (const name of folders) await copyFolder(join(from, name), join(to, name));
    if (existsSync(libraryFileOf(from))) {
      await copyLibraryFile(libraryFileOf(from), partial, {
        nativeBinding: options.nativeBinding,
        paths: { from: resolve(from) + sep, to: resolve(to) + sep },
      });
      await rename(partial, libraryFileOf(to));
    }
  } catch (error) {
    await Promise.all(
      [...folders.map((name) => join(to, name)), partial].map((path) =>
        rm(path, { recursive: true, force: true }),
      ),
    );
    const { message } = toErrorInfo(error);
    throw new FunscribeError(
      'DATABASE_ERROR',
      `The library could not be copied from ${from} to ${to}: ${message}`,
      { cause: error },
    );
  }
}

/** Options of `startDataFolder`. */
export interface StartDataFolderOptions {
  /** The location file (see util/data-dir.ts). */
  locationFile: string;
  /** The folder used when the location file names none. */
  defaultDir: string;
  nativeBinding?: string;
}

/**
 * The folder the desktop app opens, making a change chosen in the settings first: a folder with a library is opened
 * as it is, an empty one gets a copy of the current library. When the change cannot be made, the current folder is
 * kept and the reason saved in the location file (the settings show it).
 */
export async function startDataFolder(options: StartDataFolderOptions): Promise<string> {
  const location = readDataFolderLocation(options.locationFile);
  const current = location.current ?? options.defaultDir;
  if (location.next === null) return current;
  const candidate = assessDataFolder(location.next, current, options);
  try {
    const refusal = refusalOf(candidate);
    if (refusal) throw refusal;
    if (candidate.kind === 'empty') await copyLibrary(current, candidate.path, options);
    writeDataFolderLocation(options.locationFile, { current: candidate.path, next: null, error: null });
    return candidate.path;
  } catch (error) {
    const { message } = toErrorInfo(error);
    writeDataFolderLocation(options.locationFile, { current: location.current, next: null, error: message });
    return current;
  }
}
