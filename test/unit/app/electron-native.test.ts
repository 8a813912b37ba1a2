// The testable half of `npm start`'s native-addon handling. Downloading Electron or its headers needs
// github.com / electronjs.org, which this machine cannot reach, so the build itself is not run here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import {
  ELECTRON_HEADERS_URL,
  NATIVE_BINDING_ENV,
  abiFromLoadError,
  addonAbi,
  electronAbi,
  headersDir,
  installedVersion,
  nativeBindingPath,
  nativeBuildEnv,
  nodeGypRebuildCommand,
  prebuildInstallCommand,
} from '../../../scripts/electron-native.mjs';
import { makeTempDir } from '../../helpers/temp-dir.js';

const target = { electronVersion: '45.4.1', arch: 'x64', platform: 'linux' };

describe('paths and versions', () => {
  let project: Awaited<ReturnType<typeof makeTempDir>>;

  beforeAll(async () => {
    project = await makeTempDir('electron-native');
    const packages: [string, string][] = [
      ['electron', '45.4.1'],
      ['better-sqlite3', '12.11.1'],
    ];
    for (const [name, version] of packages) {
      const dir = join(project.path, 'node_modules', name);
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'package.json'), JSON.stringify({ name, version }));
    }
    await writeFile(join(project.path, 'node_modules', 'electron', 'abi_version'), '150\n');
  });

  afterAll(() => project.remove());

  it('reads installed versions and the Electron ABI from the packages', () => {
    expect(installedVersion(project.path, 'electron')).toBe('45.4.1');
    expect(installedVersion(project.path, 'better-sqlite3')).toBe('12.11.1');
    expect(electronAbi(project.path)).toBe(150);
  });

  it('refuses an abi_version that is not a number', async () => {
    await writeFile(join(project.path, 'node_modules', 'electron', 'abi_version'), 'v150');
    expect(() => electronAbi(project.path)).toThrow(/not a number/);
  });

  it('keeps one addon per Electron and better-sqlite3 version, inside the project', () => {
    const path = nativeBindingPath(project.path, '45.4.1', '12.11.1');
    expect(path).toBe(join(project.path, '.electron-native', '45.4.1', 'better-sqlite3-12.11.1.node'));
    expect(nativeBindingPath(project.path, '46.0.0', '12.11.1')).not.toBe(path);
    expect(nativeBindingPath(project.path, '45.4.1', '12.12.0')).not.toBe(path);
    expect(dirname(headersDir(project.path))).toBe(join(project.path, '.electron-native'));
  });

  it('names the environment variable the main process reads', () => {
    expect(NATIVE_BINDING_ENV).toBe('FUNSCRIBE_NATIVE_BINDING');
  });
});

describe('build commands', () => {
  it('drops the nodedir that npm exports from ~/.npmrc, whatever its case, and keeps the rest', () => {
    const env = nativeBuildEnv({
      PATH: '/usr/bin',
      npm_config_nodedir: '/usr',
      NPM_CONFIG_NODEDIR: '/usr',
      HOME: '/h',
    });
    expect(env).toEqual({ PATH: '/usr/bin', HOME: '/h' });
  });

  it('asks prebuild-install for the Electron runtime and version', () => {
    const { command, args } = prebuildInstallCommand('/p/prebuild-install/bin.js', target);
    expect(command).toBe(process.execPath);
    expect(args).toEqual(
      expect.arrayContaining([
        '/p/prebuild-install/bin.js',
        '--runtime=electron',
        '--target=45.4.1',
        '--arch=x64',
      ]),
    );
  });

  it('compiles against Electron headers in the project cache, never an inherited nodedir', () => {
    const { args } = nodeGypRebuildCommand('/p/node-gyp.js', target, '/proj/.electron-native/headers');
    expect(args.slice(0, 2)).toEqual(['/p/node-gyp.js', 'rebuild']);
    expect(args).toEqual(
      expect.arrayContaining([
        '--runtime=electron',
        '--target=45.4.1',
        `--dist-url=${ELECTRON_HEADERS_URL}`,
        '--devdir=/proj/.electron-native/headers',
      ]),
    );
    expect(args.some((arg) => arg.startsWith('--nodedir'))).toBe(false);
  });
});

describe('addon ABI check', () => {
  it('reads the ABI out of a mismatch error', () => {
    const message =
      "Error: The module '/x/better_sqlite3.node'\nwas compiled against a different Node.js version using\n" +
      'NODE_MODULE_VERSION 150. This version of Node.js requires\nNODE_MODULE_VERSION 115.';
    expect(abiFromLoadError(message)).toBe(150);
    expect(abiFromLoadError('Error: invalid ELF header')).toBeNull();
  });

  it("tells this Node's ABI for the better-sqlite3 built for Node", () => {
    const require = createRequire(import.meta.url);
    const addon = join(
      dirname(require.resolve('better-sqlite3/package.json')),
      'build',
      'Release',
      'better_sqlite3.node',
    );
    expect(addonAbi(addon)).toBe(Number(process.versions.modules));
  });

  it('gives null for a file that is not an addon', async () => {
    const temp = await makeTempDir('not-an-addon');
    try {
      const fake = join(temp.path, 'fake.node');
      await writeFile(fake, 'not a shared object');
      expect(addonAbi(fake)).toBeNull();
    } finally {
      await temp.remove();
    }
  });
});
