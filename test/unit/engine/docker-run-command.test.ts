// The `docker run` form of an engine container: every word survives a POSIX shell, and every field of the create body
// maps to the docker run option that sets it.
import { execFileSync } from 'node:child_process';
import { chmod, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE_KINDS } from '../../../src-main/engine/catalog.js';
import { buildContainerSpec } from '../../../src-main/engine/container-spec.js';
import { byteSize, dockerRunCommand, shellQuote } from '../../../src-main/engine/docker-run-command.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

let temp: Awaited<ReturnType<typeof makeTempDir>>;

/** Runs `command` in sh with a `docker` on PATH that prints its arguments as JSON, and returns them. */
function argvOf(command: string): string[] {
  const out = execFileSync('/bin/sh', ['-c', command], {
    env: { PATH: `${temp.path}:${process.env.PATH ?? ''}` },
    encoding: 'utf8',
  });
  return JSON.parse(out) as string[];
}

beforeAll(async () => {
  temp = await makeTempDir('docker-run');
  const fake = join(temp.path, 'docker');
  await writeFile(
    fake,
    `#!${process.execPath}\nprocess.stdout.write(JSON.stringify(process.argv.slice(2)));\n`,
  );
  await chmod(fake, 0o755);
});
afterAll(() => temp.remove());

describe('shellQuote', () => {
  it('leaves plain words alone and quotes everything else so that sh gives it back unchanged', () => {
    expect(shellQuote('/workspace/models')).toBe('/workspace/models');
    expect(shellQuote('a=b,c:d@e')).toBe('a=b,c:d@e');
    const words = ['', "it's", 'two words', '$HOME', '"x"', 'a\\b', '`id`', 'line\nbreak', '${X:+:$X}', '*'];
    expect(argvOf(`docker ${words.map(shellQuote).join(' ')}`)).toEqual(words);
  });
});

describe('dockerRunCommand', () => {
  for (const kind of ENGINE_KINDS) {
    it(`gives docker the create body's every field as options (${kind})`, () => {
      const spec = buildContainerSpec({
        kind,
        image: 'registry.example/funasr:1',
        hostPort: 10098,
        cores: 4,
        limits: { memoryBytes: 6 * 1024 ** 3, cpus: 2.5 },
      });
      const argv = argvOf(dockerRunCommand(spec));
      expect(argv.slice(0, 2)).toEqual(['run', '--detach']);
      const imageAt = argv.indexOf(spec.Image!);
      expect(argv.slice(imageAt + 1)).toEqual(spec.Cmd);
      const options = argv.slice(2, imageAt);
      const values = (flag: string) => options.flatMap((word, i) => (options[i - 1] === flag ? [word] : []));
      expect(values('--name')).toEqual([spec.name]);
      expect(values('--label')).toEqual(Object.entries(spec.Labels!).map(([k, v]) => `${k}=${v}`));
      expect(values('--env')).toEqual(spec.Env);
      expect(values('--workdir')).toEqual([spec.WorkingDir]);
      expect(values('--publish')).toEqual(['127.0.0.1:10098:10095/tcp']);
      expect(values('--mount')).toEqual([`type=volume,source=funscribe-models,target=/workspace/models`]);
      expect(values('--restart')).toEqual(['on-failure:5']);
      expect(options).toContain('--init');
      expect(values('--entrypoint')).toEqual([spec.Entrypoint?.[0] ?? '']);
      expect(values('--gpus')).toEqual(kind === 'offline-gpu' ? ['all'] : []);
      expect(values('--cap-drop')).toEqual(['ALL']);
      expect(values('--security-opt')).toEqual(['no-new-privileges']);
      expect(values('--pids-limit')).toEqual(['1024']);
      expect(values('--memory')).toEqual(['6g']);
      expect(values('--cpus')).toEqual(['2.5']);
      expect(options).toContain('--read-only');
      const exec = kind === 'offline-gpu' ? 'exec' : 'noexec';
      expect(values('--tmpfs')).toEqual([`/tmp:rw,${exec},nosuid,nodev,size=1g`]);
    });
  }

  it('writes sizes as docker run reads them, whole units where it can', () => {
    expect(byteSize(8 * 1024 ** 3)).toBe('8g');
    expect(byteSize(6.5 * 1024 ** 3)).toBe('6656m');
    expect(byteSize(3 * 1024 + 1024 ** 2)).toBe('1027k');
    expect(byteSize(1000)).toBe('1000b');
  });

  it('refuses a body with a field it cannot write', () => {
    const spec = buildContainerSpec({ kind: 'en-cpu', image: 'x:1', hostPort: 10097, cores: 1 });
    expect(() => dockerRunCommand({ ...spec, User: 'root' })).toThrow(
      /cannot be written as docker run \(User\)/,
    );
  });
});
