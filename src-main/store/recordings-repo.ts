// Recordings: one row per recording, 'recording' while its journal grows (owned by the recording process, as jobs
// are), then 'finished' by that process or 'recovered' by a later one, which queues its job in the same transaction.
import type { Database, Statement } from 'better-sqlite3';
import type { CaptionSentence } from '../../src-shared/contract.js';
import type { ErrorInfo, JobInfo } from '../../src-shared/types.js';
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
  /** The job that transcribes it (a recovered one, or one stopped or asked to be transcribed in the app). */
  jobId: string | null;
  /**
   * Waits in the list until a job transcribes it: recorded with "record only, transcribe later", or stopped by a
   * process that ended before it queued the recording's job.
   */
  transcribeLater: boolean;
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
  /** "Record only, transcribe later" (default false). */
  transcribeLater?: boolean;
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
  transcribe_later: 0 | 1;
}

interface CaptionRow {
  text: string;
  start_ms: number | null;
  end_ms: number | null;
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
    transcribeLater: row.transcribe_later === 1,
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
  private readonly setJobRow: Statement;
  private readonly selectWaiting: Statement<[], RecordingRow>;
  private readonly insertCaption: Statement;
  private readonly selectCaptions: Statement<[string], CaptionRow>;

  constructor(
    private readonly db: Database,
    private readonly jobs: JobRepository,
  ) {
    this.insertRow = db.prepare(
      `INSERT INTO recordings (id, path, sample_rate, channels, channel_layout, status, settings, started_at,
         transcribe_later, owner_token, owner_pid, owner_host, owner_started, heartbeat_at)
       VALUES (@id, @path, @sample_rate, @channels, @channel_layout, 'recording', @settings, @now,
         @transcribe_later, @owner_token, @owner_pid, @owner_host, @owner_started, @heartbeat_at)`,
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
    this.setJobRow = db.prepare(
      "UPDATE recordings SET job_id = ?, transcribe_later = ? WHERE id = ? AND status != 'recording'",
    );
    // A job that is not done (queued, running, failed, cancelled) leaves the recording waiting; a cleared job
    // (job_id set to NULL) too.
    this.selectWaiting = db.prepare(
      `SELECT recordings.* FROM recordings LEFT JOIN jobs ON jobs.id = recordings.job_id
       WHERE recordings.transcribe_later = 1 AND recordings.status != 'recording' AND recordings.duration_ms > 0
         AND (jobs.id IS NULL OR jobs.status != 'done')
       ORDER BY recordings.started_at DESC`,
    );
    this.insertCaption = db.prepare(
      `INSERT INTO recording_captions (recording_id, seq, text, start_ms, end_ms)
       VALUES (@recording_id, (SELECT COUNT(*) FROM recording_captions WHERE recording_id = @recording_id), @text,
         @start_ms, @end_ms)`,
    );
    this.selectCaptions = db.prepare(
      'SELECT text, start_ms, end_ms FROM recording_captions WHERE recording_id = ? ORDER BY seq',
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
        transcribe_later: recording.transcribeLater ? 1 : 0,
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

  /**
   * Queues the job that transcribes a recording that has ended (`enqueue`) and records it on the recording in the same
   * transaction. `stillWaiting` false takes the recording off the waiting list (its stop queued the job it was made
   * for); true keeps it there until the job is done (a "record only" recording transcribed from the list).
   */
  queueJob(id: string, enqueue: () => JobInfo, stillWaiting: boolean): JobInfo {
    return writeTransaction(this.db, () => {
      const job = enqueue();
      this.setJobRow.run(job.id, stillWaiting ? 1 : 0, id);
      return job;
    });
  }

  /** The recordings waiting to be transcribed (see StoredRecording.transcribeLater), none empty, newest first. */
  waitingForTranscription(): StoredRecording[] {
    return this.selectWaiting.all().map(toRecording);
  }

  /** Stores the next caption sentence of a recording (after the ones stored before). */
  addCaption(id: string, sentence: CaptionSentence): void {
    writeTransaction(this.db, () =>
      this.insertCaption.run({
        recording_id: id,
        text: sentence.text,
        start_ms: sentence.startMs === null ? null : Math.round(sentence.startMs),
        end_ms: sentence.endMs === null ? null : Math.round(sentence.endMs),
      }),
    );
  }

  /** The caption sentences stored with a recording, in order. */
  captions(id: string): CaptionSentence[] {
    return this.selectCaptions
      .all(id)
      .map((row) => ({ text: row.text, startMs: row.start_ms, endMs: row.end_ms }));
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
