// Finds the ffmpeg (and, when there is one, ffprobe) program FunScribe runs: an explicit setting, the bundled copy, or PATH.
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { delimiter, dirname, extname, join } from 'node:path';
import { FunscribeError } from '../util/errors.js';
import { runTool } from './run-tool.js';

/** The programs FunScribe runs and where ffmpeg came from. ffprobe is optional: probing falls back to ffmpeg. */
export interface FfmpegTools {
  ffmpeg: string;
  ffprobe: string | null;
  source: 'env' | 'bundled' | 'path';
}

/** How long a `-version` check may take before the program counts as not working. */
const VERSION_CHECK_TIMEOUT_MS = 15_000;

const require = createRequire(import.meta.url);

/** The ffmpeg binary of the optional `ffmpeg-static` package, or null when the package or its binary is missing. */
export function bundledFfmpegPath(): string | null {
  let bundled: unknown;
  try {
    bundled = require('ffmpeg-static');
  } catch {
    return null;
  }
  return typeof bundled === 'string' && bundled ? asarUnpacked(bundled) : null;
}

/** Rewrites a path inside a packaged Electron app's `app.asar` to the `app.asar.unpacked` copy a process can execute. */
export function asarUnpacked(path: string): string {
  return path.replace(/([\\/])app\.asar(?=[\\/])/, '$1app.asar.unpacked');
}

/**
 * Finds ffmpeg: FUNSCRIBE_FFMPEG, else the bundled ffmpeg-static binary, else `ffmpeg` on PATH; then ffprobe:
 * FUNSCRIBE_FFPROBE, else next to that ffmpeg, else on PATH, else null. Nothing is cached: each call looks again.
 */
export async function locateFfmpeg(
  env: NodeJS.ProcessEnv = process.env,
  bundledPath: string | null = bundledFfmpegPath(),
): Promise<FfmpegTools> {
  const found = await findFfmpeg(env, bundledPath);
  return { ...found, ffprobe: await findFfprobe(env, found.ffmpeg) };
}

async function findFfmpeg(
  env: NodeJS.ProcessEnv,
  bundledPath: string | null,
): Promise<Omit<FfmpegTools, 'ffprobe'>> {
  if (env.FUNSCRIBE_FFMPEG)
    return { ffmpeg: await requireWorking('FUNSCRIBE_FFMPEG', env.FUNSCRIBE_FFMPEG), source: 'env' };
  if (bundledPath && (await isWorking(bundledPath))) return { ffmpeg: bundledPath, source: 'bundled' };
  const onPath = await findOnPath('ffmpeg', env);
  if (onPath) return { ffmpeg: onPath, source: 'path' };
  throw new FunscribeError(
    'FFMPEG_NOT_FOUND',
    'FunScribe needs ffmpeg to read audio and video files, but found none. It looked at the FUNSCRIBE_FFMPEG ' +
      'environment variable (not set), the bundled ffmpeg-static binary (not installed or not working) and for ffmpeg on PATH ' +
      '(not there). Install ffmpeg (for example "apt install ffmpeg", "brew install ffmpeg" or "winget install ' +
      'ffmpeg") or set FUNSCRIBE_FFMPEG to the full path of an ffmpeg executable.',
  );
}

async function findFfprobe(env: NodeJS.ProcessEnv, ffmpeg: string): Promise<string | null> {
  if (env.FUNSCRIBE_FFPROBE) return requireWorking('FUNSCRIBE_FFPROBE', env.FUNSCRIBE_FFPROBE);
  const beside = join(dirname(ffmpeg), `ffprobe${extname(ffmpeg)}`);
  if (await isWorking(beside)) return beside;
  return findOnPath('ffprobe', env);
}

/** Returns `path` when it is a program that runs, else throws an error naming the variable that pointed there. */
async function requireWorking(variable: string, path: string): Promise<string> {
  const tool = variable === 'FUNSCRIBE_FFPROBE' ? 'ffprobe' : 'ffmpeg';
  if (!(await isExecutableFile(path))) {
    throw new FunscribeError(
      'FFMPEG_NOT_FOUND',
      `${variable} is set to "${path}", but there is no executable ${tool} program there. ` +
        `Set ${variable} to the full path of ${tool}, or unset it to let FunScribe find ${tool} itself.`,
    );
  }
  if (!(await isWorking(path))) {
    throw new FunscribeError(
      'FFMPEG_NOT_FOUND',
      `${variable} is set to "${path}", but that program does not run as ${tool} ("${tool} -version" failed). ` +
        `Set ${variable} to a working ${tool}, or unset it.`,
    );
  }
  return path;
}

/** The first directory on PATH holding a working program called `name` (`name.exe` on Windows). */
async function findOnPath(name: string, env: NodeJS.ProcessEnv): Promise<string | null> {
  const pathValue = env.PATH ?? env.Path ?? '';
  const fileName = process.platform === 'win32' ? `${name}.exe` : name;
  for (const dir of pathValue.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, fileName);
    if (await isWorking(candidate)) return candidate;
  }
  return null;
}

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    await access(path, process.platform === 'win32' ? constants.F_OK : constants.X_OK);
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** True when `path` is an executable file and `path -version` exits 0. */
async function isWorking(path: string): Promise<boolean> {
  if (!(await isExecutableFile(path))) return false;
  try {
    return (await runTool(path, ['-version'], { timeoutMs: VERSION_CHECK_TIMEOUT_MS })).exitCode === 0;
  } catch {
    return false;
  }
}
