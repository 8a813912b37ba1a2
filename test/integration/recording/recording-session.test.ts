// The recording session the renderer's chunks will feed: numbered chunks in order (a repeat ignored, a gap or a part
// frame refused), two channels, and a stop that leaves a finished row and a WAV of exactly what was appended.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { libraryFileOf } from '../../../src-main/application/library-maintenance.js';
import { RecordingSession } from '../../../src-main/recording/recording-session.js';
import { WAV_HEADER_BYTES } from '../../../src-main/recording/wav-journal.js';
import { openDatabase } from '../../../src-main/store/database.js';
import { JobRepository } from '../../../src-main/store/jobs-repo.js';
import { RecordingRepository } from '../../../src-main/store/recordings-repo.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const SETTINGS = {
  serverUrl: null,
  hotwords: [],
  itn: true,
  allowSelfSignedTls: false,
  speakers: 'auto' as const,
};

/** `frames` stereo frames whose left and right samples count up from `from`. */
function stereoFrames(from: number, frames: number): Buffer {
  const pcm = Buffer.alloc(frames * 4);
  for (let i = 0; i < frames; i++) {
    pcm.writeInt16LE(from + i, i * 4);
    pcm.writeInt16LE(-(from + i), i * 4 + 2);
  }
  return pcm;
}

describe('a recording session', () => {
  let data: Awaited<ReturnType<typeof makeTempDir>>;
  let recordings: RecordingRepository;
  let close: () => void;

  beforeAll(async () => {
    data = await makeTempDir('record-session');
    const db = openDatabase(libraryFileOf(data.path));
    recordings = new RecordingRepository(db, new JobRepository(db));
    close = () => db.close();
  });

  afterAll(async () => {
    close();
    await data.remove();
  });

  it('appends numbered chunks in order and refuses gaps and part frames', () => {
    const session = RecordingSession.start(
      { dataDir: data.path, recordings },
      { channels: 2, settings: SETTINGS },
    );
    expect(recordings.get(session.id)).toMatchObject({
      status: 'recording',
      channels: 2,
      settings: SETTINGS,
    });
    session.append({ seq: 0, pcm: stereoFrames(0, 1600) });
    session.append({ seq: 0, pcm: stereoFrames(0, 1600) });
    expect(() => session.append({ seq: 2, pcm: stereoFrames(1600, 1600) })).toThrow(/arrived when 1 was due/);
    expect(() => session.append({ seq: 1, pcm: Buffer.alloc(6) })).toThrow(/whole 2-channel frames/);
    session.append({ seq: 1, pcm: stereoFrames(1600, 1600) });
    expect(session.durationMs).toBe(200);
    session.stop();
  });

  it('stops into a finished row and a WAV holding exactly the chunks appended', async () => {
    const session = RecordingSession.start(
      { dataDir: data.path, recordings },
      { channels: 2, settings: SETTINGS },
    );
    for (let seq = 0; seq < 5; seq++) session.append({ seq, pcm: stereoFrames(seq * 800, 800) });
    const stopped = session.stop();
    expect(stopped).toEqual({ id: session.id, path: session.path, durationMs: 250, error: null });
    expect(session.stop()).toBe(stopped);
    expect(() => session.append({ seq: 5, pcm: stereoFrames(0, 1) })).toThrow(/has stopped/);
    expect(recordings.get(session.id)).toMatchObject({ status: 'finished', durationMs: 250, error: null });
    expect(recordings.inProgress().map(({ recording }) => recording.id)).not.toContain(session.id);
    const wav = await readFile(session.path);
    expect(wav.readUInt16LE(22)).toBe(2);
    expect(wav.readUInt32LE(40)).toBe(5 * 800 * 4);
    expect(wav.subarray(WAV_HEADER_BYTES).equals(stereoFrames(0, 4000))).toBe(true);
    expect(join(data.path, 'recordings', session.id)).toBe(
      session.path.slice(0, session.path.lastIndexOf('/')),
    );
  });
});
