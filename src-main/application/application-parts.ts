// What the application service works on: the library's repositories, the job queue and the engines, as the
// composition root (services.ts) builds them. Defined here so that the application never imports the root.
import type { AppSettings } from '../../src-shared/contract.js';
import type { FfmpegTools } from '../audio/ffmpeg-locate.js';
import type { EngineManager } from '../engine/engine-manager.js';
import type { EnginePool } from '../engine/pool/engine-pool.js';
import type { JobQueue } from '../jobs/queue.js';
import type { CaptionStarter, LiveRecordings } from '../recording/live-recordings.js';
import type { AppSettingsStore } from '../settings/app-settings.js';
import type { SpeakerEdits } from '../speakers/edits/speaker-edits.js';
import type { SpeakerModelEntry } from '../speakers/models/model-catalog.js';
import type { JobRepository } from '../store/jobs-repo.js';
import type { MeetingRepository } from '../store/meetings-repo.js';
import type { RecordingRepository } from '../store/recordings-repo.js';
import type { SearchService } from '../store/search.js';
import type { FunscribeError } from '../util/errors.js';

/** How a front end lets the user choose the data folder: the location file and a folder dialog. */
export interface DataFolderChoice {
  /** The location file the next start reads (see util/data-dir.ts). */
  locationFile: string;
  /** Asks the user for a folder (the desktop app's native dialog); null when cancelled. */
  pickFolder(): Promise<string | null>;
  /** Path of the better-sqlite3 addon (to recognise a library in the folder picked). */
  nativeBinding?: string;
}

/** The parts of one opened library and its engines that the application service uses. */
export interface ApplicationParts {
  /** The library folder (the library file, the audio copies, the backups). */
  dataDir: string;
  meetings: MeetingRepository;
  search: SearchService;
  jobs: JobRepository;
  /** The recordings and their journals' state (in progress, finished, recovered). */
  recordings: RecordingRepository;
  /** The recordings this process is making (the library's close stops and keeps them). */
  liveRecordings: LiveRecordings;
  /** Starts the live captions of a recording (the command line's `record --live`; the app's go through liveRecordings). */
  startCaptions: CaptionStarter;
  settings: AppSettingsStore;
  queue: JobQueue;
  /** The FunASR container FunScribe manages (Docker is only contacted when it is used). */
  engine: EngineManager;
  /** The live-caption (2pass) container FunScribe manages next to `engine` (see engine/caption-engine.ts). */
  captionEngine: EngineManager;
  /** The FunASR engines for jobs that name no server: the managed one or the remote ones, from the settings. */
  pool: EnginePool;
  /** Re-labelling, renaming, merging and moving speakers, and voiceprints. */
  speakerEdits: SpeakerEdits;
  /** Finds ffmpeg (once; FFMPEG_NOT_FOUND when there is none). */
  ffmpeg(): Promise<FfmpegTools>;
  /** How long a meeting deleted from the page can be restored (default MEETING_UNDO_WINDOW_MS; tests shorten it). */
  meetingUndoWindowMs?: number;
  /** Where speaker-embedding models are installed. */
  speakerModelsDir: string;
  /** The speaker models offered (SPEAKER_MODELS; tests offer models a local server serves). */
  speakerModels: readonly SpeakerModelEntry[];
  /** Validates and saves a settings change and applies it to the queue and the engine pool. */
  updateSettings(patch: unknown): AppSettings;
  /** Why the library takes no writes (it was found damaged when it was opened), or null when it does. */
  writeRefusal(): FunscribeError | null;
  /** How the user chooses another data folder (set by the desktop app and by tests); absent: the folder is fixed. */
  dataFolderChoice?: DataFolderChoice;
}
