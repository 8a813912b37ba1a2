// `funscribe record` against a PulseAudio daemon of its own: files played into null sinks are recorded through their
// monitors (the microphone left, the default output right), kept in the journal and --out, and transcribed into the
// library through the stand-in server. Ctrl-C stops and saves; --duration counts the audio; --live prints the captions
// of a 2pass stand-in on stderr as it records and stores them with the recording.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../../src-main/application/library-maintenance.js';
import { generateConversation, MEETING_SCRIPT } from '../../fixtures/speech.js';
import type { TranscribeJson } from '../../helpers/run-cli.js';
import { startSimProcess, type SimProcess } from '../../helpers/sim-process.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { bestMatch, cutWav, envelope, readWavChannels, soundSpanMs } from './audio-compare.js';
import { startPulseDaemon, type PulseDaemon } from './pulse-daemon.js';
import { startRecord } from './record-process.js';

const GENERATED = join(import.meta.dirname, '../../fixtures/generated/speech');

describe('funscribe record (PulseAudio)', () => {
  let pulse: PulseDaemon | null = null;
  let sim: SimProcess | null = null;
  let data: Awaited<ReturnType<typeof makeTempDir>>;
  let microphoneWav: string;
  let systemWav: string;

  beforeAll(async () => {
    data = await makeTempDir('record');
    await mkdir(GENERATED, { recursive: true });
    const speech = await generateConversation(GENERATED, 'meeting-4-turns', MEETING_SCRIPT);
    const [first, second] = speech.turns;
    microphoneWav = join(data.path, 'microphone.wav');
    systemWav = join(data.path, 'system.wav');
    await cutWav(speech.wavPath, first!.startMs - 300, first!.endMs + 300, microphoneWav);
    await cutWav(speech.wavPath, second!.startMs - 300, second!.endMs + 300, systemWav);
    pulse = await startPulseDaemon(['meeting', 'microphone']);
    sim = await startSimProcess();
  });

  afterAll(async () => {
    await sim?.stop();
    await pulse?.stop();
    await data.remove();
  });

  it('records the microphone left and the system audio right until Ctrl-C, keeps it and transcribes it', async () => {
    const dataDir = join(data.path, 'two-channels');
    const out = join(data.path, 'two-channels.wav');
    const args = [
      '--device',
      'microphone.monitor',
      '--system-audio',
      '--out',
      out,
      '--server',
      sim!.url,
      '--json',
    ];
    const record = startRecord(dataDir, args, pulse!.env);
    await record.started;
    // One after the other, as people take turns: each sentence then has one channel to itself.
    await pulse!.play('microphone', microphoneWav);
    await pulse!.play('meeting', systemWav);
    record.child.kill('SIGINT');
    const { code, stdout, stderr } = await record.exited;
    expect(code, stderr).toBe(0);

    const result = JSON.parse(stdout) as TranscribeJson;
    expect(result.errors).toEqual([]);
    expect(result.meetings).toHaveLength(1);
    expect(result.meetings[0]!.segments.length).toBeGreaterThan(0);
    // Speakers by channel: the microphone's sentence and the system audio's come from two speakers.
    expect(result.meetings[0]!.speakers).toHaveLength(2);
    expect(new Set(result.meetings[0]!.segments.map((segment) => segment.speakerId)).size).toBe(2);

    const [left, right] = await readWavChannels(out, 2);
    const [microphone] = await readWavChannels(microphoneWav, 1);
    const [system] = await readWavChannels(systemWav, 1);
    const [leftEnv, rightEnv] = [envelope(left!), envelope(right!)];
    const [microphoneEnv, systemEnv] = [envelope(microphone!), envelope(system!)];
    expect(bestMatch(leftEnv, microphoneEnv).r).toBeGreaterThan(0.9);
    expect(bestMatch(rightEnv, systemEnv).r).toBeGreaterThan(0.9);
    expect(bestMatch(leftEnv, systemEnv).r).toBeLessThan(bestMatch(leftEnv, microphoneEnv).r - 0.2);
    // The whole of each file is in its channel, no longer or shorter than played (within 3 %).
    expect(soundSpanMs(leftEnv) / soundSpanMs(microphoneEnv)).toBeCloseTo(1, 1);
    expect(Math.abs(soundSpanMs(leftEnv) / soundSpanMs(microphoneEnv) - 1)).toBeLessThan(0.03);
    expect(Math.abs(soundSpanMs(rightEnv) / soundSpanMs(systemEnv) - 1)).toBeLessThan(0.03);
  });

  it('stops after --duration seconds of audio and marks the recording finished', async () => {
    const dataDir = join(data.path, 'duration');
    const record = startRecord(
      dataDir,
      ['--device', 'microphone.monitor', '--duration', '3', '--server', sim!.url, '--json'],
      pulse!.env,
    );
    await record.started;
    // The file plays on past the 3 s recorded; it is awaited so that no player outlives the test's daemon.
    const playing = pulse!.play('microphone', microphoneWav);
    const { code, stdout, stderr } = await record.exited;
    await playing;
    expect(code, stderr).toBe(0);
    const [meeting] = (JSON.parse(stdout) as TranscribeJson).meetings;
    expect(Math.abs(meeting!.durationMs - 3000)).toBeLessThan(30);
    expect(meeting!.segments.length).toBeGreaterThan(0);
    const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
    const rows = db.prepare('SELECT status, duration_ms, owner_token FROM recordings').all();
    db.close();
    expect(rows).toEqual([{ status: 'finished', duration_ms: 3000, owner_token: null }]);
  });

  it('prints live captions from the --server 2pass server on stderr while it records, and stores them', async () => {
    const twoPass = await startSimProcess(['--protocol', '2pass']);
    try {
      const dataDir = join(data.path, 'live');
      const args = [
        '--device',
        'microphone.monitor',
        '--duration',
        '5',
        '--live',
        '--server',
        twoPass.url,
        '--json',
      ];
      const record = startRecord(dataDir, args, pulse!.env);
      await record.started;
      const playing = pulse!.play('microphone', microphoneWav);
      const { code, stdout, stderr } = await record.exited;
      await playing;
      expect(code, stderr).toBe(0);
      expect(stderr).toMatch(/^Live captions on\.$/m);
      const lines = stderr.split('\n').filter((line) => /^\[\d\d:\d\d:\d\d\] \S/.test(line));
      expect(lines.length).toBeGreaterThan(0);
      // Not a terminal: no provisional text rewritten in place.
      expect(stderr).not.toContain('\r');
      expect((JSON.parse(stdout) as TranscribeJson).meetings[0]!.segments.length).toBeGreaterThan(0);
      const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
      const stored = db.prepare('SELECT text FROM recording_captions ORDER BY seq').pluck().all();
      db.close();
      expect(stored).toEqual(lines.map((line) => line.replace(/^\[[\d:]+\] /, '')));
    } finally {
      await twoPass.stop();
    }
  });
});
