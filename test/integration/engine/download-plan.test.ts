// What Start will download, against the real Docker daemon and the local test registry (scripts/docker-test-env.sh):
// an image Docker lacks is sized by its registry's manifest (a variant with 3 MB of random data more is 3 MB larger),
// an image Docker has is not counted, models are the catalog's estimates, and a registry nobody answers on gives the
// catalog's figure marked as an estimate.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppService } from '../../../src-main/application/app-service.js';
import { CATALOG } from '../../../src-main/engine/catalog.js';
import { connectDocker } from '../../../src-main/engine/docker-connection.js';
import { compressedImageBytes } from '../../../src-main/engine/registry-manifest.js';
import { createServices, type Services } from '../../../src-main/services.js';
import {
  buildVariant,
  deleteFromRegistry,
  pushVariant,
  removeImage,
  requireSimImage,
} from '../../docker/engine/engine-test-kit.js';
import { closedPort } from '../../helpers/closed-port.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const docker = connectDocker();
const PAYLOAD = 3 * 1024 * 1024;
const instance = `plan-${randomBytes(3).toString('hex')}`;

/** Services whose offline CPU engine runs `image`, in a temp library (closed by the caller). */
async function servicesFor(image: string, dataDir: string, env: NodeJS.ProcessEnv = process.env) {
  return createServices({
    dataDir,
    env: { ...env, FUNSCRIBE_ENGINE_INSTANCE: instance, FUNSCRIBE_IMAGE_OFFLINE_CPU: image },
  });
}

describe('engineDownloadPlan', () => {
  let base: string;
  let variant: string;
  let data: Awaited<ReturnType<typeof makeTempDir>>;
  const opened: Services[] = [];

  beforeAll(async () => {
    base = (await requireSimImage(docker)).registryRef;
    const tag = `plan-${randomBytes(4).toString('hex')}`;
    await buildVariant(docker, (await requireSimImage(docker)).localTag, `funscribe/plan-variant:${tag}`, {
      payloadBytes: PAYLOAD,
    });
    variant = await pushVariant(docker, `funscribe/plan-variant:${tag}`, tag);
    data = await makeTempDir('download-plan');
  }, 600_000);

  afterAll(async () => {
    for (const services of opened) await services.close();
    if (variant) {
      await removeImage(docker, variant);
      await deleteFromRegistry(variant);
    }
    await data?.remove();
  });

  it('sizes an image from its registry manifest: 3 MB of random data make it 3 MB larger', async () => {
    const baseBytes = await compressedImageBytes(base);
    const variantBytes = await compressedImageBytes(variant);
    expect(baseBytes).toBeGreaterThan(10 * 1024 * 1024);
    expect(variantBytes - baseBytes).toBeGreaterThanOrEqual(PAYLOAD);
    expect(variantBytes - baseBytes).toBeLessThan(PAYLOAD + 64 * 1024);
  });

  it('counts the image until Docker has it, and the catalog models as estimates', async () => {
    const services = await servicesFor(variant, data.path);
    opened.push(services);
    const app = createAppService(services);
    const entry = CATALOG['offline-cpu'];
    const modelBytes = entry.models.reduce((sum, model) => sum + model.approxBytes, 0);

    const before = await app.engineDownloadPlan();
    expect(before.kind).toBe('offline-cpu');
    expect(before.image).toEqual({
      name: variant,
      bytes: await compressedImageBytes(variant),
      estimate: false,
      present: false,
    });
    expect(before.models.map((model) => [model.name, model.estimate, model.present])).toEqual(
      entry.models.map((model) => [model.id, true, false]),
    );
    expect(before.totalBytes).toBe(before.image.bytes + modelBytes);
    expect(before.estimate).toBe(true);

    await new Promise<void>((resolve, reject) =>
      docker.pull(variant, (error: Error | null, stream: NodeJS.ReadableStream) => {
        if (error) reject(error);
        else
          docker.modem.followProgress(stream, (failed: Error | null) =>
            failed ? reject(failed) : resolve(),
          );
      }),
    );
    const after = await app.engineDownloadPlan();
    expect(after.image).toMatchObject({ name: variant, present: true });
    expect(after.totalBytes).toBe(modelBytes);
  });

  it("falls back to the catalog's figure, marked as an estimate, when the registry does not answer", async () => {
    const unreachable = `127.0.0.1:${await closedPort()}/funscribe/nowhere:1`;
    const services = await servicesFor(unreachable, data.path);
    opened.push(services);
    const plan = await services.engine.downloadPlan(2000);
    expect(plan.image).toEqual({
      name: unreachable,
      bytes: CATALOG['offline-cpu'].approxImageBytes,
      estimate: true,
      present: false,
    });
  });

  it('needs Docker: without a daemon it says so', async () => {
    const services = await servicesFor(base, data.path, {
      ...process.env,
      DOCKER_HOST: 'unix:///nonexistent.sock',
    });
    opened.push(services);
    await expect(createAppService(services).engineDownloadPlan()).rejects.toMatchObject({
      code: 'DOCKER_NOT_RUNNING',
    });
  });
});
