// The one contract between the renderer and the main process: methods, events, results and channel names.
// The IPC router, the preload and the renderer are all typed from this file. It has no Node or Electron imports.
import type * as v from 'valibot';
import { errorParamsOf, type ErrorParams } from './error-codes.js';
import type {
  CaptionEngineStatus,
  EngineDownloadPlan,
  EngineProgress,
  EngineStatus,
} from './engine-types.js';
import type { HotwordImport } from './hotword-text.js';
import type {
  ApiArgs,
  ApiMethodName,
  ListMeetingsRequestSchema,
  StartRecordingOptionsSchema,
} from './schemas/api-args.js';
import type { AppSettingsSchema } from './schemas/settings.js';
import type {
  AddFilesResult,
  ErrorInfo,
  JobInfo,
  MeetingAudio,
  MeetingSummary,
  SearchResult,
  Segment,
  SegmentTokens,
  ServerTraits,
  SlimMeeting,
  SpeakerSummary,
  UndoableSpeakerEdit,
  VoiceprintInfo,
  WaveformPeaks,
} from './types.js';

/** A FunASR server the user already runs (e.g. a team GPU box), and how many files it takes at once. */
export type RemoteEngineSetting = AppSettings['remoteEngines'][number];

/** The user's settings, kept by the main process (see APP_SETTINGS_ENTRIES for what each one means). */
export type AppSettings = v.InferOutput<typeof AppSettingsSchema>;

/** Paging of the meeting list. */
export type ListMeetingsRequest = v.InferOutput<typeof ListMeetingsRequestSchema>;

/** A meeting rendered in one export format, ready to be saved under `fileName`. */
export interface ExportedMeeting {
  fileName: string;
  content: string;
}

/**
 * What a folder chosen as the data folder holds: a FunScribe library (opened as it is), nothing (the library is copied
 * there), something else (refused), or it is not writable or is (inside) the folder in use (refused).
 */
export type DataFolderKind = 'library' | 'empty' | 'not-library' | 'not-writable' | 'current';

/** A folder chosen as the data folder, and what it holds. */
export interface DataFolderCandidate {
  path: string;
  kind: DataFolderKind;
}

/** The library's folder, and the one chosen for the next start (FUNSCRIBE_DATA_DIR or --data-dir fix it instead). */
export interface DataFolderInfo {
  path: string;
  /** False when the folder is fixed by FUNSCRIBE_DATA_DIR or --data-dir (or this front end cannot choose one). */
  changeable: boolean;
  /** The folder the next start opens (or copies the library to), or null for no change. */
  next: DataFolderCandidate | null;
  /** Why the last change could not be made at start (the folder in use was kept), or null. */
  error: string | null;
}

/** A speaker-embedding model of the catalog and its state in this library. */
export interface SpeakerModelInfo {
  id: string;
  name: string;
  language: string;
  sizeBytes: number;
  installed: boolean;
  selected: boolean;
}

/** The speaker models, the one in use (null: voice statistics) and where downloads try first. */
export interface SpeakerModelList {
  selected: string | null;
  region: 'global' | 'cn';
  models: SpeakerModelInfo[];
}

/** Options of a recording started from the record screen (channels, live captions, transcribe when stopped). */
export type StartRecordingOptions = v.InferOutput<typeof StartRecordingOptionsSchema>;

/**
 * Where a recording's live captions are: not asked for ('off'), no 2pass server is running or listed ('unavailable'),
 * connecting to one, 'live', or the server dropped and the app is trying again ('reconnecting'; the recording goes on).
 */
export type CaptionState = 'off' | 'unavailable' | 'connecting' | 'live' | 'reconnecting';

/**
 * The system audio of a recording that main records from the monitor (Linux): the monitor stopped delivering ('lost':
 * the microphone goes on, the system audio is silence while main tries to record it again) or delivers again
 * ('restored'). It is live from the start (a start without it fails), so only changes are told.
 */
export type SystemAudioState = 'lost' | 'restored';

/** A recording in progress, as startRecording gives it. */
export interface RecordingInfo {
  id: string;
  /** Epoch ms. */
  startedAt: number;
  channels: 1 | 2;
  captions: CaptionState;
}

/** What the system allows for recording, and who records the system audio. */
export interface RecordingAccess {
  /**
   * True when main records the system audio of a two-channel recording itself (Linux: the PulseAudio/PipeWire
   * monitor, which Chromium does not offer as an input): the page then opens and sends the microphone alone, one
   * channel, for a recording started with channels: 2.
   */
  systemAudioInMain: boolean;
}

/** A recording that stopped: its length, its transcription job (null: record only, or nothing recorded), and why it
 * stopped early, if it did. */
export interface FinishedRecording {
  id: string;
  durationMs: number;
  jobId: string | null;
  error: ErrorInfo | null;
}

/** A kept recording that has no transcription yet (recorded with "transcribe later"), for the record screen's list. */
export interface RecordingSummary {
  id: string;
  /** The title its meeting will get ("Recording 2026-12-04 15.30"). */
  title: string;
  startedAt: number;
  durationMs: number;
  channels: 1 | 2;
  /** Its transcription job once one was asked for, else null. */
  jobId: string | null;
}

/** What the global shortcut ('toggle') or the tray menu ('start', 'stop') asks of the recorder. */
export interface RecordingToggleRequest {
  action: 'start' | 'stop' | 'toggle';
}

/** A caption sentence as the 2pass server re-decoded it (`2pass-offline`), with its time in the recording. */
export interface CaptionSentence {
  text: string;
  /** Ms from the start of the recording (audio sent, not wall time); null when the server gave no times. */
  startMs: number | null;
  endMs: number | null;
}

/** The live captions of a recording after one server reply: the provisional text since the last sentence, and a new
 * sentence when one closed (it replaces the provisional text it covers). */
export interface CaptionUpdate {
  recordingId: string;
  /** The `2pass-online` text of the sentence being spoken (grey on screen); '' after a sentence closed. */
  provisional: string;
  /** The `2pass-offline` sentence that closed with this reply, or null. */
  sentence: CaptionSentence | null;
}

/** The result of checking one FunASR engine with a tiny test transcription. */
export interface EngineHealthReport {
  /** The engine's id in the pool: the server address for a remote engine, `managed` for the managed one. */
  engineId: string;
  /** The address that was checked ('' when it could not be worked out). */
  url: string;
  ok: boolean;
  /** Round trip of the test transcription in milliseconds, when it worked. */
  latencyMs: number | null;
  /** The kind of server (offline or 2pass) and whether it gives token times, when the check worked. */
  server: ServerTraits | null;
  error: ErrorInfo | null;
  /** Epoch ms of the check. */
  checkedAt: number;
}

/**
 * What every method the renderer may call returns (over IPC, as a Promise). The arguments come from the method's
 * schema in schemas/api-args.ts; the comments name them.
 */
export interface ApiReturnMap {
  /** (request?: {limit, offset}) */
  listMeetings: MeetingSummary[];
  /** (meetingId): the meeting with its sentences without tokens (see getSegmentTokens). */
  getMeeting: SlimMeeting;
  /** (meetingId, segmentIds: at most 200): the tokens of those sentences of the meeting, in time order. */
  getSegmentTokens: SegmentTokens[];
  /** (meetingId): which audio the meeting plays (its copy, else its source file) and the media URL to load it from. */
  getMeetingAudio: MeetingAudio;
  /** (meetingId): the waveform of the meeting's audio (computed once, then read from the cache). */
  getWaveformPeaks: WaveformPeaks;
  /** (meetingId, title) */
  renameMeeting: void;
  /** (meetingId): hides the meeting at once and purges it with its audio files once the undo window has passed. */
  deleteMeeting: void;
  /** (request: SearchRequest): a page of hits (titles, speakers, sentences) and their total */
  search: SearchResult;
  /** (meetingId, format) */
  exportMeeting: ExportedMeeting;
  /** (paths: absolute file or folder paths, options?: batch options): folders give their audio and video files */
  addFiles: AddFilesResult;
  listJobs: JobInfo[];
  /** Removes the finished jobs (done, failed, cancelled) from the list; returns how many. */
  clearFinishedJobs: number;
  /** (jobId) */
  cancelJob: void;
  /** (jobId) */
  retryJob: JobInfo;
  getSettings: AppSettings;
  /** (patch: some settings) */
  setSettings: AppSettings;
  engineStatus: EngineStatus;
  /** Starts the managed engine and resolves once it is ready; a call while a start is in flight joins it. */
  startEngine: EngineStatus;
  /** Stops the managed engine, cancelling a start in flight. */
  stopEngine: EngineStatus;
  /** (tail): the last `tail` (1–2000) lines of the managed engine's log. */
  engineLogs: string[];
  /** Checks every engine of the current mode (in managed mode this starts the managed engine when needed). */
  checkEngines: EngineHealthReport[];
  /** (gpu): runs the managed engine's NVIDIA GPU image (true) or its CPU image from the next start on. */
  setEngineGpu: EngineStatus;
  /** What starting the managed engine will download (image and model sizes), before it starts; needs Docker. */
  engineDownloadPlan: EngineDownloadPlan;
  /** The live-caption engine (the 2pass image in a container of its own, next to the managed engine). */
  captionEngineStatus: CaptionEngineStatus;
  /**
   * Starts the live-caption engine and resolves once it is ready (progress as `caption-engine:progress`); starts nothing
   * when the main engine runs the 2pass kind and is ready, as it serves the captions (`servedByMain`).
   */
  startCaptionEngine: CaptionEngineStatus;
  /** Stops the live-caption engine (cancelling a start in flight); the managed engine keeps running. */
  stopCaptionEngine: CaptionEngineStatus;
  /** What starting the live-caption engine will download, before it starts; needs Docker. */
  captionEngineDownloadPlan: EngineDownloadPlan;
  /** (text): reads FunASR's `phrase weight` hotword text with the server's limits; bad lines come back by number. */
  importHotwords: HotwordImport;
  /** Where this library lives, for the settings to show (it is chosen at start, see util/data-dir.ts). */
  dataFolder: DataFolderInfo;
  /** Opens a folder dialog; the folder picked and what it holds (null when cancelled). Not saved until confirmed. */
  pickDataFolder: DataFolderCandidate | null;
  /** Makes the folder picked last the data folder from the next start on (refused unless a library or empty). */
  confirmDataFolder: DataFolderInfo;
  /** Drops a change of the data folder not made yet: the next start keeps the folder in use. */
  cancelDataFolderChange: DataFolderInfo;
  /** The speaker-embedding models of the catalog, which are installed, the one in use and the download region. */
  listSpeakerModels: SpeakerModelList;
  /** (modelId): downloads and verifies a model unless installed (progress as `speaker-model:progress`). */
  downloadSpeakerModel: SpeakerModelList;
  /** (meetingId): the speakers of a meeting with their talk time and any name suggested from a remembered voice. */
  listSpeakers: SpeakerSummary[];
  /** (meetingId, count): re-clusters the stored voice analysis into `count` speakers (null: automatic; undoable). */
  relabelSpeakers: UndoableSpeakerEdit;
  /**
   * (meetingId, speakerId, name, rememberVoice): names a speaker for the whole meeting ('' gives back the label);
   * `rememberVoice` keeps a voiceprint (consent).
   */
  renameSpeaker: SpeakerSummary[];
  /** (meetingId, fromSpeakerId, intoSpeakerId): gives all of one speaker's sentences to another (undoable). */
  mergeSpeakers: UndoableSpeakerEdit;
  /** (meetingId, segmentId, toSpeakerId | 'new'): gives one sentence to another speaker, or to a new one (undoable). */
  moveSegment: UndoableSpeakerEdit;
  /** (meetingId, snapshotId): undoes a merge, move or re-count: speakers and sentences as they were before it. */
  restoreSpeakerState: SpeakerSummary[];
  /** (meetingId, segmentId, text): corrects a sentence's text (the recognised text is kept); returns the sentence. */
  editSegmentText: Segment;
  /** (meetingId): brings back a meeting deleted less than the undo window ago. */
  restoreMeeting: void;
  /** Every remembered voice. */
  listVoiceprints: VoiceprintInfo[];
  /** (voiceprintId): deletes a remembered voice (and the suggestions it made). */
  forgetVoiceprint: VoiceprintInfo[];
  /** (options): starts a recording; its journal is on disk before this resolves. */
  startRecording: RecordingInfo;
  /**
   * (recordingId, seq, pcm): appends one chunk of 16 kHz s16le interleaved frames (numbered from 0; a repeated
   * number is ignored). A full disk stops the recording and fails with DISK_FULL; what was recorded is kept.
   */
  appendRecording: void;
  /** (recordingId): stops the recording, keeps it, and queues its transcription unless it was record-only. */
  stopRecording: FinishedRecording;
  /** The kept recordings that wait to be transcribed ("transcribe later"), newest first. */
  listRecordings: RecordingSummary[];
  /** (recordingId): queues the transcription of a kept recording (the job it has, if it has one). */
  transcribeRecording: JobInfo;
  /** (recordingId): the caption sentences stored with the recording, in order. */
  getRecordingCaptions: CaptionSentence[];
  /**
   * (systemAudio): call before capture starts. Resolves when the system lets FunScribe record the microphone (macOS
   * asks the user the first time) and, when `systemAudio`, what the computer plays; fails with MICROPHONE_DENIED or
   * SYSTEM_AUDIO_DENIED, whose wording names the system setting to change. Says who records the system audio.
   */
  requestRecordingAccess: RecordingAccess;
}

/** Every event the main process pushes to the renderer, with its payload. */
export interface ApiEventMap {
  'job:update': JobInfo;
  'library:changed': { meetingId: number };
  /** A deleted meeting's undo window passed: it and its audio files are gone for good. */
  'meeting:purged': { meetingId: number };
  'engine:status': EngineStatus;
  /** Progress of a start asked for through `startEngine`: image pull, model downloads, loading. */
  'engine:progress': EngineProgress;
  /** The live-caption engine's status changes (as `engine:status` is the managed engine's). */
  'caption-engine:status': EngineStatus;
  /** Progress of a start asked for through `startCaptionEngine` (as `engine:progress` is of `startEngine`). */
  'caption-engine:progress': EngineProgress;
  /** Progress of a download asked for through `downloadSpeakerModel`. */
  'speaker-model:progress': { modelId: string; doneBytes: number; totalBytes: number };
  /** A live-caption reply of a recording in progress. */
  'recording:caption': CaptionUpdate;
  /** A recording's live captions changed state (with the reason when they are off or reconnecting). */
  'recording:captions-state': { recordingId: string; state: CaptionState; error: ErrorInfo | null };
  /** The global shortcut or the tray menu asks to start, stop, or toggle a recording (the record store decides). */
  'recording:toggle-request': RecordingToggleRequest;
  /** Main lost or got back the system audio it records (with why it was lost: ffmpeg's last words, in English). */
  'recording:system-audio': { recordingId: string; state: SystemAudioState; reason: string | null };
  /** The peak (0..1) of the system audio main recorded in the last ~100 ms; at most 10 a second. */
  'recording:system-audio-level': { recordingId: string; level: number };
}

export type { ApiArgs, ApiMethodName };

/** An event name of the contract. */
export type ApiEventName = keyof ApiEventMap;

/** The result of one method. */
export type ApiReturn<K extends ApiMethodName> = ApiReturnMap[K];

/** A result as data, so that errors cross the process boundary with their code intact. */
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ErrorInfo };

/** What the main process implements: one async function per method, given already validated arguments. */
export type ApiHandlers = { [K in ApiMethodName]: (...args: ApiArgs<K>) => Promise<ApiReturn<K>> };

/** The renderer's view of the API: the same methods, failing with an `ApiError`. */
export type ApiClient = ApiHandlers;

/** Removes an event listener. */
export type Unsubscribe = () => void;

/**
 * `window.funscribe` as the preload exposes it. Methods resolve to `ApiResult` data rather than rejecting,
 * because Electron's contextBridge copies only the message of an Error and would drop its `code`.
 */
export type FunscribeBridge = {
  [K in ApiMethodName]: (...args: ApiArgs<K>) => Promise<ApiResult<ApiReturn<K>>>;
} & {
  on<E extends ApiEventName>(event: E, listener: (payload: ApiEventMap[E]) => void): Unsubscribe;
  /** The file-system path of a dropped or picked file (Electron ≥32 has no `File.path`). */
  pathForFile(file: File): string;
};

const METHOD_NAMES: { readonly [K in ApiMethodName]: K } = {
  listMeetings: 'listMeetings',
  getMeeting: 'getMeeting',
  getSegmentTokens: 'getSegmentTokens',
  getMeetingAudio: 'getMeetingAudio',
  getWaveformPeaks: 'getWaveformPeaks',
  renameMeeting: 'renameMeeting',
  deleteMeeting: 'deleteMeeting',
  search: 'search',
  exportMeeting: 'exportMeeting',
  addFiles: 'addFiles',
  listJobs: 'listJobs',
  clearFinishedJobs: 'clearFinishedJobs',
  cancelJob: 'cancelJob',
  retryJob: 'retryJob',
  getSettings: 'getSettings',
  setSettings: 'setSettings',
  engineStatus: 'engineStatus',
  startEngine: 'startEngine',
  stopEngine: 'stopEngine',
  engineLogs: 'engineLogs',
  checkEngines: 'checkEngines',
  engineDownloadPlan: 'engineDownloadPlan',
  setEngineGpu: 'setEngineGpu',
  captionEngineStatus: 'captionEngineStatus',
  startCaptionEngine: 'startCaptionEngine',
  stopCaptionEngine: 'stopCaptionEngine',
  captionEngineDownloadPlan: 'captionEngineDownloadPlan',
  importHotwords: 'importHotwords',
  dataFolder: 'dataFolder',
  pickDataFolder: 'pickDataFolder',
  confirmDataFolder: 'confirmDataFolder',
  cancelDataFolderChange: 'cancelDataFolderChange',
  listSpeakerModels: 'listSpeakerModels',
  downloadSpeakerModel: 'downloadSpeakerModel',
  listSpeakers: 'listSpeakers',
  relabelSpeakers: 'relabelSpeakers',
  renameSpeaker: 'renameSpeaker',
  mergeSpeakers: 'mergeSpeakers',
  moveSegment: 'moveSegment',
  listVoiceprints: 'listVoiceprints',
  forgetVoiceprint: 'forgetVoiceprint',
  restoreSpeakerState: 'restoreSpeakerState',
  editSegmentText: 'editSegmentText',
  restoreMeeting: 'restoreMeeting',
  startRecording: 'startRecording',
  appendRecording: 'appendRecording',
  stopRecording: 'stopRecording',
  listRecordings: 'listRecordings',
  transcribeRecording: 'transcribeRecording',
  getRecordingCaptions: 'getRecordingCaptions',
  requestRecordingAccess: 'requestRecordingAccess',
};

const EVENT_NAMES: { readonly [E in ApiEventName]: E } = {
  'job:update': 'job:update',
  'library:changed': 'library:changed',
  'meeting:purged': 'meeting:purged',
  'engine:status': 'engine:status',
  'engine:progress': 'engine:progress',
  'caption-engine:status': 'caption-engine:status',
  'caption-engine:progress': 'caption-engine:progress',
  'speaker-model:progress': 'speaker-model:progress',
  'recording:caption': 'recording:caption',
  'recording:captions-state': 'recording:captions-state',
  'recording:toggle-request': 'recording:toggle-request',
  'recording:system-audio': 'recording:system-audio',
  'recording:system-audio-level': 'recording:system-audio-level',
};

/** All method names, in a stable order. */
export const API_METHODS: readonly ApiMethodName[] = Object.freeze(Object.values(METHOD_NAMES));

/** All event names. */
export const API_EVENTS: readonly ApiEventName[] = Object.freeze(Object.values(EVENT_NAMES));

/** The IPC channel that carries calls of one method. */
export function methodChannel(method: ApiMethodName): string {
  return `funscribe:call:${method}`;
}

/** The IPC channel that carries one event. */
export function eventChannel(event: ApiEventName): string {
  return `funscribe:event:${event}`;
}

/** True when `name` is a method of the contract. */
export function isApiMethod(name: unknown): name is ApiMethodName {
  return typeof name === 'string' && Object.hasOwn(METHOD_NAMES, name);
}

/** True when `name` is an event of the contract. */
export function isApiEvent(name: unknown): name is ApiEventName {
  return typeof name === 'string' && Object.hasOwn(EVENT_NAMES, name);
}

/** The error the renderer sees when a call fails: the main process's message plus its stable `code`. */
export class ApiError extends Error {
  readonly code: string;
  /** The error's parameters, kept only when they are a small flat record of text and numbers. */
  readonly params: ErrorParams | undefined;

  constructor(info: ErrorInfo) {
    super(info.message);
    this.name = 'ApiError';
    this.code = info.code;
    this.params = errorParamsOf(info.params);
  }
}

/** Returns the value of an `ApiResult`, or throws its error as an `ApiError`. */
export function unwrapResult<T>(result: ApiResult<T>): T {
  if (result.ok) return result.value;
  throw new ApiError(result.error);
}
