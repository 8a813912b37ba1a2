// Application settings as JSON values under string keys.
import type { Database, Statement } from 'better-sqlite3';
import { parseJson, requireString, toJson } from './validate.js';

/** Reads and writes settings; values are stored as JSON. */
export class SettingsRepository {
  private readonly selectValue: Statement<[string], { value: string }>;
  private readonly upsertValue: Statement<[string, string]>;
  private readonly deleteValue: Statement<[string]>;

  /** Prepares the statements on an open, migrated database. */
  constructor(db: Database) {
    this.selectValue = db.prepare('SELECT value FROM settings WHERE key = ?');
    this.upsertValue = db.prepare(
      'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
    );
    this.deleteValue = db.prepare('DELETE FROM settings WHERE key = ?');
  }

  /** The stored value of `key`, or `fallback` when it was never set (or is unreadable). */
  get<T>(key: string, fallback: T): T {
    const row = typeof key === 'string' ? this.selectValue.get(key) : undefined;
    return row ? parseJson<T>(row.value, fallback) : fallback;
  }

  /** Stores `value` under `key`; `undefined` removes the key. INVALID_ARGUMENT for values JSON cannot hold. */
  set(key: string, value: unknown): void {
    const name = requireString(key, 'A setting name');
    if (value === undefined) this.deleteValue.run(name);
    else this.upsertValue.run(name, toJson(value, `The setting ${name}`));
  }
}
