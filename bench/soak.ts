// Soak: several `funscribe transcribe` processes on one library at once, against the stand-in server on loopback, with
// random SIGKILLs of those processes; each killed one is run again on its files that have no meeting yet, as a user
// would. Then: files in, meetings out, files lost, duplicates (a source saved twice), orphan files in the data folder's
// audio folder (no meeting refers to them), jobs left running or queued, failed jobs by code, and integrity_check.
// Any number of trees side by side: `npx tsx bench/soak.ts --funscribe /other/tree/bin/funscribe.js --funscribe
// bin/funscribe.js` (default: this tree only). Options: --processes 4 --files 25 --kills 8 --seed 1 --keep.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { generateConversation, MEETING_SCRIPT } from '../test/fixtures/speech.js';
import { startSimProcess } from '../test/helpers/sim-process.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const GENERATED = join(ROOT, 'test/fixtures/generated/speech');
/** A run that takes longer than this is killed and counted as hung. */
const RUN_DEADLINE_MS = 10 * 60_000;

/** What the soak does. */
export interface SoakOptions {
  /** bin/funscribe.js of each tree to soak, one after the other. */
  funscribe: string[];
  processes: number;
  filesPerProcess: number;
  kills: number;
  seed: number;
  /** Keep each tree's data folder (its path is printed) instead of removing it. */
  keep: boolean;
}

/** The figures of one tree's soak. */
export interface SoakFigures {
  filesIn: number;
  meetingsOut: number;
  lost: number;
  duplicates: number;
  orphans: number;
  jobsRunning: number;
  jobsQueued: number;
  failedByCode: string;
  integrity: string;
  kills: number;
  runs: number;
  hungRuns: number;
  /** The errors of runs that failed as a whole (the command's own `funscribe: …` line), not killed by the soak. */
  failedRuns: string;
  wallS: number;
}

/** A small deterministic random source (mulberry32), so a seed gives the same kill schedule. */
function randomSource(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Short distinct input files: copies of a two-sentence recording, one list per process. */
async function makeInputs(dir: string, processes: number, perProcess: number): Promise<string[][]> {
  await mkdir(GENERATED, { recursive: true });
  const speech = await generateConversation(GENERATED, 'soak-2-turns', MEETING_SCRIPT.slice(0, 2));
  const lists = Array.from({ length: processes }, (_, p) =>
    Array.from({ length: perProcess }, (_, f) =>
      join(dir, `p${p + 1}-file${String(f + 1).padStart(2, '0')}.wav`),
    ),
  );
  await Promise.all(lists.flat().map((file) => copyFile(speech.wavPath, file)));
  return lists;
}

/** Opens the library read-only for a moment (null before the first process has made its tables). */
function readLibrary<T>(dataDir: string, read: (db: Database.Database) => T): T | null {
  let db: Database.Database;
  try {
    db = new Database(join(dataDir, 'library.sqlite'), { readonly: true, fileMustExist: true });
  } catch {
    return null;
  }
  try {
    return db.pragma('user_version', { simple: true }) === 0 ? null : read(db);
  } finally {
    db.close();
  }
}

/** The sources that have a meeting. */
function savedSources(dataDir: string): Set<string> {
  const rows = readLibrary(
    dataDir,
    (db) => db.prepare('SELECT source FROM meetings').pluck().all() as string[],
  );
  return new Set(rows ?? []);
}

/** Every file under `dir`, as absolute paths. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries.filter((entry) => entry.isFile()).map((entry) => resolve(entry.parentPath, entry.name));
}

/** One process slot: runs its files, and after each kill runs the files still without a meeting again. */
class Slot {
  child: ChildProcess | null = null;
  killed = false;
  runs = 0;
  hung = 0;
  readonly failures: string[] = [];

  constructor(
    private readonly bin: string,
    private readonly dataDir: string,
    private readonly serverUrl: string,
    private readonly files: string[],
  ) {}

  /** Runs until a run ends without being killed (or nothing is left to do). */
  async work(): Promise<void> {
    let files = this.files;
    while (files.length > 0) {
      this.killed = false;
      await this.runOnce(files);
      if (!this.killed) return;
      const saved = savedSources(this.dataDir);
      files = this.files.filter((file) => !saved.has(file));
    }
  }

  private async runOnce(files: string[]): Promise<void> {
    this.runs += 1;
    const args = [this.bin, '--data-dir', this.dataDir, 'transcribe', ...files, '--server', this.serverUrl];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    this.child = child;
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    const deadline = setTimeout(() => {
      this.hung += 1;
      child.kill('SIGKILL');
    }, RUN_DEADLINE_MS);
    const [code] = (await once(child, 'exit')) as [number | null];
    clearTimeout(deadline);
    this.child = null;
    const whole = stderr.split('\n').find((line) => line.startsWith('funscribe: '));
    if (!this.killed && code !== 0 && whole) this.failures.push(whole);
  }
}

/** Soaks one tree on a fresh library and returns its figures. */
async function soakTree(bin: string, inputs: string[][], options: SoakOptions): Promise<SoakFigures> {
  const dataDir = await mkdtemp(join(tmpdir(), 'funscribe-soak-'));
  const sim = await startSimProcess();
  const random = randomSource(options.seed);
  const slots = inputs.map((files) => new Slot(bin, dataDir, sim.url, files));
  const started = performance.now();
  try {
    let working = slots.length;
    // A slot that fails ends (the others go on); its failure is thrown once every slot has ended.
    const done = Promise.allSettled(slots.map((slot) => slot.work().finally(() => (working -= 1))));
    let kills = 0;
    while (kills < options.kills && working > 0) {
      await new Promise((wake) => setTimeout(wake, 1000 + random() * 7000));
      const alive = slots.filter((slot) => slot.child !== null);
      if (alive.length === 0) continue;
      const victim = alive[Math.floor(random() * alive.length)]!;
      victim.killed = victim.child!.kill('SIGKILL');
      if (victim.killed) kills += 1;
    }
    const failure = (await done).find((end) => end.status === 'rejected');
    if (failure) throw failure.reason;
    const wallS = (performance.now() - started) / 1000;
    return { ...(await libraryFigures(dataDir, inputs.flat())), kills, wallS, ...runCounts(slots) };
  } finally {
    for (const slot of slots) slot.child?.kill('SIGKILL');
    await sim.stop();
    if (options.keep) console.log(`data folder of ${bin}: ${dataDir}`);
    else await rm(dataDir, { recursive: true, force: true });
  }
}

/** How many CLI runs there were, how many hit the deadline, and why whole runs failed. */
function runCounts(slots: Slot[]): Pick<SoakFigures, 'runs' | 'hungRuns' | 'failedRuns'> {
  const failures = slots.flatMap((slot) => slot.failures);
  return {
    runs: slots.reduce((sum, slot) => sum + slot.runs, 0),
    hungRuns: slots.reduce((sum, slot) => sum + slot.hung, 0),
    failedRuns: failures.length === 0 ? 'none' : `${failures.length}: ${[...new Set(failures)].join(' | ')}`,
  };
}

/** What the library holds after the soak, read-only (nothing that could clean up runs before this). */
async function libraryFigures(
  dataDir: string,
  files: string[],
): Promise<Omit<SoakFigures, 'kills' | 'runs' | 'hungRuns' | 'failedRuns' | 'wallS'>> {
  const library = readLibrary(dataDir, (db) => ({
    sources: db.prepare('SELECT source FROM meetings').pluck().all() as string[],
    audioPaths: db
      .prepare('SELECT audio_path FROM meetings WHERE audio_path IS NOT NULL')
      .pluck()
      .all() as string[],
    statuses: db.prepare('SELECT status, count(*) AS n FROM jobs GROUP BY status').all() as {
      status: string;
      n: number;
    }[],
    failed: db
      .prepare(
        "SELECT coalesce(error_code, '?') AS code, count(*) AS n FROM jobs WHERE status = 'failed' GROUP BY 1 ORDER BY 2 DESC",
      )
      .all() as { code: string; n: number }[],
    integrity: (db.prepare('PRAGMA integrity_check').pluck().all() as string[]).join('; '),
  }));
  if (!library) throw new Error(`no library was made in ${dataDir}`);
  const inputs = new Set(files);
  const saved = new Set(library.sources.filter((source) => inputs.has(source)));
  const referred = new Set(library.audioPaths.map((path) => resolve(path)));
  const orphans = (await filesUnder(join(dataDir, 'audio'))).filter((path) => !referred.has(path));
  const countOf = (status: string): number => library.statuses.find((row) => row.status === status)?.n ?? 0;
  return {
    filesIn: files.length,
    meetingsOut: library.sources.length,
    lost: files.length - saved.size,
    duplicates: library.sources.length - new Set(library.sources).size,
    orphans: orphans.length,
    jobsRunning: countOf('running'),
    jobsQueued: countOf('queued'),
    failedByCode: library.failed.map(({ code, n }) => `${code} ${n}`).join(', ') || 'none',
    integrity: library.integrity,
  };
}

const ROWS: [keyof SoakFigures, string][] = [
  ['filesIn', 'files in'],
  ['meetingsOut', 'meetings out'],
  ['lost', 'files lost'],
  ['duplicates', 'duplicates'],
  ['orphans', 'orphan audio files'],
  ['jobsRunning', 'jobs left running'],
  ['jobsQueued', 'jobs left queued'],
  ['failedByCode', 'failed jobs by code'],
  ['integrity', 'integrity_check'],
  ['kills', 'SIGKILLs'],
  ['runs', 'CLI runs'],
  ['hungRuns', 'runs past the deadline'],
  ['failedRuns', 'runs that failed whole'],
  ['wallS', 'wall time (s)'],
];

/** Prints the figures of each tree in one column. */
function printTable(labels: string[], figures: SoakFigures[]): void {
  const cell = (value: string | number): string =>
    typeof value === 'number' && !Number.isInteger(value) ? value.toFixed(1) : String(value);
  const header = ['', ...labels];
  const body = ROWS.map(([key, name]) => [name, ...figures.map((figure) => cell(figure[key]))]);
  const widths = header.map((_, column) => Math.max(...[header, ...body].map((row) => row[column]!.length)));
  for (const row of [header, ...body])
    console.log(row.map((text, column) => text.padEnd(widths[column]!)).join('  '));
}

/** Runs the soak for every tree and prints the figures side by side. */
export async function runSoakBench(options: Partial<SoakOptions> = {}): Promise<SoakFigures[]> {
  const full: SoakOptions = {
    funscribe: [join(ROOT, 'bin/funscribe.js')],
    processes: 4,
    filesPerProcess: 25,
    kills: 8,
    seed: 1,
    keep: false,
    ...options,
  };
  const inputDir = await mkdtemp(join(tmpdir(), 'funscribe-soak-inputs-'));
  try {
    const inputs = await makeInputs(inputDir, full.processes, full.filesPerProcess);
    console.log(
      `\nSoak: ${full.processes} processes × ${full.filesPerProcess} files on one library, ${full.kills} random SIGKILLs (seed ${full.seed}), killed runs re-run on their unsaved files`,
    );
    const figures: SoakFigures[] = [];
    for (const bin of full.funscribe) figures.push(await soakTree(resolve(bin), inputs, full));
    printTable(full.funscribe, figures);
    return figures;
  } finally {
    await rm(inputDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      funscribe: { type: 'string', multiple: true },
      processes: { type: 'string' },
      files: { type: 'string' },
      kills: { type: 'string' },
      seed: { type: 'string' },
      keep: { type: 'boolean' },
    },
  });
  const number = (text: string | undefined): number | undefined =>
    text === undefined ? undefined : Number(text);
  await runSoakBench({
    ...(values.funscribe ? { funscribe: values.funscribe } : {}),
    ...(values.processes ? { processes: number(values.processes) } : {}),
    ...(values.files ? { filesPerProcess: number(values.files) } : {}),
    ...(values.kills ? { kills: number(values.kills) } : {}),
    ...(values.seed ? { seed: number(values.seed) } : {}),
    keep: values.keep === true,
  });
}
