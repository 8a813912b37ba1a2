// Remembered voices: one mean embedding per (name, backend), stored only when the user asked FunScribe to remember
// a speaker's voice. Deleting one clears the suggestions it made (speakers.voiceprint_id is ON DELETE SET NULL).
import type { Database, Statement } from 'better-sqlite3';
import type { VoiceprintInfo } from '../../src-shared/types.js';
import { blobToFloat32, float32ToBlob } from './float32-blobs.js';
import { isRowId } from './validate.js';

/** A voiceprint with its centroid (the mean raw embedding of the speaker's windows). */
export interface StoredVoiceprint extends VoiceprintInfo {
  centroid: Float32Array;
}

interface VoiceprintRow {
  id: number;
  name: string;
  backend: string;
  dim: number;
  created_at: number;
  updated_at: number;
}

const INFO_COLUMNS = 'id, name, backend, dim, created_at, updated_at';

function toInfo(row: VoiceprintRow): VoiceprintInfo {
  return {
    id: row.id,
    name: row.name,
    backend: row.backend,
    dim: row.dim,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** Lists, saves, finds and deletes voiceprints. Names and backends arrive already checked by the caller. */
export class VoiceprintRepository {
  private readonly selectAll: Statement<[], VoiceprintRow>;
  private readonly selectForBackend: Statement<[string, number], VoiceprintRow & { centroid: Buffer }>;
  private readonly selectById: Statement<[number], VoiceprintRow>;
  private readonly selectByName: Statement<[string], VoiceprintRow>;
  private readonly upsert: Statement<[string, string, number, Buffer, number, number], VoiceprintRow>;
  private readonly deleteOne: Statement<[number]>;

  /** Prepares the statements on an open, migrated database. */
  constructor(db: Database) {
    this.selectAll = db.prepare(
      `SELECT ${INFO_COLUMNS} FROM voiceprints ORDER BY name COLLATE NOCASE, backend`,
    );
    this.selectForBackend = db.prepare(
      `SELECT ${INFO_COLUMNS}, centroid FROM voiceprints WHERE backend = ? AND dim = ? ORDER BY id`,
    );
    this.selectById = db.prepare(`SELECT ${INFO_COLUMNS} FROM voiceprints WHERE id = ?`);
    this.selectByName = db.prepare(
      `SELECT ${INFO_COLUMNS} FROM voiceprints WHERE name = ? COLLATE NOCASE ORDER BY backend`,
    );
    this.upsert = db.prepare(
      `INSERT INTO voiceprints (name, backend, dim, centroid, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (name, backend) DO UPDATE SET
         dim = excluded.dim, centroid = excluded.centroid, updated_at = excluded.updated_at
       RETURNING ${INFO_COLUMNS}`,
    );
    this.deleteOne = db.prepare('DELETE FROM voiceprints WHERE id = ?');
  }

  /** Every voiceprint, by name. */
  list(): VoiceprintInfo[] {
    return this.selectAll.all().map(toInfo);
  }

  /** The voiceprints comparable with embeddings of this backend and size, centroids included. */
  forBackend(backend: string, dim: number): StoredVoiceprint[] {
    return this.selectForBackend
      .all(backend, dim)
      .map((row) => ({ ...toInfo(row), centroid: blobToFloat32(row.centroid) }));
  }

  /** Stores the voice of `name` for `backend`, replacing the centroid kept under that name before. */
  save(name: string, backend: string, centroid: Float32Array, now = Date.now()): VoiceprintInfo {
    return toInfo(this.upsert.get(name, backend, centroid.length, float32ToBlob(centroid), now, now)!);
  }

  /** The voiceprints a user means by an id (a number or digits) or a name (any case; one per backend). */
  find(idOrName: number | string): VoiceprintInfo[] {
    const byName = typeof idOrName === 'string' ? this.selectByName.all(idOrName.trim()) : [];
    if (byName.length > 0) return byName.map(toInfo);
    const id = typeof idOrName === 'number' ? idOrName : Number(idOrName.trim());
    const row = isRowId(id) && /^\d+$/.test(String(idOrName).trim()) ? this.selectById.get(id) : undefined;
    return row ? [toInfo(row)] : [];
  }

  /** Deletes one voiceprint (the suggestions it made are cleared by the foreign key). */
  delete(id: number): void {
    this.deleteOne.run(id);
  }
}
