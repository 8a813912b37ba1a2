// A real job pipeline for the engine-pool tests and the engine benchmark: SQLite library, job queue, runner, pool.
import type Database from 'better-sqlite3';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { JobInfo } from '../../../src-shared/types.js';
import type { NewMeeting } from '../../../src-main/store/new-meeting.js';
import { locateFfmpeg, type FfmpegTools } from '../../../src-main/audio/ffmpeg-locate.js';
import type { EnginePool } from '../../../src-main/engine/pool/engine-pool.js';
import { JobQueue } from '../../../src-main/jobs/queue.js';
import {
  createTranscriptionRunner,
  type TranscribeRetry,
} from '../../../src-main/jobs/transcription-runner.js';
import { openDatabase } from '../../../src-main/store/database.js';
import { JobRepository } from '../../../src-main/store/jobs-repo.js';
import { MeetingRepository } from '../../../src-main/store/meetings-repo.js';

/** A running pipeline and what it recorded. */
export interface Pipeline {
  queue: JobQueue;
  jobs: JobRepository;
  meetings: MeetingRepository;
  audioDir: string;
  /** Every job update, in order. */
  updates: JobInfo[];
  /** Every retry the runner announced. */
  retries: TranscribeRetry[];
  close(): Promise<void>;
}

/** Builds the pipeline in `dataDir` the way the services do, with `pool` for jobs that name no server. */
export async function startPipeline(dataDir: string, pool: EnginePool | undefined): Promise<Pipeline> {
  const audioDir = join(dataDir, 'audio');
  await mkdir(audioDir, { recursive: true });
  const db: Database.Database = openDatabase(join(dataDir, 'library.sqlite'));
  const jobs = new JobRepository(db);
  const meetings = new MeetingRepository(db);
  const saveJobMeeting = db.transaction((jobId: string, meeting: NewMeeting): number => {
    const saved = meetings.create(meeting);
    jobs.update(jobId, { meetingId: saved.id });
    return saved.id;
  });
  let tools: Promise<FfmpegTools> | null = null;
  const retries: TranscribeRetry[] = [];
  const run = createTranscriptionRunner({
    ffmpeg: () => (tools ??= locateFfmpeg()),
    audioDir,
    saveJobMeeting,
    pool,
    onRetry: (retry) => retries.push(retry),
  });
  const queue = new JobQueue({ jobs, run, concurrency: 2 });
  const updates: JobInfo[] = [];
  queue.onUpdate((job) => updates.push(job));
  return {
    queue,
    jobs,
    meetings,
    audioDir,
    updates,
    retries,
    async close() {
      await queue.close();
      db.close();
    },
  };
}

/** How many times a job entered the decode stage (ffmpeg runs once per entry). */
export function decodeEntries(updates: readonly JobInfo[], jobId: string): number {
  let entries = 0;
  let previous: string | null = null;
  for (const job of updates) {
    if (job.id !== jobId) continue;
    if (job.stage === 'decode' && previous !== 'decode') entries += 1;
    previous = job.stage;
  }
  return entries;
}
