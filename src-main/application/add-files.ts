// Adding files to transcribe from the app: folders give their audio and video files, the content of each file is
// hashed so that a recording already in the library (or on its way) is reported instead of queued again, and the
// batch's own options (server or the managed engine, hotword list, speakers) override the saved settings for its jobs.
import type { AppSettings } from '../../src-shared/contract.js';
import { IPC_LIMITS } from '../../src-shared/schemas/limits.js';
import type { AddFilesOptionsSchema } from '../../src-shared/schemas/api-args.js';
import type { AddFilesResult, DuplicateFile, Hotword, TranscribeSettings } from '../../src-shared/types.js';
import type * as v from 'valibot';
import { contentHashOrNull } from '../audio/content-hash.js';
import { expandMediaPaths } from '../audio/media-folders.js';
import { FunscribeError } from '../util/errors.js';
import type { ApplicationParts } from './application-parts.js';

/** The options of one batch (see AddFilesOptionsSchema). */
export type AddFilesOptions = v.InferOutput<typeof AddFilesOptionsSchema>;

/** The last part of a path, for either separator. */
function fileName(path: string): string {
  return path.split(/[\\/]/).pop() || path;
}

/** The hotwords of the list named `name` (case ignored); INVALID_ARGUMENT naming the lists there are. */
function hotwordsOfList(settings: AppSettings, name: string): Hotword[] {
  const wanted = name.trim().toLowerCase();
  const list = settings.hotwordLists.find((entry) => entry.name.toLowerCase() === wanted);
  if (list) return list.hotwords;
  const names = settings.hotwordLists.map((entry) => `"${entry.name}"`).join(', ') || 'none';
  throw new FunscribeError(
    'INVALID_ARGUMENT',
    `There is no hotword list called "${name}" (lists: ${names}).`,
    { params: { reason: 'noHotwordList', name } },
  );
}

/** The settings a batch's jobs carry: the saved ones, with what the batch chose instead. */
export function batchSettings(settings: AppSettings, options: AddFilesOptions = {}): TranscribeSettings {
  const { hotwordList } = options;
  return {
    serverUrl: options.serverUrl ?? null,
    hotwords:
      hotwordList === undefined
        ? settings.hotwords
        : hotwordList === null
          ? []
          : hotwordsOfList(settings, hotwordList),
    itn: settings.itn,
    allowSelfSignedTls: settings.allowSelfSignedTls,
    speakers: options.speakers ?? settings.speakers,
    ...(options.managedEngine ? { managedEngine: true } : {}),
  };
}

/**
 * Queues the files (folders expanded) with the batch's settings. A file whose content is in the library, in a job not
 * finished yet, or earlier in the same batch is held back and reported, unless `allowDuplicates` says to go ahead.
 */
export async function addFilesToQueue(
  parts: ApplicationParts,
  paths: readonly string[],
  options: AddFilesOptions = {},
): Promise<AddFilesResult> {
  const jobSettings = batchSettings(parts.settings.get(), options);
  const files = await expandMediaPaths(paths, IPC_LIMITS.maxFilesPerCall);
  const result: AddFilesResult = { jobs: [], duplicates: [] };
  const inBatch = new Map<string, string>();
  for (const file of files) {
    const hash = await contentHashOrNull(file);
    const duplicate =
      hash === null || options.allowDuplicates ? null : duplicateOf(parts, file, hash, inBatch);
    if (duplicate) result.duplicates.push(duplicate);
    else result.jobs.push(parts.queue.enqueue(file, jobSettings, hash));
    if (hash !== null && !inBatch.has(hash)) inBatch.set(hash, file);
  }
  return result;
}

/** What `file` duplicates: a meeting first, else a job not finished, else a file earlier in the batch; or null. */
function duplicateOf(
  parts: ApplicationParts,
  file: string,
  hash: string,
  inBatch: ReadonlyMap<string, string>,
): DuplicateFile | null {
  const [match] = parts.jobs.withContent(hash);
  if (match) {
    return match.meetingId !== null
      ? { file, meetingId: match.meetingId, title: match.title }
      : { file, meetingId: null, title: fileName(match.file) };
  }
  const earlier = inBatch.get(hash);
  return earlier === undefined ? null : { file, meetingId: null, title: fileName(earlier) };
}
