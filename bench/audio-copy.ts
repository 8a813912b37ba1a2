// Audio copy benchmark: what keeping one Opus copy of a meeting's audio costs for one hour of speech, against what the
// decoded PCM used to leave on disk. The hour as a 16 kHz mono WAV and as a 48 kHz stereo AAC .m4a: the copy's size and
// encoding time on its own, then `funscribe transcribe` wall time with copies kept and with them off (the copy is made
// while the file is transcribed, so the difference is what it adds to a job).
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeAudioCopy } from '../src-main/audio/audio-copy.js';
import { decodeToPcm } from '../src-main/audio/decode.js';
import { locateFfmpeg } from '../src-main/audio/ffmpeg-locate.js';
import { createServices } from '../src-main/services.js';
import { generateConversation, MEETING_SCRIPT, repeatConversation } from '../test/fixtures/speech.js';
import { startSimProcess } from '../test/helpers/sim-process.js';
import { encodeM4a } from './ingest.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const GENERATED = join(ROOT, 'test/fixtures/generated/speech');
const HOUR_MS = 3_600_000;
const MB = 1024 * 1024;

/** Wall time of one `funscribe transcribe` run of `file` into `dataDir`, in ms. */
async function transcribeWallMs(file: string, serverUrl: string, dataDir: string): Promise<number> {
  const args = [
    join(ROOT, 'bin/funscribe.js'),
    '--data-dir',
    dataDir,
    'transcribe',
    file,
    '--server',
    serverUrl,
  ];
  const started = performance.now();
  const child = spawn(process.execPath, [...args, '--json'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`funscribe transcribe failed (${code}):\n${stderr}`);
  return performance.now() - started;
}

/** A fresh data dir with keepAudioCopies set as given. */
async function dataDirWith(parent: string, keepAudioCopies: boolean): Promise<string> {
  const dataDir = await mkdtemp(join(parent, keepAudioCopies ? 'copies-' : 'no-copies-'));
  const services = await createServices({ dataDir });
  services.updateSettings({ keepAudioCopies });
  await services.close();
  return dataDir;
}

/** Runs the benchmark and prints its figures. */
export async function runAudioCopyBench(): Promise<void> {
  await mkdir(GENERATED, { recursive: true });
  const base = await generateConversation(GENERATED, 'meeting-4-turns', MEETING_SCRIPT);
  const hour = await repeatConversation(base, join(GENERATED, 'meeting-1h.wav'), HOUR_MS);
  const inputs = [hour.wavPath, await encodeM4a(hour.wavPath)];
  const work = await mkdtemp(join(tmpdir(), 'funscribe-bench-copy-'));
  const tools = await locateFfmpeg();
  const sim = await startSimProcess(['--language', 'zh']);
  console.log(
    '\nAudio copy: one hour of speech, Opus in WebM (32 kbit/s mono, 48 kbit/s stereo), on 2 cores',
  );
  try {
    for (const input of inputs) {
      const decoded = await decodeToPcm(tools, input, join(work, 'hour'));
      const pcmBytes = (await stat(decoded.pcmPath)).size;
      const stereoBytes = decoded.stereoPcmPath ? (await stat(decoded.stereoPcmPath)).size : 0;
      const channels = decoded.stereoPcmPath ? 2 : 1;
      const copy = join(work, 'hour.webm');
      const started = performance.now();
      await writeAudioCopy(tools, { pcmPath: decoded.stereoPcmPath ?? decoded.pcmPath, channels }, copy);
      const copyMs = performance.now() - started;
      const copyBytes = (await stat(copy)).size;
      const withCopies = await transcribeWallMs(input, sim.url, await dataDirWith(work, true));
      const without = await transcribeWallMs(input, sim.url, await dataDirWith(work, false));
      console.log(`  ${basename(input)} (${channels === 2 ? 'stereo' : 'mono'}):`);
      console.log(
        `    before: ${(pcmBytes / MB).toFixed(0)} MB mono PCM kept` +
          (stereoBytes ? ` + ${(stereoBytes / MB).toFixed(0)} MB stereo PCM leaked` : ''),
      );
      console.log(
        `    after:  ${(copyBytes / MB).toFixed(1)} MB copy, encoded alone in ${(copyMs / 1000).toFixed(1)} s`,
      );
      console.log(
        `    transcribe wall time: ${(withCopies / 1000).toFixed(1)} s with the copy, ${(without / 1000).toFixed(1)} s without`,
      );
      await rm(copy, { force: true });
      await rm(decoded.pcmPath, { force: true });
      if (decoded.stereoPcmPath) await rm(decoded.stereoPcmPath, { force: true });
    }
  } finally {
    await sim.stop();
    await rm(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await runAudioCopyBench();
}
