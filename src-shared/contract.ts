// The one contract between the renderer and the main process: methods, events, results and channel names.
// The IPC router, the preload and the renderer are all typed from this file. It has no Node or Electron imports.
import type { EngineProgress, EngineStatus } from './engine-types.js';
import type {
  ErrorInfo,
  ExportFormat,
  Hotword,
  JobInfo,
  Meeting,
  MeetingSummary,
  SearchHit,
  SearchRequest,
  ServerTraits,
  SpeakerSetting,
  SpeakerSummary,
  VoiceprintInfo,
} from './types.js';

/** A FunASR server the user already runs (e.g. a team GPU box), and how many files it takes at once. */
export interface RemoteEngineSetting {
  /** Its websocket address, e.g. `ws://gpu-box:10095`. */
  url: string;
  concurrency: number;
}

/** The user's settings, kept by the main process. */
export interface AppSettings {
  /** `managed`: FunScribe runs FunASR in Docker; `remote`: files go to the servers in `remoteEngines`. */
  engineMode: 'managed' | 'remote';
  remoteEngines: RemoteEngineSetting[];
  /** Inverse text normalisation: "一百" becomes "100". */
  itn: boolean;
  hotwords: Hotword[];
  /** How many transcription jobs run at the same time. */
  concurrency: number;
  /** Accept a self-signed certificate on a remote `wss://` server. */
  allowSelfSignedTls: boolean;
  /** How new transcripts label speakers (see SpeakerSetting). */
  speakers: SpeakerSetting;
  /** The speaker-embedding model to label voices with (downloaded on first use), or null for MFCC statistics. */
  speakerModel: string | null;
  /** Where model downloads try first: 'cn' puts the mainland-China mirrors (ModelScope, hf-mirror) first. */
  modelRegion: 'global' | 'cn';
  /** Keep a compact copy (Opus) of each new meeting's audio for playback in the library; off: no audio is kept. */
  keepAudioCopies: boolean;
}

/** Paging of the meeting list. */
export interface ListMeetingsRequest {
  limit?: number;
  offset?: number;
}

/** A meeting rendered in one export format, ready to be saved under `fileName`. */
export interface ExportedMeeting {
  fileName: string;
  content: string;
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

/** Every method the renderer may call, as plain signatures; over IPC each one returns a Promise. */
export interface ApiMethodMap {
  listMeetings: (request?: ListMeetingsRequest) => MeetingSummary[];
  getMeeting: (id: number) => Meeting;
  renameMeeting: (id: number, title: string) => void;
  deleteMeeting: (id: number) => void;
  search: (request: SearchRequest) => SearchHit[];
  exportMeeting: (id: number, format: ExportFormat) => ExportedMeeting;
  addFiles: (paths: string[]) => JobInfo[];
  listJobs: () => JobInfo[];
  cancelJob: (id: string) => void;
  retryJob: (id: string) => JobInfo;
  getSettings: () => AppSettings;
  setSettings: (patch: Partial<AppSettings>) => AppSettings;
  engineStatus: () => EngineStatus;
  /** Starts the managed engine and resolves once it is ready; a call while a start is in flight joins it. */
  startEngine: () => EngineStatus;
  /** Stops the managed engine, cancelling a start in flight. */
  stopEngine: () => EngineStatus;
  /** The last `tail` (1–2000) lines of the managed engine's log. */
  engineLogs: (tail: number) => string[];
  /** Checks every engine of the current mode (in managed mode this starts the managed engine when needed). */
  checkEngines: () => EngineHealthReport[];
  /** The speakers of a meeting with their talk time and any name suggested from a remembered voice. */
  listSpeakers: (meetingId: number) => SpeakerSummary[];
  /** Re-clusters the stored voice analysis into `count` speakers (null: count them automatically). */
  relabelSpeakers: (meetingId: number, count: number | null) => SpeakerSummary[];
  /** Names a speaker for the whole meeting ('' gives back the label); `rememberVoice` keeps a voiceprint (consent). */
  renameSpeaker: (
    meetingId: number,
    speakerId: number,
    name: string,
    rememberVoice: boolean,
  ) => SpeakerSummary[];
  /** Gives all of one speaker's sentences to another. */
  mergeSpeakers: (meetingId: number, fromSpeakerId: number, intoSpeakerId: number) => SpeakerSummary[];
  /** Gives one sentence to another speaker, or to a new one. */
  moveSegment: (meetingId: number, segmentId: number, toSpeakerId: number | 'new') => SpeakerSummary[];
  /** Every remembered voice. */
  listVoiceprints: () => VoiceprintInfo[];
  /** Deletes a remembered voice (and the suggestions it made). */
  forgetVoiceprint: (voiceprintId: number) => VoiceprintInfo[];
}

/** Every event the main process pushes to the renderer, with its payload. */
export interface ApiEventMap {
  'job:update': JobInfo;
  'library:changed': { meetingId: number };
  'engine:status': EngineStatus;
  /** Progress of a start asked for through `startEngine`: image pull, model downloads, loading. */
  'engine:progress': EngineProgress;
}

/** A method name of the contract. */
export type ApiMethodName = keyof ApiMethodMap;

/** An event name of the contract. */
export type ApiEventName = keyof ApiEventMap;

/** The argument tuple of one method. */
export type ApiArgs<K extends ApiMethodName> = Parameters<ApiMethodMap[K]>;

/** The result of one method. */
export type ApiReturn<K extends ApiMethodName> = ReturnType<ApiMethodMap[K]>;

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
  renameMeeting: 'renameMeeting',
  deleteMeeting: 'deleteMeeting',
  search: 'search',
  exportMeeting: 'exportMeeting',
  addFiles: 'addFiles',
  listJobs: 'listJobs',
  cancelJob: 'cancelJob',
  retryJob: 'retryJob',
  getSettings: 'getSettings',
  setSettings: 'setSettings',
  engineStatus: 'engineStatus',
  startEngine: 'startEngine',
  stopEngine: 'stopEngine',
  engineLogs: 'engineLogs',
  checkEngines: 'checkEngines',
  listSpeakers: 'listSpeakers',
  relabelSpeakers: 'relabelSpeakers',
  renameSpeaker: 'renameSpeaker',
  mergeSpeakers: 'mergeSpeakers',
  moveSegment: 'moveSegment',
  listVoiceprints: 'listVoiceprints',
  forgetVoiceprint: 'forgetVoiceprint',
};

const EVENT_NAMES: { readonly [E in ApiEventName]: E } = {
  'job:update': 'job:update',
  'library:changed': 'library:changed',
  'engine:status': 'engine:status',
  'engine:progress': 'engine:progress',
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

  constructor(info: ErrorInfo) {
    super(info.message);
    this.name = 'ApiError';
    this.code = info.code;
  }
}

/** Returns the value of an `ApiResult`, or throws its error as an `ApiError`. */
export function unwrapResult<T>(result: ApiResult<T>): T {
  if (result.ok) return result.value;
  throw new ApiError(result.error);
}
