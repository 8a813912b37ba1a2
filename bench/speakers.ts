// Speaker-label benchmark on the generated conversations. Sentences are the reference turns (oracle segmentation), so
// the DER is speaker confusion only; collar ±250 ms, overlap scored (the generated audio has none).
// Per file: the model-free labeller (MFCC statistics) with the known count, with the automatic count (silhouette, and
// side by side FunASR's eigengap + centroid merge on the same embeddings), channel mode on the stereo call, and the
// whole speaker stage of the pipeline (streaming cepstra from the PCM file, clustering) on each conversation repeated
// to one hour.
import { readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { slidingWindows, assignSpeakers, windowsToTurns } from '../src-main/speakers/labelling/assignment.js';
import { clusterEmbeddings } from '../src-main/speakers/labelling/clustering.js';
import { clusteringVectors } from '../src-main/speakers/labelling/speaker-analysis.js';
import { labelSpeakers } from '../src-main/speakers/labelling/speaker-stage.js';
import { generateDiarizationSet, type DiarizationFile } from '../test/fixtures/conversations.js';
import { repeatConversation, type Conversation } from '../test/fixtures/speech.js';
import { diarizationErrorRate } from '../test/helpers/der.js';
import { parseRttm, type RttmTurn } from '../test/helpers/rttm.js';
import { labelsOfSpans, voiceAnalysis } from '../test/helpers/voice-analysis.js';
import { readMonoWav } from '../test/helpers/wav.js';
import { benchChannelMode } from './speakers-channels.js';

const GENERATED = fileURLToPath(new URL('../test/fixtures/generated/diarization', import.meta.url));
const HOUR_MS = 3_600_000;

/** DER (as "x.y %") of per-sentence labels against the reference turns they were computed for. */
function score(reference: RttmTurn[], labels: number[]): string {
  const hypothesis = reference.map((turn, i) => ({ ...turn, speaker: String(labels[i]) }));
  return `${(diarizationErrorRate(reference, hypothesis).der * 100).toFixed(1)} %`;
}

/** Known count, silhouette count and FunASR-style eigengap count on one short conversation. */
async function shortFile(file: DiarizationFile): Promise<void> {
  const reference = parseRttm(await readFile(file.rttmPath, 'utf8'));
  const samples = await readMonoWav(file.wavPath);
  const started = performance.now();
  const analysis = voiceAnalysis(samples, reference);
  const known = labelsOfSpans(analysis, reference, file.speakers);
  const elapsed = performance.now() - started;
  const auto = labelsOfSpans(analysis, reference);
  const eigengapWindows = clusterEmbeddings(clusteringVectors(analysis), { autoCount: 'eigengap' });
  const eigengap = assignSpeakers(reference, windowsToTurns(analysis.windows, eigengapWindows));
  const found = (labels: number[]): string => `(${new Set(labels).size})`;
  console.log(
    `  ${file.name.padEnd(12)}${String(file.speakers).padEnd(10)}${score(reference, known).padEnd(12)}` +
      `${`${score(reference, auto)} ${found(auto)}`.padEnd(16)}` +
      `${`${score(reference, eigengap)} ${found(eigengap)}`.padEnd(16)}${elapsed.toFixed(0)} ms for ${(samples.length / 16000).toFixed(0)} s`,
  );
}

/** The pipeline's speaker stage on a conversation repeated to one hour: time and DER, known and automatic count. */
async function hourFile(file: DiarizationFile): Promise<void> {
  const source = JSON.parse(
    await readFile(file.wavPath.replace(/\.wav$/, '.ref.json'), 'utf8'),
  ) as Conversation;
  const hour = await repeatConversation(source, `${GENERATED}/${file.name}-1h.wav`, HOUR_MS);
  const pcmPath = `${GENERATED}/${file.name}-1h.pcm`;
  await writeFile(pcmPath, (await readFile(hour.wavPath)).subarray(44));
  const sentences = hour.turns.map((turn) => ({ ...turn, tokens: [] }));
  const reference = hour.turns.map((turn) => ({ file: file.name, ...turn }));
  try {
    const run = async (setting: number | 'voice') => {
      const started = performance.now();
      const { labels } = await labelSpeakers({ pcmPath, stereoPcmPath: null, sentences, setting });
      return { labels: labels.map((piece) => piece[0]!), ms: performance.now() - started };
    };
    const known = await run(file.speakers);
    const auto = await run('voice');
    console.log(
      `  ${`${file.name} ×${Math.round(hour.durationMs / source.durationMs)}`.padEnd(16)}` +
        `${(hour.durationMs / 60_000).toFixed(0)} min  ${String(slidingWindows(sentences).length).padEnd(9)}` +
        `${`${(known.ms / 1000).toFixed(1)} s`.padEnd(9)}${score(reference, known.labels).padEnd(12)}` +
        `${`${(auto.ms / 1000).toFixed(1)} s`.padEnd(9)}${score(reference, auto.labels)} (${new Set(auto.labels).size})`,
    );
  } finally {
    await rm(pcmPath, { force: true });
  }
}

/** Prints DER per file and mode, and the time to label one hour. */
export async function runSpeakersBench(): Promise<void> {
  const files = await generateDiarizationSet(GENERATED);
  const mono = files.filter((file) => !file.stereo);
  console.log(
    '\nSpeakers: model-free labeller (MFCC statistics), oracle sentence bounds, DER collar ±250 ms',
  );
  console.log(
    '  file        speakers  DER known   DER auto (n)    eigengap (n)    labelling time (known count)',
  );
  for (const file of mono) await shortFile(file);
  console.log('\nSpeakers: channel mode (one speaker per stereo channel)');
  for (const { file, der, speakers, ms } of await benchChannelMode(GENERATED)) {
    console.log(
      `  ${file.padEnd(22)}DER ${(der * 100).toFixed(1)} %  speakers ${speakers}  ${ms.toFixed(0)} ms`,
    );
  }
  console.log(
    '\nSpeakers: the pipeline stage on one hour (repeated conversation, PCM file streamed, 1 thread)',
  );
  console.log('  file            length  windows  known    DER         auto     DER (found)');
  for (const file of mono) await hourFile(file);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await runSpeakersBench();
}
