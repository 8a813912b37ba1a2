// Speaker labels through the real pipeline parts (ffmpeg decode → websocket session → speaker stage → segments) against
// the stand-in with three punctuation styles on the same audio: a full stop after every turn, only commas between turns
// (ct-punc's habit between two people), and no mark at all (one piece runs from one person into the next). DER of the
// stored segments against the reference, collar ±250 ms.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { transcribeOffline } from '../src-main/asr/offline-session.js';
import { decodeToPcm } from '../src-main/audio/decode.js';
import { locateFfmpeg } from '../src-main/audio/ffmpeg-locate.js';
import { meetingSpeakers } from '../src-main/speakers/labelling/meeting-speakers.js';
import { labelSpeakers } from '../src-main/speakers/labelling/speaker-stage.js';
import { startSimServer, type SimServer } from '../test/funasr-sim/server.js';
import { generateDiarizationSet, type DiarizationFile } from '../test/fixtures/conversations.js';
import { diarizationErrorRate } from '../test/helpers/der.js';
import { parseRttm } from '../test/helpers/rttm.js';

const GENERATED = fileURLToPath(new URL('../test/fixtures/generated/diarization', import.meta.url));

/** DER and segment count of one file labelled in one mode on one stand-in. */
async function scoreOn(
  server: SimServer,
  file: DiarizationFile,
  decoded: { pcmPath: string; stereoPcmPath: string | null },
  mode: 'voice' | 'channels',
): Promise<string> {
  const transcript = await transcribeOffline({
    url: server.url,
    pcmPath: decoded.pcmPath,
    wavName: file.name,
    hotwords: [],
    itn: true,
    allowSelfSignedTls: false,
  });
  const { labels } = await labelSpeakers({ ...decoded, sentences: transcript.sentences, setting: mode });
  const { segments } = meetingSpeakers(transcript.sentences, labels);
  const reference = parseRttm(await readFile(file.rttmPath, 'utf8'));
  const hypothesis = segments.map((s) => ({ ...s, speaker: String(s.speakerIndex) }));
  const der = diarizationErrorRate(reference, hypothesis).der;
  return `${(der * 100).toFixed(1)} % (${segments.length} seg.)`;
}

/** Prints DER with full stops, commas only and no marks, side by side, for every generated conversation and mode. */
export async function runPunctuationBench(): Promise<void> {
  const files = await generateDiarizationSet(GENERATED);
  const tools = await locateFfmpeg();
  const log = (): void => undefined;
  const stops = await startSimServer({ protocol: 'offline', port: 0, log });
  const commas = await startSimServer({ protocol: 'offline', port: 0, log, faults: ['commas-only'] });
  const unmarked = await startSimServer({
    protocol: 'offline',
    port: 0,
    log,
    faults: ['unmarked-sentences'],
  });
  const work = await mkdtemp(join(tmpdir(), 'funscribe-bench-punc-'));
  console.log(
    '\nSpeakers through the stand-in: full stops vs commas only vs no marks between turns (DER, ±250 ms)',
  );
  console.log('  file          mode      full stops              commas only             no marks');
  try {
    for (const file of files) {
      const decoded = await decodeToPcm(tools, file.wavPath, join(work, file.name));
      for (const mode of file.stereo ? (['channels', 'voice'] as const) : (['voice'] as const)) {
        const withStops = await scoreOn(stops, file, decoded, mode);
        const withCommas = await scoreOn(commas, file, decoded, mode);
        const withoutMarks = await scoreOn(unmarked, file, decoded, mode);
        console.log(
          `  ${file.name.padEnd(14)}${mode.padEnd(10)}${withStops.padEnd(24)}${withCommas.padEnd(24)}${withoutMarks}`,
        );
      }
    }
  } finally {
    await Promise.all([
      stops.close(),
      commas.close(),
      unmarked.close(),
      rm(work, { recursive: true, force: true }),
    ]);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) await runPunctuationBench();
