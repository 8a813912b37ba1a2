// `funscribe export --out` refuses what would lose data (the library, an existing file), writes nothing half-done,
// and gives plain error codes; `show`, `list`, `search` and `export` never print a stored control character.
import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../../src-main/application/library-maintenance.js';
import { openDatabase } from '../../../src-main/store/database.js';
import { MeetingRepository } from '../../../src-main/store/meetings-repo.js';
import type { NewMeeting } from '../../../src-main/store/new-meeting.js';
import { runCli, runCliJson, type CliResult } from '../../helpers/run-cli.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { TmpfsMounts } from '../../helpers/tmpfs-mounts.js';

/** Any C0/C1 control character but tab and newline. */
const CONTROL = /(?![\t\n])\p{Cc}/u;

/** A meeting as a hostile server's reply stored it before text was cleaned: escape sequences in every field. */
const HOSTILE: NewMeeting = {
  title: 'Budget\u001b]0;pwned\u0007 review\u001b[2J',
  source: '/recordings/budget\u001b[31m.wav',
  durationMs: 9000,
  speakers: [{ label: 'Speaker 1', name: 'Al\u001b[5mice\u009b' }],
  segments: [
    {
      startMs: 0,
      endMs: 4000,
      text: 'The budget\u001b[2J\u001b[H is approved\u0007.',
      speakerIndex: 0,
      tokens: [{ text: 'budget\u001b[2J', startMs: 400, endMs: 900 }],
    },
    {
      startMs: 4000,
      endMs: 9000,
      text: 'Next\u001bc quarter\u0090 starts\u001b]2;owned\u001b\\ soon.',
      speakerIndex: 0,
      tokens: [],
    },
  ],
};

/** A plain meeting to export. */
const PLAIN: NewMeeting = {
  title: 'Weekly sync',
  source: '/recordings/sync.wav',
  durationMs: 3000,
  speakers: [{ label: 'Speaker 1' }],
  segments: [{ startMs: 0, endMs: 3000, text: 'Hello everyone.', speakerIndex: 0, tokens: [] }],
};

/** The error code at the end of the CLI's error line. */
function errorCode(result: CliResult): string | undefined {
  return /\[([A-Z_]+)\]\s*$/u.exec(result.stderr)?.[1];
}

describe('funscribe export --out and printing stored text', () => {
  let data: Awaited<ReturnType<typeof makeTempDir>>;
  let outside: Awaited<ReturnType<typeof makeTempDir>>;
  let hostileId: string;
  let plainId: string;
  const mounts = new TmpfsMounts();

  beforeAll(async () => {
    data = await makeTempDir('export-data');
    outside = await makeTempDir('export-out');
    const db = openDatabase(join(data.path, DATABASE_FILE));
    const meetings = new MeetingRepository(db);
    hostileId = String(meetings.create(HOSTILE).id);
    plainId = String(meetings.create(PLAIN).id);
    // The test is about printing stored text: the library must really hold the control characters.
    const stored = db.prepare('SELECT text FROM segments').all() as { text: string }[];
    expect(stored.some((row) => row.text.includes('\u001b[2J'))).toBe(true);
    db.close();
  });

  afterAll(async () => {
    mounts.unmountAll();
    await data?.remove();
    await outside?.remove();
  });

  /** Mounts a tmpfs with the given options in a fresh folder and returns the folder. */
  const tmpfs = (name: string, options: string) => mounts.mount(join(outside.path, name), options);

  /** The meetings `list --json` reports, to show the library survived. */
  async function meetingTitles(): Promise<string[]> {
    const { code, json } = await runCliJson<{ meetings: { title: string }[] }>(data.path, ['list']);
    expect(code).toBe(0);
    return json.meetings.map((m) => m.title).sort();
  }

  it('refuses to write over the library or anywhere in the data folder, even with --force or through a link', async () => {
    const before = await meetingTitles();
    expect(before).toHaveLength(2);
    await symlink(data.path, join(outside.path, 'data-link'));
    await symlink(join(data.path, DATABASE_FILE), join(outside.path, 'library-link.txt'));
    const destinations = [
      [join(data.path, DATABASE_FILE)],
      [join(data.path, DATABASE_FILE), '--force'],
      [join(data.path, 'notes.txt')],
      [join(data.path, 'audio', 'x', 'notes.txt')],
      [join(outside.path, 'data-link', DATABASE_FILE), '--force'],
      [join(outside.path, 'library-link.txt'), '--force'],
    ];
    for (const [out, ...flags] of destinations) {
      const result = await runCli(data.path, ['export', plainId, '--format', 'txt', '--out', out!, ...flags]);
      expect(result.code, out).toBe(1);
      expect(errorCode(result), `${out}: ${result.stderr}`).toBe('EXPORT_FORBIDDEN');
      expect(result.stderr).toContain('data folder');
    }
    expect(await readdir(data.path)).not.toContain('notes.txt');
    expect(await meetingTitles()).toEqual(before);
    const shown = await runCli(data.path, ['show', plainId]);
    expect(shown.stdout).toContain('Hello everyone.');
  });

  it('refuses an existing file without --force, replaces it with --force, and leaves no temporary file', async () => {
    const folder = join(outside.path, 'existing');
    await mkdir(folder);
    const out = join(folder, 'sync.txt');
    await writeFile(out, 'my own notes\n');
    const refused = await runCli(data.path, ['export', plainId, '--format', 'txt', '--out', out]);
    expect(refused.code).toBe(1);
    expect(errorCode(refused)).toBe('EXPORT_EXISTS');
    expect(refused.stderr).toContain('--force');
    expect(await readFile(out, 'utf8')).toBe('my own notes\n');

    const forced = await runCli(data.path, ['export', plainId, '--format', 'txt', '--out', out, '--force']);
    expect(forced.code).toBe(0);
    const shown = await runCli(data.path, ['show', plainId]);
    expect(await readFile(out, 'utf8')).toBe(shown.stdout);
    expect(await readdir(folder)).toEqual(['sync.txt']);

    const onFolder = await runCli(data.path, [
      'export',
      plainId,
      '--format',
      'txt',
      '--out',
      folder,
      '--force',
    ]);
    expect(errorCode(onFolder)).toBe('EXPORT_EXISTS');
  });

  it('creates a missing folder for a new file', async () => {
    const out = join(outside.path, 'new', 'deeper', 'sync.srt');
    const result = await runCli(data.path, ['export', plainId, '--format', 'srt', '--out', out]);
    expect(result.code).toBe(0);
    expect(await readFile(out, 'utf8')).toContain('00:00:00,000 --> 00:00:03,000');
  });

  it('says EXPORT_UNWRITABLE for a read-only disk or a file where a folder should be', async () => {
    const readOnly = await tmpfs('read-only', 'size=1m,ro');
    const notAFolder = join(outside.path, 'not-a-folder');
    await writeFile(notAFolder, 'a file\n');
    for (const out of [join(readOnly, 'sync.txt'), join(notAFolder, 'sync.txt')]) {
      const result = await runCli(data.path, ['export', plainId, '--format', 'txt', '--out', out]);
      expect(result.code).toBe(1);
      expect(errorCode(result), result.stderr).toBe('EXPORT_UNWRITABLE');
      expect(result.stderr).toContain(out.slice(0, out.lastIndexOf('/')));
    }
  });

  it('says DISK_FULL when the disk fills, and leaves neither the file nor a temporary one', async () => {
    const full = await tmpfs('full', 'size=64k');
    await writeFile(join(full, 'filler'), Buffer.alloc(64 * 1024)).catch(() => undefined);
    const result = await runCli(data.path, [
      'export',
      hostileId,
      '--format',
      'json',
      '--out',
      join(full, 'b.json'),
    ]);
    expect(result.code).toBe(1);
    expect(errorCode(result), result.stderr).toBe('DISK_FULL');
    expect(await readdir(full)).toEqual(['filler']);
  });

  it('prints no control character from stored text in show, list, search, export and speakers', async () => {
    const runs = [
      await runCli(data.path, ['show', hostileId]),
      await runCli(data.path, ['list']),
      await runCli(data.path, ['search', 'budget']),
      await runCli(data.path, ['search', 'quarter']),
      await runCli(data.path, ['export', hostileId, '--format', 'srt']),
      await runCli(data.path, ['export', hostileId, '--format', 'md']),
      await runCli(data.path, ['show', hostileId, '--json']),
      await runCli(data.path, ['search', 'budget', '--json']),
      await runCli(data.path, ['speakers', hostileId]),
    ];
    for (const run of runs) {
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).not.toMatch(CONTROL);
      expect(run.stdout).not.toContain('\\u001b');
    }
    const [show, list, budget, quarter] = runs;
    expect(show!.stdout).toContain('The budget[2J[H is approved.');
    expect(show!.stdout).toContain('[00:00:00] Al[5mice: The budget');
    expect(list!.stdout).toContain('Budget]0;pwned review[2J');
    expect(budget!.stdout).toMatch(
      /#\d+ Budget\]0;pwned review\[2J \[00:00:00\] Al\[5mice: The \[budget\]\[2J\[H is approved\./u,
    );
    expect(quarter!.stdout).toContain('[quarter] starts]2;owned\\ soon');
    expect(runs[8]!.stdout).toMatch(/Speaker 1 +Al\[5mice +9 s +2 sentences/u);
    const json = JSON.parse(runs[6]!.stdout) as { title: string; segments: { text: string }[] };
    expect(json.title).toBe('Budget]0;pwned review[2J');
    expect(json.segments[0]!.text).toBe('The budget[2J[H is approved.');
  });
});
