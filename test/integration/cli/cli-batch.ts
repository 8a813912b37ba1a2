// Shared by the CLI process tests: a batch of speech files, the real CLI as a child process, and the jobs table as
// other processes see it (read-only).
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { DATABASE_FILE } from '../../../src-main/application/library-maintenance.js';
import { generateConversation, MEETING_SCRIPT } from '../../fixtures/speech.js';

const BIN = fileURLToPath(new URL('../../../bin/funscribe.js', import.meta.url));
const GENERATED = join(import.meta.dirname, '../../fixtures/generated/speech');

/** A job row as the tests read it. */
export interface JobRow {
  id: string;
  file: string;
  status: string;
  stage: string | null;
  attempts: number;
  meeting_id: number | null;
  error_code: string | null;
  error_message: string | null;
}

/** `count` copies of the short meeting recording under distinct names in `dir`. */
export async function speechBatch(dir: string, count: number): Promise<string[]> {
  await mkdir(GENERATED, { recursive: true });
  const speech = await generateConversation(GENERATED, 'meeting-4-turns', MEETING_SCRIPT);
  const files = Array.from({ length: count }, (_, index) => join(dir, `meeting-${index + 1}.wav`));
  await Promise.all(files.map((file) => copyFile(speech.wavPath, file)));
  return files;
}

/** A running `funscribe` child process, its output so far and a promise of its exit. */
export interface CliChild {
  child: ChildProcess;
  stdout: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/** Starts `funscribe --data-dir <dataDir> <args>` without waiting for it. */
function startCli(dataDir: string, args: string[]): CliChild {
  const child = spawn(process.execPath, [BIN, '--data-dir', dataDir, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = once(child, 'exit').then(([code, signal]) => ({
    code: code as number | null,
    signal: signal as NodeJS.Signals | null,
    stderr,
  }));
  return { child, stdout: () => stdout, exited };
}

/** Starts `funscribe transcribe <files> --server <url> --concurrency 2 [extra…]` without waiting for it. */
export function startTranscribe(
  dataDir: string,
  files: string[],
  serverUrl: string,
  extra: string[] = [],
): CliChild {
  return startCli(dataDir, ['transcribe', ...files, '--server', serverUrl, '--concurrency', '2', ...extra]);
}

/** The jobs table of a library, read through a read-only connection ([] before the CLI has created it). */
export function readJobs(dataDir: string): JobRow[] {
  let db: Database.Database;
  try {
    db = new Database(join(dataDir, DATABASE_FILE), { readonly: true, fileMustExist: true });
  } catch {
    return [];
  }
  try {
    return db
      .prepare(
        'SELECT id, file, status, stage, attempts, meeting_id, error_code, error_message FROM jobs ORDER BY rowid',
      )
      .all() as JobRow[];
  } catch {
    return [];
  } finally {
    db.close();
  }
}

/** Resolves once `count` jobs are waiting for the recogniser; rejects if `cli` exits first. */
export async function waitForTranscribing(dataDir: string, count: number, cli?: CliChild): Promise<void> {
  let exited = false;
  void cli?.exited.then(() => (exited = true));
  while (
    readJobs(dataDir).filter((job) => job.status === 'running' && job.stage === 'transcribe').length < count
  ) {
    if (exited) throw new Error(`the CLI exited before ${count} jobs reached the recogniser`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
