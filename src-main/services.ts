// The services behind every front end (Electron IPC, the CLI, the browser test bridge), built from one data directory.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppSettings } from '../src-shared/contract.js';
import type { ApplicationParts } from './application/application-parts.js';
import { libraryFileOf } from './application/library-maintenance.js';
import { audioDirOf } from './audio/audio-files.js';
import { peaksDirOf } from './audio/peaks-cache.js';
import { locateFfmpeg, type FfmpegTools } from './audio/ffmpeg-locate.js';
import { connectDocker } from './engine/docker-connection.js';
import { DockerEngine } from './engine/docker-engine.js';
import { createCaptionEngine, managedCaptionServer, startingTwoPass } from './engine/caption-engine.js';
import { EngineManager, type EngineManagerOptions } from './engine/engine-manager.js';
import { EngineSettingsStore } from './engine/engine-settings.js';
import { EnginePool } from './engine/pool/engine-pool.js';
import { managedPoolEngine } from './engine/pool/managed-pool-engine.js';
import type { PoolEngine } from './engine/pool/pool-types.js';
import { settleAbandonedJobs } from './jobs/abandoned-jobs.js';
import { JobQueue } from './jobs/queue.js';
import { createTranscriptionRunner, type TranscribeRetry } from './jobs/transcription-runner.js';
import { AppSettingsStore } from './settings/app-settings.js';
import { startRollingBackup } from './store/backups.js';
import { openDatabase } from './store/database.js';
import { JobRepository } from './store/jobs-repo.js';
import { MeetingRepository } from './store/meetings-repo.js';
import { RecordingRepository } from './store/recordings-repo.js';
import { findCaptionServer } from './recording/caption-server.js';
import { captionStarter } from './recording/live-captions.js';
import { LiveRecordings } from './recording/live-recordings.js';
import { recoverRecordings, type RecoveredRecording } from './recording/recovery.js';
import { upgradeLegacyAudio } from './store/legacy-audio.js';
import type { NewMeeting } from './store/new-meeting.js';
import { startAudioSweep, startCacheSweep } from './store/orphan-sweep.js';
import { SearchService } from './store/search.js';
import { SettingsRepository } from './store/settings-repo.js';
import { speakerLibrary } from './store/speaker-library.js';
import { writeRefusal, writeTransaction } from './store/write-transaction.js';
import { SpeakerEdits } from './speakers/edits/speaker-edits.js';
import { jobSpeakerModel } from './speakers/models/job-model.js';
import { SPEAKER_MODELS, type SpeakerModelEntry } from './speakers/models/model-catalog.js';
import { modelWindowEmbedder } from './speakers/labelling/model-windows.js';
import type { WorkerLauncher } from './speakers/embedding/worker-process.js';

/** One opened library and its engines: the parts the application service works on, and closing them. */
export interface Services extends ApplicationParts {
  /** The recordings this start found interrupted and recovered (each with its transcription job queued). */
  recoveredRecordings: RecoveredRecording[];
  /** Stops running jobs (they resume at the next start) and closes the database. */
  close(): Promise<void>;
}

/** Options for building the services. */
export interface ServicesOptions {
  dataDir: string;
  /** Path of a better-sqlite3 addon built for this runtime (the Electron app in development). */
  nativeBinding?: string;
  /** How the speaker-model worker is started (the app's RunAsNode fuse is off, so it uses a utility process). */
  launchWorker?: WorkerLauncher;
  /**
   * Re-queue the jobs a stopped process left unfinished (the desktop app does). Without it (one-shot CLI commands),
   * the jobs of a killed process are marked failed (INTERRUPTED) instead; a live process's jobs are never touched.
   * The long-running app also replaces, in the background, the raw PCM audio of meetings from before audio copies.
   */
  resumeJobs?: boolean;
  /** Follow Docker events for the managed engines (the long-running desktop app does). */
  watchEngine?: boolean;
  /** Environment (DOCKER_HOST, image overrides, FUNSCRIBE_ENGINE_INSTANCE); default process.env. */
  env?: NodeJS.ProcessEnv;
  /** Told each time a job's transcription is tried again after a connection failure (for logs and tests). */
  onTranscribeRetry?: (retry: TranscribeRetry) => void;
  /**
   * Main records the system audio of two-channel recordings itself, from the PulseAudio/PipeWire monitor (the desktop
   * app on Linux, where Chromium does not offer monitors as inputs); the page then sends the microphone alone.
   */
  systemAudioFromMonitor?: boolean;
  /** The speaker models offered (default SPEAKER_MODELS; tests offer models a local HTTP server serves). */
  speakerModelCatalog?: readonly SpeakerModelEntry[];
}

/** The engines the pool uses for the given settings. */
export function poolEngines(settings: AppSettings, engine: EngineManager): PoolEngine[] {
  if (settings.engineMode === 'managed') return [managedPoolEngine(engine, settings.concurrency)];
  return settings.remoteEngines.map(({ url, concurrency }) => ({
    id: url,
    url,
    concurrency,
    allowSelfSignedTls: settings.allowSelfSignedTls,
  }));
}

/** Opens the library in `dataDir` and wires the repositories, the job queue and the pipeline together. */
export async function createServices(options: ServicesOptions): Promise<Services> {
  const audioDir = audioDirOf(options.dataDir);
  await mkdir(audioDir, { recursive: true });
  const db = openDatabase(libraryFileOf(options.dataDir), { nativeBinding: options.nativeBinding });
  const backup = startRollingBackup(db, options.dataDir, { nativeBinding: options.nativeBinding });
  const meetings = new MeetingRepository(db);
  const jobs = new JobRepository(db);
  const recordings = new RecordingRepository(db, jobs);
  const settingsRepo = new SettingsRepository(db);
  const settings = new AppSettingsStore(settingsRepo);
  const env = options.env ?? process.env;
  const speakerEdits = new SpeakerEdits(speakerLibrary(db));
  const speakerModelsDir = join(options.dataDir, 'models', 'speaker');
  const speakerModels = options.speakerModelCatalog ?? SPEAKER_MODELS;
  const saveJobMeeting = (jobId: string, meeting: NewMeeting): number =>
    writeTransaction(db, () => {
      const saved = meetings.create(meeting);
      jobs.update(jobId, { meetingId: saved.id });
      speakerEdits.suggestNames(saved.id);
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
  const pool = new EnginePool();
  // The managed engine for batches that ask for it while the settings send files to remote servers.
  const managedPool = new EnginePool();
  const queue = new JobQueue({
    jobs,
    concurrency: settings.get().concurrency,
    run: createTranscriptionRunner({
      ffmpeg: findFfmpeg,
      audioDir,
      keepAudioCopies: () => settings.get().keepAudioCopies,
      onAudioCopyFailed: ({ error }) =>
        console.warn(`FunScribe: a meeting was saved without its audio copy: ${error.message}`),
      saveJobMeeting,
      pool,
      managedPool: () => (settings.get().engineMode === 'managed' ? pool : managedPool),
      onRetry: options.onTranscribeRetry,
      embedWithModel: modelWindowEmbedder(
        jobSpeakerModel(speakerModelsDir, () => settings.get(), { catalog: speakerModels }),
        undefined,
        options.launchWorker,
      ),
    }),
  });
  const engineOptions: EngineManagerOptions = {
    engine: new DockerEngine(connectDocker(env)),
    settings: new EngineSettingsStore(settingsRepo),
    dataDir: options.dataDir,
    instance: env.FUNSCRIBE_ENGINE_INSTANCE || undefined,
    env,
  };
  const engine = new EngineManager({
    ...engineOptions,
    canRestart: () => queue.list().every((job) => job.status !== 'running'),
  });
  const captionEngine = createCaptionEngine({
    ...engineOptions,
    // A periodic restart would cut the captions of a recording in progress.
    canRestart: () => recordings.inProgress().length === 0,
  });
  const findServer = (signal: AbortSignal, preferredUrl: string | null) =>
    findCaptionServer(
      {
        managed: async () => (await managedCaptionServer({ engine, captionEngine }))?.url ?? null,
        managedStarting: () => startingTwoPass(engine) || startingTwoPass(captionEngine),
        remotes: () => settings.get().remoteEngines.map((remote) => remote.url),
        allowSelfSignedTls: () => settings.get().allowSelfSignedTls,
      },
      signal,
      preferredUrl,
    );
  const startCaptions = captionStarter({ recordings, findServer });
  const liveRecordings = new LiveRecordings({
    dataDir: options.dataDir,
    recordings,
    queue,
    startCaptions,
    monitorFfmpeg: options.systemAudioFromMonitor ? async () => (await findFfmpeg()).ffmpeg : undefined,
  });
  pool.setEngines(poolEngines(settings.get(), engine));
  managedPool.setEngines([managedPoolEngine(engine, settings.get().concurrency)]);
  const watching = options.watchEngine ? [engine.watch(), captionEngine.watch()] : [];
  const stopWatching = (): void => watching.forEach((stop) => stop());
  // Before the jobs are resumed: a recovered recording's job belongs to nobody, so the app takes it up at once.
  const recoveredRecordings = await recoverRecordings(
    { dataDir: options.dataDir, recordings },
    (path, error) =>
      console.warn(`FunScribe: the interrupted recording ${path} is not recovered yet: ${error.message}`),
  );
  if (options.resumeJobs) queue.resumeInterrupted();
  else await settleAbandonedJobs(queue, jobs, audioDir);
  const sweeping = Promise.all([
    startAudioSweep(audioDir, meetings, jobs),
    startCacheSweep(peaksDirOf(options.dataDir), meetings),
  ]);
  const stopUpgrade = new AbortController();
  const upgrading = options.resumeJobs
    ? sweeping.then(() =>
        upgradeLegacyAudio({
          meetings,
          audioDir,
          ffmpeg: findFfmpeg,
          keepAudioCopies: () => settings.get().keepAudioCopies,
          signal: stopUpgrade.signal,
        }),
      )
    : null;
  return {
    dataDir: options.dataDir,
    meetings,
    search: new SearchService(db),
    jobs,
    recordings,
    liveRecordings,
    startCaptions,
    recoveredRecordings,
    settings,
    queue,
    engine,
    captionEngine,
    pool,
    speakerEdits,
    speakerModelsDir,
    speakerModels,
    ffmpeg: findFfmpeg,
    writeRefusal: () => writeRefusal(db),
    updateSettings(patch) {
      const next = settings.update(patch);
      queue.setConcurrency(next.concurrency);
      pool.setEngines(poolEngines(next, engine));
      managedPool.setEngines([managedPoolEngine(engine, next.concurrency)]);
      return next;
    },
    async close() {
      stopWatching();
      // Before the queue closes: each recording is kept and its job queued, which the next start takes up.
      await liveRecordings.stopAll();
      await queue.close();
      pool.close();
      managedPool.close();
      stopUpgrade.abort();
      await sweeping;
      await upgrading;
      await backup.stop();
      db.close();
    },
  };
}
