// Ctrl-C, `kill` or a closed terminal during `funscribe transcribe`: the command cancels its jobs, removes their
// partial files, closes the library and exits with 128 + the signal's number; nothing is left running.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../../src-main/application/library-maintenance.js';
import { runCli } from '../../helpers/run-cli.js';
import { startSimProcess, type SimProcess } from '../../helpers/sim-process.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { readJobs, speechBatch, startTranscribe, waitForTranscribing } from './cli-batch.js';

describe('stopping funscribe transcribe with a signal', () => {
  let sim: SimProcess;
  let inputs: Awaited<ReturnType<typeof makeTempDir>>;
  let files: string[];

  beforeAll(async () => {
    inputs = await makeTempDir('signal-inputs');
    files = await speechBatch(inputs.path, 3);
    // The stand-in holds every reply, so the jobs are mid-transcription when the signal comes.
    sim = await startSimProcess(['--fault', 'slow-reply', '--slow-reply-ms', '600000']);
  });

  afterAll(async () => {
    await sim?.stop();
    await inputs?.remove();
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const)('%s cancels every job, removes partial files and exits with %i', async (signal, status) => {
    const data = await makeTempDir('signal');
    try {
      const cli = startTranscribe(data.path, files, sim.url, ['--json']);
      await waitForTranscribing(data.path, 2, cli);
      cli.child.kill(signal);
      const exit = await cli.exited;
      expect(exit).toMatchObject({ code: status, signal: null });

      const jobs = readJobs(data.path);
      expect(jobs.map((job) => job.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
      const printed = JSON.parse(cli.stdout()) as { meetings: unknown[]; errors: { code: string }[] };
      expect(printed.meetings).toEqual([]);
      expect(printed.errors.map((error) => error.code)).toEqual(['CANCELLED', 'CANCELLED', 'CANCELLED']);
      expect(await readdir(join(data.path, 'audio'))).toEqual([]);

      const db = new Database(join(data.path, DATABASE_FILE), { readonly: true });
      try {
        expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      } finally {
        db.close();
      }
      expect((await runCli(data.path, ['list'])).code).toBe(0);
      expect(readJobs(data.path).map((job) => job.status)).toEqual(['cancelled', 'cancelled', 'cancelled']);
    } finally {
      await data.remove();
    }
  });
});
