// Two processes on one library: a process that resumes jobs (the desktop app) leaves a live CLI batch alone, and the
// jobs of a CLI killed with SIGKILL never stay running: the next command ends them (and removes their audio), or the
// next app start resumes each exactly once.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync, readdirSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../../src-main/services.js';
import { runCli } from '../../helpers/run-cli.js';
import { startSimProcess, type SimProcess } from '../../helpers/sim-process.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { corpusCase } from '../audio/media.js';
import { readJobs, speechBatch, startTranscribe, waitForTranscribing } from './cli-batch.js';

const RESUME_PROCESS = fileURLToPath(new URL('./resume-jobs-process.ts', import.meta.url));

/** How many meetings each source file has in the library (read-only). */
async function meetingsPerSource(dataDir: string): Promise<number[]> {
  const services = await createServices({ dataDir });
  try {
    const counts = new Map<string, number>();
    for (const { source } of services.meetings.list({ limit: 10_000 })) {
      counts.set(source, (counts.get(source) ?? 0) + 1);
    }
    return [...counts.keys()].sort().map((source) => counts.get(source)!);
  } finally {
    await services.close();
  }
}

/** The /proc stat line of a process, or null once it is gone or a zombie. */
function procStat(pid: number | string): string | null {
  try {
    const line = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return line[line.lastIndexOf(')') + 2] === 'Z' ? null : line;
  } catch {
    return null;
  }
}

/** True while `pid` runs. */
const isAlive = (pid: number): boolean => procStat(pid) !== null;

/** The ids of the live child processes of `pid` (Linux /proc). */
function childPids(pid: number): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      const line = procStat(name);
      return line !== null && Number(line.slice(line.lastIndexOf(')') + 2).split(' ')[1]) === pid;
    })
    .map(Number);
}

describe('jobs shared by several processes', () => {
  let sim: SimProcess | null = null;
  let inputs: Awaited<ReturnType<typeof makeTempDir>>;
  let data: Awaited<ReturnType<typeof makeTempDir>>;

  beforeAll(async () => {
    inputs = await makeTempDir('owner-inputs');
  });

  afterEach(async () => {
    await sim?.stop();
    sim = null;
    await data?.remove();
  });

  afterAll(async () => {
    await inputs?.remove();
  });

  it('an app starting during a CLI batch resumes none of its jobs: no file is transcribed twice', async () => {
    const files = await speechBatch(inputs.path, 10);
    data = await makeTempDir('owner-live');
    sim = await startSimProcess(['--fault', 'slow-reply', '--slow-reply-ms', '1500']);
    const cli = startTranscribe(data.path, files, sim.url);
    await waitForTranscribing(data.path, 1, cli);

    expect((await runCli(data.path, ['list'])).code).toBe(0);
    const app = await createServices({ dataDir: data.path, resumeJobs: true });
    try {
      expect((await cli.exited).code).toBe(0);
      await app.queue.whenIdle();
    } finally {
      await app.close();
    }
    const jobs = readJobs(data.path);
    expect(jobs).toHaveLength(10);
    expect(jobs.map((job) => [job.status, job.attempts])).toEqual(files.map(() => ['done', 1]));
    expect(await meetingsPerSource(data.path)).toEqual(files.map(() => 1));
  });

  /** Runs a CLI batch of three files against a stand-in that never answers and kills it with SIGKILL mid-way. */
  async function killedBatch(): Promise<string> {
    const files = await speechBatch(inputs.path, 3);
    data = await makeTempDir('owner-killed');
    sim = await startSimProcess(['--fault', 'slow-reply', '--slow-reply-ms', '600000']);
    const cli = startTranscribe(data.path, files, sim.url);
    await waitForTranscribing(data.path, 2, cli);
    cli.child.kill('SIGKILL');
    await cli.exited;
    expect(readJobs(data.path).map((job) => job.status)).toEqual(['running', 'running', 'queued']);
    return String(cli.child.pid);
  }

  it('the next funscribe command ends a killed CLI’s jobs as interrupted, naming the process, and removes their audio', async () => {
    const pid = await killedBatch();
    expect((await readdir(join(data.path, 'audio'))).length).toBeGreaterThan(0);
    expect((await runCli(data.path, ['list'])).code).toBe(0);
    expect(await readdir(join(data.path, 'audio'))).toEqual([]);
    const jobs = readJobs(data.path);
    expect(jobs.map((job) => [job.status, job.error_code])).toEqual([
      ['failed', 'INTERRUPTED'],
      ['failed', 'INTERRUPTED'],
      ['failed', 'INTERRUPTED'],
    ]);
    expect(jobs[0]!.error_message).toContain(`process ${pid}`);
  });

  it('a CLI killed while decoding leaves no ffmpeg writing into the data folder', async () => {
    const long = await corpusCase('three hours of silence');
    data = await makeTempDir('owner-decoding');
    const cli = startTranscribe(data.path, [long.path], 'ws://127.0.0.1:9');
    const audio = join(data.path, 'audio');
    let partial: string | undefined;
    while (!partial) {
      partial = (await readdir(audio).catch(() => [])).find((name) => name.endsWith('.pcm.partial'));
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const decoders = childPids(cli.child.pid!);
    expect(decoders.length).toBeGreaterThan(0);
    cli.child.kill('SIGKILL');
    await cli.exited;
    const sizeAtKill = (await stat(join(audio, partial))).size;
    // Orphaned, ffmpeg ends at its next write (a broken pipe) instead of decoding the rest into the data folder.
    while (decoders.some(isAlive)) await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await stat(join(audio, partial))).size).toBe(sizeAtKill);
    expect((await runCli(data.path, ['list'])).code).toBe(0);
    expect(await readdir(audio)).toEqual([]);
  });

  it('two apps starting at once after a killed CLI resume each of its jobs exactly once', async () => {
    await killedBatch();
    const port = String(sim!.port);
    await sim!.stop();
    sim = await startSimProcess(['--port', port]);
    const apps = [1, 2].map(() =>
      spawn(process.execPath, ['--import', 'tsx', RESUME_PROCESS, data.path], { stdio: 'inherit' }),
    );
    const codes = await Promise.all(apps.map(async (app) => (await once(app, 'exit'))[0]));
    expect(codes).toEqual([0, 0]);
    expect(readJobs(data.path).map((job) => [job.status, job.attempts])).toEqual([
      ['done', 2],
      ['done', 2],
      ['done', 1],
    ]);
    expect(await meetingsPerSource(data.path)).toEqual([1, 1, 1]);
  });
});
