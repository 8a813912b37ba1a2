// Domain types shared by the main process, the CLI and the renderer. Types only: no runtime code here.
import type * as v from 'valibot';
import type { ErrorParams } from './error-codes.js';
import type { SearchRequestSchema } from './schemas/api-args.js';
import type { EXPORT_FORMATS, SEARCH_ORDERS } from './schemas/limits.js';
import type { HotwordSchema, SpeakerSettingSchema, TranscribeSettingsSchema } from './schemas/settings.js';

/** One recognised token (a Chinese character or an English word) with its time span in ms. */
export interface Token {
  text: string;
  startMs: number;
  endMs: number;
  /** The punctuation written right after this token ("，", "。"), so a segment can be re-split and rebuilt from its tokens. */
  punc?: string;
}

/** A sentence as the ASR stage produces it: display text, time span and token timestamps. */
export interface Sentence {
  startMs: number;
  endMs: number;
  text: string;
  tokens: Token[];
}

/**
 * A speaker of one meeting: `number` (1-based, by first appearance) is what the page shows as "Speaker 2" / "说话人 2";
 * `label` is the same in English for the command line and exports; `name` what the user chose.
 */
export interface Speaker {
  id: number;
  number: number;
  label: string;
  name: string | null;
  /** A name offered because the voice matches a remembered voiceprint; present only when there is one. */
  suggestedName?: string;
  /** Cosine similarity (0..1) behind `suggestedName`. */
  suggestionScore?: number;
}

/** A stored sentence of a meeting, attributed to one speaker. */
export interface Segment {
  id: number;
  startMs: number;
  endMs: number;
  text: string;
  speakerId: number | null;
  tokens: Token[];
  /** The recognised text when the user edited `text` (the tokens still spell this one); absent when not edited. */
  originalText?: string;
}

/** What a meeting list shows. `createdAt` is epoch ms. The audio is played through getMeetingAudio's media URL. */
export interface MeetingSummary {
  id: number;
  title: string;
  /** The file name (without its folder) of the file the meeting was transcribed from; paths stay in the main process. */
  sourceName: string;
  createdAt: number;
  durationMs: number;
  segmentCount: number;
  speakerCount: number;
}

/** Which audio a meeting plays: its compact copy, the file it was transcribed from, or none. */
export type MeetingAudioState = 'copy' | 'source' | 'missing';

/** Why a meeting has nothing to play (its source file is gone too): it never had a copy, or its copy is gone. */
export type MissingAudioReason = 'no-copy' | 'copy-gone';

/** What a meeting plays, as getMeetingAudio gives it to the page (an opaque media URL, never a file path). */
export interface MeetingAudio {
  state: MeetingAudioState;
  /** The media URL the page's audio element loads (it answers Range requests); null when `state` is 'missing'. */
  url: string | null;
  durationMs: number;
  /** Channels of the audio (1 or 2), null when it could not be read or is missing. */
  channels: number | null;
  /** Why there is nothing to play; null unless `state` is 'missing'. */
  missingReason: MissingAudioReason | null;
}

/** The waveform of a meeting's audio, computed once in the main process from the stored audio and cached. */
export interface WaveformPeaks {
  /** Buckets per second of audio (50: one each 20 ms). */
  bucketsPerSecond: number;
  durationMs: number;
  /** Base64 of signed bytes: per bucket its lowest then its highest sample, scaled to -127..127. */
  minMax: string;
}

/** A whole meeting with its speakers and segments in time order. */
export interface Meeting extends MeetingSummary {
  speakers: Speaker[];
  segments: Segment[];
  /** How the speakers were told apart; absent for meetings saved before this was recorded. */
  speakerLabelling?: SpeakerLabelling;
}

/** A sentence as a window opens it: without its tokens (getSegmentTokens gives them), only whether it has any. */
export interface SlimSegment extends Omit<Segment, 'tokens'> {
  /** True when the sentence has timed tokens (else it can only be sought to as a whole). */
  hasTokens: boolean;
}

/** A meeting as getMeeting gives it to a window: its sentences without their tokens. */
export interface SlimMeeting extends Omit<Meeting, 'segments'> {
  segments: SlimSegment[];
}

/** The tokens of one sentence, as getSegmentTokens gives them. */
export interface SegmentTokens {
  segmentId: number;
  tokens: Token[];
}

/** How a meeting's speakers were told apart: by voice or one per stereo channel. */
export type SpeakerLabelMode = 'voice' | 'channels';

/** How a meeting's speakers were labelled: by voice (with an embedding backend) or one per stereo channel. */
export interface SpeakerLabelling {
  mode: SpeakerLabelMode;
  /** 'mfcc-stats' (model-free voice statistics), a speaker model's id, or 'channel-levels'. */
  backend: string;
  /** True when the voice analysis is stored, so the speakers can be re-counted without transcribing again. */
  canRelabel: boolean;
}

/** A speaker with how much it says: total segment time and number of segments. */
export interface SpeakerSummary extends Speaker {
  talkMs: number;
  segmentCount: number;
}

/** A meeting's speakers after a merge, move or re-count, and the snapshot that undoes it (restoreSpeakerState). */
export interface UndoableSpeakerEdit {
  speakers: SpeakerSummary[];
  snapshotId: number;
}

/** Which speaker of a meeting an edit means: its id, its label ("Speaker 1") or its current name. */
export type SpeakerRef = number | string;

/** A remembered voice (its embedding stays in the main process). */
export interface VoiceprintInfo {
  id: number;
  name: string;
  backend: string;
  dim: number;
  createdAt: number;
  updatedAt: number;
}

/** Result order for search. */
export type SearchOrder = (typeof SEARCH_ORDERS)[number];

/** A search request over all stored meetings. */
export type SearchRequest = v.InferOutput<typeof SearchRequestSchema>;

/** One character range [start, end) in a string. */
export interface TextRange {
  start: number;
  end: number;
}

/** What a search hit matched: a sentence's text, a meeting's title, or a speaker's name (one the user gave). */
export type SearchHitKind = 'text' | 'title' | 'speaker';

/**
 * One hit. `text` is what matched (the sentence, the title or the speaker's name); `snippet` marks matches with [ and ];
 * `highlights` are ranges in `text`. `segmentId` is the sentence to show: the hit's own, the speaker's first, or null
 * for a title.
 */
export interface SearchHit {
  kind: SearchHitKind;
  meetingId: number;
  meetingTitle: string;
  meetingCreatedAt: number;
  segmentId: number | null;
  startMs: number;
  endMs: number;
  /** The speaker's name, else its English label ("Speaker 2"), for the command line; null without a speaker. */
  speaker: string | null;
  /** The name the user gave the speaker, or null. */
  speakerName: string | null;
  /** The speaker's number in its meeting (the page renders "Speaker 2" / "说话人 2" from it), or null. */
  speakerNumber: number | null;
  text: string;
  snippet: string;
  highlights: TextRange[];
}

/** A page of search hits and how many there are in all (titles, then speakers, then sentences). */
export interface SearchResult {
  total: number;
  /** False when there are more than `total` (sentences are counted up to a cap, as "1000+"). */
  totalExact: boolean;
  hits: SearchHit[];
}

/** A user hotword: a phrase (at most 10 characters) and a weight from 1 to 100. */
export type Hotword = v.InferOutput<typeof HotwordSchema>;

/** Export formats. */
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Which FunASR server answers: `funasr-wss-server` (offline files) or `funasr-wss-server-2pass` (streaming). */
export type ServerKind = 'offline' | '2pass';

/** What a FunASR server showed of itself while answering. */
export interface ServerTraits {
  kind: ServerKind;
  /** Whether its replies carried token times; null when it recognised no words, so it could not show. */
  timestamps: boolean | null;
}

/** What ffprobe (or ffmpeg) says about an input file. */
export interface MediaProbe {
  path: string;
  format: string;
  durationMs: number;
  hasAudio: boolean;
  hasVideo: boolean;
  codec: string | null;
  channels: number;
  sampleRate: number;
}

/** The one decoded copy of an input: 16 kHz mono s16le PCM, plus interleaved 16 kHz stereo when the input has two channels. */
export interface DecodedAudio {
  pcmPath: string;
  stereoPcmPath: string | null;
  durationMs: number;
  sampleRate: 16000;
  probe: MediaProbe;
}

/** The stages a transcription job goes through, in order. */
export type JobStage = 'decode' | 'transcribe' | 'speakers' | 'save';

/** Where a job is. */
export type JobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

/** An error as data: a stable code the UI can act on and a message a user understands. */
export interface ErrorInfo {
  code: string;
  /** The English message (the command line prints it; the renderer words the code and params instead). */
  message: string;
  /** The values the message names (file, limit, line, address) and the variant's `reason` (see error-codes.ts). */
  params?: ErrorParams;
}

/** Options that travel with a transcription job (see TranscribeSettingsSchema). */
export type TranscribeSettings = v.InferOutput<typeof TranscribeSettingsSchema>;

/** How a job labels speakers: 'auto', 'voice', 'channels' or a known count (see SpeakerSettingSchema). */
export type SpeakerSetting = v.InferOutput<typeof SpeakerSettingSchema>;

/** A job as the UI and the CLI see it. `progress` is 0..1 within the current stage. */
export interface JobInfo {
  id: string;
  file: string;
  status: JobStatus;
  stage: JobStage | null;
  progress: number;
  /** 0..1 over all stages (each stage weighted by the share of time it usually takes); 1 once done. */
  overallProgress: number;
  /** Estimated time left while running (ms), or null when not running or too early to tell. */
  remainingMs: number | null;
  attempts: number;
  meetingId: number | null;
  error: ErrorInfo | null;
  /** Whether trying again can help: false for an error the same file would give again (a file ffmpeg cannot read). */
  retryable: boolean;
  createdAt: number;
  updatedAt: number;
}

/** A dropped file whose content is already in the library, or already being transcribed. */
export interface DuplicateFile {
  /** The path as it was given (or found in a given folder). */
  file: string;
  /** The meeting with the same content, or null when it is a job not finished yet. */
  meetingId: number | null;
  /** That meeting's title, or the file name of the job. */
  title: string;
}

/** What addFiles did: the jobs it queued and the files it held back as duplicates (none when told to go ahead). */
export interface AddFilesResult {
  jobs: JobInfo[];
  duplicates: DuplicateFile[];
}
