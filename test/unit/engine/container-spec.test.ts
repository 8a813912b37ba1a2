import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { CATALOG, ENGINE_KINDS, modelKey } from '../../../src-main/engine/catalog.js';
import {
  buildContainerSpec,
  containerName,
  GPU_LAUNCH_SCRIPT,
  LABELS,
  modelsVolumeName,
  pidsLimit,
  serverCommand,
} from '../../../src-main/engine/container-spec.js';
import { DEFAULT_ENGINE_SETTINGS, engineLimits } from '../../../src-main/engine/engine-settings.js';
import { parseServerFlags } from '../../funasr-sim/cli-flags.js';

const BIN = '/workspace/FunASR/runtime/websocket/build/bin';
const base = {
  kind: 'offline-cpu' as const,
  image: 'registry.example/funasr:cpu-1',
  hostPort: 10095,
  cores: 8,
  limits: { memoryBytes: 8 * 1024 ** 3, cpus: 8 },
};

describe('buildContainerSpec', () => {
  it('runs the offline server in the foreground with the exact command line', () => {
    const spec = buildContainerSpec(base);
    expect(spec.Entrypoint).toEqual([]);
    expect(spec.WorkingDir).toBe(BIN);
    expect(spec.Cmd).toEqual([
      `${BIN}/funasr-wss-server`,
      '--download-model-dir',
      '/workspace/models',
      '--vad-dir',
      'iic/speech_fsmn_vad_zh-cn-16k-common-onnx',
      '--vad-revision',
      'v2.0.6',
      '--model-dir',
      'iic/speech_paraformer-large-vad-punc_asr_nat-zh-cn-16k-common-vocab8404-onnx',
      '--model-revision',
      'v2.0.5',
      '--punc-dir',
      'iic/punc_ct-transformer_cn-en-common-vocab471067-large-onnx',
      '--punc-revision',
      'v2.0.5',
      '--lm-dir',
      'iic/speech_ngram_lm_zh-cn-ai-wesp-fst',
      '--lm-revision',
      'v1.0.2',
      '--itn-dir',
      'thuduj12/fst_itn_zh',
      '--itn-revision',
      'v1.0.1',
      '--port',
      '10095',
      '--certfile',
      '0',
      '--keyfile',
      '0',
      '--hotword',
      '/dev/null',
      '--decoder-thread-num',
      '8',
      '--io-thread-num',
      '1',
      '--model-thread-num',
      '1',
    ]);
  });

  it('publishes the port on 127.0.0.1 only', () => {
    const spec = buildContainerSpec({ ...base, hostPort: 12345 });
    expect(spec.ExposedPorts).toEqual({ '10095/tcp': {} });
    expect(spec.HostConfig?.PortBindings).toEqual({
      '10095/tcp': [{ HostIp: '127.0.0.1', HostPort: '12345' }],
    });
    expect(JSON.stringify(spec)).not.toContain('0.0.0.0');
  });

  it('names models by path once they are in the volume, by ModelScope id before', () => {
    const [vad, asr] = CATALOG['offline-cpu'].models;
    const cmd = serverCommand('offline-cpu', 2, new Set([modelKey(vad!)]));
    const value = (flag: string) => cmd[cmd.indexOf(flag) + 1];
    expect(value('--vad-dir')).toBe(`/workspace/models/${vad!.id}`);
    expect(value('--model-dir')).toBe(asr!.id);
    // A copy of another revision does not count.
    const other = serverCommand('offline-cpu', 2, new Set([`${vad!.id}@v1.0.0`]));
    expect(other[other.indexOf('--vad-dir') + 1]).toBe(vad!.id);
    expect(
      buildContainerSpec({ ...base, localModels: new Set([modelKey(vad!)]) }).Labels?.[LABELS.specHash],
    ).not.toBe(buildContainerSpec(base).Labels?.[LABELS.specHash]);
  });

  it('mounts only the models volume (no server-wide hotword file), never privileged', () => {
    const spec = buildContainerSpec(base);
    expect(spec.HostConfig?.Mounts).toEqual([
      { Type: 'volume', Source: 'funscribe-models', Target: '/workspace/models' },
    ]);
    expect(spec.HostConfig?.Binds).toBeUndefined();
    expect(spec.HostConfig?.Privileged).toBeUndefined();
    expect(spec.HostConfig?.RestartPolicy).toEqual({ Name: 'on-failure', MaximumRetryCount: 5 });
    expect(spec.HostConfig?.DeviceRequests).toBeUndefined();
  });

  it('labels the container as ours with kind, image, instance and a spec hash', () => {
    const spec = buildContainerSpec({ ...base, instance: 't1' });
    expect(spec.name).toBe('funscribe-engine-offline-cpu-t1');
    expect(spec.Labels).toMatchObject({
      [LABELS.managed]: 'true',
      [LABELS.kind]: 'offline-cpu',
      [LABELS.image]: base.image,
      [LABELS.instance]: 't1',
    });
    expect(spec.Labels?.[LABELS.specHash]).toMatch(/^[0-9a-f]{16}$/);
    expect(spec.HostConfig?.Mounts?.[0]?.Source).toBe('funscribe-models-t1');
  });

  it('changes the hash when anything in the spec changes, and only then', () => {
    const hash = (input: Parameters<typeof buildContainerSpec>[0]) =>
      buildContainerSpec(input).Labels?.[LABELS.specHash];
    expect(hash(base)).toBe(hash({ ...base }));
    expect(hash({ ...base, image: 'registry.example/funasr:cpu-2' })).not.toBe(hash(base));
    expect(hash({ ...base, hostPort: 10096 })).not.toBe(hash(base));
    expect(hash({ ...base, cores: 4 })).not.toBe(hash(base));
    expect(hash({ ...base, extraEnv: { A: '1' } })).not.toBe(hash(base));
  });

  it('asks for every NVIDIA GPU and starts the GPU server through a shell that puts torch on the library path', () => {
    const spec = buildContainerSpec({ ...base, kind: 'offline-gpu' });
    expect(spec.HostConfig?.DeviceRequests).toEqual([
      { Driver: 'nvidia', Count: -1, Capabilities: [['gpu']] },
    ]);
    expect(spec.Entrypoint).toEqual(['/bin/sh']);
    expect(spec.Cmd?.slice(0, 3)).toEqual(['-c', GPU_LAUNCH_SCRIPT, 'funasr-gpu']);
    expect(spec.Cmd?.slice(3)).toEqual(serverCommand('offline-gpu', 8));
    expect(spec.Cmd?.at(-1)).toBe('--gpu');
    expect(spec.Cmd).toContain(
      'iic/speech_paraformer-large-vad-punc_asr_nat-zh-cn-16k-common-vocab8404-pytorch',
    );
    for (const kind of ENGINE_KINDS.filter((k) => k !== 'offline-gpu')) {
      expect(buildContainerSpec({ ...base, kind }).Entrypoint).toEqual([]);
    }
  });

  it('the GPU launch sets LD_LIBRARY_PATH from python3 and runs the server in its place', () => {
    const script = `python3() { case "$2" in *torch_blade*) echo /py/torch_blade ;; *torch*) echo /py/torch ;; esac; }; ${GPU_LAUNCH_SCRIPT}`;
    const run = (env: Record<string, string>) =>
      execFileSync(
        '/bin/sh',
        ['-c', script, 'funasr-gpu', '/bin/sh', '-c', 'echo "$LD_LIBRARY_PATH $0 $1"', 'a', 'b'],
        {
          env: { PATH: process.env.PATH ?? '', ...env },
          encoding: 'utf8',
        },
      ).trim();
    expect(run({})).toBe('/usr/local/lib:/py/torch/lib:/py/torch_blade a b');
    expect(run({ LD_LIBRARY_PATH: '/opt/x' })).toBe(
      '/usr/local/lib:/py/torch/lib:/py/torch_blade:/opt/x a b',
    );
  });

  it('runs the 2pass binary with both ASR models for live captions', () => {
    const cmd = serverCommand('online-cpu', 2);
    expect(cmd[0]).toBe(`${BIN}/funasr-wss-server-2pass`);
    expect(cmd).toContain('--online-model-dir');
    expect(cmd).not.toContain('--gpu');
    const value = (flag: string) => cmd[cmd.indexOf(flag) + 1];
    expect(value('--model-dir')).toBe(
      'damo/speech_paraformer-large-vad-punc_asr_nat-zh-cn-16k-common-vocab8404-onnx',
    );
    expect(value('--offline-model-revision')).toBe('v2.0.5');
    expect(value('--online-model-revision')).toBe('v2.0.5');
    expect(cmd).not.toContain('--model-revision');
  });

  it('sizes the threads from the cores: decoder = cores, io = ceil(cores/16)', () => {
    const value = (cmd: string[], flag: string) => cmd[cmd.indexOf(flag) + 1];
    const big = serverCommand('en-cpu', 33);
    expect(value(big, '--decoder-thread-num')).toBe('33');
    expect(value(big, '--io-thread-num')).toBe('3');
    const tiny = serverCommand('en-cpu', 0);
    expect(value(tiny, '--decoder-thread-num')).toBe('1');
    expect(value(tiny, '--io-thread-num')).toBe('1');
  });

  it('runs Python unbuffered with HOME on the scratch tmpfs, ModelScope caching in the volume, and the extra environment (tests only)', () => {
    const env = ['PYTHONUNBUFFERED=1', 'HOME=/tmp', 'MODELSCOPE_CACHE=/workspace/models'];
    expect(buildContainerSpec(base).Env).toEqual(env);
    expect(buildContainerSpec({ ...base, extraEnv: { FUNASR_SIM_DOWNLOAD_MS: '5' } }).Env).toEqual([
      ...env,
      'FUNASR_SIM_DOWNLOAD_MS=5',
    ]);
  });

  it('drops every capability, forbids privilege gain, bounds processes, memory and CPUs, and makes the root read-only', () => {
    const host = buildContainerSpec({
      ...base,
      limits: { memoryBytes: 6 * 1024 ** 3, cpus: 2.5 },
    }).HostConfig;
    expect(host).toMatchObject({
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      PidsLimit: 1024,
      Memory: 6 * 1024 ** 3,
      NanoCpus: 2_500_000_000,
      ReadonlyRootfs: true,
      Tmpfs: { '/tmp': 'rw,noexec,nosuid,nodev,size=1g' },
    });
    expect(host?.CapAdd).toBeUndefined();
    expect(pidsLimit(2)).toBe(1024);
    expect(pidsLimit(512)).toBe(2048);
    // torch_blade dlopens the engines it compiles into /tmp: the GPU kind's scratch must allow executing.
    expect(buildContainerSpec({ ...base, kind: 'offline-gpu' }).HostConfig?.Tmpfs).toEqual({
      '/tmp': 'rw,exec,nosuid,nodev,size=1g',
    });
  });

  it('sizes the threads by the CPU limit when it is below the cores, and takes the defaults for this computer when given no limits', () => {
    const threads = (spec: ReturnType<typeof buildContainerSpec>) =>
      spec.Cmd?.[(spec.Cmd?.indexOf('--decoder-thread-num') ?? 0) + 1];
    expect(threads(buildContainerSpec({ ...base, limits: { memoryBytes: 2 * 1024 ** 3, cpus: 2.5 } }))).toBe(
      '3',
    );
    expect(threads(buildContainerSpec({ ...base, cores: 2, limits: base.limits }))).toBe('2');
    const { limits: _limits, ...noLimits } = base;
    const defaults = engineLimits(DEFAULT_ENGINE_SETTINGS, 'offline-cpu');
    expect(buildContainerSpec(noLimits).HostConfig).toMatchObject({
      Memory: defaults.memoryBytes,
      NanoCpus: Math.round(defaults.cpus * 1e9),
    });
  });

  it("gives every kind's binary only flags it takes (the stand-in parses them as TCLAP does)", () => {
    for (const kind of ENGINE_KINDS) {
      const [binary, ...args] = serverCommand(kind, 4, new Set(CATALOG[kind].models.map(modelKey)));
      const protocol = binary!.endsWith('-2pass') ? '2pass' : 'offline';
      expect(protocol).toBe(CATALOG[kind].protocol === '2pass' ? '2pass' : 'offline');
      const flags = parseServerFlags(['--protocol', protocol, ...args]);
      for (const model of CATALOG[kind].models) {
        expect(flags.values.get(model.revisionFlag.slice(2)), `${kind} ${model.revisionFlag}`).toBe(
          model.revision,
        );
      }
      expect(flags.values.get('hotword')).toBe('/dev/null');
    }
  });

  it('names containers and volumes per instance', () => {
    expect(containerName('en-cpu')).toBe('funscribe-engine-en-cpu');
    expect(modelsVolumeName()).toBe('funscribe-models');
    expect(modelsVolumeName('x')).toBe('funscribe-models-x');
    for (const image of Object.values(CATALOG))
      expect(serverCommand(image.kind, 4)[0]).toBe(image.serverBinary);
  });
});
