import { chmod, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  asarUnpacked,
  bundledFfmpegPath,
  locateFfmpeg,
  type FfmpegTools,
} from '../../../src-main/audio/ffmpeg-locate.js';
import { FunscribeError } from '../../../src-main/util/errors.js';

let system: FfmpegTools;
let root: string;

/** A fresh directory under the test's temp root. */
async function dir(name: string): Promise<string> {
  const path = join(root, name);
  await mkdir(path, { recursive: true });
  return path;
}

/** Links the system ffmpeg (and ffprobe when asked) into `where`. */
async function linkTools(where: string, withProbe: boolean): Promise<string> {
  await symlink(system.ffmpeg, join(where, 'ffmpeg'));
  if (withProbe && system.ffprobe) await symlink(system.ffprobe, join(where, 'ffprobe'));
  return join(where, 'ffmpeg');
}

async function locateError(env: NodeJS.ProcessEnv, bundled: string | null = null): Promise<FunscribeError> {
  const error = await locateFfmpeg(env, bundled).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(FunscribeError);
  return error as FunscribeError;
}

beforeAll(async () => {
  system = await locateFfmpeg(process.env, null);
  root = await mkdtemp(join(tmpdir(), 'funscribe-locate-'));
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('locateFfmpeg', () => {
  it('finds the system ffmpeg and ffprobe on PATH', () => {
    expect(system.source).toBe('path');
    expect(system.ffprobe).not.toBeNull();
  });

  it('prefers FUNSCRIBE_FFMPEG over the bundled binary and PATH, and finds ffprobe next to it', async () => {
    const envDir = await dir('env');
    const ffmpeg = await linkTools(envDir, true);
    const pathDir = await dir('env-path');
    await linkTools(pathDir, true);
    const tools = await locateFfmpeg({ FUNSCRIBE_FFMPEG: ffmpeg, PATH: pathDir }, system.ffmpeg);
    expect(tools).toEqual({ ffmpeg, ffprobe: join(envDir, 'ffprobe'), source: 'env' });
  });

  it('names FUNSCRIBE_FFMPEG when it points at a missing file', async () => {
    const missing = join(root, 'nowhere', 'ffmpeg');
    const error = await locateError(
      { FUNSCRIBE_FFMPEG: missing, PATH: await dir('missing-path') },
      system.ffmpeg,
    );
    expect(error.code).toBe('FFMPEG_NOT_FOUND');
    expect(error.message).toContain('FUNSCRIBE_FFMPEG');
    expect(error.message).toContain(missing);
  });

  it('names FUNSCRIBE_FFMPEG when it points at a program that is not ffmpeg', async () => {
    const fake = join(await dir('fake'), 'ffmpeg');
    await writeFile(fake, '#!/bin/sh\nexit 3\n');
    await chmod(fake, 0o755);
    const error = await locateError({ FUNSCRIBE_FFMPEG: fake, PATH: '' });
    expect(error.code).toBe('FFMPEG_NOT_FOUND');
    expect(error.message).toMatch(/FUNSCRIBE_FFMPEG.*does not run/);
  });

  it('names FUNSCRIBE_FFPROBE when it points at a missing file', async () => {
    const missing = join(root, 'nowhere', 'ffprobe');
    const error = await locateError({ FUNSCRIBE_FFMPEG: system.ffmpeg, FUNSCRIBE_FFPROBE: missing });
    expect(error.message).toContain('FUNSCRIBE_FFPROBE');
    expect(error.message).toContain(missing);
  });

  it('uses FUNSCRIBE_FFPROBE when it is set', async () => {
    const probeDir = await dir('probe-env');
    await symlink(system.ffprobe!, join(probeDir, 'ffprobe'));
    const ffmpegDir = await dir('probe-env-ffmpeg');
    const ffmpeg = await linkTools(ffmpegDir, false);
    const tools = await locateFfmpeg(
      { FUNSCRIBE_FFMPEG: ffmpeg, FUNSCRIBE_FFPROBE: join(probeDir, 'ffprobe') },
      null,
    );
    expect(tools.ffprobe).toBe(join(probeDir, 'ffprobe'));
  });

  it('prefers the bundled binary over PATH; the bundle has no ffprobe, so ffprobe comes from PATH', async () => {
    const bundled = await linkTools(await dir('bundled'), false);
    const pathDir = await dir('bundled-path');
    await linkTools(pathDir, true);
    const tools = await locateFfmpeg({ PATH: pathDir }, bundled);
    expect(tools).toEqual({ ffmpeg: bundled, ffprobe: join(pathDir, 'ffprobe'), source: 'bundled' });
  });

  it('treats a bundled path whose binary is missing as absent', async () => {
    const pathDir = await dir('absent-bundle-path');
    const onPath = await linkTools(pathDir, false);
    const tools = await locateFfmpeg({ PATH: pathDir }, join(root, 'no-bundle', 'ffmpeg'));
    expect(tools).toEqual({ ffmpeg: onPath, ffprobe: null, source: 'path' });
  });

  it('looks through every PATH directory in order', async () => {
    const empty = await dir('path-empty');
    const withTools = await dir('path-tools');
    const ffmpeg = await linkTools(withTools, true);
    const tools = await locateFfmpeg({ PATH: [empty, withTools].join(':') }, null);
    expect(tools).toEqual({ ffmpeg, ffprobe: join(withTools, 'ffprobe'), source: 'path' });
  });

  it('fails with FFMPEG_NOT_FOUND naming all three places when nothing is found', async () => {
    const error = await locateError({ PATH: await dir('nothing') }, null);
    expect(error.code).toBe('FFMPEG_NOT_FOUND');
    for (const place of ['FUNSCRIBE_FFMPEG', 'ffmpeg-static', 'PATH', 'Install ffmpeg']) {
      expect(error.message).toContain(place);
    }
  });
});

describe('bundled ffmpeg-static', () => {
  it('rewrites app.asar to app.asar.unpacked once', () => {
    const packed = '/opt/FunScribe/resources/app.asar/node_modules/ffmpeg-static/ffmpeg';
    const unpacked = '/opt/FunScribe/resources/app.asar.unpacked/node_modules/ffmpeg-static/ffmpeg';
    expect(asarUnpacked(packed)).toBe(unpacked);
    expect(asarUnpacked(unpacked)).toBe(unpacked);
    expect(asarUnpacked('C:\\FunScribe\\resources\\app.asar\\ffmpeg.exe')).toBe(
      'C:\\FunScribe\\resources\\app.asar.unpacked\\ffmpeg.exe',
    );
    expect(asarUnpacked('/home/me/my-app.asar-notes/ffmpeg')).toBe('/home/me/my-app.asar-notes/ffmpeg');
  });

  it('gives null when the optional package is not installed', async () => {
    const installed = await import('ffmpeg-static' as string).then(
      () => true,
      () => false,
    );
    if (installed) expect(typeof bundledFfmpegPath()).toBe('string');
    else expect(bundledFfmpegPath()).toBeNull();
  });
});
