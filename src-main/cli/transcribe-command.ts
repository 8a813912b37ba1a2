// `funscribe transcribe <files…>`: queue every file, show progress, print or export the results.
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type {
  ExportFormat,
  JobInfo,
  Meeting,
  SpeakerSetting,
  TranscribeSettings,
} from '../../src-shared/types.js';
import { parseHotwordFile } from '../asr/hotwords.js';
import { checkExportFolder, writeExportInFolder } from '../export/export-destination.js';
import { EXPORT_FORMATS, exportFileName, exportMeeting } from '../export/index.js';
import { validateServerUrl } from '../settings/app-settings.js';
import type { Services } from '../services.js';
import { singleLineText, withoutControlChars } from '../util/control-chars.js';
import { FunscribeError, toErrorInfo } from '../util/errors.js';
import { printJson, transcribeResultJson, type ExportResult, type FileError } from './json-output.js';
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
    throw new FunscribeError('FILE_NOT_FOUND', `Cannot read the hotword file ${path}.`);
  }
  try {
    return parseHotwordFile(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new FunscribeError('HOTWORDS_INVALID', `${path}: ${message}`);
  }
}

/** Where `--format` exports go: the format and the checked folder. */
interface ExportPlan {
  format: ExportFormat;
  dir: string;
}

/**
 * Writes one export file per meeting into the folder, each under a free name (an existing file is never replaced:
 * "Title (2).srt" instead). One file's failure is reported in its result and the others are still written.
 */
async function writeExports(meetings: Meeting[], plan: ExportPlan): Promise<ExportResult[]> {
  const results: ExportResult[] = [];
  for (const meeting of meetings) {
    const about = { meetingId: meeting.id, file: meeting.source };
    try {
      const content = exportMeeting(meeting, plan.format);
      const nameFor = (copy: number) => exportFileName(meeting, plan.format, copy);
      results.push({ ...about, path: await writeExportInFolder(plan.dir, nameFor, content), error: null });
    } catch (error) {
      results.push({ ...about, path: null, error: toErrorInfo(error) });
    }
  }
  return results;
}

/** Prints the outcome of every file, and of its export, as lines for people. */
function printOutcome(meetings: Meeting[], errors: FileError[], exports: ExportResult[]): void {
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
  services: Services,
  files: string[],
  options: TranscribeCommandOptions,
): Promise<number> {
  const defaults = services.settings.get();
  const settings: TranscribeSettings = {
    serverUrl: options.server === undefined ? null : validateServerUrl(options.server),
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
    ? { format: options.format, dir: await checkExportFolder(resolve(options.out ?? '.'), services.dataDir) }
    : null;
  if (options.concurrency !== undefined) services.queue.setConcurrency(options.concurrency);
  const display = new ProgressDisplay(!options.json && process.stderr.isTTY === true);
  const unsubscribe = services.queue.onUpdate((job) => display.update(job));
  const stop = listenForStop(() => services.queue.cancelAll());
  const jobs = files.map((file) => services.queue.enqueue(resolve(file), settings));
  try {
    await services.queue.whenIdle();
  } finally {
    stop.dispose();
  }
  unsubscribe();
  display.stop();

  const finished = jobs.map((job) => services.jobs.get(job.id) as JobInfo);
  const meetings = finished.flatMap((job) =>
    job.meetingId === null ? [] : [services.meetings.get(job.meetingId) as Meeting],
  );
  const errors: FileError[] = finished
    .filter((job) => job.status !== 'done')
    .map((job) => ({
      file: job.file,
      code: job.error?.code ?? (job.status === 'cancelled' ? 'CANCELLED' : 'INTERNAL'),
      message: job.error?.message ?? job.status,
    }));
  const exports = plan ? await writeExports(meetings, plan) : [];

  if (options.json) printJson(transcribeResultJson(meetings, errors, exports));
  else printOutcome(meetings, errors, exports);
  if (stop.received) return signalExitCode(stop.received);
  return errors.length > 0 || exports.some((result) => result.error) ? 1 : 0;
}
