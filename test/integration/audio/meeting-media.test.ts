// What a meeting plays and its waveform, on a real library with real ffmpeg: the copy, else the source, else missing
// with the reason; the media answer by id with ranges; peaks and the probe computed once, cached in the data folder,
// (peaks) kept when the audio is gone and recomputed when it changes.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, copyFile, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import * as v from 'valibot';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { handleMediaScheme } from '../../../src-main/app/media-protocol.js';
import { createAppService, type AppService } from '../../../src-main/application/app-service.js';
import { audioDirOf } from '../../../src-main/audio/audio-files.js';
import type { FfmpegTools } from '../../../src-main/audio/ffmpeg-locate.js';
import { peaksDirOf } from '../../../src-main/audio/peaks-cache.js';
import { createServices, type Services } from '../../../src-main/services.js';
import { desktopMediaUrl } from '../../../src-main/application/media-urls.js';
import { API_ARGS } from '../../../src-shared/schemas/api-args.js';
import type { WaveformPeaks } from '../../../src-shared/types.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

/** The Electron runtime's protocol module, mocked (there is no Electron here): it keeps the handler the app gives. */
const electronProtocol = vi.hoisted(() => ({
  handlers: new Map<string, (request: Request) => Promise<Response>>(),
  handle(scheme: string, handler: (request: Request) => Promise<Response>): void {
    this.handlers.set(scheme, handler);
  },
}));
vi.mock('electron', () => ({ protocol: electronProtocol }));

const run = promisify(execFile);

let data: Awaited<ReturnType<typeof makeTempDir>>;
let services: Services;
let app: AppService;
/** Audio files made once: a second of silence then a loud second, and two loud seconds. */
let quietThenLoud: string;
let loud: string;

/** Writes `seconds` of 440 Hz at `amplitude` (0: silence) after `silence` seconds, as Opus in WebM or as WAV. */
async function tone(path: string, silence: number, seconds: number, amplitude: number): Promise<string> {
  const expr = `if(lt(t,${silence}),0,${amplitude}*sin(2*PI*440*t))`;
  const codec = path.endsWith('.webm') ? ['-c:a', 'libopus', '-b:a', '32k'] : [];
  const source = `aevalsrc='${expr}':s=16000:d=${silence + seconds}`;
  await run('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', source, '-ac', '1', ...codec, path]);
  return path;
}

/** A meeting whose copy (a file name in the audio folder, or null) and source are the given files. */
function meetingWith(copyName: string | null, source: string): number {
  const audioPath = copyName === null ? null : join('/an/old/data/folder/audio', copyName);
  return services.meetings.create({
    title: 'Weekly sync',
    source,
    durationMs: 2000,
    audioPath,
    speakers: [{ label: 'Speaker 1' }],
    segments: [{ startMs: 0, endMs: 2000, text: 'hello', tokens: [], speakerIndex: 0 }],
  }).id;
}

/** The (min, max) pairs of contract peaks. */
function pairsOf(peaks: WaveformPeaks): Int8Array {
  const bytes = Buffer.from(peaks.minMax, 'base64');
  return new Int8Array(bytes.buffer, bytes.byteOffset, bytes.length);
}

/** The largest |sample| of the buckets from `fromS` to `toS` seconds. */
function loudest(peaks: WaveformPeaks, fromS: number, toS: number): number {
  const pairs = pairsOf(peaks).subarray(fromS * peaks.bucketsPerSecond * 2, toS * peaks.bucketsPerSecond * 2);
  return pairs.reduce((most, value) => Math.max(most, Math.abs(value)), 0);
}

/** Everything a media answer's body gives. */
async function bodyOf(body: Readable | null): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body ?? []) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

beforeAll(async () => {
  data = await makeTempDir('meeting-media');
  services = await createServices({ dataDir: join(data.path, 'library') });
  app = createAppService(services);
  quietThenLoud = await tone(join(data.path, 'quiet-then-loud.webm'), 1, 1, 0.8);
  loud = await tone(join(data.path, 'loud.webm'), 0, 2, 0.8);
});
afterAll(async () => {
  await services.close();
  await data.remove();
});

describe('getMeetingAudio', () => {
  it('plays the copy, else the source, else says which is gone, and never names a path', async () => {
    const audioDir = audioDirOf(services.dataDir);
    await copyFile(quietThenLoud, join(audioDir, 'job-a.webm'));
    const source = await tone(join(data.path, 'source a.wav'), 0, 2, 0.5);
    const id = meetingWith('job-a.webm', source);

    const copy = await app.getMeetingAudio(id);
    expect(copy).toEqual({
      state: 'copy',
      url: `funscribe-media://meeting/${id}`,
      durationMs: expect.any(Number),
      channels: 1,
      missingReason: null,
    });
    expect(Math.abs(copy.durationMs - 2000)).toBeLessThan(100);
    expect(JSON.stringify(await app.getMeeting(id))).not.toContain(data.path);
    expect((await app.listMeetings()).find((m) => m.id === id)).toMatchObject({ sourceName: 'source a.wav' });

    await rm(join(audioDir, 'job-a.webm'));
    expect(await app.getMeetingAudio(id)).toMatchObject({
      state: 'source',
      channels: 1,
      missingReason: null,
    });

    await rm(source);
    expect(await app.getMeetingAudio(id)).toEqual({
      state: 'missing',
      url: null,
      durationMs: 2000,
      channels: null,
      missingReason: 'copy-gone',
    });
  });

  it('says a meeting without a copy (copies off, or only a legacy PCM) has none once its source is gone', async () => {
    const source = await tone(join(data.path, 'source b.wav'), 0, 1, 0.5);
    const legacy = meetingWith('job-b.pcm', source);
    await writeFile(join(audioDirOf(services.dataDir), 'job-b.pcm'), Buffer.alloc(32000));
    expect(await app.getMeetingAudio(legacy)).toMatchObject({ state: 'source' });
    const none = meetingWith(null, join(data.path, 'moved away.m4a'));
    expect(await app.getMeetingAudio(none)).toMatchObject({ state: 'missing', missingReason: 'no-copy' });
  });

  it('refuses a meeting that does not exist and arguments that are no meeting id', async () => {
    await expect(app.getMeetingAudio(999_999)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    for (const args of [[0], [-1], ['1'], [1.5], [], [1, 2]]) {
      expect(v.safeParse(API_ARGS.getMeetingAudio, args).success).toBe(false);
      expect(v.safeParse(API_ARGS.getWaveformPeaks, args).success).toBe(false);
    }
    expect(v.safeParse(API_ARGS.getWaveformPeaks, [7]).success).toBe(true);
  });
});

describe('getMeetingAudio’s probe', () => {
  /** The real ffprobe and ffmpeg behind scripts that log each run to `log` (the fallback without ffprobe counts too). */
  async function loggedTools(log: string): Promise<FfmpegTools> {
    const real = await services.ffmpeg();
    const wrap = async (name: string, program: string | null): Promise<string | null> => {
      if (program === null) return null;
      const script = join(data.path, `logged-${name}`);
      await writeFile(script, `#!/bin/sh\necho "$*" >> '${log}'\nexec '${program}' "$@"\n`);
      await chmod(script, 0o755);
      return script;
    };
    return {
      ...real,
      ffmpeg: (await wrap('ffmpeg', real.ffmpeg))!,
      ffprobe: await wrap('ffprobe', real.ffprobe),
    };
  }

  /** How many logged runs named `file`. */
  const runsOn = async (log: string, file: string): Promise<number> =>
    (await readFile(log, 'utf8').catch(() => '')).split('\n').filter((line) => line.includes(file)).length;

  it('probes an unchanged file once, across restarts, and again when it changes', async () => {
    const log = join(data.path, 'probe-runs.log');
    const tools = await loggedTools(log);
    const logged = (): AppService => createAppService({ ...services, ffmpeg: () => Promise.resolve(tools) });
    const copyPath = join(audioDirOf(services.dataDir), 'job-f.webm');
    await copyFile(loud, copyPath);
    const id = meetingWith('job-f.webm', join(data.path, 'elsewhere.wav'));

    const first = await logged().getMeetingAudio(id);
    expect(first).toMatchObject({ state: 'copy', channels: 1 });
    expect(await runsOn(log, copyPath)).toBe(1);
    expect(existsSync(join(peaksDirOf(services.dataDir), `${id}.probe.json`))).toBe(true);
    expect(await logged().getMeetingAudio(id)).toEqual(first);
    expect(await logged().getMeetingAudio(id)).toEqual(first);
    expect(await runsOn(log, copyPath)).toBe(1);

    const source = 'sine=frequency=300:sample_rate=16000:duration=3';
    await run('ffmpeg', [
      '-v',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      source,
      '-ac',
      '2',
      '-c:a',
      'libopus',
      copyPath,
    ]);
    const changed = await logged().getMeetingAudio(id);
    expect(changed).toMatchObject({ state: 'copy', channels: 2 });
    expect(Math.abs(changed.durationMs - 3000)).toBeLessThan(100);
    expect(await runsOn(log, copyPath)).toBe(2);
    expect(await logged().getMeetingAudio(id)).toEqual(changed);
    expect(await runsOn(log, copyPath)).toBe(2);

    await app.deleteMeetingWithFiles(String(id));
    expect(existsSync(join(peaksDirOf(services.dataDir), `${id}.probe.json`))).toBe(false);
  });
});

describe('meetingMediaResponse', () => {
  it('serves the audio a meeting plays by its id, with ranges, and nothing for unknown or silent meetings', async () => {
    await copyFile(loud, join(audioDirOf(services.dataDir), 'job-c.webm'));
    const id = meetingWith('job-c.webm', join(data.path, 'gone.wav'));
    const whole = await readFile(loud);

    const full = await app.meetingMediaResponse(id, null, 'GET');
    expect(full.status).toBe(200);
    expect(full.headers['Content-Type']).toBe('audio/webm');
    expect((await bodyOf(full.body)).equals(whole)).toBe(true);

    const tail = await app.meetingMediaResponse(id, 'bytes=-100', 'GET');
    expect(tail.status).toBe(206);
    expect(tail.headers['Content-Range']).toBe(
      `bytes ${whole.length - 100}-${whole.length - 1}/${whole.length}`,
    );
    expect((await bodyOf(tail.body)).equals(whole.subarray(whole.length - 100))).toBe(true);
    expect((await app.meetingMediaResponse(id, `bytes=${whole.length}-`, 'GET')).status).toBe(416);

    expect((await app.meetingMediaResponse(999_999, null, 'GET')).status).toBe(404);
    expect((await app.meetingMediaResponse(null, null, 'GET')).status).toBe(404);
    const silent = meetingWith(null, join(data.path, 'never there.wav'));
    expect((await app.meetingMediaResponse(silent, null, 'GET')).status).toBe(404);
  });
});

describe('the desktop media protocol (protocol.handle)', () => {
  it('answers funscribe-media://meeting/<id> with the audio by range, and 404 for a URL naming no meeting', async () => {
    await copyFile(loud, join(audioDirOf(services.dataDir), 'job-p.webm'));
    const id = meetingWith('job-p.webm', join(data.path, 'gone too.wav'));
    const whole = await readFile(loud);
    handleMediaScheme(app);
    const [scheme, handler] = [...electronProtocol.handlers][0] ?? [];
    expect(scheme).toBe('funscribe-media');
    if (!handler) throw new Error('no handler');

    const tail = await handler(new Request(desktopMediaUrl(id), { headers: { range: 'bytes=-100' } }));
    expect(tail.status).toBe(206);
    expect(tail.headers.get('content-range')).toBe(
      `bytes ${whole.length - 100}-${whole.length - 1}/${whole.length}`,
    );
    expect(Buffer.from(await tail.arrayBuffer()).equals(whole.subarray(whole.length - 100))).toBe(true);
    const full = await handler(new Request(desktopMediaUrl(id)));
    expect(full.headers.get('content-type')).toBe('audio/webm');
    expect(Buffer.from(await full.arrayBuffer()).equals(whole)).toBe(true);
    expect((await handler(new Request('funscribe-media://meeting/x'))).status).toBe(404);
    expect((await handler(new Request('funscribe-media://elsewhere/1'))).status).toBe(404);
  });
});

describe('getWaveformPeaks', () => {
  it('computes the peaks once, keeps them when the audio is gone and recomputes them when it changes', async () => {
    const copyPath = join(audioDirOf(services.dataDir), 'job-d.webm');
    await copyFile(quietThenLoud, copyPath);
    const id = meetingWith('job-d.webm', join(data.path, 'gone too.wav'));

    const first = await app.getWaveformPeaks(id);
    expect(first.bucketsPerSecond).toBe(50);
    expect(Math.abs(first.durationMs - 2000)).toBeLessThan(100);
    expect(pairsOf(first).length).toBe(2 * Math.ceil((first.durationMs * 50) / 1000));
    expect(loudest(first, 0, 0.8)).toBeLessThanOrEqual(2);
    expect(loudest(first, 1.2, 1.9)).toBeGreaterThan(80);
    expect(existsSync(join(peaksDirOf(services.dataDir), `${id}.peaks`))).toBe(true);

    await rm(copyPath);
    expect(await app.getWaveformPeaks(id)).toEqual(first);

    await copyFile(loud, copyPath);
    const changed = await app.getWaveformPeaks(id);
    expect(loudest(changed, 0, 0.8)).toBeGreaterThan(80);
    await rm(copyPath);
    expect(await app.getWaveformPeaks(id)).toEqual(changed);
  });

  it('says the audio is gone when there is neither audio nor a cached waveform, and forgets it with the meeting', async () => {
    const none = meetingWith(null, join(data.path, 'nowhere.wav'));
    await expect(app.getWaveformPeaks(none)).rejects.toMatchObject({ code: 'AUDIO_MISSING' });

    await copyFile(loud, join(audioDirOf(services.dataDir), 'job-e.webm'));
    const id = meetingWith('job-e.webm', join(data.path, 'nowhere.wav'));
    const [a, b] = await Promise.all([app.getWaveformPeaks(id), app.getWaveformPeaks(id)]);
    expect(a).toEqual(b);
    await app.deleteMeetingWithFiles(String(id));
    expect(existsSync(join(peaksDirOf(services.dataDir), `${id}.peaks`))).toBe(false);
  });
});
