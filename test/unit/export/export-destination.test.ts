// Export destinations on a real file system: the checks, the no-replace write, the free names, and no leftovers.
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  checkExportFile,
  checkExportFolder,
  writeExportFile,
  writeExportInFolder,
} from '../../../src-main/export/export-destination.js';
import { FunscribeError } from '../../../src-main/util/errors.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

/** The code of the FunscribeError a promise rejects with. */
async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(FunscribeError);
  return (error as FunscribeError).code;
}

describe('export destinations', () => {
  let tmp: Awaited<ReturnType<typeof makeTempDir>>;
  let dataDir: string;
  let out: string;

  beforeEach(async () => {
    tmp = await makeTempDir('export-destination');
    dataDir = join(tmp.path, 'data');
    out = join(tmp.path, 'out');
    await mkdir(dataDir);
    await mkdir(out);
  });

  afterEach(async () => {
    await tmp.remove();
  });

  it('refuses the data folder itself, anything in it, and links into it', async () => {
    await symlink(dataDir, join(out, 'link'));
    expect(await codeOf(checkExportFolder(dataDir, dataDir))).toBe('EXPORT_FORBIDDEN');
    expect(await codeOf(checkExportFolder(join(out, 'link', 'new'), dataDir))).toBe('EXPORT_FORBIDDEN');
    expect(await codeOf(checkExportFile(join(dataDir, 'a.txt'), { dataDir, force: true }))).toBe(
      'EXPORT_FORBIDDEN',
    );
    // A folder whose name merely starts like the data folder's is elsewhere.
    expect(await checkExportFolder(`${dataDir}-exports`, dataDir)).toBe(`${dataDir}-exports`);
  });

  it('never replaces a file that appeared after the check unless forced', async () => {
    const target = await checkExportFile(join(out, 'a.txt'), { dataDir, force: false });
    await writeFile(target, 'written meanwhile\n');
    expect(await codeOf(writeExportFile(target, 'export\n', false))).toBe('EXPORT_EXISTS');
    expect(await readFile(target, 'utf8')).toBe('written meanwhile\n');
    await writeExportFile(target, 'export\n', true);
    expect(await readFile(target, 'utf8')).toBe('export\n');
    expect(await readdir(out)).toEqual(['a.txt']);
  });

  it('takes the next free name and leaves no temporary file', async () => {
    const nameFor = (copy: number) => (copy === 1 ? 'a.srt' : `a (${copy}).srt`);
    await writeFile(join(out, 'a.srt'), 'mine\n');
    await mkdir(join(out, 'a (2).srt'));
    expect(await writeExportInFolder(out, nameFor, 'one\n')).toBe(join(out, 'a (3).srt'));
    expect(await writeExportInFolder(out, nameFor, 'two\n')).toBe(join(out, 'a (4).srt'));
    expect((await readdir(out)).sort()).toEqual(['a (2).srt', 'a (3).srt', 'a (4).srt', 'a.srt']);
    expect(await readFile(join(out, 'a.srt'), 'utf8')).toBe('mine\n');
    expect(await readFile(join(out, 'a (4).srt'), 'utf8')).toBe('two\n');
  });
});
