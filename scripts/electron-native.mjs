// The Electron-ABI copy of better-sqlite3 for `npm start`: where it lives, how it is built, how it is checked.
// node_modules/better-sqlite3 stays built for Node (tests, CLI); the Electron build is kept apart in
// .electron-native/ and handed to the app through FUNSCRIBE_NATIVE_BINDING.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Environment variable the main process reads to find the Electron build of the addon. */
export const NATIVE_BINDING_ENV = 'FUNSCRIBE_NATIVE_BINDING';

/** Folder (under the project root) that holds Electron builds of native addons; it is git-ignored. */
export const ELECTRON_NATIVE_DIR = '.electron-native';

/** Where Electron publishes the headers native addons are compiled against. */
export const ELECTRON_HEADERS_URL = 'https://electronjs.org/headers';

/** The `version` field of an installed package. */
export function installedVersion(projectRoot, packageName) {
  const manifest = JSON.parse(
    readFileSync(join(projectRoot, 'node_modules', packageName, 'package.json'), 'utf8'),
  );
  return manifest.version;
}

/** NODE_MODULE_VERSION of the installed Electron, from the `abi_version` file its package ships. */
export function electronAbi(projectRoot) {
  const text = readFileSync(join(projectRoot, 'node_modules', 'electron', 'abi_version'), 'utf8').trim();
  const abi = Number(text);
  if (!Number.isInteger(abi) || abi <= 0)
    throw new Error(`node_modules/electron/abi_version is not a number: "${text}"`);
  return abi;
}

/** The cached Electron build of better-sqlite3, one file per Electron and better-sqlite3 version. */
export function nativeBindingPath(projectRoot, electronVersion, sqliteVersion) {
  return join(projectRoot, ELECTRON_NATIVE_DIR, electronVersion, `better-sqlite3-${sqliteVersion}.node`);
}

/** node-gyp's header cache for Electron, kept inside the project (never ~/.npmrc's `nodedir`). */
export function headersDir(projectRoot) {
  return join(projectRoot, ELECTRON_NATIVE_DIR, 'headers');
}

/**
 * The environment for native builds: `npm start` exports ~/.npmrc settings as npm_config_* variables, and a
 * `nodedir` there makes node-gyp silently compile against Node's headers even when given --target.
 */
export function nativeBuildEnv(env) {
  return Object.fromEntries(
    Object.entries(env).filter(([name]) => name.toLowerCase() !== 'npm_config_nodedir'),
  );
}

/** The command that downloads a prebuilt Electron binary of the addon (run inside a copy of the package). */
export function prebuildInstallCommand(prebuildInstallBin, target) {
  return {
    command: process.execPath,
    args: [
      prebuildInstallBin,
      '--runtime=electron',
      `--target=${target.electronVersion}`,
      `--arch=${target.arch}`,
      `--platform=${target.platform}`,
      '--verbose',
    ],
  };
}

/** The command that compiles the addon from source against Electron's headers (the fallback). */
export function nodeGypRebuildCommand(nodeGypBin, target, devDir) {
  return {
    command: process.execPath,
    args: [
      nodeGypBin,
      'rebuild',
      '--release',
      '--runtime=electron',
      `--target=${target.electronVersion}`,
      `--arch=${target.arch}`,
      `--dist-url=${ELECTRON_HEADERS_URL}`,
      `--devdir=${devDir}`,
    ],
  };
}

/** The NODE_MODULE_VERSION named in a failed addon load, e.g. "compiled against ... NODE_MODULE_VERSION 150". */
export function abiFromLoadError(message) {
  const match = /compiled against a different Node\.js version using\s+NODE_MODULE_VERSION (\d+)/.exec(
    message,
  );
  return match ? Number(match[1]) : null;
}

/**
 * The ABI an addon was built for, found by loading it in a child Node process: a clean load means this Node's
 * ABI, an ABI-mismatch error names the addon's. Null when the load fails for another reason.
 */
export function addonAbi(addonPath) {
  const probe = 'process.dlopen({ exports: {} }, process.argv[1]); console.log(process.versions.modules);';
  const result = spawnSync(process.execPath, ['-e', probe, addonPath], { encoding: 'utf8' });
  if (result.status === 0) return Number(result.stdout.trim());
  return abiFromLoadError(result.stderr);
}
