// `npm start`: build, find the Electron binary, make sure an Electron-ABI better-sqlite3 exists in
// .electron-native/ (node_modules/better-sqlite3 stays built for Node), then run `electron .` with it.
import { spawnSync, spawn } from 'node:child_process';
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  NATIVE_BINDING_ENV,
  addonAbi,
  electronAbi,
  headersDir,
  installedVersion,
  nativeBindingPath,
  nativeBuildEnv,
  nodeGypRebuildCommand,
  prebuildInstallCommand,
} from './electron-native.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));

/** A reason to stop, printed without a stack trace. */
class StartError extends Error {}

function fail(message) {
  throw new StartError(message);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root, ...options });
  return result.status === 0;
}

function build() {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  if (!run(npm, ['run', 'build'], { shell: process.platform === 'win32' }))
    fail('the build failed (see above).');
}

/** The Electron executable; requiring the package downloads the binary on first use (Electron ≥45). */
function electronBinary(version) {
  try {
    return require('electron');
  } catch {
    fail(
      `the Electron ${version} binary is not installed and could not be downloaded (see above).\n` +
        'Electron fetches it from github.com the first time it runs. Run `npx install-electron` on a machine with\n' +
        `internet access, or set ELECTRON_OVERRIDE_DIST_PATH to an unpacked Electron ${version} folder.`,
    );
  }
}

/** Builds better-sqlite3 for Electron in a temporary copy of the package; returns the built addon. */
function buildAddon(workDir, target) {
  const packageDir = dirname(require.resolve('better-sqlite3/package.json'));
  const copy = join(workDir, 'better-sqlite3');
  cpSync(packageDir, copy, {
    recursive: true,
    filter: (path) => !path.startsWith(join(packageDir, 'build') + sep),
  });
  const options = { cwd: copy, env: nativeBuildEnv(process.env) };
  const prebuilt = prebuildInstallCommand(require.resolve('prebuild-install/bin.js'), target);
  if (!run(prebuilt.command, prebuilt.args, options)) {
    console.log('No prebuilt better-sqlite3 for this Electron; compiling it from source.');
    const gyp = nodeGypRebuildCommand(require.resolve('node-gyp/bin/node-gyp.js'), target, headersDir(root));
    if (!run(gyp.command, gyp.args, options)) {
      fail(
        `better-sqlite3 could not be built for Electron ${target.electronVersion} (see above). ` +
          'It needs either a prebuilt binary from github.com or the Electron headers from electronjs.org plus a C++ toolchain.',
      );
    }
  }
  return join(copy, 'build', 'Release', 'better_sqlite3.node');
}

/** The Electron-ABI addon, from the cache or freshly built, checked to carry Electron's ABI. */
function ensureNativeBinding(electronVersion) {
  const expected = electronAbi(root);
  // An addon whose ABI cannot be read is trusted; one that names another ABI (e.g. Node's) is rebuilt.
  const fits = (abi) => abi === null || abi === expected;
  const target = nativeBindingPath(root, electronVersion, installedVersion(root, 'better-sqlite3'));
  if (existsSync(target) && fits(addonAbi(target))) return target;
  const workDir = mkdtempSync(join(tmpdir(), 'funscribe-native-'));
  try {
    const built = buildAddon(workDir, { electronVersion, arch: process.arch, platform: process.platform });
    const actual = addonAbi(built);
    if (!fits(actual)) {
      fail(`the better-sqlite3 build has ABI ${actual}, but Electron ${electronVersion} needs ${expected}.`);
    }
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(built, `${target}.tmp`);
    renameSync(`${target}.tmp`, target);
    return target;
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}

function launch(electron, nativeBinding) {
  const env = { ...process.env, [NATIVE_BINDING_ENV]: nativeBinding };
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(electron, ['.'], { stdio: 'inherit', cwd: root, env });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

try {
  build();
  const electronVersion = installedVersion(root, 'electron');
  const electron = electronBinary(electronVersion);
  launch(electron, ensureNativeBinding(electronVersion));
} catch (error) {
  if (!(error instanceof StartError)) throw error;
  console.error(`\nnpm start: ${error.message}`);
  process.exitCode = 1;
}
