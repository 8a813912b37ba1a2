// A recording whose process is SIGKILLed at random moments is recovered at the next start with all its audio but at
// most the last second, bit for bit, and queued; the app's next start transcribes it. Recovery runs again without
// changing anything, and a journal cut at any byte is repaired at its last whole frame.
import { copyFile, readFile, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repairJournal, WAV_HEADER_BYTES } from '../../../src-main/recording/wav-journal.js';
import { createServices } from '../../../src-main/services.js';
import { seededRandom } from '../../../src-main/util/seeded-random.js';
import { startSimProcess, type SimProcess } from '../../helpers/sim-process.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { CHUNK_BYTES, startJournalWriter } from './journal-writer.js';
import { writeSpeechSource } from './speech-source.js';

const TRIALS = 10;
const ONE_SECOND_BYTES = 32_000;

/** The first `length` bytes of `source` played in a loop, as the writer appends it. */
function looped(source: Buffer, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let offset = 0; offset < length; offset += source.length) source.copy(out, offset, 0, length - offset);
  return out;
}

/** Checks a repaired journal: a 16 kHz mono s16le WAV header that counts exactly the whole frames that follow it. */
function expectRepairedWav(wav: Buffer): Buffer {
  expect(wav.subarray(0, 4).toString('ascii')).toBe('RIFF');
  expect(wav.readUInt32LE(4)).toBe(wav.length - 8);
  expect(wav.readUInt16LE(22)).toBe(1);
  expect(wav.readUInt32LE(24)).toBe(16000);
  expect(wav.readUInt32LE(40)).toBe(wav.length - WAV_HEADER_BYTES);
  expect((wav.length - WAV_HEADER_BYTES) % 2).toBe(0);
  return wav.subarray(WAV_HEADER_BYTES);
}

describe('a recording process killed at random moments', () => {
  let sim: SimProcess | null = null;
  let data: Awaited<ReturnType<typeof makeTempDir>>;
  let sourcePcm: string;
  let source: Buffer;

  beforeAll(async () => {
    data = await makeTempDir('record-crash');
    ({ path: sourcePcm, pcm: source } = await writeSpeechSource(data.path));
    sim = await startSimProcess();
  });

  afterAll(async () => {
    await sim?.stop();
    await data.remove();
  });

  it(`keeps all but the last second of each of ${TRIALS} killed recordings and transcribes them`, async () => {
    const random = seededRandom(20261204);
    const dataDir = join(data.path, 'library');
    const jobIds: string[] = [];
    for (let trial = 0; trial < TRIALS; trial++) {
      // About ten times real time: 100 ms of audio every 10 ms, killed 0.1 to 0.6 s after the first chunk.
      const writer = startJournalWriter(dataDir, sourcePcm, sim!.url, 10);
      await writer.appended(1);
      await sleep(100 + random() * 500);
      writer.child.kill('SIGKILL');
      const end = await writer.exited;
      expect(end.signal, end.stderr).toBe('SIGKILL');
      const path = await writer.path;
      const services = await createServices({ dataDir });
      const recovered = services.recoveredRecordings;
      await services.close();
      expect(recovered).toEqual([
        { id: expect.any(String), path, durationMs: expect.any(Number), jobId: expect.any(String) },
      ]);
      jobIds.push(recovered[0]!.jobId!);

      const audio = expectRepairedWav(await readFile(path));
      expect(audio.length).toBeGreaterThanOrEqual(writer.chunks * CHUNK_BYTES - ONE_SECOND_BYTES);
      expect(audio.length).toBeLessThanOrEqual((writer.chunks + 1) * CHUNK_BYTES);
      expect(audio.equals(looped(source, audio.length))).toBe(true);
      expect(recovered[0]!.durationMs).toBeCloseTo(audio.length / 32, 6);
    }

    // Recovery again: nothing left to recover, no job added.
    const again = await createServices({ dataDir });
    const jobsBefore = again.jobs.list().length;
    expect(again.recoveredRecordings).toEqual([]);
    expect(jobsBefore).toBe(TRIALS);
    await again.close();
    // The app's next start takes up the queued jobs: every recovered recording becomes a meeting with sentences.
    const app = await createServices({ dataDir, resumeJobs: true });
    try {
      app.queue.setConcurrency(4);
      await app.queue.whenIdle();
      for (const id of jobIds) {
        const job = app.jobs.get(id)!;
        expect(job.status, JSON.stringify(job.error)).toBe('done');
        expect(app.meetings.get(job.meetingId!)!.segments.length).toBeGreaterThan(0);
      }
    } finally {
      await app.close();
    }
  });

  it('repairs a journal cut off at any byte to its last whole frame, and again without change', async () => {
    const random = seededRandom(7);
    const whole = join(data.path, 'whole.wav');
    const writer = startJournalWriter(join(data.path, 'cut'), sourcePcm, sim!.url, 0);
    await writer.appended(20);
    writer.child.kill('SIGKILL');
    await writer.exited;
    await copyFile(await writer.path, whole);
    const full = await readFile(whole);
    const cuts = [
      0,
      1,
      43,
      44,
      45,
      46,
      ...Array.from({ length: 20 }, () => Math.floor(random() * full.length)),
    ];
    for (const cut of cuts) {
      const path = join(data.path, `cut-${cut}.wav`);
      await copyFile(whole, path);
      await truncate(path, cut);
      const format = { sampleRate: 16000, channels: 1 as const };
      const bytes = repairJournal(path, format);
      const audio = expectRepairedWav(await readFile(path));
      expect(bytes).toBe(audio.length);
      expect(audio.length).toBe(Math.max(0, cut - WAV_HEADER_BYTES) & ~1);
      expect(audio.equals(looped(source, audio.length))).toBe(true);
      expect(repairJournal(path, format)).toBe(bytes);
    }
  });
});
