// `funscribe transcribe <files…>`: queue every file, show progress, print or export the results.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { ExportFormat, JobInfo, Meeting, SpeakerSetting, TranscribeSettings } from '../api/types.js';
import { parseHotwordFile } from '../asr/hotwords.js';
import { exportFileName, exportMeeting } from '../export/index.js';
import { validateServerUrl } from '../settings/app-settings.js';
import type { Services } from '../services.js';
import { FunscribeError } from '../util/errors.js';
import { printJson, transcribeResultJson, type FileError } from './json-output.js';
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

/** Writes one export file per meeting into `dir` and returns the paths. */
async function writeExports(meetings: Meeting[], format: ExportFormat, dir: string): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const paths: string[] = [];
  for (const meeting of meetings) {
    const path = join(dir, exportFileName(meeting, format));
    await writeFile(path, exportMeeting(meeting, format));
    paths.push(path);
  }
  return paths;
}

/** Runs the transcribe command; returns the process exit code (1 when any file failed). */
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
  const exported = options.format
    ? await writeExports(meetings, options.format, resolve(options.out ?? '.'))
    : [];

  if (options.json) {
    printJson(transcribeResultJson(meetings, errors));
  } else {
    for (const meeting of meetings) {
      console.log(`✓ ${meeting.source} → meeting ${meeting.id} (${meeting.segments.length} sentences)`);
    }
    for (const path of exported) console.log(`  wrote ${path}`);
    for (const error of errors) console.error(`✗ ${error.file}: ${error.message} [${error.code}]`);
  }
  if (stop.received) return signalExitCode(stop.received);
  return errors.length > 0 ? 1 : 0;
}
