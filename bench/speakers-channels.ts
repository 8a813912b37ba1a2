// Channel-mode benchmark: one speaker per stereo channel on the generated call (−26 dB crosstalk) and on the call
// repeated to one hour. Sentences are the reference turns (oracle segmentation), so the DER is speaker confusion only;
// collar ±250 ms, overlap scored (the generated audio has none). Timed: level reading + detection + labelling.
import { createWriteStream } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PCM_SAMPLE_RATE } from '../src-main/audio/pcm.js';
import { detectChannelSpeakers, labelByChannel } from '../src-main/speakers/labelling/channel-labeller.js';
import { readStereoLevels } from '../src-main/speakers/labelling/stereo-levels.js';
import { generateDiarizationSet } from '../test/fixtures/conversations.js';
import { diarizationErrorRate } from '../test/helpers/der.js';
import { parseRttm, type RttmTurn } from '../test/helpers/rttm.js';

/** The canonical WAV header the fixture generator writes before the interleaved samples. */
const WAV_HEADER_BYTES = 44;
/** Bytes per ms of 16 kHz interleaved stereo s16le. */
const STEREO_BYTES_PER_MS = (PCM_SAMPLE_RATE * 4) / 1000;
const HOUR_MS = 3_600_000;

/** One benchmarked recording: DER, speakers found, whether channel mode was detected, audio length and time taken. */
export interface ChannelBenchRow {
  file: string;
  der: number;
  speakers: number;
  detected: boolean;
  seconds: number;
  ms: number;
}

/** Writes `body` repeated until it lasts at least `targetMs` to `path`; returns the reference turns shifted to match. */
async function writeRepeated(
  body: Buffer,
  turns: RttmTurn[],
  path: string,
  targetMs: number,
): Promise<RttmTurn[]> {
  const durationMs = body.length / STEREO_BYTES_PER_MS;
  const repeats = Math.ceil(targetMs / durationMs);
  const out = createWriteStream(path);
  const shifted: RttmTurn[] = [];
  for (let i = 0; i < repeats; i++) {
    const offset = i * durationMs;
    for (const turn of turns)
      shifted.push({ ...turn, startMs: turn.startMs + offset, endMs: turn.endMs + offset });
    if (!out.write(body)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
  return shifted;
}

/** Labels one stereo PCM file by channel with the reference turns as sentences, timed, and scores it. */
async function measure(file: string, pcmPath: string, reference: RttmTurn[]): Promise<ChannelBenchRow> {
  const started = performance.now();
  const levels = await readStereoLevels(pcmPath, reference);
  const detection = detectChannelSpeakers(levels);
  const result = labelByChannel(levels);
  const ms = performance.now() - started;
  const hypothesis = reference.map((turn, i) => ({ ...turn, speaker: String(result.labels[i]) }));
  return {
    file,
    der: diarizationErrorRate(reference, hypothesis).der,
    speakers: result.speakerCount,
    detected: detection.oneSpeakerPerChannel,
    seconds: levels.stats.frames / PCM_SAMPLE_RATE,
    ms,
  };
}

/** Channel mode on the stereo call of the diarization set in `dir` (generated if missing) and on it repeated to 1 h. */
export async function benchChannelMode(dir: string): Promise<ChannelBenchRow[]> {
  const call = (await generateDiarizationSet(dir)).find((file) => file.stereo);
  if (!call) throw new Error('the diarization set has no stereo call');
  const reference = parseRttm(await readFile(call.rttmPath, 'utf8'));
  const body = (await readFile(call.wavPath)).subarray(WAV_HEADER_BYTES);
  const work = await mkdtemp(join(tmpdir(), 'funscribe-bench-channels-'));
  try {
    const callPcm = join(work, `${call.name}.stereo.pcm`);
    await writeFile(callPcm, body);
    const rows = [await measure(call.name, callPcm, reference)];
    const hourPcm = join(work, `${call.name}-1h.stereo.pcm`);
    const hourReference = await writeRepeated(body, reference, hourPcm, HOUR_MS);
    rows.push(await measure(`${call.name} ×1 h`, hourPcm, hourReference));
    return rows;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = fileURLToPath(new URL('../test/fixtures/generated/diarization', import.meta.url));
  console.log(
    '\nSpeakers: channel mode (one speaker per stereo channel), oracle sentence bounds, DER collar ±250 ms',
  );
  for (const row of await benchChannelMode(dir)) {
    console.log(
      `  ${row.file.padEnd(18)}detected ${String(row.detected).padEnd(6)}speakers ${row.speakers}  ` +
        `DER ${(row.der * 100).toFixed(1)} %  ${row.ms.toFixed(0)} ms for ${row.seconds.toFixed(0)} s`,
    );
  }
}
