// The schemas of the user's settings and of the options a transcription job carries. The types in contract.ts and
// types.ts are inferred from them. Rules that need the main process (hotword limits, the speaker model catalog) are
// added there on top of these entries.
import * as v from 'valibot';
import {
  CONCURRENCY,
  EXPORT_FORMATS,
  MAX_REMOTE_ENGINES,
  MAX_SPEAKER_COUNT,
  MEETING_ORDERS,
} from './limits.js';
import {
  concurrency,
  fields,
  flag,
  isConcurrency,
  listOf,
  numberWithin,
  oneOf,
  patchOf,
  text,
  type Message,
  type Schema,
  wholeNumberMessage,
} from './rules.js';

/** True for a ws:// or wss:// address with a host. */
/** True for a FunASR server address: ws:// or wss:// with a host. */
export function isServerUrl(value: string): boolean {
  const url = URL.canParse(value) ? new URL(value) : null;
  return url !== null && (url.protocol === 'ws:' || url.protocol === 'wss:') && url.hostname !== '';
}

const serverUrlMessage: Message = (issue) =>
  `The FunASR server address must look like ws://127.0.0.1:10095 or wss://host:port (got ${JSON.stringify(issue.input)}).`;

/** A FunASR server address: ws:// or wss:// with a host. */
export const ServerUrlSchema = v.pipe(v.string(serverUrlMessage), v.check(isServerUrl, serverUrlMessage));

const speakersMessage: Message = (issue) =>
  `Speakers must be "auto", "voice", "channels" or a number of speakers from 1 to ${MAX_SPEAKER_COUNT}, not ${JSON.stringify(issue.input)}.`;

/**
 * How a job labels speakers: 'auto' (one speaker per channel for a two-person stereo recording, else by voice with an
 * automatic count), 'voice' (by voice, automatic count), 'channels' (one speaker per stereo channel), or a known count.
 */
export const SpeakerSettingSchema = v.union(
  [
    v.picklist(['auto', 'voice', 'channels'], speakersMessage),
    numberWithin(1, MAX_SPEAKER_COUNT, speakersMessage),
  ],
  speakersMessage,
);

/** A user hotword: a phrase and a weight (the main process checks FunASR's limits, see asr/hotwords.ts). */
export const HotwordSchema = v.strictObject(
  {
    phrase: v.string('A hotword phrase must be text.'),
    weight: v.number('A hotword weight must be a number.'),
  },
  'Each hotword needs a phrase and a weight.',
);

/** The hotwords of the settings or of a job. */
const HotwordsSchema = v.array(HotwordSchema, 'Hotwords must be a list of phrases with weights.');

/** Most named hotword lists kept. */
export const MAX_HOTWORD_LISTS = 50;

/** Longest name of a hotword list. */
export const MAX_HOTWORD_LIST_NAME_CHARS = 60;

/** The name a single hotword list of older settings is given, and the first list's name. */
export const DEFAULT_HOTWORD_LIST_NAME = 'Default';

/** One named hotword list, checked by `hotwords` (the shared entry, or the main process's FunASR limits). */
function hotwordListAt(hotwords: Schema<v.InferOutput<typeof HotwordsSchema>>) {
  return (position: number) =>
    fields(
      {
        name: v.pipe(
          text(`The name of hotword list ${position}`, MAX_HOTWORD_LIST_NAME_CHARS),
          v.transform((name) => name.trim()),
        ),
        hotwords,
      },
      {
        notObject: `Hotword list ${position} must have a name and hotwords.`,
        unknown: (keys) => `Hotword list ${position} has unknown fields: ${keys.join(', ')}.`,
      },
    );
}

/** Named hotword lists, none named twice (ignoring case), each list's hotwords checked by `hotwords`. */
export function hotwordListsSchema(hotwords: Schema<v.InferOutput<typeof HotwordsSchema>>) {
  return v.pipe(
    listOf(
      MAX_HOTWORD_LISTS,
      `The hotword lists must be a list of at most ${MAX_HOTWORD_LISTS}.`,
      hotwordListAt(hotwords),
    ),
    v.rawCheck(({ dataset, addIssue }) => {
      if (!dataset.typed) return;
      const names = dataset.value.map(({ name }) => name.toLowerCase());
      const twice = dataset.value.find((_, index) => names.indexOf(names[index] ?? '') !== index);
      if (twice !== undefined) addIssue({ message: `There are two hotword lists called "${twice.name}".` });
    }),
  );
}

/** One remote server: its address and how many files it takes at once (1 when not given). */
function remoteEngineAt(position: number) {
  const about = `Remote server ${position}`;
  return v.pipe(
    fields(
      { url: ServerUrlSchema, concurrency: v.nullish(v.unknown(), 1) },
      {
        notObject: `${about} must have an address and a concurrency.`,
        unknown: (keys) => `${about} has unknown fields: ${keys.join(', ')}.`,
      },
    ),
    v.check(
      ({ concurrency: value }) => isConcurrency(value),
      (issue) =>
        wholeNumberMessage(`The concurrency of ${issue.input.url}`, CONCURRENCY.min, CONCURRENCY.max),
    ),
    v.transform(({ url, concurrency: value }) => ({ url, concurrency: value as number })),
  );
}

/** The list of remote FunASR servers: valid addresses, none twice, concurrency 1–16 each. */
export const RemoteEnginesSchema = v.pipe(
  listOf(
    MAX_REMOTE_ENGINES,
    `The remote servers must be a list of at most ${MAX_REMOTE_ENGINES}.`,
    remoteEngineAt,
  ),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const urls = dataset.value.map(({ url }) => url);
    const twice = urls.find((url, index) => urls.indexOf(url) !== index);
    if (twice !== undefined) addIssue({ message: `The server ${twice} is listed twice.` });
  }),
);

/** The interface languages a user can choose ('system' follows the operating system). */
export const INTERFACE_LANGUAGES = ['system', 'en', 'zh-CN'] as const;

/** The colour themes a user can choose ('system' follows the operating system). */
export const THEMES = ['system', 'light', 'dark'] as const;

/** Longest device id or label of a remembered microphone kept (Chromium's ids are 64 characters). */
export const MAX_DEVICE_TEXT_CHARS = 512;

const DEVICE_LABEL_MESSAGE = `The microphone setting's label must be a text (empty for an unnamed device) of at most ${MAX_DEVICE_TEXT_CHARS} characters.`;

/**
 * The record screen's microphone: the browser's deviceId and the label it showed, so that a device that comes back
 * under a new id is found by its name; null for the system's default input.
 */
const RecordMicrophoneSchema = v.nullable(
  fields(
    {
      deviceId: text("The microphone setting's deviceId", MAX_DEVICE_TEXT_CHARS),
      label: v.pipe(
        v.string(DEVICE_LABEL_MESSAGE),
        v.check((label) => [...label].length <= MAX_DEVICE_TEXT_CHARS, DEVICE_LABEL_MESSAGE),
      ),
    },
    {
      notObject: 'The microphone setting must be null (the default input) or a deviceId with its label.',
      unknown: (keys) => `The microphone setting has unknown fields: ${keys.join(', ')}.`,
    },
  ),
);

/** The record screen's choices, kept as settings so that the next start records the same way. */
const RECORD_SETTINGS_ENTRIES = {
  /** The microphone, or null for the system's default input. */
  recordMicrophone: RecordMicrophoneSchema,
  /** Record the computer's sound as a second channel. */
  recordSystemAudio: flag('The setting recordSystemAudio'),
  /** Live captions while recording. */
  recordCaptions: flag('The setting recordCaptions'),
  /** Transcribe a recording when it stops (false: record only, transcribe later). */
  recordTranscribe: flag('The setting recordTranscribe'),
  /** The browser's echo cancellation on the microphone (off: raw audio, which transcribes best). */
  recordEchoCancellation: flag('The setting recordEchoCancellation'),
  /** The browser's noise suppression on the microphone. */
  recordNoiseSuppression: flag('The setting recordNoiseSuppression'),
  /** The browser's automatic gain on the microphone. */
  recordAutoGainControl: flag('The setting recordAutoGainControl'),
};

/** The record screen's settings. */
export type RecordSettings = {
  [K in keyof typeof RECORD_SETTINGS_ENTRIES]: v.InferOutput<(typeof RECORD_SETTINGS_ENTRIES)[K]>;
};

/** A remembered microphone: its deviceId and label. */
export type RecordMicrophone = NonNullable<RecordSettings['recordMicrophone']>;

/** The record screen's choices of a new installation: the default input, raw audio, live captions, transcribe. */
export const DEFAULT_RECORD_SETTINGS: RecordSettings = {
  recordMicrophone: null,
  recordSystemAudio: false,
  recordCaptions: true,
  recordTranscribe: true,
  recordEchoCancellation: false,
  recordNoiseSuppression: false,
  recordAutoGainControl: false,
};

/** Every setting of the user's, with its rule. */
export const APP_SETTINGS_ENTRIES = {
  /** `managed`: FunScribe runs FunASR in Docker; `remote`: files go to the servers in `remoteEngines`. */
  engineMode: v.picklist(
    ['managed', 'remote'],
    'The engine must be "managed" (FunASR in Docker) or "remote".',
  ),
  remoteEngines: RemoteEnginesSchema,
  /** Inverse text normalisation: "一百" becomes "100". */
  itn: flag('The setting itn'),
  /** The hotwords of the default list (setting them replaces that list's words; none when no list is the default). */
  hotwords: HotwordsSchema,
  /** Named hotword lists, chosen per batch or as the default. */
  hotwordLists: hotwordListsSchema(HotwordsSchema),
  /** The name of the list new jobs use unless a batch chooses another, or null for none. */
  defaultHotwordList: v.nullable(
    v.pipe(
      v.string('The default hotword list must be the name of a list, or none.'),
      v.transform((name) => name.trim()),
    ),
  ),
  /** How many transcription jobs run at the same time. */
  concurrency: concurrency('The number of files transcribed at once'),
  /** Accept a self-signed certificate on a remote `wss://` server. */
  allowSelfSignedTls: flag('The setting allowSelfSignedTls'),
  /** How new transcripts label speakers. */
  speakers: SpeakerSettingSchema,
  /** The speaker-embedding model to label voices with (downloaded on first use), or null for MFCC statistics. */
  speakerModel: v.nullable(v.string()),
  /** Where model downloads try first: 'cn' puts the mainland-China mirrors (ModelScope, hf-mirror) first. */
  modelRegion: v.picklist(['global', 'cn'], 'The download region must be "global" or "cn".'),
  /** Keep a compact copy (Opus) of each new meeting's audio for playback in the library; off: no audio is kept. */
  keepAudioCopies: flag('The setting keepAudioCopies'),
  /** The language of the interface: 'system' follows the operating system. */
  interfaceLanguage: v.picklist(
    INTERFACE_LANGUAGES,
    'The interface language must be "system", "en" or "zh-CN".',
  ),
  /** The colour theme: 'system' follows the operating system. */
  theme: v.picklist(THEMES, 'The theme must be "system", "light" or "dark".'),
  /** The format an export offers first. */
  defaultExportFormat: oneOf('The default export format', EXPORT_FORMATS),
  /** How the library is sorted: newest first ('date'), by title, or longest first. */
  libraryOrder: oneOf('The library order', MEETING_ORDERS),
  ...RECORD_SETTINGS_ENTRIES,
};

/** How a settings change is worded when it is not an object or names a setting that does not exist. */
const SETTINGS_WORDING = {
  notObject: 'Settings must be an object.',
  unknown: (keys: readonly string[]) => `There is no setting called ${JSON.stringify(keys[0])}.`,
};

/** Entries for the settings with the same output types as the shared ones (the main process adds rules to some). */
export type AppSettingsEntries = {
  [K in keyof typeof APP_SETTINGS_ENTRIES]: Schema<v.InferOutput<(typeof APP_SETTINGS_ENTRIES)[K]>>;
};

/** A change of some settings, checked with the entries given (the shared ones, or the main process's stricter ones). */
export function appSettingsPatchSchema(entries: AppSettingsEntries) {
  return fields(patchOf(entries), SETTINGS_WORDING);
}

/** The user's settings, kept by the main process. */
export const AppSettingsSchema = fields(APP_SETTINGS_ENTRIES, SETTINGS_WORDING);

/** A change of some settings. */
export const AppSettingsPatchSchema = appSettingsPatchSchema(APP_SETTINGS_ENTRIES);

/** Options that travel with a transcription job. */
export const TranscribeSettingsSchema = v.object({
  /** The one FunASR server to use (the CLI's --server); absent or null: any healthy engine of the engine pool. */
  serverUrl: v.nullish(ServerUrlSchema),
  hotwords: HotwordsSchema,
  itn: flag('The setting itn'),
  allowSelfSignedTls: flag('The setting allowSelfSignedTls'),
  /** How speakers are labelled; absent means 'auto'. */
  speakers: v.optional(SpeakerSettingSchema),
  /** Transcribe on the managed engine (FunASR in Docker) even when the settings use remote servers. */
  managedEngine: v.optional(flag('The setting managedEngine')),
});
