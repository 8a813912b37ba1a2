// Transcription jobs, kept so the queue survives a restart (crash-resume) and the UI can show what happened.
import type { Database, Statement } from 'better-sqlite3';
import type { ErrorInfo, JobInfo, JobStage, JobStatus } from '../../src-shared/types.js';
import { errorParamsOf } from '../../src-shared/error-codes.js';
import { FunscribeError } from '../util/errors.js';
import { overallProgress } from './job-progress.js';
import { isRetryableError } from './retryable-errors.js';
import { isRowId, parseJson, requireString, toJson } from './validate.js';
import { writeTransaction } from './write-transaction.js';

/** A process that owns jobs: a random token for this run, plus what lets another process tell whether it lives. */
export interface JobOwner {
  token: string;
  pid: number;
  host: string;
  /** When the process started as the system counts it (Linux: /proc starttime), or null where it cannot be read. */
  startedAt: string | null;
}

/** An owner as stored with its jobs: the identity and the last heartbeat (ms since the epoch). */
export interface StoredOwner extends JobOwner {
  heartbeatAt: number | null;
}

/** The fields of a job that `update` may change. */
export type JobPatch = Partial<
  Pick<JobInfo, 'status' | 'stage' | 'progress' | 'attempts' | 'meetingId' | 'error'>
>;

const STATUSES: readonly JobStatus[] = ['queued', 'running', 'done', 'failed', 'cancelled'];
const STAGES: readonly JobStage[] = ['decode', 'transcribe', 'speakers', 'save'];

interface JobRow {
  id: string;
  file: string;
  status: JobStatus;
  stage: JobStage | null;
  progress: number;
  attempts: number;
  meeting_id: number | null;
  error_code: string | null;
  error_message: string | null;
  /** The error's parameters as JSON (migration 7), or null. */
  error_params: string | null;
  created_at: number;
  updated_at: number;
}

const JOB_COLUMNS =
  'id, file, status, stage, progress, attempts, meeting_id, error_code, error_message, error_params, created_at, updated_at';

/** A stored error: its code, message and the parameters kept beside them (dropped when unreadable). */
function storedError(code: string, message: string | null, paramsJson: string | null): ErrorInfo {
  const error: ErrorInfo = { code, message: message ?? '' };
  const params = paramsJson === null ? undefined : errorParamsOf(parseJsonOrNull(paramsJson));
  return params ? { ...error, params } : error;
}

/** The JSON value of `text`, or null when it is not JSON. */
function parseJsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

function toJob(row: JobRow): JobInfo {
  return {
    id: row.id,
    file: row.file,
    status: row.status,
    stage: row.stage,
    progress: row.progress,
    overallProgress: overallProgress(row.status, row.stage, row.progress),
    remainingMs: null,
    attempts: row.attempts,
    meetingId: row.meeting_id,
    error: row.error_code === null ? null : storedError(row.error_code, row.error_message, row.error_params),
    retryable: (row.status === 'failed' || row.status === 'cancelled') && isRetryableError(row.error_code),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** The row after applying a patch, every changed field checked. */
function applyPatch(row: JobRow, patch: JobPatch): JobRow {
  const next = { ...row };
  if (patch.status !== undefined) {
    if (!STATUSES.includes(patch.status)) throw invalid(`"${String(patch.status)}" is not a job status.`);
    next.status = patch.status;
  }
  if (patch.stage !== undefined) {
    if (patch.stage !== null && !STAGES.includes(patch.stage))
      throw invalid(`"${String(patch.stage)}" is not a job stage.`);
    next.stage = patch.stage;
  }
  if (patch.progress !== undefined) {
    if (typeof patch.progress !== 'number' || Number.isNaN(patch.progress))
      throw invalid('Progress must be a number.');
    next.progress = Math.min(1, Math.max(0, patch.progress));
  }
  if (patch.attempts !== undefined) {
    if (!Number.isSafeInteger(patch.attempts) || patch.attempts < 0)
      throw invalid('Attempts must be a whole number.');
    next.attempts = patch.attempts;
  }
  if (patch.meetingId !== undefined) {
    if (patch.meetingId !== null && !isRowId(patch.meetingId)) throw invalid('The meeting id is not valid.');
    next.meeting_id = patch.meetingId;
  }
  if (patch.error !== undefined) {
    const error: ErrorInfo | null = patch.error;
    next.error_code = error === null ? null : requireString(error.code, 'The error code');
    next.error_message = error === null ? null : requireString(error.message, 'The error message');
    const params = error === null ? undefined : errorParamsOf(error.params);
    next.error_params = params === undefined ? null : JSON.stringify(params);
  }
  return next;
}

/** The owner columns of a row (jobs, recordings). */
export interface OwnerRow {
  owner_token: string | null;
  owner_pid: number | null;
  owner_host: string | null;
  owner_started: string | null;
  heartbeat_at: number | null;
}

const OWNER_COLUMNS = 'owner_token, owner_pid, owner_host, owner_started, heartbeat_at';
const SET_OWNER = `owner_token = @owner_token, owner_pid = @owner_pid, owner_host = @owner_host,
  owner_started = @owner_started, heartbeat_at = @heartbeat_at`;

/** The stored owner of a row, or null when nobody owns it. */
export function toOwner(row: OwnerRow): StoredOwner | null {
  if (row.owner_token === null || row.owner_pid === null || row.owner_host === null) return null;
  return {
    token: row.owner_token,
    pid: row.owner_pid,
    host: row.owner_host,
    startedAt: row.owner_started,
    heartbeatAt: row.heartbeat_at,
  };
}

/** The owner columns for `owner` (all NULL for none), with a fresh heartbeat. */
export function ownerParams(owner: JobOwner | null, now: number): OwnerRow {
  return {
    owner_token: owner?.token ?? null,
    owner_pid: owner?.pid ?? null,
    owner_host: owner?.host ?? null,
    owner_started: owner?.startedAt ?? null,
    heartbeat_at: owner ? now : null,
  };
}

/** A meeting, or an unfinished job's file, with the same content as a file being added. */
export type ContentMatch = { meetingId: number; title: string } | { meetingId: null; file: string };

interface SameContentRow {
  meeting_id: number | null;
  title: string | null;
  file: string | null;
}

/** A queued or running job with the process that owns it (null: nobody, e.g. left queued by a closed app). */
export interface ActiveJob {
  job: JobInfo;
  owner: StoredOwner | null;
}

function invalid(message: string): FunscribeError {
  return new FunscribeError('INVALID_ARGUMENT', message);
}

function notFound(id: unknown): FunscribeError {
  return new FunscribeError('NOT_FOUND', `There is no job ${JSON.stringify(id)}.`);
}

/** Stores transcription jobs and their progress. */
export class JobRepository {
  private readonly insertJob: Statement<
    OwnerRow & { id: string; file: string; settings: string; now: number; content_hash: string | null }
  >;
  private readonly sameContent: Statement<[string, string], SameContentRow>;
  private readonly deleteFinished: Statement<[]>;
  private readonly selectJob: Statement<[string], JobRow>;
  private readonly selectSettings: Statement<[string], { settings: string }>;
  private readonly selectAll: Statement<[], JobRow>;
  private readonly updateJob: Statement<JobRow>;
  private readonly deleteJob: Statement<[string]>;
  private readonly meetingExists: Statement<[number], { found: number }>;
  private readonly selectActive: Statement<[], JobRow & OwnerRow>;
  private readonly claimJob: Statement<OwnerRow & { id: string; from: string | null }>;
  private readonly setOwner: Statement<OwnerRow & { id: string }>;
  private readonly beat: Statement<[number, string]>;
  private readonly releaseQueued: Statement<[string]>;

  /** Prepares the statements on an open, migrated database. */
  constructor(private readonly db: Database) {
    this.insertJob = db.prepare(
      `INSERT INTO jobs (id, file, status, settings, created_at, updated_at, content_hash, ${OWNER_COLUMNS})
       VALUES (@id, @file, 'queued', @settings, @now, @now, @content_hash, @owner_token, @owner_pid, @owner_host,
         @owner_started, @heartbeat_at)`,
    );
    this.sameContent = db.prepare(
      `SELECT id AS meeting_id, title, NULL AS file FROM meetings WHERE content_hash = ? AND deleted_at IS NULL
       UNION ALL
       SELECT NULL, NULL, file FROM jobs WHERE content_hash = ? AND status IN ('queued', 'running')`,
    );
    this.deleteFinished = db.prepare("DELETE FROM jobs WHERE status IN ('done', 'failed', 'cancelled')");
    this.selectActive = db.prepare(
      `SELECT ${JOB_COLUMNS}, ${OWNER_COLUMNS} FROM jobs WHERE status IN ('queued', 'running')
       ORDER BY created_at, rowid`,
    );
    this.claimJob = db.prepare(
      `UPDATE jobs SET ${SET_OWNER} WHERE id = @id AND owner_token IS @from AND status IN ('queued', 'running')`,
    );
    this.setOwner = db.prepare(`UPDATE jobs SET ${SET_OWNER} WHERE id = @id`);
    this.beat = db.prepare(
      `UPDATE jobs SET heartbeat_at = ? WHERE owner_token = ? AND status IN ('queued', 'running')`,
    );
    this.releaseQueued = db.prepare(
      `UPDATE jobs SET owner_token = NULL, owner_pid = NULL, owner_host = NULL, owner_started = NULL,
         heartbeat_at = NULL WHERE owner_token = ? AND status = 'queued'`,
    );
    this.selectJob = db.prepare(`SELECT ${JOB_COLUMNS} FROM jobs WHERE id = ?`);
    this.selectSettings = db.prepare('SELECT settings FROM jobs WHERE id = ?');
    this.selectAll = db.prepare(`SELECT ${JOB_COLUMNS} FROM jobs ORDER BY created_at, rowid`);
    this.updateJob = db.prepare(
      `UPDATE jobs SET status = @status, stage = @stage, progress = @progress, attempts = @attempts,
         meeting_id = @meeting_id, error_code = @error_code, error_message = @error_message, error_params = @error_params, updated_at = @updated_at
       WHERE id = @id`,
    );
    this.deleteJob = db.prepare('DELETE FROM jobs WHERE id = ?');
    this.meetingExists = db.prepare('SELECT count(*) AS found FROM meetings WHERE id = ?');
  }

  /**
   * Adds a queued job owned by `job.owner` (default nobody), with the SHA-256 of its file's bytes when known (handed
   * to its meeting when that is saved); INVALID_ARGUMENT when the id is taken.
   */
  insert(job: {
    id: string;
    file: string;
    settings: unknown;
    owner?: JobOwner | null;
    contentHash?: string | null;
  }): JobInfo {
    const id = requireString(job?.id, 'The job id');
    if (id.length === 0) throw invalid('The job id cannot be empty.');
    const file = requireString(job.file, 'The file of a job');
    const settings = toJson(job.settings ?? null, 'The job settings');
    if (this.selectJob.get(id)) throw invalid(`A job with id ${JSON.stringify(id)} already exists.`);
    const now = Date.now();
    const content_hash = job.contentHash ?? null;
    this.insertJob.run({ id, file, settings, now, content_hash, ...ownerParams(job.owner ?? null, now) });
    return this.get(id)!;
  }

  /** What already has this content: meetings (not deleted) and queued or running jobs; the meetings first. */
  withContent(contentHash: string): ContentMatch[] {
    return this.sameContent
      .all(contentHash, contentHash)
      .map((row) =>
        row.meeting_id !== null
          ? { meetingId: row.meeting_id, title: row.title ?? '' }
          : { meetingId: null, file: row.file ?? '' },
      );
  }

  /** Removes every finished job (done, failed or cancelled); returns how many. */
  clearFinished(): number {
    return this.deleteFinished.run().changes;
  }

  /** Changes some fields of a job and returns it; NOT_FOUND when there is no such job (or meeting it names). */
  update(id: string, patch: JobPatch): JobInfo {
    const row = typeof id === 'string' ? this.selectJob.get(id) : undefined;
    if (!row) throw notFound(id);
    const next = applyPatch(row, patch ?? {});
    if (
      next.meeting_id !== null &&
      next.meeting_id !== row.meeting_id &&
      !this.meetingExists.get(next.meeting_id)!.found
    ) {
      throw new FunscribeError('NOT_FOUND', 'The meeting this job should point to does not exist.');
    }
    next.updated_at = Math.max(Date.now(), row.updated_at);
    this.updateJob.run(next);
    return toJob(next);
  }

  /** One job, or null when there is none with that id. */
  get(id: string): JobInfo | null {
    const row = typeof id === 'string' ? this.selectJob.get(id) : undefined;
    return row ? toJob(row) : null;
  }

  /** The settings a job was queued with; NOT_FOUND when there is no such job. */
  settingsOf(id: string): unknown {
    const row = typeof id === 'string' ? this.selectSettings.get(id) : undefined;
    if (!row) throw notFound(id);
    return parseJson<unknown>(row.settings, null);
  }

  /** Jobs, oldest first, optionally only those with one of the given statuses. */
  list(filter: { statuses?: JobStatus[] } = {}): JobInfo[] {
    const statuses = filter.statuses;
    const rows = this.selectAll.all();
    return (statuses ? rows.filter((r) => statuses.includes(r.status)) : rows).map(toJob);
  }

  /** Queued and running jobs, oldest first, each with its owner. */
  active(): ActiveJob[] {
    return this.selectActive.all().map((row) => ({ job: toJob(row), owner: toOwner(row) }));
  }

  /**
   * Hands a queued or running job from the owner with token `from` (null: nobody) to `to` (null: nobody), in one
   * statement; false when the job is finished or someone else took it first.
   */
  claim(id: string, from: string | null, to: JobOwner | null): boolean {
    return this.claimJob.run({ id, from, ...ownerParams(to, Date.now()) }).changes > 0;
  }

  /** Makes `owner` the owner of a job, whoever owned it before (a job this process retries). */
  own(id: string, owner: JobOwner): void {
    this.setOwner.run({ id, ...ownerParams(owner, Date.now()) });
  }

  /** Renews the heartbeat of every queued or running job of the owner with this token. */
  heartbeat(token: string, now: number = Date.now()): void {
    this.beat.run(now, token);
  }

  /** Leaves the owner's queued jobs to nobody, so the next process that resumes jobs takes them at once. */
  release(token: string): void {
    this.releaseQueued.run(token);
  }

  /** Runs `work` in an immediate write transaction: it holds the write lock from its first read. */
  immediately<T>(work: () => T): T {
    return writeTransaction(this.db, work);
  }

  /** Removes a job; returns false when there was none with that id. */
  remove(id: string): boolean {
    return typeof id === 'string' && this.deleteJob.run(id).changes > 0;
  }
}
