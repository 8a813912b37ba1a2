// The bounds and word lists that settings, IPC arguments and the CLI share, so each rule is written once.

/** Longest meeting title kept. */
export const MAX_TITLE_CHARS = 300;

/** Most hits one search request can return. */
export const MAX_SEARCH_LIMIT = 500;

/** Longest speaker (and voiceprint) name kept. */
export const MAX_SPEAKER_NAME_CHARS = 100;

/** Longest text of one edited sentence. */
export const MAX_SEGMENT_TEXT_CHARS = 5000;

/** Most speakers a re-count (and the speakers setting) may ask for. */
export const MAX_SPEAKER_COUNT = 50;

/** Files transcribed at once, overall or per server: a whole number in this range. */
export const CONCURRENCY = { min: 1, max: 16 } as const;

/** At most this many remote servers. */
export const MAX_REMOTE_ENGINES = 16;

/** Every export format, in the order menus list them. */
export const EXPORT_FORMATS = ['txt', 'md', 'srt', 'vtt', 'json'] as const;

/** The latest time a search filter may name: 2^42 − 1 ms, in the year 2109 (as far as the search index reaches). */
export const MAX_EPOCH_MS = 2 ** 42 - 1;

/** Orders of the meeting list: newest first, by title, or longest first. */
export const MEETING_ORDERS = ['date', 'title', 'length'] as const;

/** Result orders of a search. */
export const SEARCH_ORDERS = ['relevance', 'newest'] as const;

/** The bounds every IPC argument is checked against. */
export const IPC_LIMITS = {
  maxPageSize: 1000,
  maxSearchLimit: MAX_SEARCH_LIMIT,
  maxOffset: 10_000_000,
  maxTitleLength: MAX_TITLE_CHARS,
  maxQueryLength: 500,
  maxFilesPerCall: 1000,
  maxPathLength: 4096,
  maxJobIdLength: 128,
  maxLogLines: 2000,
  maxSpeakerNameLength: MAX_SPEAKER_NAME_CHARS,
  maxSpeakers: MAX_SPEAKER_COUNT,
  /** Characters of one imported hotword text (1,000 lines of 50 characters with room for comments). */
  maxHotwordTextLength: 200_000,
  maxSegmentTextLength: MAX_SEGMENT_TEXT_CHARS,
  /** Sentences whose tokens one getSegmentTokens call may ask for. */
  maxTokenSegmentsPerCall: 200,
  /** Bytes of one recording chunk: 10 s of two-channel 16 kHz s16le (the renderer sends about 100 ms). */
  maxRecordingChunkBytes: 640_000,
} as const;
