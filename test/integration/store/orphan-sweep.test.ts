// The start-up sweep of the audio folder over a real SQLite library and real files: it removes what nothing owns, and
// never what a meeting refers to or a job of another live process is writing (that process keeps working).
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { mkdir, readdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { JobRepository } from '../../../src-main/store/jobs-repo.js';
import { MeetingRepository } from '../../../src-main/store/meetings-repo.js';
import { peaksDirOf } from '../../../src-main/audio/peaks-cache.js';
import { ORPHAN_MIN_AGE_MS, startAudioSweep, startCacheSweep } from '../../../src-main/store/orphan-sweep.js';
import { createServices } from '../../../src-main/services.js';
import { startSimServer, type SimServer } from '../../funasr-sim/server.js';
import { generateConversation, MEETING_SCRIPT } from '../../fixtures/speech.js';
import { runCli, type CliResult } from '../../helpers/run-cli.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { sampleMeeting } from './sample-meetings.js';
import { tempLibrary, type TempLibrary } from './temp-library.js';

const GENERATED = join(import.meta.dirname, '../../fixtures/generated/speech');
const LONG_AGO = (Date.now() - 2 * ORPHAN_MIN_AGE_MS) / 1000;

/** Writes a small file, with its modification time set to `mtimeSeconds` when given (else now). */
async function file(path: string, mtimeSeconds?: number): Promise<string> {
  await writeFile(path, 'x');
  if (mtimeSeconds !== undefined) await utimes(path, mtimeSeconds, mtimeSeconds);
  return path;
}

describe('startAudioSweep', () => {
  let lib: TempLibrary;
  let meetings: MeetingRepository;
  let jobs: JobRepository;
  let audioDir: string;

  beforeEach(() => {
    lib = tempLibrary();
    meetings = new MeetingRepository(lib.db);
    jobs = new JobRepository(lib.db);
    audioDir = join(lib.dir, 'audio');
    mkdirSync(audioDir);
  });
  afterEach(() => lib.cleanup());

  /** A job in `status` and its id. */
  function job(status: 'queued' | 'running' | 'done' | 'failed' | 'cancelled'): string {
    const id = randomUUID();
    jobs.insert({ id, file: '/in.wav', settings: null });
    if (status !== 'queued') jobs.update(id, { status });
    return id;
  }

  it('removes old files that no meeting refers to and no queued or running job owns, and only those', async () => {
    const kept = job('done');
    const copy = await file(join(audioDir, `${kept}.webm`), LONG_AGO);
    meetings.create({ ...sampleMeeting(), audioPath: copy });
    const running = job('running');
    const queued = job('queued');
    const busy = [
      await file(join(audioDir, `${running}.pcm`), LONG_AGO),
      await file(join(audioDir, `${running}.stereo.pcm.partial`), LONG_AGO),
      await file(join(audioDir, `${queued}.pcm.partial`), LONG_AGO),
    ];
    const orphans = [
      await file(join(audioDir, `${kept}.stereo.pcm`), LONG_AGO),
      await file(join(audioDir, `${job('failed')}.pcm`), LONG_AGO),
      await file(join(audioDir, `${job('cancelled')}.pcm.partial`), LONG_AGO),
      await file(join(audioDir, `${job('done')}.webm.partial`), LONG_AGO),
      await file(join(audioDir, `${randomUUID()}.webm`), LONG_AGO),
    ];
    const fresh = await file(join(audioDir, `${job('failed')}.pcm`));
    await mkdir(join(audioDir, 'a folder'));

    const removed = await startAudioSweep(audioDir, meetings, jobs);
    expect(removed.sort()).toEqual(orphans.sort());
    expect((await readdir(audioDir)).sort()).toEqual(
      [copy, ...busy, fresh, join(audioDir, 'a folder')]
        .map((path) => path.slice(audioDir.length + 1))
        .sort(),
    );
  });

  it('keeps a meeting’s file when the library was moved and its stored path names the old folder', async () => {
    const id = job('done');
    await file(join(audioDir, `${id}.webm`), LONG_AGO);
    meetings.create({ ...sampleMeeting(), audioPath: `/old/place/audio/${id}.webm` });
    expect(await startAudioSweep(audioDir, meetings, jobs)).toEqual([]);
    expect(await readdir(audioDir)).toEqual([`${id}.webm`]);
  });

  it('never fails: a missing folder and a closed library give an empty sweep', async () => {
    expect(await startAudioSweep(join(lib.dir, 'nowhere'), meetings, jobs)).toEqual([]);
    await file(join(audioDir, `${randomUUID()}.pcm`), LONG_AGO);
    lib.db.close();
    expect(await startAudioSweep(audioDir, meetings, jobs)).toEqual([]);
    expect(await readdir(audioDir)).toHaveLength(1);
  });
});

describe('startCacheSweep', () => {
  let lib: TempLibrary;
  let meetings: MeetingRepository;
  let cacheDir: string;

  beforeEach(() => {
    lib = tempLibrary();
    meetings = new MeetingRepository(lib.db);
    cacheDir = join(lib.dir, 'waveforms');
    mkdirSync(cacheDir);
  });
  afterEach(() => lib.cleanup());

  /** The old peak and probe files of meeting `id`. */
  const cacheOf = async (id: number): Promise<string[]> => [
    await file(join(cacheDir, `${id}.peaks`), LONG_AGO),
    await file(join(cacheDir, `${id}.probe.json`), LONG_AGO),
  ];

  it('removes the cache of gone meetings and old half-written files, never that of a live meeting', async () => {
    const live = meetings.create(sampleMeeting()).id;
    const waiting = meetings.create(sampleMeeting()).id;
    meetings.markAsDeleted(waiting);
    const gone = meetings.create(sampleMeeting()).id;
    meetings.delete(gone);
    const kept = [
      ...(await cacheOf(live)),
      ...(await cacheOf(waiting)),
      await file(join(cacheDir, `${waiting}.peaks.partial`)),
      await file(join(cacheDir, `${gone + 1}.peaks`)),
      await file(join(cacheDir, 'notes.txt'), LONG_AGO),
    ];
    const orphans = [
      ...(await cacheOf(gone)),
      await file(join(cacheDir, `${live}.peaks.partial`), LONG_AGO),
      await file(join(cacheDir, `${live}.probe.json.partial`), LONG_AGO),
      await file(join(cacheDir, `${gone + 2}.probe.json`), LONG_AGO),
    ];

    expect((await startCacheSweep(cacheDir, meetings)).sort()).toEqual(orphans.sort());
    expect((await readdir(cacheDir)).sort()).toEqual(
      kept.map((path) => path.slice(cacheDir.length + 1)).sort(),
    );
  });

  it('never fails: a missing folder and a closed library give an empty sweep', async () => {
    expect(await startCacheSweep(join(lib.dir, 'nowhere'), meetings)).toEqual([]);
    await cacheOf(42);
    lib.db.close();
    expect(await startCacheSweep(cacheDir, meetings)).toEqual([]);
    expect(await readdir(cacheDir)).toHaveLength(2);
  });

  it('runs when a library is opened', async () => {
    const data = await makeTempDir('sweep-cache');
    try {
      const first = await createServices({ dataDir: data.path });
      const id = first.meetings.create(sampleMeeting()).id;
      await first.close();
      cacheDir = peaksDirOf(data.path);
      await mkdir(cacheDir, { recursive: true });
      const live = await cacheOf(id);
      const orphans = await cacheOf(id + 1);

      const services = await createServices({ dataDir: data.path });
      await services.close();
      expect(existsSync(orphans[0]!) || existsSync(orphans[1]!)).toBe(false);
      expect(live.every((path) => existsSync(path))).toBe(true);
    } finally {
      await data.remove();
    }
  });
});

describe('the sweep while another process runs a job on the same library', () => {
  let data: Awaited<ReturnType<typeof makeTempDir>>;
  let sim: SimServer;

  beforeAll(async () => {
    data = await makeTempDir('sweep-live');
    await mkdir(GENERATED, { recursive: true });
    sim = await startSimServer({
      protocol: 'offline',
      port: 0,
      log: () => undefined,
      faults: ['slow-reply'],
      slowReplyMs: 3000,
    });
  });
  afterAll(async () => {
    await sim?.close();
    await data?.remove();
  });

  it('leaves the running job’s decoded audio alone even with no age limit, and that job saves its meeting', async () => {
    const conversation = await generateConversation(GENERATED, 'meeting-4-turns', MEETING_SCRIPT);
    const audioDir = join(data.path, 'audio');
    const cli = runCli(data.path, ['transcribe', conversation.wavPath, '--server', sim.url, '--json']);
    let ended: CliResult | null = null;
    void cli.then((result) => (ended = result));
    // The job has its decoded PCM once the server receives audio; the server holds its reply for 3 s.
    while (!sim.sessions.some((session) => session.audioBytes > 0)) {
      if (ended) throw new Error(`the CLI ended before sending audio: ${JSON.stringify(ended)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const during = readdirSync(audioDir);
    expect(during).toEqual([expect.stringMatching(/\.pcm$/)]);

    const services = await createServices({ dataDir: data.path });
    try {
      expect(await startAudioSweep(audioDir, services.meetings, services.jobs, { minAgeMs: 0 })).toEqual([]);
      // Nothing of the running job is gone; its audio copy may have started beside the PCM meanwhile.
      expect(readdirSync(audioDir)).toEqual(expect.arrayContaining(during));
    } finally {
      await services.close();
    }
    const result = await cli;
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout).meetings).toHaveLength(1);
  });
});
