// Speaker labels through the whole pipeline: funscribe transcribe → stand-in FunASR (its sentences lie on the real
// speech) → speaker stage → SQLite, scored with DER against the generated conversations' reference RTTM.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDiarizationSet, type DiarizationFile } from '../../fixtures/conversations.js';
import { diarizationErrorRate } from '../../helpers/der.js';
import { parseRttm } from '../../helpers/rttm.js';
import { runCli, runCliJson } from '../../helpers/run-cli.js';
import { startSimProcess, type SimProcess } from '../../helpers/sim-process.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const GENERATED = join(import.meta.dirname, '../../fixtures/generated/diarization');

interface TranscribeJson {
  meetings: {
    id: number;
    speakers: { label: string }[];
    segments: { startMs: number; endMs: number; speaker: string | null }[];
  }[];
  errors: { code: string; message: string }[];
}

describe('funscribe transcribe --speakers', () => {
  let sim: SimProcess;
  let data: Awaited<ReturnType<typeof makeTempDir>>;
  let files: Map<string, DiarizationFile>;

  beforeAll(async () => {
    files = new Map((await generateDiarizationSet(GENERATED)).map((file) => [file.name, file]));
    sim = await startSimProcess();
    data = await makeTempDir('cli-speakers');
  }, 300_000);

  afterAll(async () => {
    await sim?.stop();
    await data?.remove();
  });

  /** Transcribes one fixture with extra arguments; returns its speaker labels and DER against the reference. */
  async function transcribe(name: string, extra: string[] = []) {
    const file = files.get(name)!;
    const { code, json } = await runCliJson<TranscribeJson>(data.path, [
      'transcribe',
      file.wavPath,
      '--server',
      sim.url,
      ...extra,
    ]);
    expect(code).toBe(0);
    const meeting = json.meetings[0]!;
    const reference = parseRttm(await readFile(file.rttmPath, 'utf8'));
    const hypothesis = meeting.segments.map((s) => ({
      file: name,
      speaker: s.speaker ?? '?',
      startMs: s.startMs,
      endMs: s.endMs,
    }));
    return {
      id: meeting.id,
      speakers: meeting.speakers.length,
      der: diarizationErrorRate(reference, hypothesis).der,
    };
  }

  it('labels the stereo call by channel on its own, and by voice when asked to', async () => {
    const auto = await transcribe('call-stereo');
    expect(auto.speakers).toBe(2);
    expect(auto.der).toBeLessThanOrEqual(0.05);
    const channels = await transcribe('call-stereo', ['--speakers', 'channels']);
    expect({ ...channels, id: auto.id }).toEqual(auto);
    const voice = await transcribe('call-stereo', ['--speakers', 'voice']);
    expect(voice.speakers).toBe(2);
    expect(voice.der).toBeLessThanOrEqual(0.1);
  });

  it('finds three voices by itself and gives two when told there are two', async () => {
    const auto = await transcribe('conv-3spk');
    expect(auto.speakers).toBe(3);
    expect(auto.der).toBeLessThanOrEqual(0.1);
    const two = await transcribe('conv-3spk', ['--speakers', '2']);
    expect(two.speakers).toBe(2);
    expect(two.der).toBeGreaterThan(auto.der);
  });

  it('re-counts and renames the speakers of a transcribed meeting from what the pipeline stored', async () => {
    const { id } = await transcribe('conv-4spk');
    type SpeakersJson = {
      labelling: { mode: string; backend: string };
      speakers: { label: string; name: string | null }[];
    };
    const two = await runCliJson<SpeakersJson>(data.path, ['speakers', String(id), '--count', '2', '--json']);
    expect(two.code).toBe(0);
    expect(two.json.labelling).toMatchObject({ mode: 'voice', backend: 'mfcc-stats' });
    expect(two.json.speakers.map((s) => s.label)).toEqual(['Speaker 1', 'Speaker 2']);
    const args = ['speakers', String(id), '--count', '4', '--rename', 'Speaker 1=Alice', '--json'];
    const four = await runCliJson<SpeakersJson>(data.path, args);
    expect(four.json.speakers.map((s) => s.name)).toEqual(['Alice', null, null, null]);
  });

  it('falls back to voices when channel mode is asked for a mono file', async () => {
    const mono = await transcribe('conv-2spk', ['--speakers', 'channels']);
    expect(mono.speakers).toBe(2);
    expect(mono.der).toBeLessThanOrEqual(0.1);
  });

  it('refuses a speaker setting that makes no sense before doing any work', async () => {
    for (const bad of ['0', 'lots', '2.5', '51']) {
      const { code, stderr } = await runCli(data.path, [
        'transcribe',
        files.get('conv-2spk')!.wavPath,
        '--server',
        sim.url,
        '--speakers',
        bad,
      ]);
      expect(code, bad).not.toBe(0);
      expect(stderr, bad).toContain('expected auto, voice, channels or a number of speakers from 1 to 50');
    }
  });
});
