// What the recording tests do on the record screen and read back from the library: open the screen set to record only
// (no captions, no transcription), start with the page's clock of the moment it says it records, the recordings'
// rows, and a recording's mono journal.
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Page } from 'playwright-core';
import { DATABASE_FILE } from '../../../src-main/application/library-maintenance.js';
import { recordingsDirOf } from '../../../src-main/recording/recording-session.js';
import { readWavChannels } from '../../integration/recording/audio-compare.js';

/** A recording's row as the tests check it. */
export interface RecordingRow {
  id: string;
  status: string;
  duration_ms: number | null;
  error_code: string | null;
}

/** Opens the record screen (its shortcut) set to record only, with live captions off. */
export async function openRecordOnly(page: Page): Promise<void> {
  await page.keyboard.press('r');
  const record = page.getByRole('main');
  await record.getByRole('radio', { name: 'Record only, transcribe later' }).click();
  const captions = record.getByRole('switch', { name: 'Live captions' });
  if ((await captions.getAttribute('aria-checked')) === 'true') await captions.click();
}

/** Clicks Start; resolves once the screen says it records, with the page's clock when it first said so (ms). */
export async function startRecordingAt(page: Page): Promise<number> {
  await page.evaluate(() => {
    const seen = window as unknown as { recordingSince?: number };
    delete seen.recordingSince;
    const observer = new MutationObserver(() => {
      if (document.querySelector('#record-status')?.textContent !== 'Recording') return;
      seen.recordingSince = performance.now();
      observer.disconnect();
    });
    observer.observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await page.getByRole('main').getByRole('button', { name: 'Start recording' }).click();
  const since = await page.waitForFunction(
    () => (window as unknown as { recordingSince?: number }).recordingSince,
  );
  return (await since.jsonValue()) as number;
}

/** The library's recordings, oldest first. */
export function recordingRows(libraryDir: string): RecordingRow[] {
  const db = new Database(join(libraryDir, DATABASE_FILE), { readonly: true });
  try {
    return db
      .prepare('SELECT id, status, duration_ms, error_code FROM recordings ORDER BY started_at')
      .all() as RecordingRow[];
  } finally {
    db.close();
  }
}

/** The samples of a recording's mono journal. */
export async function journalSamples(libraryDir: string, id: string): Promise<Int16Array> {
  const dir = join(recordingsDirOf(libraryDir), id);
  const [wav] = (await readdir(dir)).filter((name) => name.endsWith('.wav'));
  const [samples] = await readWavChannels(join(dir, wav!), 1);
  return samples!;
}
