// Shared pieces of the engine's Docker tests: the stand-in FunASR image (test/helpers/docker-image.ts) and variants of
// it under unique tags (a label of their own, optionally a small layer so that a pull really downloads), pushed to and
// deleted from the local test registry; commands run inside a container; the models volume's file listing.
import type Dockerode from 'dockerode';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import tar from 'tar-fs';
import { MODELS_DIR, modelsVolumeName } from '../../../src-main/engine/container-spec.js';
import { diagnoseDocker } from '../../../src-main/engine/docker-diagnosis.js';
import type { DockerEngine } from '../../../src-main/engine/docker-engine.js';
import { ensureSimImage, registryAddress } from '../../helpers/docker-image.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

/** The repository the variants are pushed to (the stand-in's own, so its layers are already there). */
const REPOSITORY = 'funscribe/funasr-sim';

/** Fails loudly (never skips) when no Docker daemon answers; returns the stand-in image. */
export async function requireSimImage(docker: Dockerode): Promise<{ localTag: string; registryRef: string }> {
  const status = await diagnoseDocker(docker);
  if (!status.available) {
    throw new Error(
      `Docker tests need a running Docker daemon: run scripts/docker-test-env.sh (${status.problem?.message})`,
    );
  }
  return ensureSimImage();
}

/** Runs a build/push stream to its end, failing on an error event. */
async function follow(docker: Dockerode, stream: NodeJS.ReadableStream): Promise<void> {
  await new Promise<void>((resolve, reject) =>
    docker.modem.followProgress(stream, (error: Error | null, events: { error?: string }[]) => {
      const failed = events?.find((event) => event.error);
      if (error || failed) reject(error ?? new Error(failed?.error));
      else resolve();
    }),
  );
}

/** Options of a variant of the stand-in image. */
export interface VariantOptions {
  /** Bytes of random data in a layer of its own (0: none, the variant differs only by its label). */
  payloadBytes?: number;
  /** Environment baked into the image (e.g. the stand-in's FUNASR_SIM_DOWNLOAD_MS). */
  env?: Record<string, string>;
}

/** Builds `tag` FROM the stand-in image `base`, labelled with the tag so that every variant is a different image. */
export async function buildVariant(
  docker: Dockerode,
  base: string,
  tag: string,
  options: VariantOptions = {},
): Promise<void> {
  const context = await makeTempDir('sim-variant');
  try {
    const lines = [`FROM ${base}`, `LABEL org.funscribe.test-variant="${tag}"`];
    for (const [key, value] of Object.entries(options.env ?? {})) lines.push(`ENV ${key}=${value}`);
    if (options.payloadBytes) {
      await writeFile(join(context.path, 'payload.bin'), randomBytes(options.payloadBytes));
      lines.push('COPY payload.bin /workspace/test-payload.bin');
    }
    await writeFile(join(context.path, 'Dockerfile'), `${lines.join('\n')}\n`);
    const stream = await docker.buildImage(tar.pack(context.path) as unknown as NodeJS.ReadableStream, {
      t: tag,
      forcerm: true,
    });
    await follow(docker, stream);
  } finally {
    await context.remove();
  }
}

/**
 * Pushes the local image `localTag` to the test registry as `funscribe/funasr-sim:<tag>` and removes both local names
 * (the stand-in's own layers stay, being shared), so that pulling the returned reference downloads what is new.
 */
export async function pushVariant(docker: Dockerode, localTag: string, tag: string): Promise<string> {
  const registry = registryAddress();
  const ref = `${registry}/${REPOSITORY}:${tag}`;
  await docker.getImage(localTag).tag({ repo: `${registry}/${REPOSITORY}`, tag });
  await follow(docker, await docker.getImage(ref).push({ authconfig: { serveraddress: registry } }));
  await removeImage(docker, ref);
  await removeImage(docker, localTag);
  return ref;
}

/** Removes a local image name (no-op when absent); the image itself goes when no other name holds it. */
export async function removeImage(docker: Dockerode, ref: string): Promise<void> {
  await docker
    .getImage(ref)
    .remove()
    .catch((error: { statusCode?: number }) => {
      if (error.statusCode !== 404) throw error;
    });
}

/** Deletes a pushed variant's manifest from the test registry (its layer blobs stay until a garbage collection). */
export async function deleteFromRegistry(ref: string): Promise<void> {
  const tag = ref.slice(ref.lastIndexOf(':') + 1);
  const manifest = `http://${registryAddress()}/v2/${REPOSITORY}/manifests`;
  const head = await fetch(`${manifest}/${tag}`, {
    method: 'HEAD',
    headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json' },
  });
  const digest = head.headers.get('docker-content-digest');
  if (head.ok && digest) await fetch(`${manifest}/${digest}`, { method: 'DELETE' });
}

/** Runs a command in a running container; resolves with its exit code and output (stdout and stderr). */
export async function execIn(
  docker: Dockerode,
  id: string,
  cmd: string[],
): Promise<{ code: number; output: string }> {
  const run = await docker.getContainer(id).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await run.start({ hijack: true, stdin: false });
  const sink = new PassThrough();
  let output = '';
  sink.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  docker.modem.demuxStream(stream, sink, sink);
  await new Promise((resolve) => stream.on('end', resolve));
  return { code: (await run.inspect()).ExitCode ?? -1, output };
}

/** Every file in the models volume of a running engine container as `path size inode mtime`, sorted. */
export async function modelFiles(docker: Dockerode, id: string): Promise<string[]> {
  const { code, output } = await execIn(docker, id, [
    'find',
    MODELS_DIR,
    '-type',
    'f',
    '-exec',
    'stat',
    '-c',
    '%n %s %i %Y',
    '{}',
    '+',
  ]);
  if (code !== 0) throw new Error(`listing ${MODELS_DIR} failed: ${output}`);
  return output.split('\n').filter(Boolean).sort();
}

/** Removes every managed container and the models volume of each of `instances`. */
export async function removeInstances(engine: DockerEngine, instances: readonly string[]): Promise<void> {
  for (const instance of instances) {
    for (const container of await engine.findManaged(instance)) await engine.remove(container.id);
    await engine.removeVolume(modelsVolumeName(instance));
  }
}
