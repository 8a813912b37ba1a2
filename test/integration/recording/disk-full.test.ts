// A recording on a data folder whose disk fills up stops cleanly with DISK_FULL saying what happened and what to do;
// what was captured is kept, cut at its last whole frame, and recovered and queued once the disk has room again.
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WAV_HEADER_BYTES } from '../../../src-main/recording/wav-journal.js';
import { createServices } from '../../../src-main/services.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { TmpfsMounts } from '../../helpers/tmpfs-mounts.js';
import { CHUNK_BYTES, startJournalWriter } from './journal-writer.js';

describe('a recording when the disk fills up', () => {
  const mounts = new TmpfsMounts();
  let data: Awaited<ReturnType<typeof makeTempDir>>;
  let sourcePcm: string;
  let source: Buffer;

  beforeAll(async () => {
    data = await makeTempDir('record-full');
    // A second of a rising tone, different in every chunk, so any lost or repeated chunk shows.
    source = Buffer.alloc(10 * CHUNK_BYTES);
    for (let i = 0; i < source.length / 2; i++)
      source.writeInt16LE(Math.round(8000 * Math.sin(i * i * 1e-5)), i * 2);
    sourcePcm = join(data.path, 'source.pcm');
    await writeFile(sourcePcm, source);
  });

  afterAll(async () => {
    mounts.unmountAll();
    await data.remove();
  });

  it('stops with DISK_FULL, keeps every whole frame written, and is recovered once there is room', async () => {
    const dataDir = await mounts.mount(join(data.path, 'small-disk'), 'size=1m');
    const writer = startJournalWriter(dataDir, sourcePcm, 'ws://127.0.0.1:1', 0);
    const end = await writer.exited;
    const path = await writer.path;
    expect(end.code, end.stderr).toBe(0);
    expect(end.error).toMatch(
      /^DISK_FULL The disk of the data folder is full, so the recording stopped\. The \d+\.\d s recorded so far are kept in .+\.wav\. Free some space on that disk, then run `funscribe resume`, which recovers the recording and transcribes it\.$/,
    );
    expect(end.error).toContain(path);

    const wav = await readFile(path);
    const audio = wav.subarray(WAV_HEADER_BYTES);
    expect(wav.readUInt32LE(40)).toBe(audio.length);
    expect(audio.length % 2).toBe(0);
    expect(audio.length).toBeGreaterThanOrEqual(writer.chunks * CHUNK_BYTES);
    expect(audio.length).toBeLessThan((writer.chunks + 1) * CHUNK_BYTES);
    expect(writer.chunks * CHUNK_BYTES).toBeGreaterThan(500_000);
    for (let offset = 0; offset < audio.length; offset += source.length) {
      const piece = audio.subarray(offset, offset + source.length);
      expect(piece.equals(source.subarray(0, piece.length))).toBe(true);
    }

    execFileSync('mount', ['-o', 'remount,size=32m', dataDir]);
    const services = await createServices({ dataDir });
    try {
      expect(services.recoveredRecordings).toEqual([
        { id: expect.any(String), path, durationMs: audio.length / 32, jobId: expect.any(String) },
      ]);
      const job = services.jobs.get(services.recoveredRecordings[0]!.jobId!)!;
      expect(job).toMatchObject({ file: path, status: 'queued' });
      // The library shares the full disk, so the reason is stored only when its write still fitted.
      const row = services.recordings.get(services.recoveredRecordings[0]!.id)!;
      expect(row.status).toBe('recovered');
      expect([null, 'DISK_FULL']).toContain(row.error?.code ?? null);
      expect((await readFile(path)).equals(wav)).toBe(true);
    } finally {
      await services.close();
    }
  });
});
