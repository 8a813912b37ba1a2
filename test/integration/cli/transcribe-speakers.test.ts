// Speaker labels through the whole pipeline: funscribe transcribe → stand-in FunASR (its sentences lie on the real
// speech) → speaker stage → SQLite, scored with DER against the generated conversations' reference RTTM.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SENTENCE_PAUSE_MS } from '../../../src-main/speakers/labelling/token-speakers.js';
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
    segments: {
      startMs: number;
      endMs: number;
      text: string;
      speaker: string | null;
      tokens: { startMs: number }[];
    }[];
  }[];
  errors: { code: string; message: string }[];
}

describe('funscribe transcribe --speakers', () => {
  let sim: SimProcess;
  /** A stand-in whose punctuation puts only commas between sentences (a full stop only at the very end). */
  let commaSim: SimProcess;
  /** A stand-in whose punctuation leaves sentence ends unmarked, so one piece runs from one person into the next. */
  let unmarkedSim: SimProcess;
  let data: Awaited<ReturnType<typeof makeTempDir>>;
  let files: Map<string, DiarizationFile>;

  beforeAll(async () => {
    files = new Map((await generateDiarizationSet(GENERATED)).map((file) => [file.name, file]));
    [sim, commaSim, unmarkedSim] = await Promise.all([
      startSimProcess(),
      startSimProcess(['--fault', 'commas-only']),
      startSimProcess(['--fault', 'unmarked-sentences']),
    ]);
    data = await makeTempDir('cli-speakers');
  }, 300_000);

  afterAll(async () => {
    await Promise.all([sim?.stop(), commaSim?.stop(), unmarkedSim?.stop()]);
    await data?.remove();
  });

  /** DER of a meeting's segments against a fixture's reference turns. */
  async function scoreSegments(name: string, segments: TranscribeJson['meetings'][number]['segments']) {
    const reference = parseRttm(await readFile(files.get(name)!.rttmPath, 'utf8'));
    const hypothesis = segments.map((s) => ({
      file: name,
      speaker: s.speaker ?? '?',
      startMs: s.startMs,
      endMs: s.endMs,
    }));
    return diarizationErrorRate(reference, hypothesis).der;
  }

  type Transcribed = Awaited<ReturnType<typeof transcribe>>;
  const earlier = new Map<string, Promise<Transcribed>>();

  /**
   * The outcome of transcribing a fixture with these arguments on this server, transcribed once for all the tests
   * that compare it (the pipeline gives the same labels for the same input); only for tests that leave the meeting as
   * it is.
   */
  function transcribed(name: string, extra: string[] = [], server = sim): Promise<Transcribed> {
    const key = JSON.stringify([name, extra, server.url]);
    if (!earlier.has(key)) earlier.set(key, transcribe(name, extra, server));
    return earlier.get(key)!;
  }

  /** Transcribes one fixture with extra arguments; returns its speaker labels and DER against the reference. */
  async function transcribe(name: string, extra: string[] = [], server = sim) {
    const file = files.get(name)!;
    const { code, json } = await runCliJson<TranscribeJson>(data.path, [
      'transcribe',
      file.wavPath,
      '--server',
      server.url,
      ...extra,
    ]);
    expect(code).toBe(0);
    const meeting = json.meetings[0]!;
    return {
      id: meeting.id,
      speakers: meeting.speakers.length,
      segments: meeting.segments.length,
      tokenSpeakers: meeting.segments.flatMap((s) => s.tokens.map((t) => `${t.startMs}:${s.speaker}`)),
      der: await scoreSegments(name, meeting.segments),
    };
  }

  it('labels every token alike and gives the same DER when only commas separate the speakers', async () => {
    const cases: [string, string][] = [
      ['conv-2spk', 'voice'],
      ['conv-3spk', 'voice'],
      ['conv-4spk', 'voice'],
      ['call-stereo', 'channels'],
      ['call-stereo', 'voice'],
    ];
    for (const [name, mode] of cases) {
      const stops = await transcribed(name, ['--speakers', mode]);
      const commas = await transcribe(name, ['--speakers', mode], commaSim);
      const what = `${name} ${mode}: ${commas.der} with commas, ${stops.der} with full stops`;
      expect(stops.der, what).toBeLessThanOrEqual(0.1);
      expect(Math.abs(commas.der - stops.der), what).toBeLessThanOrEqual(0.02);
      expect(commas.tokenSpeakers, what).toEqual(stops.tokenSpeakers);
    }
  });

  it('cuts a piece that runs from one person into the next at the hand-over, word by word', async () => {
    for (const [name, mode] of [
      ['conv-3spk', 'voice'],
      ['conv-4spk', 'voice'],
      ['call-stereo', 'channels'],
    ] as const) {
      const stops = await transcribed(name, ['--speakers', mode]);
      const unmarked = await transcribe(name, ['--speakers', mode], unmarkedSim);
      const what = `${name} ${mode}: ${unmarked.der} unmarked, ${stops.der} with full stops`;
      expect(Math.abs(unmarked.der - stops.der), what).toBeLessThanOrEqual(0.02);
      expect(unmarked.speakers, what).toBe(stops.speakers);
    }
  });

  it('rebuilds the stored sentences when speakers are re-counted or merged, so segments follow the labels', async () => {
    const { id, der, segments } = await transcribe('conv-3spk', ['--speakers', '3'], commaSim);
    type ShowJson = { segments: TranscribeJson['meetings'][number]['segments'] };
    const stored = async () =>
      (await runCliJson<ShowJson>(data.path, ['show', String(id), '--json'])).json.segments;
    /** Neighbours of one speaker stay apart only at a sentence end or a long pause (SENTENCE_PAUSE_MS). */
    const expectJoined = (list: ShowJson['segments']) =>
      list.forEach((segment, i) => {
        const next = list[i + 1];
        if (next?.speaker !== segment.speaker) return;
        const apart = /[。？！.?!]$/.test(segment.text) || next.startMs - segment.endMs >= SENTENCE_PAUSE_MS;
        expect(apart, `${segment.text} | ${next.text}`).toBe(true);
      });
    const recount = async (count: number) => {
      expect((await runCli(data.path, ['speakers', String(id), '--count', String(count)])).code).toBe(0);
      return stored();
    };
    const one = await recount(1);
    expect(new Set(one.map((s) => s.speaker))).toEqual(new Set(['Speaker 1']));
    expectJoined(one);
    const three = await recount(3);
    expect(three).toHaveLength(segments);
    expect(await scoreSegments('conv-3spk', three)).toBeCloseTo(der, 5);
    const merge = ['speakers', String(id), '--merge', 'Speaker 3=Speaker 1'];
    expect((await runCli(data.path, merge)).code).toBe(0);
    const merged = await stored();
    expect(new Set(merged.map((s) => s.speaker)).size).toBe(2);
    expectJoined(merged);
    expect(merged.flatMap((s) => s.tokens)).toEqual(three.flatMap((s) => s.tokens));
  });

  it('labels the stereo call by channel on its own, and by voice when asked to', async () => {
    const auto = await transcribe('call-stereo');
    expect(auto.speakers).toBe(2);
    expect(auto.der).toBeLessThanOrEqual(0.05);
    const channels = await transcribed('call-stereo', ['--speakers', 'channels']);
    expect({ ...channels, id: auto.id }).toEqual(auto);
    const voice = await transcribed('call-stereo', ['--speakers', 'voice']);
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
