// `funscribe record`: records a meeting from PulseAudio (the microphone, and with --system-audio what the computer
// plays as a second channel) into a journal in the library folder, with --live prints live captions on stderr as it
// records, then transcribes it like `funscribe transcribe`.
import { constants } from 'node:fs';
import { access, copyFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import type { ApiEventMap } from '../../src-shared/contract.js';
import { ServerUrlSchema } from '../../src-shared/schemas/settings.js';
import type { AppService } from '../application/app-service.js';
import { batchSettings } from '../application/add-files.js';
import { FunscribeError } from '../util/errors.js';
import { parseOrThrow } from '../util/validation.js';
import { captionPrinter } from './caption-printer.js';
import { STOP_SIGNALS } from './stop-signals.js';
import { transcribeCommand } from './transcribe-command.js';
import type { WithApp } from './with-app.js';

/** The longest recording one command makes, in seconds (a day). */
export const MAX_RECORD_SECONDS = 24 * 60 * 60;

/** Options of the record command as commander parses them. */
export interface RecordCommandOptions {
  device?: string;
  systemAudio?: boolean;
  out?: string;
  live?: boolean;
  duration?: number;
  server?: string;
  json?: boolean;
}

/** Parses --duration: seconds, more than 0 and at most a day. */
function durationOption(value: string): number {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0 || seconds > MAX_RECORD_SECONDS) {
    throw new InvalidArgumentError(`expected a number of seconds above 0 and at most ${MAX_RECORD_SECONDS}.`);
  }
  return seconds;
}

/** The --out file, refused before recording when it exists already. */
async function outFile(path: string | undefined): Promise<string | null> {
  if (path === undefined) return null;
  const out = resolve(path);
  const exists = await access(out, constants.F_OK).then(
    () => true,
    () => false,
  );
  if (exists) throw new FunscribeError('EXPORT_EXISTS', `${out} exists already; name a new file with --out.`);
  return out;
}

/** Says on stderr when the system audio is lost (the microphone is still recorded, and it is tried again) and back. */
const tellSystemAudio: NonNullable<Parameters<AppService['recordFromPulse']>[0]['onSystemAudioEvent']> = (
  event,
  payload,
) => {
  if (event !== 'recording:system-audio') return;
  const change = payload as ApiEventMap['recording:system-audio'];
  console.error(
    change.state === 'lost'
      ? `funscribe: the system audio is no longer recorded (${change.reason ?? 'its input ended'}); the microphone still is, with silence for the system audio until it is back. Trying again.`
      : 'funscribe: the system audio is recorded again.',
  );
};

/** Aborts `controller` at Ctrl-C, `kill` or a closed terminal; returns the function that stops listening. */
function abortOnStopSignals(controller: AbortController): () => void {
  const abort = (): void => controller.abort();
  for (const signal of STOP_SIGNALS) process.on(signal, abort);
  return () => {
    for (const signal of STOP_SIGNALS) process.off(signal, abort);
  };
}

/**
 * Records until --duration or a stop signal, keeps the recording (and copies it to --out), then transcribes it into
 * the library; returns the exit code (1 when the input ended by itself or the transcription failed).
 */
export async function recordCommand(app: AppService, options: RecordCommandOptions): Promise<number> {
  const defaults = await app.getSettings();
  const serverUrl = options.server === undefined ? undefined : parseOrThrow(ServerUrlSchema, options.server);
  const out = await outFile(options.out);
  const stopping = new AbortController();
  const stopListening = abortOnStopSignals(stopping);
  const captions = options.live ? captionPrinter(process.stderr) : null;
  const recorded = await app
    .recordFromPulse({
      device: options.device,
      systemAudio: options.systemAudio === true,
      durationS: options.duration,
      settings: batchSettings(defaults, { serverUrl }),
      signal: stopping.signal,
      onCaptionEvent: captions?.onEvent,
      onSystemAudioEvent: tellSystemAudio,
      onStarted: (session) =>
        console.error(
          `Recording${options.systemAudio ? ' the microphone and the system audio' : ''} to ${session.path}; press Ctrl-C to stop.`,
        ),
    })
    .finally(() => {
      captions?.close();
      stopListening();
    });
  console.error(`Recorded ${(recorded.durationMs / 1000).toFixed(1)} s.`);
  if (recorded.error) console.error(`funscribe: ${recorded.error.message} [${recorded.error.code}]`);
  if (out) {
    await copyFile(recorded.path, out, constants.COPYFILE_EXCL);
    console.error(`Wrote ${out}.`);
  }
  // The microphone left and the system audio right: speakers by channel, so "me" and "them" come out at once.
  const code = await transcribeCommand(app, [recorded.path], {
    server: options.server,
    itn: defaults.itn,
    json: options.json,
    ...(options.systemAudio ? { speakers: 'channels' as const } : {}),
  });
  return recorded.error ? Math.max(code, 1) : code;
}

/** Adds `record` to the program. */
export function registerRecordCommand(program: Command, withApp: WithApp): void {
  program
    .command('record')
    .description('record a meeting (PulseAudio on Linux) and transcribe it into the library')
    .option('--device <name>', 'the PulseAudio source to record (default: the default source)')
    .option(
      '--system-audio',
      'also record what the computer plays, as the right channel (the microphone left)',
    )
    .option('--out <file>', 'also save the recording as this WAV file')
    .option(
      '--live',
      'print live captions on stderr while recording (from a 2pass server: --server when it is one, the live-caption engine, or one in the settings)',
    )
    .option('--duration <seconds>', 'stop after this many seconds (default: at Ctrl-C)', durationOption)
    .option(
      '--server <url>',
      'a FunASR websocket server for the transcription, e.g. ws://127.0.0.1:10095 (default: the engine from the settings)',
    )
    .option('--json', 'print one JSON document, as transcribe does')
    .action((options: RecordCommandOptions) => withApp(program, (app) => recordCommand(app, options)));
}
