// End to end through the real command: speech from Debian voices → funscribe transcribe → stand-in FunASR → SQLite →
// search and export. Nothing is stubbed: ffmpeg, the websocket, the database and the CLI process are all real.
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { parseSync } from 'subtitle';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import webvtt from 'webvtt-parser';
import { generateConversation, MEETING_SCRIPT, type Conversation } from '../../fixtures/speech.js';
import { runCli, runCliJson } from '../../helpers/run-cli.js';
import { startSimProcess, type SimProcess } from '../../helpers/sim-process.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const GENERATED = join(import.meta.dirname, '../../fixtures/generated/speech');
const TOLERANCE_MS = 200;
const ENTITIES = createRequire(import.meta.url)('webvtt-parser/html-entities.json') as Record<string, string>;

interface JsonSegment {
  startMs: number;
  endMs: number;
  text: string;
  speaker: string | null;
  tokens: { text: string; startMs: number; endMs: number }[];
}
interface JsonMeeting {
  id: number;
  title: string;
  durationMs: number;
  speakers: { id: number; label: string; name: string | null }[];
  segments: JsonSegment[];
}
interface TranscribeJson {
  meetings: JsonMeeting[];
  errors: { file: string; code: string; message: string }[];
}

describe('funscribe transcribe → search → export (end to end)', () => {
  let sim: SimProcess;
  let data: Awaited<ReturnType<typeof makeTempDir>>;
  let conversation: Conversation;
  let meeting: JsonMeeting;

  beforeAll(async () => {
    await mkdir(GENERATED, { recursive: true });
    conversation = await generateConversation(GENERATED, 'meeting-4-turns', MEETING_SCRIPT);
    sim = await startSimProcess(['--language', 'zh']);
    data = await makeTempDir('e2e');
    const { code, json, stderr } = await runCliJson<TranscribeJson>(data.path, [
      'transcribe',
      conversation.wavPath,
      '--server',
      sim.url,
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(json.errors).toEqual([]);
    expect(json.meetings).toHaveLength(1);
    meeting = json.meetings[0]!;
  });

  afterAll(async () => {
    await sim?.stop();
    await data?.remove();
  });

  it('puts one sentence on each spoken turn, within 200 ms of where the speech really is', () => {
    expect(meeting.segments).toHaveLength(conversation.turns.length);
    for (const [index, turn] of conversation.turns.entries()) {
      const segment = meeting.segments[index]!;
      expect(Math.abs(segment.startMs - turn.startMs), `turn ${index} start`).toBeLessThanOrEqual(
        TOLERANCE_MS,
      );
      expect(Math.abs(segment.endMs - turn.endMs), `turn ${index} end`).toBeLessThanOrEqual(TOLERANCE_MS);
      expect(segment.tokens.length).toBeGreaterThan(0);
      for (const token of segment.tokens) {
        expect(token.startMs).toBeGreaterThanOrEqual(segment.startMs);
        expect(token.endMs).toBeLessThanOrEqual(segment.endMs);
      }
    }
    expect(Math.abs(meeting.durationMs - conversation.durationMs)).toBeLessThan(50);
    // Three voices (kal, slt, espeak Mandarin), the first one speaking again at the end: labelled by voice.
    const firstAppearance = [...new Set(conversation.turns.map((turn) => turn.speaker))];
    expect(meeting.speakers.map((speaker) => speaker.label)).toEqual(['Speaker 1', 'Speaker 2', 'Speaker 3']);
    expect(meeting.segments.map((segment) => segment.speaker)).toEqual(
      conversation.turns.map((turn) => `Speaker ${firstAppearance.indexOf(turn.speaker) + 1}`),
    );
  });

  it('finds a two-character Chinese word inside a stored sentence', async () => {
    const word = '预算';
    const containing = meeting.segments.filter((segment) => segment.text.indexOf(word) > 0);
    expect(
      containing.length,
      'the stand-in’s placeholder text contains the word mid-sentence',
    ).toBeGreaterThan(0);
    const { code, json } = await runCliJson<{
      hits: { meetingId: number; text: string; snippet: string; startMs: number }[];
    }>(data.path, ['search', word]);
    expect(code).toBe(0);
    expect(json.hits.map((hit) => hit.startMs).sort((a, b) => a - b)).toEqual(
      meeting.segments.filter((segment) => segment.text.includes(word)).map((segment) => segment.startMs),
    );
    for (const hit of json.hits) {
      expect(hit.meetingId).toBe(meeting.id);
      expect(hit.snippet).toContain(`[${word}]`);
    }
  });

  it('exports SRT and VTT that parse and match the stored segments', async () => {
    // Exports go outside the data folder (the CLI refuses to write into it).
    const out = await makeTempDir('e2e-exports');
    onTestFinished(() => out.remove());
    const srtPath = join(out.path, 'meeting.srt');
    const vttPath = join(out.path, 'meeting.vtt');
    expect(
      (await runCli(data.path, ['export', String(meeting.id), '--format', 'srt', '--out', srtPath])).code,
    ).toBe(0);
    expect(
      (await runCli(data.path, ['export', String(meeting.id), '--format', 'vtt', '--out', vttPath])).code,
    ).toBe(0);

    const srtCues = parseSync(await readFile(srtPath, 'utf8')).flatMap((node) =>
      node.type === 'cue' ? [node.data] : [],
    );
    const vtt = new webvtt.WebVTTParser(ENTITIES).parse(await readFile(vttPath, 'utf8'), 'metadata');
    expect(vtt.errors).toEqual([]);
    const vttCues = vtt.cues.map((cue) => ({
      start: cue.startTime * 1000,
      end: cue.endTime * 1000,
      text: cue.text,
    }));
    const srt = srtCues.map((cue) => ({ start: cue.start, end: cue.end, text: cue.text }));

    for (const cues of [srt, vttCues]) {
      const flat = (text: string): string =>
        text
          .replace(/<[^>]+>/g, '')
          .replace(/^[^:\n]*Speaker \d+: /, '')
          .replace(/\s+/g, '');
      for (const segment of meeting.segments) {
        const inside = cues.filter((cue) => cue.start >= segment.startMs - 1 && cue.end <= segment.endMs + 1);
        expect(inside.length, `cues for segment at ${segment.startMs}`).toBeGreaterThan(0);
        expect(inside.map((cue) => flat(cue.text)).join('')).toBe(segment.text.replace(/\s+/g, ''));
      }
      expect(cues.length).toBeGreaterThanOrEqual(meeting.segments.length);
    }
  });

  it('lists and shows the meeting from the same library', async () => {
    const list = await runCliJson<{ meetings: { id: number; title: string }[] }>(data.path, ['list']);
    expect(list.json.meetings).toEqual([
      expect.objectContaining({ id: meeting.id, title: 'meeting-4-turns' }),
    ]);
    const shown = await runCliJson<JsonMeeting>(data.path, ['show', String(meeting.id)]);
    expect(shown.json.segments).toEqual(meeting.segments);
    const missing = await runCli(data.path, ['show', '999']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no meeting with id 999/);
  });
});
