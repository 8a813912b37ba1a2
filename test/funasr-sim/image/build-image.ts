// Builds the stand-in FunASR Docker image (funscribe/funasr-sim:<tag>) and pushes it to the local test registry.
// Run directly: `npx tsx test/funasr-sim/image/build-image.ts [--tag T] [--no-push]`.
// The build is skipped when an image labelled with the hash of its inputs already exists.
import { pathToFileURL } from 'node:url';
import Docker from 'dockerode';
import tar from 'tar-fs';
import { withFileLock } from './file-lock.js';
import { assembleContext, readImageInputs } from './image-context.js';

/** The image's repository name, locally and in the registry. */
export const SIM_REPOSITORY = 'funscribe/funasr-sim';
/** Label holding the hash of the image's inputs (the build cache key). */
export const HASH_LABEL = 'funscribe.sim.hash';
/** Label marking images built by the test set-up. */
export const TEST_LABEL = 'funscribe.test';
/** The local registry the tests push to (FUNSCRIBE_TEST_REGISTRY overrides it). */
export const DEFAULT_REGISTRY = '127.0.0.1:5000';

/** Options of `buildSimImage`. */
export interface BuildSimImageOptions {
  /** Image tag (default `test`). */
  tag?: string;
  /** Also tag and push to the registry (default false). */
  push?: boolean;
  /** Registry host:port (default FUNSCRIBE_TEST_REGISTRY or 127.0.0.1:5000). */
  registry?: string;
  /** Receives one line per step (nothing by default). */
  log?: (line: string) => void;
}

/** The local tag and the registry reference of the built image. */
export interface SimImage {
  localTag: string;
  registryRef: string;
}

interface ProgressEvent {
  stream?: string;
  status?: string;
  error?: string;
  errorDetail?: { message?: string };
}

/** Reads a build/push event stream to its end; rejects on an error event. */
async function follow(docker: Docker, stream: NodeJS.ReadableStream, what: string): Promise<ProgressEvent[]> {
  const events = await new Promise<ProgressEvent[]>((resolve, reject) =>
    docker.modem.followProgress(stream, (error: Error | null, output: ProgressEvent[]) =>
      error ? reject(error) : resolve(output),
    ),
  );
  const failed = events.find((event) => event.error ?? event.errorDetail);
  if (failed) throw new Error(`${what} failed: ${failed.error ?? failed.errorDetail?.message ?? ''}`);
  return events;
}

/** Returns the id of an image carrying the inputs' hash, if one exists. */
async function cachedImage(docker: Docker, hash: string): Promise<string | undefined> {
  const images = await docker.listImages({ filters: { label: [`${HASH_LABEL}=${hash}`] } });
  return images[0]?.Id;
}

/** Whether the registry's manifest for `tag` is the one this image was last pushed as. */
async function registryHasImage(
  docker: Docker,
  image: SimImage,
  registry: string,
  tag: string,
): Promise<boolean> {
  const response = await fetch(`http://${registry}/v2/${SIM_REPOSITORY}/manifests/${tag}`, {
    method: 'HEAD',
    headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json' },
  }).catch(() => undefined);
  const digest = response?.ok ? response.headers.get('docker-content-digest') : null;
  if (!digest) return false;
  const info = await docker.getImage(image.localTag).inspect();
  return (info.RepoDigests ?? []).includes(`${registry}/${SIM_REPOSITORY}@${digest}`);
}

async function build(docker: Docker, tag: string, log: (line: string) => void): Promise<void> {
  const localTag = `${SIM_REPOSITORY}:${tag}`;
  const inputs = await readImageInputs();
  const cached = await cachedImage(docker, inputs.hash);
  if (cached) {
    await docker.getImage(cached).tag({ repo: SIM_REPOSITORY, tag });
    log(`image ${localTag} is up to date (inputs ${inputs.hash})`);
    return;
  }
  const context = await assembleContext(inputs);
  try {
    const stream = await docker.buildImage(tar.pack(context.dir, { dereference: true }), {
      t: localTag,
      labels: { [HASH_LABEL]: inputs.hash, [TEST_LABEL]: 'funasr-sim' },
      forcerm: true,
    });
    await follow(docker, stream, `building ${localTag}`);
    log(`built ${localTag} (inputs ${inputs.hash})`);
  } finally {
    await context.remove();
  }
}

async function push(
  docker: Docker,
  image: SimImage,
  registry: string,
  tag: string,
  log: (line: string) => void,
) {
  await docker.getImage(image.localTag).tag({ repo: `${registry}/${SIM_REPOSITORY}`, tag });
  if (await registryHasImage(docker, image, registry, tag)) {
    log(`${image.registryRef} is already in the registry`);
    return;
  }
  const stream = await docker.getImage(image.registryRef).push({ authconfig: { serveraddress: registry } });
  await follow(docker, stream, `pushing ${image.registryRef}`);
  log(`pushed ${image.registryRef}`);
}

/** Builds the stand-in image (cached by the hash of its inputs) and optionally pushes it to the local registry. */
export async function buildSimImage(options: BuildSimImageOptions = {}): Promise<SimImage> {
  const tag = options.tag ?? 'test';
  const registry = options.registry ?? process.env.FUNSCRIBE_TEST_REGISTRY ?? DEFAULT_REGISTRY;
  const log = options.log ?? (() => undefined);
  const image = { localTag: `${SIM_REPOSITORY}:${tag}`, registryRef: `${registry}/${SIM_REPOSITORY}:${tag}` };
  const docker = new Docker();
  await withFileLock('funscribe-sim-image', async () => {
    await build(docker, tag, log);
    if (options.push) await push(docker, image, registry, tag, log);
  });
  return image;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const tagAt = process.argv.indexOf('--tag');
  const started = performance.now();
  const image = await buildSimImage({
    tag: tagAt > 0 ? process.argv[tagAt + 1] : undefined,
    push: !process.argv.includes('--no-push'),
    log: (line) => console.log(`[${((performance.now() - started) / 1000).toFixed(1)} s] ${line}`),
  });
  console.log(JSON.stringify(image));
}
