// The schemas of every IPC method's arguments. The renderer is not trusted, so the main process checks each call
// against these (type, range, length, known fields) before it reaches the application; contract.ts infers ApiArgs
// from them. Checks that need Node (absolute paths) or main-only data are added by src-main/app/ipc-validate.ts.
import * as v from 'valibot';
import { EXPORT_FORMATS, IPC_LIMITS, MAX_EPOCH_MS, MEETING_ORDERS, SEARCH_ORDERS } from './limits.js';
import {
  fields,
  flag,
  listOf,
  oneOf,
  rowId,
  text,
  wholeNumber,
  type FieldsWording,
  type Schema,
} from './rules.js';
import {
  AppSettingsPatchSchema,
  MAX_HOTWORD_LIST_NAME_CHARS,
  ServerUrlSchema,
  SpeakerSettingSchema,
} from './settings.js';

/** A message about a call the renderer should not have made. */
const about = (subject: string): string => `Invalid request: ${subject}`;

/** How a request object is worded when it is not an object or has unknown fields. */
function requestWording(subject: string): FieldsWording {
  return {
    notObject: about(`${subject} must be an object.`),
    unknown: (keys) => about(`${subject} has unknown field(s): ${keys.join(', ')}.`),
  };
}

/** The argument list of a method: these items, of which all but the first `min` may be left out. */
export function argumentList<const T extends v.TupleItems>(items: T, min: number = items.length) {
  const max = items.length;
  const expected = min === max ? `${min}` : `${min} to ${max}`;
  return v.pipe(
    v.array(v.unknown(), about('the arguments must be a list.')),
    v.check(
      (args) => args.length >= min && args.length <= max,
      (issue) => about(`expected ${expected} argument(s), got ${issue.input.length}.`),
    ),
    v.strictTuple(items),
  );
}

const meetingId = rowId(about('the meeting id'));
const speakerId = rowId(about('the speaker id'));
const jobId = text(about('the job id'), IPC_LIMITS.maxJobIdLength);
const offset = wholeNumber(about('offset'), 0, IPC_LIMITS.maxOffset);

/** Paging and order of the meeting list (newest first unless `orderBy` says otherwise). */
export const ListMeetingsRequestSchema = fields(
  {
    limit: v.optional(wholeNumber(about('limit'), 1, IPC_LIMITS.maxPageSize)),
    offset: v.optional(offset),
    orderBy: v.optional(oneOf(about('orderBy'), MEETING_ORDERS)),
  },
  requestWording('the list request'),
);

/** A search request over all stored meetings. */
export const SearchRequestSchema = fields(
  {
    query: text(about('the search text'), IPC_LIMITS.maxQueryLength),
    limit: v.optional(wholeNumber(about('limit'), 1, IPC_LIMITS.maxSearchLimit)),
    offset: v.optional(offset),
    order: v.optional(oneOf(about('order'), SEARCH_ORDERS)),
    meetingId: v.optional(meetingId),
    /** Only meetings from this time on (epoch ms). */
    from: v.optional(wholeNumber(about('from'), 0, MAX_EPOCH_MS)),
    /** Only meetings up to this time (epoch ms, inclusive). */
    to: v.optional(wholeNumber(about('to'), 0, MAX_EPOCH_MS)),
    /** Only sentences of speakers with this name (as the user named them; case is ignored). */
    speaker: v.optional(text(about('the speaker name'), IPC_LIMITS.maxSpeakerNameLength)),
  },
  requestWording('the search request'),
);

/** A file path as the renderer sends it: a text of at most maxPathLength characters. */
export function filePath(subject: string): Schema<string> {
  return text(subject, IPC_LIMITS.maxPathLength);
}

/** The files of one addFiles call: 1 to maxFilesPerCall paths, each checked by `path` (named "file 3"). */
export function fileList(path: (subject: string) => Schema<string>) {
  return v.pipe(
    listOf(
      IPC_LIMITS.maxFilesPerCall,
      about(`the files must be a list of at most ${IPC_LIMITS.maxFilesPerCall} items.`),
      (n) => path(about(`file ${n}`)),
    ),
    v.minLength(1, about('choose at least one file.')),
  );
}

/** Options of one batch of files (addFiles); what is left out comes from the settings. */
export const AddFilesOptionsSchema = v.pipe(
  fields(
    {
      /** Queue files whose content is already in the library (or being transcribed) instead of reporting them. */
      allowDuplicates: v.optional(flag(about('allowDuplicates'))),
      /** The one remote FunASR server for these files; null or absent: the engine of the settings (managed or pool). */
      serverUrl: v.optional(v.nullable(ServerUrlSchema)),
      /** Transcribe these files on the managed engine (FunASR in Docker), even when the settings use remote servers. */
      managedEngine: v.optional(flag(about('managedEngine'))),
      /** The named hotword list for these files; null: none; absent: the default list. */
      hotwordList: v.optional(v.nullable(text(about('the hotword list'), MAX_HOTWORD_LIST_NAME_CHARS))),
      /** How these files label speakers (a mode or a known count). */
      speakers: v.optional(SpeakerSettingSchema),
    },
    requestWording('the batch options'),
  ),
  v.check(
    ({ serverUrl, managedEngine }) => !(managedEngine && serverUrl),
    about('a batch goes to one remote server or to the managed engine, not both.'),
  ),
);

/** The arguments of addFiles: the files (checked by `path`) and maybe the batch's options. */
export function addFilesArgs(path: (subject: string) => Schema<string>) {
  return v.pipe(
    argumentList([fileList(path), v.optional(AddFilesOptionsSchema)], 1),
    v.transform(
      ([paths, options]): [paths: string[], options?: v.InferOutput<typeof AddFilesOptionsSchema>] =>
        options === undefined ? [paths] : [paths, options],
    ),
  );
}

/** The arguments of the one optional-argument method: none, or one list request. */
const listMeetingsArgs = v.pipe(
  argumentList([v.optional(ListMeetingsRequestSchema)], 0),
  v.transform(([request]): [request?: v.InferOutput<typeof ListMeetingsRequestSchema>] =>
    request === undefined ? [] : [request],
  ),
);

/** Longest title of a recording: it names the journal file, whose name must fit in 255 bytes of UTF-8. */
const MAX_RECORDING_TITLE_CHARS = 80;

/** Characters no file name may hold on Windows, macOS or Linux (the title names the journal file). */
const FILE_NAME_FORBIDDEN = /[<>:"/\\|?*\p{Cc}]/u;

/** Names Windows keeps for devices, with or without an extension. */
const WINDOWS_DEVICE_NAME = /^(con|prn|aux|nul|com\d|lpt\d)$/i;

/** True for a title that can name a file on every system. */
function isFileNameTitle(title: string): boolean {
  return (
    !FILE_NAME_FORBIDDEN.test(title) &&
    !WINDOWS_DEVICE_NAME.test(title) &&
    title.trim() === title &&
    !title.endsWith('.')
  );
}

/** The title of a recording in the interface language: text that can name a file. */
const recordingTitle = v.pipe(
  text(about("the recording's title"), MAX_RECORDING_TITLE_CHARS),
  v.check(
    isFileNameTitle,
    about(
      'the recording\'s title names its file, so it must not hold < > : " / \\ | ? * or control characters, be a device name such as CON, start or end with a space, or end with a dot.',
    ),
  ),
);

/** What a recording started from the record screen is made of. */
export const StartRecordingOptionsSchema = fields(
  {
    /**
     * Its title in the interface language ("录音 …"): the meeting's and the journal file's name. Absent: "Recording
     * YYYY-MM-DD HH.mm" in English.
     */
    title: v.optional(recordingTitle),
    /** 1: the microphone; 2: the microphone left and the system audio right (a mono mix goes to the engine). */
    channels: v.picklist([1, 2], about('channels must be 1 or 2.')),
    /** Stream the mono mix to a 2pass server for live captions while recording. */
    captions: flag(about('captions')),
    /** Transcribe the recording when it stops (false: record only, transcribe later). */
    transcribe: flag(about('transcribe')),
  },
  requestWording('the recording options'),
);

/** A recording's id as main gave it (a UUID). */
const recordingId = text(about('the recording id'), IPC_LIMITS.maxJobIdLength);

/** One chunk of a recording: its number (from 0, in order) and 16 kHz s16le interleaved frames. */
const recordingChunkArgs = argumentList([
  recordingId,
  wholeNumber(about('the chunk number'), 0, IPC_LIMITS.maxOffset),
  v.pipe(
    v.instance(Uint8Array, about('the audio chunk must be bytes.')),
    v.check(
      (pcm) => pcm.byteLength <= IPC_LIMITS.maxRecordingChunkBytes,
      about(`an audio chunk may hold at most ${IPC_LIMITS.maxRecordingChunkBytes} bytes.`),
    ),
  ),
]);

/** Every method's argument schema, named by method; the argument list the renderer may send. */
export const API_ARGS = {
  listMeetings: listMeetingsArgs,
  getMeeting: argumentList([meetingId]),
  getSegmentTokens: argumentList([
    meetingId,
    listOf(
      IPC_LIMITS.maxTokenSegmentsPerCall,
      about(`the sentence ids must be a list of at most ${IPC_LIMITS.maxTokenSegmentsPerCall} ids.`),
      (n) => rowId(about(`sentence id ${n}`)),
    ),
  ]),
  renameMeeting: argumentList([meetingId, text(about('the title'), IPC_LIMITS.maxTitleLength)]),
  deleteMeeting: argumentList([meetingId]),
  getMeetingAudio: argumentList([meetingId]),
  getWaveformPeaks: argumentList([meetingId]),
  search: argumentList([SearchRequestSchema]),
  exportMeeting: argumentList([meetingId, oneOf(about('the format'), EXPORT_FORMATS)]),
  addFiles: addFilesArgs(filePath),
  listJobs: argumentList([]),
  clearFinishedJobs: argumentList([]),
  cancelJob: argumentList([jobId]),
  retryJob: argumentList([jobId]),
  getSettings: argumentList([]),
  setSettings: argumentList([AppSettingsPatchSchema]),
  engineStatus: argumentList([]),
  startEngine: argumentList([]),
  stopEngine: argumentList([]),
  engineLogs: argumentList([wholeNumber(about('the number of log lines'), 1, IPC_LIMITS.maxLogLines)]),
  checkEngines: argumentList([]),
  engineDownloadPlan: argumentList([]),
  setEngineGpu: argumentList([flag(about('the GPU choice'))]),
  captionEngineStatus: argumentList([]),
  startCaptionEngine: argumentList([]),
  stopCaptionEngine: argumentList([]),
  captionEngineDownloadPlan: argumentList([]),
  importHotwords: argumentList([
    text(about('the hotword text'), IPC_LIMITS.maxHotwordTextLength, { allowEmpty: true }),
  ]),
  dataFolder: argumentList([]),
  pickDataFolder: argumentList([]),
  confirmDataFolder: argumentList([]),
  cancelDataFolderChange: argumentList([]),
  listSpeakerModels: argumentList([]),
  downloadSpeakerModel: argumentList([text(about('the model id'), 100)]),
  listSpeakers: argumentList([meetingId]),
  relabelSpeakers: argumentList([
    meetingId,
    v.nullable(wholeNumber(about('the number of speakers'), 1, IPC_LIMITS.maxSpeakers)),
  ]),
  renameSpeaker: argumentList([
    meetingId,
    speakerId,
    text(about('the speaker name'), IPC_LIMITS.maxSpeakerNameLength, { allowEmpty: true }),
    flag(about('remembering the voice')),
  ]),
  mergeSpeakers: argumentList([meetingId, speakerId, speakerId]),
  moveSegment: argumentList([
    meetingId,
    rowId(about('the sentence id')),
    v.union(
      [v.literal('new'), speakerId],
      about(`the speaker id must be a whole number from 1 to ${Number.MAX_SAFE_INTEGER}.`),
    ),
  ]),
  listVoiceprints: argumentList([]),
  forgetVoiceprint: argumentList([rowId(about('the voiceprint id'))]),
  restoreSpeakerState: argumentList([meetingId, rowId(about('the undo snapshot id'))]),
  editSegmentText: argumentList([
    meetingId,
    rowId(about('the sentence id')),
    text(about('the sentence text'), IPC_LIMITS.maxSegmentTextLength),
  ]),
  restoreMeeting: argumentList([meetingId]),
  startRecording: argumentList([StartRecordingOptionsSchema]),
  appendRecording: recordingChunkArgs,
  stopRecording: argumentList([recordingId]),
  listRecordings: argumentList([]),
  transcribeRecording: argumentList([recordingId]),
  getRecordingCaptions: argumentList([recordingId]),
  requestRecordingAccess: argumentList([flag(about('the system audio choice'))]),
};

/** A method name of the contract. */
export type ApiMethodName = keyof typeof API_ARGS;

/** The argument tuple of one method, as its schema gives it. */
export type ApiArgs<K extends ApiMethodName> = v.InferOutput<(typeof API_ARGS)[K]>;
