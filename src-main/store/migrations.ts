// Versioned schema changes. PRAGMA user_version records how many have been applied; each runs in its own transaction.
import type { Database } from 'better-sqlite3';
import { FunscribeError } from '../util/errors.js';
import { FTS_TOKENIZER } from './search-text.js';
import { writeTransaction } from './write-transaction.js';

/** One schema step: `version` is the user_version the database has after it. */
export interface Migration {
  version: number;
  sql: string;
}

/** All migrations in order. Append new ones; never edit an applied one. */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    sql: `
      CREATE TABLE meetings (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        source TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        duration_ms INTEGER NOT NULL,
        audio_path TEXT,
        -- created_at made unique (the next free ms); the high bits of its segments' search keys (search-key.ts).
        search_ms INTEGER NOT NULL UNIQUE
      );
      CREATE INDEX meetings_by_created ON meetings (created_at DESC, id DESC);

      CREATE TABLE speakers (
        id INTEGER PRIMARY KEY,
        meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
        label TEXT NOT NULL,
        name TEXT,
        ordinal INTEGER NOT NULL,
        UNIQUE (meeting_id, ordinal)
      );

      CREATE TABLE segments (
        id INTEGER PRIMARY KEY,
        meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
        speaker_id INTEGER REFERENCES speakers (id) ON DELETE SET NULL,
        start_ms INTEGER NOT NULL,
        end_ms INTEGER NOT NULL,
        text TEXT NOT NULL,
        tokens TEXT NOT NULL DEFAULT '[]',
        search_key INTEGER NOT NULL UNIQUE
      );
      CREATE INDEX segments_by_meeting ON segments (meeting_id, start_ms);
      CREATE INDEX segments_by_speaker ON segments (speaker_id);

      -- Contentless index over transformed text (see search-text.ts); rowid = segments.search_key.
      CREATE VIRTUAL TABLE segments_fts USING fts5 (
        body, content = '', contentless_delete = 1, tokenize = "${FTS_TOKENIZER}", prefix = '1'
      );
      CREATE TRIGGER segments_fts_delete AFTER DELETE ON segments BEGIN
        DELETE FROM segments_fts WHERE rowid = old.search_key;
      END;

      CREATE TABLE jobs (
        id TEXT PRIMARY KEY,
        file TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed', 'cancelled')),
        stage TEXT CHECK (stage IN ('decode', 'transcribe', 'speakers', 'save')),
        progress REAL NOT NULL DEFAULT 0,
        attempts INTEGER NOT NULL DEFAULT 0,
        meeting_id INTEGER REFERENCES meetings (id) ON DELETE SET NULL,
        error_code TEXT,
        error_message TEXT,
        settings TEXT NOT NULL DEFAULT 'null',
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX jobs_by_created ON jobs (created_at);

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    sql: `
      -- A remembered voice: the mean embedding of a named speaker, per embedding backend (they are not comparable).
      CREATE TABLE voiceprints (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        backend TEXT NOT NULL,
        dim INTEGER NOT NULL CHECK (dim > 0),
        centroid BLOB NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        UNIQUE (name, backend)
      );

      -- The window embeddings behind a meeting's voice labels, kept so speakers can be re-counted without the audio.
      -- windows: little-endian Float64 triples (start ms, end ms, segment position); embeddings: Float32, row-major.
      CREATE TABLE speaker_analyses (
        meeting_id INTEGER PRIMARY KEY REFERENCES meetings (id) ON DELETE CASCADE,
        dim INTEGER NOT NULL CHECK (dim > 0),
        windows BLOB NOT NULL,
        embeddings BLOB NOT NULL
      );

      -- How the speakers were told apart ('voice' or 'channels') and with which embedding backend; NULL before version 2.
      ALTER TABLE meetings ADD COLUMN speaker_mode TEXT CHECK (speaker_mode IN ('voice', 'channels'));
      ALTER TABLE meetings ADD COLUMN speaker_backend TEXT;

      -- A name suggested for a speaker because its voice matches a voiceprint (never written into name by itself).
      ALTER TABLE speakers ADD COLUMN voiceprint_id INTEGER REFERENCES voiceprints (id) ON DELETE SET NULL;
      ALTER TABLE speakers ADD COLUMN suggestion_score REAL;
      CREATE INDEX speakers_by_voiceprint ON speakers (voiceprint_id);
    `,
  },
  {
    version: 3,
    sql: `
      -- The process working on a job (jobs/job-owner.ts), so another process resumes it only once that one is gone:
      -- a random token per process, its pid and host, its start time where the system tells it (Linux: /proc
      -- starttime, NULL elsewhere), and a heartbeat (ms) it renews while it has queued or running jobs.
      ALTER TABLE jobs ADD COLUMN owner_token TEXT;
      ALTER TABLE jobs ADD COLUMN owner_pid INTEGER;
      ALTER TABLE jobs ADD COLUMN owner_host TEXT;
      ALTER TABLE jobs ADD COLUMN owner_started TEXT;
      ALTER TABLE jobs ADD COLUMN heartbeat_at INTEGER;
      CREATE INDEX jobs_by_owner ON jobs (owner_token, status);
    `,
  },
  {
    version: 4,
    sql: `
      -- Corrections: the recognised text of a sentence the user edited (NULL when never edited or edited back).
      ALTER TABLE segments ADD COLUMN original_text TEXT;

      -- A delete that can still be undone (epoch ms); such a meeting is hidden and purged once the undo window ends.
      ALTER TABLE meetings ADD COLUMN deleted_at INTEGER;

      -- The stored-analysis windows (JSON array of indexes) a speaker owned when the user named it: the voice the
      -- name was given to, which a re-count follows (NULL without an analysis, or for names from before version 4).
      ALTER TABLE speakers ADD COLUMN name_windows TEXT;

      -- A meeting's speaker state before a merge, move or re-count, so the change can be undone (the last few kept).
      -- state: deflated JSON of its speaker rows and segment rows (store/speaker-snapshots.ts).
      CREATE TABLE speaker_snapshots (
        id INTEGER PRIMARY KEY,
        meeting_id INTEGER NOT NULL REFERENCES meetings (id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        state BLOB NOT NULL
      );
      CREATE INDEX speaker_snapshots_by_meeting ON speaker_snapshots (meeting_id, id);
    `,
  },
  {
    version: 5,
    sql: `
      -- The SHA-256 (hex) of the bytes of the file a meeting was transcribed from, so the same content dropped again
      -- is recognised; a job carries it until its meeting is saved, when the trigger hands it on (NULL: not known).
      ALTER TABLE meetings ADD COLUMN content_hash TEXT;
      ALTER TABLE jobs ADD COLUMN content_hash TEXT;
      CREATE INDEX meetings_by_content_hash ON meetings (content_hash) WHERE content_hash IS NOT NULL;
      CREATE INDEX jobs_by_content_hash ON jobs (content_hash) WHERE content_hash IS NOT NULL;
      CREATE TRIGGER jobs_hand_content_hash AFTER UPDATE OF meeting_id ON jobs
        WHEN new.meeting_id IS NOT NULL AND new.content_hash IS NOT NULL BEGIN
        UPDATE meetings SET content_hash = new.content_hash WHERE id = new.meeting_id AND content_hash IS NULL;
      END;
    `,
  },
  {
    version: 6,
    sql: `
      -- A recording: its journal (a WAV in the data folder, appended as audio arrives), its format, and whether it is
      -- still being recorded ('recording', owned by a process as jobs are), ended cleanly ('finished') or was repaired
      -- after its process stopped ('recovered'); job_id is the job that transcribes a recovered one.
      CREATE TABLE recordings (
        id TEXT PRIMARY KEY,
        path TEXT NOT NULL,
        sample_rate INTEGER NOT NULL,
        channels INTEGER NOT NULL CHECK (channels IN (1, 2)),
        channel_layout TEXT NOT NULL CHECK (channel_layout IN ('mono', 'microphone-system')),
        status TEXT NOT NULL CHECK (status IN ('recording', 'finished', 'recovered')),
        settings TEXT NOT NULL DEFAULT 'null',
        started_at INTEGER NOT NULL,
        ended_at INTEGER,
        duration_ms INTEGER,
        error_code TEXT,
        error_message TEXT,
        job_id TEXT REFERENCES jobs (id) ON DELETE SET NULL,
        owner_token TEXT,
        owner_pid INTEGER,
        owner_host TEXT,
        owner_started TEXT,
        heartbeat_at INTEGER
      );
      CREATE INDEX recordings_by_status ON recordings (status);
    `,
  },
  {
    version: 7,
    sql: `
      -- A failed job's error parameters (JSON: the file, limit or address its message names), so that the page can
      -- word the error in the interface language after a restart too.
      ALTER TABLE jobs ADD COLUMN error_params TEXT;
    `,
  },
  {
    version: 8,
    sql: `
      -- A recording made with "record only, transcribe later" waits in the record screen's list until a job
      -- transcribes it.
      ALTER TABLE recordings ADD COLUMN transcribe_later INTEGER NOT NULL DEFAULT 0 CHECK (transcribe_later IN (0, 1));
      -- The live captions of a recording: the sentences the 2pass server closed, in order, with their times in the
      -- recording (ms of audio sent; NULL when the server gave none).
      CREATE TABLE recording_captions (
        recording_id TEXT NOT NULL REFERENCES recordings (id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        text TEXT NOT NULL,
        start_ms INTEGER,
        end_ms INTEGER,
        PRIMARY KEY (recording_id, seq)
      ) WITHOUT ROWID;
    `,
  },
];

/** The schema version this build writes. */
export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;

/** The database's schema version; refuses one made by a newer FunScribe. */
function schemaVersion(db: Database, latest: number): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > latest) {
    throw new FunscribeError(
      'DATABASE_ERROR',
      `This library was made by a newer FunScribe (database version ${current}, this version knows up to ${latest}). ` +
        'Update FunScribe to open it.',
      { params: { reason: 'newer', version: current, known: latest } },
    );
  }
  return current;
}

/**
 * Applies the migrations the database lacks, each in its own immediate transaction that reads the version again
 * first (another process may have applied it meanwhile); refuses a database made by a newer FunScribe. An up-to-date
 * database is only read.
 */
export function migrate(db: Database, migrations: readonly Migration[] = MIGRATIONS): void {
  const latest = migrations[migrations.length - 1]?.version ?? 0;
  let behind = schemaVersion(db, latest) < latest;
  while (behind) {
    behind = writeTransaction(db, () => {
      const next = migrations.find((migration) => migration.version > schemaVersion(db, latest));
      if (!next) return false;
      db.exec(next.sql);
      db.pragma(`user_version = ${next.version}`);
      return true;
    });
  }
}
