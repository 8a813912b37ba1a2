// A library damaged in the middle, or emptied to 0 bytes, through the real CLI: reading goes on, writing is refused
// with LIBRARY_DAMAGED, `library check` shows the damage and `library restore` brings a backup back.
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { wavHeader } from '../../../src-main/audio/pcm.js';
import { DATABASE_FILE } from '../../../src-main/application/library-maintenance.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { runCli, runCliJson } from '../../helpers/run-cli.js';
import { buildLibrary, damageSegmentsPage } from '../store/library-damage.js';

let dataDir: string;
let remove: () => Promise<void>;
beforeEach(async () => {
  ({ path: dataDir, remove } = await makeTempDir('library-damage'));
});
afterEach(() => remove());

const MEETINGS = 6;

/** A one-second silent 16 kHz mono WAV file. */
function silentWav(path: string): string {
  const samples = 16_000;
  writeFileSync(path, Buffer.concat([wavHeader(samples * 2, 16_000, 1), Buffer.alloc(samples * 2)]));
  return path;
}

describe('a damaged library', () => {
  it(
    'keeps listing, refuses writes with LIBRARY_DAMAGED, and is restored from a backup',
    { timeout: 180_000 },
    async () => {
      const file = join(dataDir, DATABASE_FILE);
      buildLibrary(file, MEETINGS);
      const backup = await runCliJson<{ name: string }>(dataDir, ['library', 'backup']);
      expect(backup.code).toBe(0);
      expect((await runCliJson<{ state: string }>(dataDir, ['library', 'check'])).json.state).toBe('ok');

      damageSegmentsPage(file);

      const list = await runCliJson<{ meetings: unknown[] }>(dataDir, ['list']);
      expect(list.code).toBe(0);
      expect(list.json.meetings).toHaveLength(MEETINGS);
      expect(list.stderr).toMatch(/warning: The library .* is damaged.*funscribe library restore/s);

      const rename = await runCli(dataDir, ['speakers', '1', '--rename', 'Speaker 1=Bob']);
      expect(rename.code).toBe(1);
      expect(rename.stderr).toMatch(/\[LIBRARY_DAMAGED\]/);
      expect(rename.stderr).toMatch(/funscribe library restore/);

      const wav = silentWav(join(dataDir, 'silence.wav'));
      const transcribe = await runCli(dataDir, ['transcribe', wav, '--server', 'ws://127.0.0.1:9']);
      expect(transcribe.code).not.toBe(0);
      expect(transcribe.stdout + transcribe.stderr).toMatch(/LIBRARY_DAMAGED/);

      const check = await runCliJson<{
        state: string;
        ok: boolean;
        problems: string[];
        backups: { name: string }[];
      }>(dataDir, ['library', 'check']);
      expect(check.code).toBe(1);
      expect(check.json).toMatchObject({ state: 'damaged', ok: false });
      expect(check.json.problems.length).toBeGreaterThan(0);
      expect(check.json.backups.map((b) => b.name)).toEqual([backup.json.name]);
      const checkText = await runCli(dataDir, ['library', 'check']);
      expect(checkText.stdout).toMatch(/DAMAGED/);
      expect(checkText.stdout).toContain(`funscribe library restore ${backup.json.name}`);

      // A damaged library is not backed up over the good backups.
      const refused = await runCli(dataDir, ['library', 'backup']);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/\[LIBRARY_DAMAGED\]/);

      const restore = await runCliJson<{ setAside: string }>(dataDir, [
        'library',
        'restore',
        backup.json.name,
      ]);
      expect(restore.code).toBe(0);
      expect(statSync(restore.json.setAside).size).toBe(statSync(file).size);
      expect((await runCliJson<{ state: string }>(dataDir, ['library', 'check'])).json.state).toBe('ok');
      expect((await runCli(dataDir, ['speakers', '1', '--rename', 'Speaker 1=Bob'])).code).toBe(0);
      expect((await runCliJson<{ meetings: unknown[] }>(dataDir, ['list'])).json.meetings).toHaveLength(
        MEETINGS,
      );
    },
  );

  it('a 0-byte library file is refused, kept as it is, and offered a restore', async () => {
    const file = join(dataDir, DATABASE_FILE);
    buildLibrary(file, MEETINGS);
    const backup = await runCliJson<{ name: string }>(dataDir, ['library', 'backup']);
    writeFileSync(file, '');
    const list = await runCli(dataDir, ['list']);
    expect(list.code).toBe(1);
    expect(list.stderr).toMatch(/empty \(0 bytes\).*funscribe library restore.*\[LIBRARY_DAMAGED\]/s);
    expect(statSync(file).size).toBe(0);
    const check = await runCliJson<{ state: string }>(dataDir, ['library', 'check']);
    expect(check).toMatchObject({ code: 1, json: { state: 'empty' } });
    expect((await runCli(dataDir, ['library', 'restore', backup.json.name])).code).toBe(0);
    expect((await runCliJson<{ meetings: unknown[] }>(dataDir, ['list'])).json.meetings).toHaveLength(
      MEETINGS,
    );
  });

  it('a fresh data folder still starts an empty library', async () => {
    const list = await runCli(dataDir, ['list']);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/library is empty/);
    expect(existsSync(join(dataDir, DATABASE_FILE))).toBe(true);
    expect(readdirSync(dataDir).filter((name) => name.includes('.new-'))).toEqual([]);
  });
});
