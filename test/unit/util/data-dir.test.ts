// Which folder the app and the CLI open: an explicit folder, else FUNSCRIBE_DATA_DIR, else the folder the location file
// names (a change chosen in the settings and made at a start), else the platform's default; the location file is
// replaced whole and a missing or broken one says nothing.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  dataFolderLocationFile,
  readDataFolderLocation,
  resolveDataDir,
  writeDataFolderLocation,
} from '../../../src-main/util/data-dir.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

describe.runIf(process.platform === 'linux')('resolveDataDir', () => {
  let config: Awaited<ReturnType<typeof makeTempDir>>;
  let env: NodeJS.ProcessEnv;

  beforeEach(async () => {
    config = await makeTempDir('data-dir');
    env = { XDG_CONFIG_HOME: config.path };
  });
  afterEach(() => config.remove());

  it('is the platform default until the location file names another folder', () => {
    expect(resolveDataDir(undefined, env)).toBe(join(config.path, 'FunScribe'));
    const file = dataFolderLocationFile(env);
    expect(file).toBe(join(config.path, 'FunScribe-location.json'));
    writeDataFolderLocation(file, { current: '/srv/meetings', next: '/mnt/other', error: null });
    expect(readDataFolderLocation(file)).toEqual({
      current: '/srv/meetings',
      next: '/mnt/other',
      error: null,
    });
    expect(resolveDataDir(undefined, env)).toBe('/srv/meetings');
  });

  it('lets --data-dir and FUNSCRIBE_DATA_DIR win over the location file', () => {
    writeDataFolderLocation(dataFolderLocationFile(env), {
      current: '/srv/meetings',
      next: null,
      error: null,
    });
    expect(resolveDataDir('/explicit', env)).toBe('/explicit');
    expect(resolveDataDir(undefined, { ...env, FUNSCRIBE_DATA_DIR: '/from-env' })).toBe('/from-env');
  });

  it('reads a broken location file as saying nothing', async () => {
    await writeFile(dataFolderLocationFile(env), '{ not json');
    expect(readDataFolderLocation(dataFolderLocationFile(env))).toEqual({
      current: null,
      next: null,
      error: null,
    });
    expect(resolveDataDir(undefined, env)).toBe(join(config.path, 'FunScribe'));
  });
});
