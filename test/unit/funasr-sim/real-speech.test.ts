import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startSimServer } from '../../funasr-sim/server.js';
import { connect, sendPcm } from './sim-client.js';

const dir = mkdtempSync(join(tmpdir(), 'funasr-sim-speech-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const seconds = (file: string): number => Number(execFileSync('soxi', ['-D', file]).toString().trim());

/** Speech bounds of a file in ms, measured with sox's silence trimming (1% amplitude, 10 ms). */
function soxBounds(file: string): { start: number; end: number } {
  const total = seconds(file);
  execFileSync('sox', [file, join(dir, 'front.wav'), 'silence', '1', '0.01', '1%']);
  execFileSync('sox', [file, join(dir, 'back.wav'), 'reverse', 'silence', '1', '0.01', '1%', 'reverse']);
  return {
    start: (total - seconds(join(dir, 'front.wav'))) * 1000,
    end: seconds(join(dir, 'back.wav')) * 1000,
  };
}

describe('real speech (espeak-ng)', () => {
  it('puts the sentences on the speech that sox finds, within 100 ms', async () => {
    const a = join(dir, 'a.wav');
    const b = join(dir, 'b.wav');
    execFileSync('espeak-ng', ['-w', a, 'Hello everyone, today we talk about the budget.']);
    execFileSync('espeak-ng', ['-w', b, 'Please review the meeting notes tomorrow.']);
    const lead = 800;
    const gap = 1500;
    const pcm = join(dir, 'speech.pcm');
    const graph = `[0]adelay=${lead},apad=pad_dur=${gap / 1000}[x];[x][1]concat=n=2:v=0:a=1,apad=pad_dur=1`;
    execFileSync('ffmpeg', [
      '-y',
      '-loglevel',
      'error',
      '-i',
      a,
      '-i',
      b,
      '-filter_complex',
      graph,
      '-ac',
      '1',
      '-ar',
      '16000',
      '-f',
      's16le',
      pcm,
    ]);
    const first = soxBounds(a);
    const second = soxBounds(b);
    const bOffset = lead + seconds(a) * 1000 + gap;
    const expected = [lead + first.start, lead + first.end, bOffset + second.start, bOffset + second.end];

    const server = await startSimServer({
      protocol: 'offline',
      port: 0,
      language: 'en',
      log: () => undefined,
    });
    const client = await connect(server.url);
    client.ws.send(
      JSON.stringify({ mode: 'offline', wav_name: 'espeak', wav_format: 'pcm', audio_fs: 16000, itn: true }),
    );
    sendPcm(client.ws, readFileSync(pcm));
    client.ws.send(JSON.stringify({ is_speaking: false }));
    const reply = JSON.parse(await client.reply(0)) as {
      text: string;
      stamp_sents: { punc: string; start: number; end: number }[];
    };
    client.close();
    await server.close();

    const sents = reply.stamp_sents;
    const stops = sents.map((s, i) => ({ s, i })).filter(({ s }) => s.punc === '.');
    expect(stops).toHaveLength(2);
    const firstEnd = stops[0]?.i ?? 0;
    const measured = [
      sents[0]?.start,
      sents[firstEnd]?.end,
      sents[firstEnd + 1]?.start,
      sents[sents.length - 1]?.end,
    ];
    measured.forEach((ms, i) => expect(Math.abs((ms ?? 0) - (expected[i] ?? 0))).toBeLessThanOrEqual(100));
    expect(reply.text.split(' ').length).toBeGreaterThanOrEqual(4);
  });
});
