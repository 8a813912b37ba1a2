// Hand-written validators for every IPC method: the renderer is not trusted, so each argument is checked
// (type, range, length, known keys) before it reaches the services. Pure: no Electron, runs under plain Node.
// Settings changes are checked by the settings module's own validator, so the rules live in one place.
import { isAbsolute } from 'node:path';
import type { ApiArgs, ApiMethodName, ListMeetingsRequest } from '../../src-shared/contract.js';
import type { SearchOrder, SearchRequest } from '../../src-shared/types.js';
import { validateSettingsPatch } from '../settings/app-settings.js';
import { MAX_SPEAKER_COUNT, MAX_SPEAKER_NAME_CHARS } from '../speakers/edits/speaker-edit-rules.js';
import { MAX_TITLE_CHARS } from '../store/meetings-repo.js';
import { MAX_SEARCH_LIMIT } from '../store/search.js';
import { FunscribeError } from '../util/errors.js';
import { EXPORT_FORMATS } from '../export/index.js';

/** The bounds every argument is checked against. */
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
} as const;

const SEARCH_ORDERS: readonly SearchOrder[] = ['relevance', 'newest'];

function invalid(message: string): FunscribeError {
  return new FunscribeError('INVALID_ARGUMENT', `Invalid request: ${message}`);
}

function arity(args: readonly unknown[], min: number, max: number): void {
  if (args.length < min || args.length > max) {
    const expected = min === max ? `${min}` : `${min} to ${max}`;
    throw invalid(`expected ${expected} argument(s), got ${args.length}.`);
  }
}

function integer(value: unknown, name: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(`${name} must be a whole number from ${min} to ${max}.`);
  }
  return value;
}

function id(value: unknown, name = 'the meeting id'): number {
  return integer(value, name, 1, Number.MAX_SAFE_INTEGER);
}

/** A string of 1..maxLength characters (counted as code points) that is not only whitespace. */
function text(value: unknown, name: string, maxLength: number): string {
  if (typeof value !== 'string' || value.trim() === '' || [...value].length > maxLength) {
    throw invalid(`${name} must be a non-empty text of at most ${maxLength} characters.`);
  }
  if (value.includes('\0')) throw invalid(`${name} must not contain NUL characters.`);
  return value;
}

function oneOf<T extends string>(value: unknown, name: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw invalid(`${name} must be one of ${allowed.join(', ')}.`);
  }
  return value as T;
}

/** A plain object whose keys all belong to `allowed`. */
function record(value: unknown, name: string, allowed: readonly string[]): Record<string, unknown> {
  const proto: unknown =
    typeof value === 'object' && value !== null ? Object.getPrototypeOf(value) : undefined;
  if (Array.isArray(value) || (proto !== Object.prototype && proto !== null)) {
    throw invalid(`${name} must be an object.`);
  }
  const fields = value as Record<string, unknown>;
  const unknown = Object.keys(fields).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) throw invalid(`${name} has unknown field(s): ${unknown.join(', ')}.`);
  return fields;
}

function list<T>(value: unknown, name: string, max: number, item: (entry: unknown, index: number) => T): T[] {
  if (!Array.isArray(value) || value.length > max)
    throw invalid(`${name} must be a list of at most ${max} items.`);
  return value.map(item);
}

function optional<T>(value: unknown, check: (present: unknown) => T): T | undefined {
  return value === undefined ? undefined : check(value);
}

function boolean(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') throw invalid(`${name} must be true or false.`);
  return value;
}

/** A speaker name: '' (back to the label) or a text of at most maxSpeakerNameLength characters without NUL. */
function speakerName(value: unknown): string {
  if (value === '') return value;
  return text(value, 'the speaker name', IPC_LIMITS.maxSpeakerNameLength);
}

function absolutePath(value: unknown, name: string): string {
  const path = text(value, name, IPC_LIMITS.maxPathLength);
  if (!isAbsolute(path)) throw invalid(`${name} must be an absolute path.`);
  return path;
}

function jobId(value: unknown): string {
  return text(value, 'the job id', IPC_LIMITS.maxJobIdLength);
}

function pageSize(value: unknown): number {
  return integer(value, 'limit', 1, IPC_LIMITS.maxPageSize);
}

function searchLimit(value: unknown): number {
  return integer(value, 'limit', 1, IPC_LIMITS.maxSearchLimit);
}

function pageOffset(value: unknown): number {
  return integer(value, 'offset', 0, IPC_LIMITS.maxOffset);
}

/** Copies only the fields that are present, so `{}` stays `{}` and no `undefined` keys appear. */
function defined<T extends object>(fields: T): T {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined)) as T;
}

function listRequest(value: unknown): ListMeetingsRequest {
  const fields = record(value, 'the list request', ['limit', 'offset']);
  return defined({ limit: optional(fields.limit, pageSize), offset: optional(fields.offset, pageOffset) });
}

function searchRequest(value: unknown): SearchRequest {
  const fields = record(value, 'the search request', ['query', 'limit', 'offset', 'order', 'meetingId']);
  return defined({
    query: text(fields.query, 'the search text', IPC_LIMITS.maxQueryLength),
    limit: optional(fields.limit, searchLimit),
    offset: optional(fields.offset, pageOffset),
    order: optional(fields.order, (v) => oneOf(v, 'order', SEARCH_ORDERS)),
    meetingId: optional(fields.meetingId, (v) => id(v)),
  });
}

type Validators = { readonly [K in ApiMethodName]: (args: readonly unknown[]) => ApiArgs<K> };

/** A validator for a method taking exactly `count` arguments. */
function taking<T>(count: number, build: (args: readonly unknown[]) => T): (args: readonly unknown[]) => T {
  return (args) => {
    arity(args, count, count);
    return build(args);
  };
}

const VALIDATORS: Validators = {
  listMeetings: (args) => {
    arity(args, 0, 1);
    return args[0] === undefined ? [] : [listRequest(args[0])];
  },
  getMeeting: taking(1, ([meetingId]) => [id(meetingId)]),
  renameMeeting: taking(2, ([meetingId, title]) => [
    id(meetingId),
    text(title, 'the title', IPC_LIMITS.maxTitleLength),
  ]),
  deleteMeeting: taking(1, ([meetingId]) => [id(meetingId)]),
  search: taking(1, ([request]) => [searchRequest(request)]),
  exportMeeting: taking(2, ([meetingId, format]) => [
    id(meetingId),
    oneOf(format, 'the format', EXPORT_FORMATS),
  ]),
  addFiles: taking(1, ([paths]) => {
    const checked = list(paths, 'the files', IPC_LIMITS.maxFilesPerCall, (p, i) =>
      absolutePath(p, `file ${i + 1}`),
    );
    if (checked.length === 0) throw invalid('choose at least one file.');
    return [checked];
  }),
  listJobs: taking(0, () => []),
  cancelJob: taking(1, ([job]) => [jobId(job)]),
  retryJob: taking(1, ([job]) => [jobId(job)]),
  getSettings: taking(0, () => []),
  setSettings: taking(1, ([patch]) => [validateSettingsPatch(patch)]),
  engineStatus: taking(0, () => []),
  startEngine: taking(0, () => []),
  stopEngine: taking(0, () => []),
  engineLogs: taking(1, ([tail]) => [integer(tail, 'the number of log lines', 1, IPC_LIMITS.maxLogLines)]),
  checkEngines: taking(0, () => []),
  listSpeakers: taking(1, ([meetingId]) => [id(meetingId)]),
  relabelSpeakers: taking(2, ([meetingId, count]) => [
    id(meetingId),
    count === null ? null : integer(count, 'the number of speakers', 1, IPC_LIMITS.maxSpeakers),
  ]),
  renameSpeaker: taking(4, ([meetingId, speakerId, name, remember]) => [
    id(meetingId),
    id(speakerId, 'the speaker id'),
    speakerName(name),
    boolean(remember, 'remembering the voice'),
  ]),
  mergeSpeakers: taking(3, ([meetingId, from, into]) => [
    id(meetingId),
    id(from, 'the speaker id'),
    id(into, 'the speaker id'),
  ]),
  moveSegment: taking(3, ([meetingId, segmentId, to]) => [
    id(meetingId),
    id(segmentId, 'the sentence id'),
    to === 'new' ? to : id(to, 'the speaker id'),
  ]),
  listVoiceprints: taking(0, () => []),
  forgetVoiceprint: taking(1, ([voiceprintId]) => [id(voiceprintId, 'the voiceprint id')]),
};

/** Checks the raw arguments of one call and returns them typed; throws INVALID_ARGUMENT with a readable reason. */
export function validateArgs<K extends ApiMethodName>(method: K, args: readonly unknown[]): ApiArgs<K> {
  const validate: (args: readonly unknown[]) => ApiArgs<K> = VALIDATORS[method];
  return validate(args);
}
