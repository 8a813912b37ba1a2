// The services behind every front end (Electron IPC, the CLI, the browser test bridge), built from one data directory.
import type Database from 'better-sqlite3';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { NewMeeting } from './api/types.js';
import { locateFfmpeg, type FfmpegTools } from './audio/ffmpeg-locate.js';
import { JobQueue } from './jobs/queue.js';
import { createTranscriptionRunner } from './jobs/transcription-runner.js';
import { AppSettingsStore } from './settings/app-settings.js';
import { openDatabase } from './store/database.js';
import { JobRepository } from './store/jobs-repo.js';
import { MeetingRepository } from './store/meetings-repo.js';
import { SearchService } from './store/search.js';
import { SettingsRepository } from './store/settings-repo.js';

/** Everything the front ends use. */
export interface Services {
  dataDir: string;
  db: Database.Database;
  meetings: MeetingRepository;
  search: SearchService;
  jobs: JobRepository;
  settings: AppSettingsStore;
  queue: JobQueue;
  /** Stops running jobs (they resume at the next start) and closes the database. */
  close(): Promise<void>;
}

/** Options for building the services. */
export interface ServicesOptions {
  dataDir: string;
  /** Path of a better-sqlite3 addon built for this runtime (the Electron app in development). */
  nativeBinding?: string;
  /** Re-queue jobs a previous run left unfinished (the desktop app does; one-shot CLI commands do not). */
  resumeJobs?: boolean;
}

/** The library file inside the data directory. */
export const DATABASE_FILE = 'library.sqlite';

/** Opens the library in `dataDir` and wires the repositories, the job queue and the pipeline together. */
export async function createServices(options: ServicesOptions): Promise<Services> {
  const audioDir = join(options.dataDir, 'audio');
  await mkdir(audioDir, { recursive: true });
  const db = openDatabase(join(options.dataDir, DATABASE_FILE), { nativeBinding: options.nativeBinding });
  const meetings = new MeetingRepository(db);
  const jobs = new JobRepository(db);
  const settings = new AppSettingsStore(new SettingsRepository(db));
  const saveJobMeeting = db.transaction((jobId: string, meeting: NewMeeting): number => {
    const saved = meetings.create(meeting);
    jobs.update(jobId, { meetingId: saved.id });
    return saved.id;
  });
  let ffmpeg: Promise<FfmpegTools> | null = null;
  const findFfmpeg = (): Promise<FfmpegTools> => {
    ffmpeg ??= locateFfmpeg().catch((error: unknown) => {
      ffmpeg = null;
      throw error;
    });
    return ffmpeg;
  };
  const queue = new JobQueue({
    jobs,
    concurrency: settings.get().concurrency,
    run: createTranscriptionRunner({ ffmpeg: findFfmpeg, audioDir, saveJobMeeting }),
  });
  if (options.resumeJobs) queue.resumeInterrupted();
  return {
    dataDir: options.dataDir,
    db,
    meetings,
    search: new SearchService(db),
    jobs,
    settings,
    queue,
    async close() {
      await queue.close();
      db.close();
    },
  };
}
