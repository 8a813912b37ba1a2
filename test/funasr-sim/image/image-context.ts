// The inputs of the stand-in image (the sim bundled into one ESM file, the Dockerfile, the rootfs overlay, the host's
// node and busybox), their hash for the build cache, and the build context assembled from them in a temp dir.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  chmod,
  cp,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  realpath,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const HERE = dirname(fileURLToPath(import.meta.url));
const SIM_MAIN = join(HERE, '..', 'main.ts');
const OVERLAY = join(HERE, 'rootfs');
const DOCKERFILE = join(HERE, 'Dockerfile');
const BUSYBOX_PATHS = ['/bin/busybox', '/usr/bin/busybox'];

/** Where the bundled sim lives inside the image (the binary wrappers exec it). */
export const SIM_IN_IMAGE = 'opt/funasr-sim/sim.mjs';

/** Everything that decides the image's content, read once. */
export interface ImageInputs {
  bundle: string;
  dockerfile: string;
  overlay: { path: string; content: Buffer }[];
  node: string;
  busybox: string;
  /** sha256 over all of the above (node by version, busybox by size). */
  hash: string;
}

/** Bundles test/funasr-sim/main.ts and ws into one ESM file that runs on a bare node (no node_modules). */
export async function bundleSim(): Promise<string> {
  const result = await build({
    entryPoints: [SIM_MAIN],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    external: ['bufferutil', 'utf-8-validate'],
    banner: {
      js: "import { createRequire as funasrSimRequire } from 'node:module'; const require = funasrSimRequire(import.meta.url);",
    },
    logLevel: 'error',
  });
  return result.outputFiles[0]?.text ?? '';
}

async function listFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
    .sort();
}

async function findBusybox(): Promise<string> {
  for (const path of BUSYBOX_PATHS) {
    const exists = await stat(path).then(
      () => true,
      () => false,
    );
    if (!exists) continue;
    if (sharedLibraries(path).length === 0) return path;
  }
  throw new Error('no statically linked busybox found; install the Debian package busybox-static');
}

/** Reads every input and hashes them. */
export async function readImageInputs(): Promise<ImageInputs> {
  const bundle = await bundleSim();
  const dockerfile = await readFile(DOCKERFILE, 'utf8');
  const overlay = await Promise.all(
    (await listFiles(OVERLAY)).map(async (path) => ({ path, content: await readFile(join(OVERLAY, path)) })),
  );
  const node = await realpath(process.execPath);
  const busybox = await findBusybox();
  const hash = createHash('sha256');
  hash.update(bundle).update(dockerfile).update(process.version);
  hash.update(String((await stat(busybox)).size));
  for (const file of overlay) hash.update(file.path).update(file.content);
  return { bundle, dockerfile, overlay, node, busybox, hash: hash.digest('hex').slice(0, 16) };
}

/** The shared libraries `ldd` lists for a binary, and its dynamic loader, as absolute paths (none when static). */
export function sharedLibraries(binary: string): string[] {
  let out: string;
  try {
    out = execFileSync('ldd', [binary], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    return []; // "not a dynamic executable"
  }
  return out
    .split('\n')
    .map((line) => /=>\s*(\/\S+)/.exec(line)?.[1] ?? /^\s*(\/\S+)\s+\(/.exec(line)?.[1])
    .filter((path): path is string => path !== undefined);
}

/** Places a symlink to `target` at `path` inside the context (the tar stream follows it). */
async function linkInto(root: string, path: string, target: string): Promise<void> {
  const at = join(root, path);
  await mkdir(dirname(at), { recursive: true });
  await symlink(await realpath(target), at);
}

/** A throw-away self-signed pair, so the images' default certificate paths exist. */
function makeCertificate(dir: string): void {
  execFileSync(
    'openssl',
    ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '3650', '-subj', '/CN=localhost'].concat([
      '-keyout',
      join(dir, 'server.key'),
      '-out',
      join(dir, 'server.crt'),
    ]),
    { stdio: 'ignore' },
  );
}

/** Assembles the build context in a temp dir: Dockerfile, base/ (symlinks to node, libraries, busybox), app/. */
export async function assembleContext(
  inputs: ImageInputs,
): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'funscribe-sim-image-'));
  await writeFile(join(dir, 'Dockerfile'), inputs.dockerfile);
  const base = join(dir, 'base');
  await linkInto(base, 'usr/local/bin/node', inputs.node);
  for (const library of sharedLibraries(inputs.node)) await linkInto(base, library, library);
  await linkInto(base, 'bin/busybox', inputs.busybox);

  const app = join(dir, 'app');
  await cp(OVERLAY, app, { recursive: true });
  for (const file of inputs.overlay) {
    if (file.content.subarray(0, 2).toString() === '#!') await chmod(join(app, file.path), 0o755);
  }
  await mkdir(join(app, dirname(SIM_IN_IMAGE)), { recursive: true });
  await writeFile(join(app, SIM_IN_IMAGE), inputs.bundle);
  await mkdir(join(app, 'workspace/models'), { recursive: true });
  const sslDir = join(app, 'workspace/FunASR/runtime/ssl_key');
  await mkdir(sslDir, { recursive: true });
  makeCertificate(sslDir);
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
