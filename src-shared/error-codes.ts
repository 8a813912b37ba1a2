// The stable error codes and, per code, the variants of its message with the parameters each one carries. The main
// process throws `FunscribeError(code, English message, { params: { reason, ...values } })`; the renderer words it
// from the catalog entry `errors.<CODE>/<reason>` filled with the values (or `errors.<CODE>` when there are none).
// Pure data: the renderer, the main process and the catalog test all read this one table.

/** Each code's variants: the `reason` that names it and the parameters its message uses. */
export const ERROR_VARIANTS = {
  FFMPEG_NOT_FOUND: { start: ['program'] },
  FILE_NOT_FOUND: { missing: ['file'], unopenable: ['file', 'systemCode'], unreadable: ['file'] },
  NOT_A_FILE: { folder: ['file'], special: ['file'], noMedia: ['count'] },
  EMPTY_FILE: { empty: ['file'] },
  UNREADABLE_MEDIA: { unreadable: ['file'] },
  NO_AUDIO_STREAM: { noAudio: ['file'] },
  DECODE_FAILED: { noAudio: ['file'], failed: ['file'], waveformSlow: ['file', 'minutes'] },
  AUDIO_COPY_FAILED: {},
  AUDIO_MISSING: { gone: ['title', 'file'] },
  HOTWORDS_INVALID: {
    'no-weight': ['item'],
    'weight-not-number': ['item'],
    'weight-out-of-range': ['item', 'min', 'max'],
    empty: ['item'],
    'control-characters': ['item'],
    'starts-with-hash': ['item'],
    'too-many-units': ['item', 'max'],
    'too-many-characters': ['item', 'max'],
    duplicate: ['item'],
    'too-many-hotwords': ['count', 'max'],
    fileLine: ['file', 'line'],
  },
  ASR_BAD_URL: { notAddress: ['url'], notWebsocket: ['url'] },
  ASR_CONNECT_FAILED: {
    noAnswer: ['server', 'seconds'],
    httpStatus: ['server', 'status'],
    unreachable: ['server'],
  },
  ASR_TLS_FAILED: { certificate: ['server'], handshake: ['server'] },
  ASR_CONNECTION_LOST: { lost: ['server'] },
  ASR_TIMEOUT: {
    stalled: ['server', 'seconds'],
    noTranscript: ['server', 'seconds'],
    partial: ['server', 'seconds'],
    tooSlow: ['server'],
  },
  ASR_BAD_REPLY: { notJson: [], notObject: [], tooLarge: ['server', 'mebibytes'], tooMany: ['server'] },
  ASR_SERVER_ERROR: { refused: ['serverText'] },
  NO_SPEECH: { noSpeech: ['file'] },
  CANCELLED: {},
  INTERRUPTED: {},
  NOT_FOUND: {
    meeting: ['id'],
    sentence: ['id'],
    job: ['id'],
    speaker: ['meeting', 'speaker'],
    voice: ['name'],
    restore: [],
    noContainer: [],
    backup: ['name'],
    recording: ['id'],
  },
  INVALID_ARGUMENT: {
    titleEmpty: [],
    titleTooLong: ['max'],
    sentenceEmpty: [],
    sentenceTooLong: ['max'],
    sentenceLineBreaks: [],
    nameTooLong: ['max'],
    nameTaken: ['name'],
    speakerCount: ['max', 'count'],
    mergeItself: [],
    noHotwordList: ['name'],
    noServers: [],
    serverUrl: ['url'],
    notRetryable: [],
    otherProcess: [],
    jobNotFinished: [],
    timeZone: ['zone'],
    exportFormat: ['format'],
    recordingInProgress: [],
    recordingEmpty: [],
  },
  FORBIDDEN: {},
  DATABASE_ERROR: { newer: ['version', 'known'] },
  DOCKER_NOT_INSTALLED: { missing: ['address'] },
  DOCKER_NOT_RUNNING: { noDaemon: ['address'], noAnswer: ['address'] },
  DOCKER_PERMISSION_DENIED: { denied: ['address'] },
  DOCKER_API_TOO_OLD: { old: ['version', 'apiVersion', 'minApiVersion'] },
  DOCKER_ERROR: {
    daemon: ['address'],
    tooFewCpus: ['cpus'],
    start: [],
    pull: ['image'],
    dockerHost: ['address'],
  },
  IMAGE_NOT_FOUND: { missing: ['image'] },
  REGISTRY_AUTH: { denied: ['image'] },
  REGISTRY_UNREACHABLE: { unreachable: ['image'] },
  DISK_FULL: {
    library: [],
    decode: ['file'],
    audioCopy: [],
    export: ['file'],
    image: ['image'],
    model: [],
    recording: [],
  },
  LIBRARY_DAMAGED: { damaged: [], notLibrary: [], backupDamaged: ['name'] },
  LIBRARY_BUSY: { busy: [], open: [] },
  EXPORT_FORBIDDEN: { dataFolder: ['file'] },
  EXPORT_EXISTS: { exists: ['file'], folder: ['file'], notFile: ['file'], copies: ['file', 'count'] },
  EXPORT_UNWRITABLE: { file: ['file'], folder: ['file'] },
  PORT_IN_USE: { port: ['port'], range: ['from', 'to'] },
  GPU_UNAVAILABLE: {},
  ENGINE_FAILED: {},
  ENGINE_UNAVAILABLE: { none: [], unreachable: [], noCaptions: [] },
  SPEAKER_MODEL_MISSING: {},
  SPEAKER_MODEL_FAILED: {},
  SPEAKER_ANALYSIS_MISSING: { byChannel: [], noAnalysis: [], noSpeech: ['speaker'] },
  MODEL_DOWNLOAD_FAILED: { failed: ['model', 'megabytes'] },
  MODEL_INVALID: {},
  MODEL_DIR_UNWRITABLE: {},
  RECORDING_WRITE_FAILED: {},
  RECORDING_INPUT_FAILED: { monitor: [] },
  RECORDING_UNSUPPORTED: {},
  MICROPHONE_DENIED: { macos: [], windows: [] },
  SYSTEM_AUDIO_DENIED: { macos: [] },
  INTERNAL: {},
} as const satisfies Record<string, Record<string, readonly string[]>>;

/** Stable error codes; the UI and the CLI act on these, the message is for people. */
export type ErrorCode = keyof typeof ERROR_VARIANTS;

/** The parameters an error carries across IPC: a small flat record of strings and numbers. */
export type ErrorParams = Readonly<Record<string, string | number>>;

type VariantsOf<C extends ErrorCode> = (typeof ERROR_VARIANTS)[C];

/** The parameters of one variant of `C`'s message: its `reason` and each value the message uses. */
export type ErrorParamsFor<C extends ErrorCode> = {
  [R in keyof VariantsOf<C> & string]: { reason: R } & {
    [K in (VariantsOf<C>[R] extends readonly (infer P)[] ? P : never) & string]: string | number;
  };
}[keyof VariantsOf<C> & string];

/** Most parameters one error may carry, and the longest text value (longer ones are cut). */
const MAX_PARAMS = 12;
const MAX_PARAM_CHARS = 500;
const PARAM_NAME = /^[A-Za-z][A-Za-z0-9]{0,31}$/;

/** True when `code` is one of the stable codes. */
export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(ERROR_VARIANTS, code);
}

/**
 * The parameters of an error as data that may cross IPC: only short names with finite numbers or text (cut to
 * 500 characters), at most 12; anything else is dropped. Undefined when nothing valid is left.
 */
export function errorParamsOf(value: unknown): ErrorParams | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const kept: Record<string, string | number> = {};
  for (const [name, item] of Object.entries(value).slice(0, MAX_PARAMS)) {
    if (!PARAM_NAME.test(name)) continue;
    if (typeof item === 'number' && Number.isFinite(item)) kept[name] = item;
    else if (typeof item === 'string') kept[name] = item.slice(0, MAX_PARAM_CHARS);
  }
  return Object.keys(kept).length > 0 ? kept : undefined;
}
