// Speaker-label benchmark: the model-free (MFCC statistics) labeller on the generated 2/3/4-speaker conversations.
// Sentences are the reference turns (oracle segmentation), so the DER is speaker confusion only; collar ±250 ms,
// overlap scored (the generated audio has none). Figures per file: DER with the known speaker count and with auto count,
// and the labelling time.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { labelByVoice } from '../src-main/speakers/voice-labeller.js';
import { generateDiarizationSet } from '../test/fixtures/conversations.js';
import { diarizationErrorRate } from '../test/helpers/der.js';
import { parseRttm } from '../test/helpers/rttm.js';
import { readMonoWav } from '../test/helpers/wav.js';

const GENERATED = fileURLToPath(new URL('../test/fixtures/generated/diarization', import.meta.url));

/** Runs the labeller on every mono conversation and prints DER per file and mode. */
export async function runSpeakersBench(): Promise<void> {
  const files = (await generateDiarizationSet(GENERATED)).filter((file) => !file.stereo);
  console.log('\nSpeakers: model-free labeller (MFCC stats), oracle sentence bounds, DER collar ±250 ms');
  console.log('  file        speakers  DER known count  DER auto count (found)  labelling time');
  for (const file of files) {
    const reference = parseRttm(await readFile(file.rttmPath, 'utf8'));
    const samples = await readMonoWav(file.wavPath);
    const score = (labels: number[]): string => {
      const hypothesis = reference.map((turn, i) => ({ ...turn, speaker: String(labels[i]) }));
      return `${(diarizationErrorRate(reference, hypothesis).der * 100).toFixed(1)} %`;
    };
    const started = performance.now();
    const known = labelByVoice(samples, reference, { speakers: file.speakers });
    const elapsed = performance.now() - started;
    const auto = labelByVoice(samples, reference);
    console.log(
      `  ${file.name.padEnd(12)}${String(file.speakers).padEnd(10)}${score(known.labels).padEnd(17)}` +
        `${`${score(auto.labels)} (${auto.speakerCount})`.padEnd(24)}${elapsed.toFixed(0)} ms for ${(samples.length / 16000).toFixed(0)} s`,
    );
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await runSpeakersBench();
}
