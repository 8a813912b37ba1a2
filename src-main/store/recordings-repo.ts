// Recordings: one row per recording, 'recording' while its journal grows (owned by the recording process, as jobs
// are), then 'finished' by that process or 'recovered' by a later one, which queues its job in the same transaction.
import type { Database, Statement } from 'better-sqlite3';
import type { ErrorInfo } from '../../src-shared/types.js';
import {
  ownerParams,
  toOwner,
  type JobOwner,
  type JobRepository,
  type OwnerRow,
  type StoredOwner,
} from './jobs-repo.js';
import { parseJson, toJson } from './validate.js';
import { writeTransaction } from './write-transaction.js';

/** How the channels of a recording are used: one (mono), or the microphone left and the system audio right. */
export type ChannelLayout = 'mono' | 'microphone-system';

/** Where a recording is: being recorded, ended by its process, or repaired after its process stopped. */
export type RecordingStatus = 'recording' | 'finished' | 'recovered';

/** A stored recording. */
export interface StoredRecording {
  id: string;
  /** The journal: a WAV file in the data folder whose header is repaired when it is finished or recovered. */
  path: string;
  sampleRate: number;
  channels: 1 | 2;
  channelLayout: ChannelLayout;
  status: RecordingStatus;
  /** What its transcription job is to use (the TranscribeSettings when it started). */
  settings: unknown;
  startedAt: number;
  endedAt: number | null;
  durationMs: number | null;
  /** Why the recording stopped early (disk full, the input ended), or null. */
  error: ErrorInfo | null;
  /** The job that transcribes a recovered recording. */
  jobId: string | null;
}

/** A recording in progress with the process that records it. */
export interface ActiveRecording {
  recording: StoredRecording;
  owner: StoredOwner | null;
}

/** A new recording's row. */
export interface NewRecording {
  id: string;
  path: string;
  sampleRate: number;
  channels: 1 | 2;
  channelLayout: ChannelLayout;
  settings: unknown;
  owner: JobOwner;
}

/** How a recording ended. */
export interface RecordingEnd {
  durationMs: number;
  error?: ErrorInfo | null;
}

/** The job queued for a recovered recording (see JobRepository.insert; nobody owns it, so the app takes it up). */
export interface RecoveryJob {
  id: string;
  file: string;
  settings: unknown;
  contentHash: string | null;
}

interface RecordingRow extends OwnerRow {
  id: string;
  path: string;
  sample_rate: number;
  channels: 1 | 2;
  channel_layout: ChannelLayout;
  status: RecordingStatus;
  settings: string;
  started_at: number;
  ended_at: number | null;
  duration_ms: number | null;
  error_code: string | null;
  error_message: string | null;
  job_id: string | null;
}

function toRecording(row: RecordingRow): StoredRecording {
  return {
    id: row.id,
    path: row.path,
    sampleRate: row.sample_rate,
    channels: row.channels,
    channelLayout: row.channel_layout,
    status: row.status,
    settings: parseJson(row.settings, null),
    startedAt: row.started_at,
    endedAt: row.ended_at,
    durationMs: row.duration_ms,
    error: row.error_code === null ? null : { code: row.error_code, message: row.error_message ?? '' },
    jobId: row.job_id,
  };
}

/** The error columns for `error` (NULL for none). */
function errorParams(error: ErrorInfo | null): { error_code: string | null; error_message: string | null } {
  return { error_code: error?.code ?? null, error_message: error?.message ?? null };
}

/** The recordings table. */
export class RecordingRepository {
  private readonly insertRow: Statement;
  private readonly selectOne: Statement<[string], RecordingRow>;
  private readonly selectActive: Statement<[], RecordingRow>;
  private readonly endRow: Statement;
  private readonly claimRow: Statement;
  private readonly beatRow: Statement;
  private readonly releaseRow: Statement;

  constructor(
    private readonly db: Database,
    private readonly jobs: JobRepository,
  ) {
    this.insertRow = db.prepare(
      `INSERT INTO recordings (id, path, sample_rate, channels, channel_layout, status, settings, started_at,
         owner_token, owner_pid, owner_host, owner_started, heartbeat_at)
       VALUES (@id, @path, @sample_rate, @channels, @channel_layout, 'recording', @settings, @now,
         @owner_token, @owner_pid, @owner_host, @owner_started, @heartbeat_at)`,
    );
    this.selectOne = db.prepare('SELECT * FROM recordings WHERE id = ?');
    this.selectActive = db.prepare("SELECT * FROM recordings WHERE status = 'recording' ORDER BY started_at");
    this.endRow = db.prepare(
      `UPDATE recordings SET status = @status, ended_at = @now, duration_ms = @duration_ms, error_code = @error_code,
         error_message = @error_message, job_id = @job_id, owner_token = NULL, owner_pid = NULL, owner_host = NULL,
         owner_started = NULL, heartbeat_at = NULL
       WHERE id = @id AND status = 'recording'`,
    );
    this.claimRow = db.prepare(
      `UPDATE recordings SET owner_token = @owner_token, owner_pid = @owner_pid, owner_host = @owner_host,
         owner_started = @owner_started, heartbeat_at = @heartbeat_at
       WHERE id = @id AND status = 'recording' AND owner_token IS @from`,
    );
    this.releaseRow = db.prepare(
      `UPDATE recordings SET error_code = @error_code, error_message = @error_message, owner_token = NULL,
         owner_pid = NULL, owner_host = NULL, owner_started = NULL, heartbeat_at = NULL
       WHERE id = @id AND owner_token = @owner_token AND status = 'recording'`,
    );
    this.beatRow = db.prepare(
      "UPDATE recordings SET heartbeat_at = ? WHERE id = ? AND owner_token = ? AND status = 'recording'",
    );
  }

  /** Adds a recording in progress, owned by `recording.owner`. */
  start(recording: NewRecording): StoredRecording {
    const now = Date.now();
    writeTransaction(this.db, () =>
      this.insertRow.run({
        id: recording.id,
        path: recording.path,
        sample_rate: recording.sampleRate,
        channels: recording.channels,
        channel_layout: recording.channelLayout,
        settings: toJson(recording.settings ?? null, 'The recording settings'),
        now,
        ...ownerParams(recording.owner, now),
      }),
    );
    return this.get(recording.id)!;
  }

  /** The recording with this id, or null. */
  get(id: string): StoredRecording | null {
    const row = this.selectOne.get(id);
    return row ? toRecording(row) : null;
  }

  /** The recordings still marked in progress, oldest first, each with its owner. */
  inProgress(): ActiveRecording[] {
    return this.selectActive.all().map((row) => ({ recording: toRecording(row), owner: toOwner(row) }));
  }

  /** Renews the heartbeat of a recording this owner records (a process on another host tells it is alive so). */
  heartbeat(id: string, ownerToken: string): void {
    this.beatRow.run(Date.now(), id, ownerToken);
  }

  /**
   * Hands a recording in progress from the owner with token `from` to `to`, so that one process only recovers it;
   * false when another process took it first or it is no longer in progress.
   */
  claim(id: string, from: string | null, to: JobOwner): boolean {
    return writeTransaction(
      this.db,
      () => this.claimRow.run({ id, from, ...ownerParams(to, Date.now()) }).changes > 0,
    );
  }

  /**
   * Gives up a recording its process could not go on writing (the disk is full): nobody owns it any more, so any
   * process recovers it once the disk takes writes again, with `error` saying why it stopped.
   */
  release(id: string, ownerToken: string, error: ErrorInfo): void {
    writeTransaction(this.db, () =>
      this.releaseRow.run({ id, owner_token: ownerToken, ...errorParams(error) }),
    );
  }

  /** Marks a recording finished by its own process. */
  finish(id: string, end: RecordingEnd): StoredRecording {
    writeTransaction(this.db, () => this.endRow.run(this.endParams(id, 'finished', end, null)));
    return this.get(id)!;
  }

  /** Marks a recording recovered and, in the same transaction, queues the job that transcribes it (if any). */
  recover(id: string, end: RecordingEnd, job: RecoveryJob | null): StoredRecording {
    writeTransaction(this.db, () => {
      if (job) this.jobs.insert({ ...job, owner: null });
      this.endRow.run(this.endParams(id, 'recovered', end, job?.id ?? null));
    });
    return this.get(id)!;
  }

  private endParams(id: string, status: RecordingStatus, end: RecordingEnd, jobId: string | null) {
    return {
      id,
      status,
      now: Date.now(),
      duration_ms: Math.round(end.durationMs),
      ...errorParams(end.error ?? null),
      job_id: jobId,
    };
  }
}
