// The GPU engine's launch against a real Docker daemon and the stand-in image playing the GPU image's binary
// (FUNASR_SIM_BUILD=gpu: like the real one it dies at once unless torch's and torch_blade's libraries are on
// LD_LIBRARY_PATH, and with --gpu it converts the ASR model to TorchScript on the first start). This machine has no
// NVIDIA GPU, so each container is created from the exact spec the manager builds, minus its GPU device request.
import type Dockerode from 'dockerode';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG } from '../../../src-main/engine/catalog.js';
import { buildContainerSpec, serverCommand } from '../../../src-main/engine/container-spec.js';
import { connectDocker } from '../../../src-main/engine/docker-connection.js';
import { DockerEngine } from '../../../src-main/engine/docker-engine.js';
import type { EngineProgress, EngineState } from '../../../src-shared/engine-types.js';
import { choosePort } from '../../../src-main/engine/host-port.js';
import { waitForReady } from '../../../src-main/engine/readiness.js';
import { FunscribeError } from '../../../src-main/util/errors.js';
import { removeInstances, requireSimImage } from './engine-test-kit.js';

const docker = connectDocker();
const engine = new DockerEngine(docker);
const run = randomBytes(3).toString('hex');
const instances = [`gpu-${run}`, `gpu-bare-${run}`];
const ASR = CATALOG['offline-gpu'].models.find((model) => model.role === 'asr')!.id;
const BLADE = `/workspace/models/${ASR}/model_blade.torchscript`;
let image: string;

/** The manager's GPU container spec for `instance`, without the device request this machine cannot satisfy. */
async function gpuSpec(
  instance: string,
  env: Record<string, string>,
): Promise<Dockerode.ContainerCreateOptions> {
  const spec = buildContainerSpec({
    kind: 'offline-gpu',
    image,
    hostPort: await choosePort(21000),
    cores: 2,
    instance,
    extraEnv: { FUNASR_SIM_DOWNLOAD_MS: '200', FUNASR_SIM_EXPORT_MS: '1500', ...env },
  });
  const { DeviceRequests, ...hostConfig } = spec.HostConfig ?? {};
  expect(DeviceRequests).toEqual([{ Driver: 'nvidia', Count: -1, Capabilities: [['gpu']] }]);
  return { ...spec, HostConfig: hostConfig };
}

/** Creates and starts a container and follows its readiness, recording states and progress. */
async function startAndWait(spec: Dockerode.ContainerCreateOptions) {
  const id = await engine.create(spec);
  await engine.start(id);
  const states: EngineState[] = [];
  const progress: EngineProgress[] = [];
  const outcome = await waitForReady(engine, id, {
    since: 0,
    onState: (state) => states.push(state),
    onProgress: (p) => progress.push(p),
  }).then(
    () => null,
    (error: unknown) => error,
  );
  return { id, states, progress, outcome, logs: await engine.logs(id) };
}

beforeAll(async () => {
  image = (await requireSimImage(docker)).localTag;
});

afterAll(() => removeInstances(engine, instances));

describe('the GPU engine', () => {
  it('started bare (as before), fails at once with a message a person understands', async () => {
    const spec = await gpuSpec(instances[1]!, { FUNASR_SIM_BUILD: 'gpu' });
    const bare = { ...spec, Entrypoint: [], Cmd: serverCommand('offline-gpu', 2) };
    const { id, outcome, states } = await startAndWait(bare);
    expect(outcome).toBeInstanceOf(FunscribeError);
    expect(outcome).toMatchObject({ code: 'ENGINE_FAILED' });
    const message = (outcome as FunscribeError).message;
    expect(message).toMatch(
      /^The engine failed to start: the server program cannot run because the library libtorch_global_deps\.so is not on its library path/,
    );
    expect(message).toContain('FunASR GPU runtime image');
    expect(message).toContain('error while loading shared libraries: libtorch_global_deps.so');
    expect(states).not.toContain('downloading-models');
    await engine.remove(id);
  });

  it('launches through the shell, converts the model in a state of its own with progress, and gets ready', async () => {
    const spec = await gpuSpec(instances[0]!, { FUNASR_SIM_BUILD: 'gpu' });
    const { id, outcome, states, progress, logs } = await startAndWait(spec);
    expect(outcome).toBeNull();
    const order = ['downloading-models', 'exporting-models', 'loading', 'ready'] as const;
    expect(order.map((state) => states.indexOf(state))).toEqual(
      [...order.map((state) => states.indexOf(state))].sort((a, b) => a - b),
    );
    expect(states).toContain('exporting-models');
    const exports = progress.filter((p) => p.phase === 'export-model');
    expect(exports[0]).toMatchObject({ subject: ASR });
    expect(exports[0]?.message).toContain('model_blade.torchscript');
    // PYTHONUNBUFFERED (in the spec) lets the tool's announcement through before the conversion, not after it.
    const announced = logs.findIndex((line) => line === `model is not exist, begin to export ${BLADE}`);
    const converting = logs.findIndex((line) => line.startsWith('INFO:root:Loading pretrained params'));
    expect(announced).toBeGreaterThanOrEqual(0);
    expect(converting).toBeGreaterThan(announced);
    expect(logs.some((line) => line.endsWith(`] Successfully load model from ${BLADE}`))).toBe(true);
    expect(logs.some((line) => line.includes('GPU is not supported'))).toBe(false);
    await engine.remove(id);
  });

  it('a CPU build given the GPU command warns that the GPU is not supported and serves anyway', async () => {
    // The same volume as the GPU start above (its model is converted already); no container of it may be left.
    for (const container of await engine.findManaged(instances[0]!)) await engine.remove(container.id);
    const spec = await gpuSpec(instances[0]!, {});
    const { id, outcome, states, logs } = await startAndWait(spec);
    expect(outcome).toBeNull();
    expect(states).not.toContain('failed');
    expect(states).not.toContain('exporting-models');
    expect(logs.some((line) => /^E\d+ .*\] GPU is not supported! CPU will be used!/.test(line))).toBe(true);
    expect(logs.some((line) => line.includes("No module named 'torch_blade'"))).toBe(true);
    await engine.remove(id);
  });
});
