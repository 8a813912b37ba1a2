// `funscribe transcribe <files…>`: queue every file, show progress, print or export the results.
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { ServerUrlSchema } from '../../src-shared/schemas/settings.js';
import type { ExportFormat, SpeakerSetting, TranscribeSettings } from '../../src-shared/types.js';
import type { StoredMeeting } from '../store/stored-meeting.js';
import type { AppService } from '../application/app-service.js';
import type { ExportResult } from '../application/folder-exports.js';
import type { FileError } from '../application/jobs.js';
import { parseHotwordFile } from '../asr/hotwords.js';
import { EXPORT_FORMATS } from '../export/index.js';
import { singleLineText, withoutControlChars } from '../util/control-chars.js';
import { FunscribeError } from '../util/errors.js';
import { parseOrThrow } from '../util/validation.js';
import { printJson, transcribeResultJson } from './json-output.js';
import { ProgressDisplay } from './progress-display.js';
import { listenForStop, signalExitCode } from './stop-signals.js';

/** Options of the transcribe command as commander parses them. */
export interface TranscribeCommandOptions {
  server?: string;
  hotwords?: string;
  itn: boolean;
  allowSelfSigned?: boolean;
  format?: ExportFormat;
  out?: string;
  json?: boolean;
  concurrency?: number;
  speakers?: SpeakerSetting;
}

/** Reads and validates a hotword file, naming the file in any error. */
async function loadHotwords(path: string): Promise<TranscribeSettings['hotwords']> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new FunscribeError('FILE_NOT_FOUND', `Cannot read the hotword file ${path}.`, {
      params: { reason: 'unreadable', file: basename(path) },
    });
  }
  try {
    return parseHotwordFile(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const line = error instanceof FunscribeError ? Number(error.params?.item ?? 0) : 0;
    throw new FunscribeError('HOTWORDS_INVALID', `${path}: ${message}`, {
      params: { reason: 'fileLine', file: basename(path), line },
    });
  }
}

/** Where `--format` exports go: the format and the checked folder. */
interface ExportPlan {
  format: ExportFormat;
  dir: string;
}

/** Prints the outcome of every file, and of its export, as lines for people. */
export function printOutcome(meetings: StoredMeeting[], errors: FileError[], exports: ExportResult[]): void {
  for (const meeting of meetings) {
    const source = singleLineText(meeting.source);
    console.log(`✓ ${source} → meeting ${meeting.id} (${meeting.segments.length} sentences)`);
    const exported = exports.find((result) => result.meetingId === meeting.id);
    if (exported?.path) console.log(`  wrote ${singleLineText(exported.path)}`);
    if (exported?.error) {
      const { message, code } = exported.error;
      console.error(`✗ ${source}: not exported: ${withoutControlChars(message)} [${code}]`);
    }
  }
  for (const error of errors) {
    console.error(`✗ ${singleLineText(error.file)}: ${withoutControlChars(error.message)} [${error.code}]`);
  }
}

/**
 * Runs the transcribe command; returns the process exit code (1 when any file failed or could not be exported). The
 * export folder is checked before any file is queued.
 */
export async function transcribeCommand(
  app: AppService,
  files: string[],
  options: TranscribeCommandOptions,
): Promise<number> {
  const defaults = await app.getSettings();
  const settings: TranscribeSettings = {
    serverUrl: options.server === undefined ? null : parseOrThrow(ServerUrlSchema, options.server),
    hotwords: options.hotwords ? await loadHotwords(options.hotwords) : defaults.hotwords,
    itn: options.itn,
    allowSelfSignedTls: options.allowSelfSigned ?? defaults.allowSelfSignedTls,
    speakers: options.speakers ?? defaults.speakers,
  };
  if (options.out !== undefined && !options.format) {
    throw new FunscribeError(
      'INVALID_ARGUMENT',
      `--out names the folder for exported files; add --format (${EXPORT_FORMATS.join(', ')}) to export there.`,
    );
  }
  const plan: ExportPlan | null = options.format
    ? { format: options.format, dir: await app.checkExportFolder(resolve(options.out ?? '.')) }
    : null;
  const display = new ProgressDisplay(!options.json && process.stderr.isTTY === true);
  const stopping = new AbortController();
  const stop = listenForStop(() => stopping.abort());
  const { meetings, errors } = await app
    .transcribeAndWait(
      files.map((file) => resolve(file)),
      settings,
      { concurrency: options.concurrency, onUpdate: (job) => display.update(job), signal: stopping.signal },
    )
    .finally(() => stop.dispose());
  display.stop();

  const exports = plan ? await app.exportMeetingsToFolder(meetings, plan.format, plan.dir) : [];

  if (options.json) printJson(transcribeResultJson(meetings, errors, exports));
  else printOutcome(meetings, errors, exports);
  if (stop.received) return signalExitCode(stop.received);
  return errors.length > 0 || exports.some((result) => result.error) ? 1 : 0;
}
