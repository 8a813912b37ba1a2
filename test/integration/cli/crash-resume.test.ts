// A CLI killed with SIGKILL in the middle of a transcription leaves a job that the next start resumes and finishes,
// with exactly one meeting saved and no half-written one ever visible.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../../src-main/application/library-maintenance.js';
import { createServices } from '../../../src-main/services.js';
import { generateConversation, MEETING_SCRIPT } from '../../fixtures/speech.js';
import { startSimProcess, type SimProcess } from '../../helpers/sim-process.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const BIN = fileURLToPath(new URL('../../../bin/funscribe.js', import.meta.url));
const GENERATED = join(import.meta.dirname, '../../fixtures/generated/speech');

/** Polls the library read-only until a job is waiting for the recogniser. */
async function waitForTranscribeStage(dbPath: string): Promise<void> {
  for (;;) {
    try {
      const db = new Database(dbPath, { readonly: true, fileMustExist: true });
      const row = db.prepare("SELECT stage FROM jobs WHERE status = 'running'").get() as
        { stage: string } | undefined;
      db.close();
      if (row?.stage === 'transcribe') return;
    } catch {
      // the CLI has not created the library yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('crash in the middle of a transcription', () => {
  let sim: SimProcess | null = null;
  let data: Awaited<ReturnType<typeof makeTempDir>>;

  beforeAll(async () => {
    data = await makeTempDir('crash');
  });

  afterAll(async () => {
    await sim?.stop();
    await data.remove();
  });

  it('resumes the interrupted job at the next start and saves the meeting once', async () => {
    await mkdir(GENERATED, { recursive: true });
    const speech = await generateConversation(GENERATED, 'meeting-4-turns', MEETING_SCRIPT);
    sim = await startSimProcess(['--fault', 'slow-reply', '--slow-reply-ms', '600000']);
    const port = String(sim.port);
    const cli = spawn(
      process.execPath,
      [BIN, '--data-dir', data.path, 'transcribe', speech.wavPath, '--server', sim.url],
      {
        stdio: 'ignore',
      },
    );
    await waitForTranscribeStage(join(data.path, DATABASE_FILE));
    cli.kill('SIGKILL');
    await once(cli, 'exit');
    await sim.stop();

    sim = await startSimProcess(['--port', port]);
    const services = await createServices({ dataDir: data.path, resumeJobs: true });
    try {
      expect(services.meetings.count()).toBe(0);
      await services.queue.whenIdle();
      const [job] = services.jobs.list();
      expect(job).toMatchObject({ status: 'done', attempts: 2 });
      expect(services.meetings.count()).toBe(1);
      expect(services.meetings.get(job!.meetingId!)!.segments).toHaveLength(MEETING_SCRIPT.length);
    } finally {
      await services.close();
    }
  });
});
