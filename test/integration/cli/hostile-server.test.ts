// `funscribe transcribe` against broken and hostile servers (a real websocket server on loopback, scripted per test):
// absurd times no longer crash the process out of memory, and a file in which nothing is heard is NO_SPEECH.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  offlineReply,
  piecesText,
  replyingWithPieces as replying,
  TODAY_PIECE,
  useHostileServers,
  type StampSentFields,
} from '../../helpers/hostile-server.js';
import { runCli, type CliResult, type TranscribeJson } from '../../helpers/run-cli.js';
import { startSimProcess } from '../../helpers/sim-process.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

/** A heap far below what absurd times used to take (2.1 GB for 0–1e9 ms, 4.8 GB for 9e15 ms). */
const HEAP_MB = 256;

let work: { path: string; remove: () => Promise<void> };
let speechWav = '';
let muteWav = '';
let silenceWav = '';
const serve = useHostileServers();

/** Writes a 16 kHz mono WAV from an ffmpeg audio source expression. */
async function writeWav(path: string, source: string): Promise<string> {
  await promisify(execFile)('ffmpeg', ['-v', 'error', '-y', '-f', 'lavfi', '-i', source, '-ac', '1', path]);
  return path;
}

beforeAll(async () => {
  work = await makeTempDir('hostile-cli');
  // Three 1 s tones with 1 s pauses between them (three utterances), and 5 s of digital silence.
  const tones = "aevalsrc='if(lt(mod(t,2),1),0.3*sin(2*PI*300*t),0)':s=16000:d=6";
  speechWav = await writeWav(join(work.path, 'speech.wav'), tones);
  muteWav = await writeWav(join(work.path, 'mute.wav'), tones);
  silenceWav = await writeWav(join(work.path, 'silence.wav'), 'anullsrc=r=16000:cl=mono:d=5');
});
afterAll(async () => {
  await work.remove();
});

/** Runs `funscribe transcribe <files> --server <url> --json` on a fresh library with a small heap. */
async function transcribe(
  dataDir: string,
  url: string,
  files: string[],
  extra: string[] = [],
): Promise<{ result: CliResult; json: TranscribeJson }> {
  const result = await runCli(dataDir, ['transcribe', ...files, '--server', url, '--json', ...extra], {
    NODE_OPTIONS: `--max-old-space-size=${HEAP_MB}`,
  });
  try {
    return { result, json: JSON.parse(result.stdout) as TranscribeJson };
  } catch {
    throw new Error(`not JSON (exit ${result.code}):\n${result.stdout}\n--- stderr ---\n${result.stderr}`);
  }
}

/** Runs `funscribe list --json` and returns the meetings. */
async function listMeetings(dataDir: string): Promise<unknown[]> {
  const { stdout } = await runCli(dataDir, ['list', '--json']);
  return (JSON.parse(stdout) as { meetings: unknown[] }).meetings;
}

describe('funscribe transcribe against a server claiming absurd times', () => {
  const cases: [string, StampSentFields[]][] = [
    [
      'a token from 1.1 s to 1e9 ms',
      [
        TODAY_PIECE,
        {
          text_seg: '我 们 开 会',
          punc: '。',
          start: 900,
          end: 1e9,
          ts_list: [
            [900, 1100],
            [1100, 1e9],
            [1e9, 1e9 + 100],
            [1e9 + 100, 1e9 + 200],
          ],
        },
      ],
    ],
    [
      'a piece from 0 to 9e15 ms',
      [
        { text_seg: '今 天 我 们', punc: '，', start: 0, end: 9e15, ts_list: [] },
        {
          text_seg: '开 会',
          punc: '。',
          start: 2500,
          end: 3000,
          ts_list: [
            [2500, 2700],
            [2700, 3000],
          ],
        },
      ],
    ],
    [
      'every time at 9e15 ms',
      [
        { text_seg: '今 天 我 们', punc: '，', start: 9e15, end: 9e15 + 800, ts_list: [[9e15, 9e15 + 800]] },
        { text_seg: '开 会', punc: '。', start: 9e15 + 800, end: 9e15 + 900, ts_list: [] },
      ],
    ],
  ];

  it.each(cases)('finishes with %s, every stored time within the audio', async (_name, pieces) => {
    const server = await serve(replying(pieces));
    const data = await makeTempDir('hostile-times');
    try {
      const { result, json } = await transcribe(data.path, server.url, [speechWav]);
      expect(result.code, result.stderr).toBe(0);
      expect(json.errors).toEqual([]);
      const [meeting] = json.meetings;
      expect(meeting?.durationMs).toBe(6000);
      expect(meeting!.segments.map((segment) => segment.text).join('')).toBe(piecesText(pieces));
      for (const segment of meeting!.segments) {
        for (const time of [segment, ...segment.tokens]) {
          expect(time.startMs).toBeGreaterThanOrEqual(0);
          expect(time.endMs).toBeLessThanOrEqual(6000);
          expect(time.startMs).toBeLessThanOrEqual(time.endMs);
        }
      }
    } finally {
      await data.remove();
    }
  });
});

describe('funscribe transcribe when nothing is heard', () => {
  /** The outcome for a file in which nothing was heard: an error, no meeting. */
  const noSpeech = (file: string) => ({
    file,
    code: 'NO_SPEECH',
    message: `No speech was found in ${file.split('/').pop()!}; nothing was added to the library.`,
    params: { reason: 'noSpeech', file: file.split('/').pop()! },
  });

  it('reports NO_SPEECH for an empty reply and stores nothing', async () => {
    const server = await serve({
      onEnd: (session) => session.send(offlineReply(session.start?.wav_name, { text: '' })),
    });
    const data = await makeTempDir('hostile-empty');
    try {
      const { result, json } = await transcribe(data.path, server.url, [speechWav]);
      expect(result.code).toBe(1);
      expect(json.meetings).toEqual([]);
      expect(json.errors).toEqual([noSpeech(speechWav)]);
      expect(await listMeetings(data.path)).toEqual([]);
      expect(server.sessions).toHaveLength(1);
    } finally {
      await data.remove();
    }
  });

  it('reports NO_SPEECH when a server without timestamps hears nothing in any utterance', async () => {
    // Text without times for speech.wav (so the server is known to give none), nothing at all for mute.wav.
    const server = await serve({
      onEnd: (session) => {
        const name = session.start?.wav_name;
        return session.send(offlineReply(name, { text: name === 'speech.wav' ? '今天开会。' : '' }));
      },
    });
    const data = await makeTempDir('hostile-utterances');
    try {
      const { result, json } = await transcribe(
        data.path,
        server.url,
        [speechWav, muteWav],
        ['--concurrency', '1'],
      );
      expect(result.code).toBe(1);
      expect(json.meetings).toHaveLength(1);
      expect(json.errors).toEqual([noSpeech(muteWav)]);
      expect(await listMeetings(data.path)).toHaveLength(1);
      // mute.wav went one utterance at a time (three tones), never as a whole file.
      expect(server.sessions.filter((session) => session.start?.wav_name === 'mute.wav')).toHaveLength(3);
    } finally {
      await data.remove();
    }
  });

  it('reports NO_SPEECH for a file of silence against the stand-in', async () => {
    const sim = await startSimProcess();
    const data = await makeTempDir('hostile-silence');
    try {
      const { result, json } = await transcribe(data.path, sim.url, [silenceWav]);
      expect(result.code).toBe(1);
      expect(json.meetings).toEqual([]);
      expect(json.errors).toEqual([noSpeech(silenceWav)]);
      expect(await listMeetings(data.path)).toEqual([]);
    } finally {
      await data.remove();
      await sim.stop();
    }
  });
});
