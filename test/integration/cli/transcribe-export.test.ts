// `funscribe transcribe --format --out DIR` through the real command: the folder is checked before anything is queued,
// long CJK titles are cut by bytes, existing files get a numbered name instead of being replaced, and one file's
// failed export is reported next to the other files' results, in text and in JSON.
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../../src-main/application/library-maintenance.js';
import { openDatabase } from '../../../src-main/store/database.js';
import { generateConversation, MEETING_SCRIPT } from '../../fixtures/speech.js';
import { runCli, runCliJson, type CliResult } from '../../helpers/run-cli.js';
import { startSimProcess, type SimProcess } from '../../helpers/sim-process.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { TmpfsMounts } from '../../helpers/tmpfs-mounts.js';
import { closedPort } from '../../helpers/closed-port.js';

const GENERATED = join(import.meta.dirname, '../../fixtures/generated/speech');
/** A file name of 255 UTF-8 bytes, the most Linux allows: 85 CJK characters and no extension. */
const LONG_NAME = '会'.repeat(85);

interface TranscribeJson {
  meetings: { id: number; title: string; source: string; segments: unknown[] }[];
  errors: { file: string; code: string; message: string }[];
  exports: {
    meetingId: number;
    file: string;
    path: string | null;
    error: { code: string; message: string } | null;
  }[];
}

/** The error code at the end of the CLI's error line. */
function errorCode(result: CliResult): string | undefined {
  return /\[([A-Z_]+)\]\s*$/u.exec(result.stderr)?.[1];
}

/** Rows in the library's jobs and meetings tables. */
function libraryCounts(dataDir: string): { jobs: number; meetings: number } {
  const db = openDatabase(join(dataDir, DATABASE_FILE));
  try {
    const count = (table: string) =>
      (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    return { jobs: count('jobs'), meetings: count('meetings') };
  } finally {
    db.close();
  }
}

describe('funscribe transcribe --format --out', () => {
  let sim: SimProcess;
  let tmp: Awaited<ReturnType<typeof makeTempDir>>;
  let files: string[];
  const mounts = new TmpfsMounts();

  beforeAll(async () => {
    await mkdir(GENERATED, { recursive: true });
    const conversation = await generateConversation(GENERATED, 'meeting-4-turns', MEETING_SCRIPT);
    sim = await startSimProcess(['--language', 'en']);
    tmp = await makeTempDir('transcribe-export');
    files = [join(tmp.path, 'a', LONG_NAME), join(tmp.path, 'b', LONG_NAME)];
    for (const file of files) {
      await mkdir(join(file, '..'));
      await copyFile(conversation.wavPath, file);
    }
  }, 300_000);

  afterAll(async () => {
    mounts.unmountAll();
    await sim?.stop();
    await tmp?.remove();
  });

  /** Mounts a tmpfs with the given options in a fresh folder and returns the folder. */
  const tmpfs = (name: string, options: string) => mounts.mount(join(tmp.path, name), options);

  /** `transcribe` of both files on the stand-in server, exporting to `out`. */
  const transcribeArgs = (format: string, out: string) => [
    'transcribe',
    ...files,
    '--server',
    sim.url,
    '--format',
    format,
    '--out',
    out,
  ];

  it('checks the folder before queueing anything: nothing runs when it is unusable', async () => {
    const server = `ws://127.0.0.1:${await closedPort()}`;
    const data = join(tmp.path, 'data-fast');
    const notAFolder = join(tmp.path, 'not-a-folder');
    await writeFile(notAFolder, 'a file\n');
    const readOnly = await tmpfs('read-only', 'size=1m,ro');
    const cases: [string, string][] = [
      [join(data, 'exports'), 'EXPORT_FORBIDDEN'],
      [data, 'EXPORT_FORBIDDEN'],
      [join(notAFolder, 'subtitles'), 'EXPORT_UNWRITABLE'],
      [readOnly, 'EXPORT_UNWRITABLE'],
    ];
    for (const [out, code] of cases) {
      for (const json of [[], ['--json']]) {
        const args = ['transcribe', ...files, '--server', server, '--format', 'srt', '--out', out];
        const result = await runCli(data, [...args, ...json]);
        expect(result.code, result.stderr).toBe(1);
        expect(errorCode(result), result.stderr).toBe(code);
        expect(result.stdout).toBe('');
      }
    }
    expect(libraryCounts(data)).toEqual({ jobs: 0, meetings: 0 });
    expect(await readdir(data)).not.toContain('exports');
  });

  it('refuses --out without --format instead of transcribing and exporting nothing', async () => {
    const data = join(tmp.path, 'data-no-format');
    const out = join(tmp.path, 'never-made');
    const result = await runCli(data, ['transcribe', ...files, '--server', sim.url, '--out', out]);
    expect(result.code, result.stderr).toBe(1);
    expect(errorCode(result), result.stderr).toBe('INVALID_ARGUMENT');
    expect(result.stderr).toContain('--format');
    expect(libraryCounts(data)).toEqual({ jobs: 0, meetings: 0 });
    expect(existsSync(out)).toBe(false);
  });

  it('exports 255-byte CJK titles under free names and never over an existing file', async () => {
    const data = join(tmp.path, 'data-names');
    const out = join(tmp.path, 'subtitles');
    await mkdir(out);
    const taken = `${'会'.repeat(83)}.srt`;
    await writeFile(join(out, taken), 'my own subtitles\n');

    const { code, json, stderr } = await runCliJson<TranscribeJson>(data, transcribeArgs('srt', out));
    expect(code, stderr).toBe(0);
    expect(json.errors).toEqual([]);
    expect(json.meetings.map((m) => m.title)).toEqual([LONG_NAME, LONG_NAME]);
    const expected = [2, 3].map((copy) => join(out, `${'会'.repeat(82)} (${copy}).srt`));
    expect(json.exports).toEqual(
      json.meetings.map((meeting, i) => ({
        meetingId: meeting.id,
        file: files[i],
        path: expected[i],
        error: null,
      })),
    );
    expect((await readdir(out)).sort()).toEqual(
      [taken, ...expected.map((path) => path.slice(out.length + 1))].sort(),
    );
    for (const name of await readdir(out)) expect(Buffer.byteLength(name)).toBeLessThanOrEqual(255);
    expect(await readFile(join(out, taken), 'utf8')).toBe('my own subtitles\n');
    for (const [i, meeting] of json.meetings.entries()) {
      const exported = await runCli(data, ['export', String(meeting.id), '--format', 'srt']);
      expect(await readFile(expected[i]!, 'utf8')).toBe(exported.stdout);
      expect(exported.stdout).toContain(' --> ');
    }
  });

  /** A 64 KiB tmpfs filled but for one 4 KiB page: the folder check and the first export fit, the second does not. */
  async function onePageFree(name: string): Promise<string> {
    const dir = await tmpfs(name, 'size=64k');
    await writeFile(join(dir, 'filler'), Buffer.alloc(60 * 1024));
    return dir;
  }

  it('reports a failed export next to the files that were saved and exported, in text and in JSON', async () => {
    const textOut = await onePageFree('one-page-text');
    const text = await runCli(join(tmp.path, 'data-text'), transcribeArgs('txt', textOut));
    expect(text.code, text.stderr).toBe(1);
    expect(text.stdout.match(/^✓ .+ → meeting \d+ \(\d+ sentences\)$/gmu)).toHaveLength(2);
    expect(text.stdout).toContain(`  wrote ${join(textOut, `${'会'.repeat(83)}.txt`)}`);
    expect(text.stderr).toMatch(/^✗ .+: not exported: The disk is full: .+ \[DISK_FULL\]$/mu);
    expect((await readdir(textOut)).sort()).toEqual(['filler', `${'会'.repeat(83)}.txt`]);

    const jsonOut = await onePageFree('one-page-json');
    const { code, json } = await runCliJson<TranscribeJson>(
      join(tmp.path, 'data-json'),
      transcribeArgs('txt', jsonOut),
    );
    expect(code).toBe(1);
    expect(json.meetings).toHaveLength(2);
    expect(json.errors).toEqual([]);
    expect(json.exports[0]).toMatchObject({ path: join(jsonOut, `${'会'.repeat(83)}.txt`), error: null });
    expect(json.exports[1]).toMatchObject({ meetingId: json.meetings[1]!.id, path: null });
    expect(json.exports[1]!.error?.code).toBe('DISK_FULL');
  });
});
