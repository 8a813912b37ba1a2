// Acceptance: `funscribe transcribe` against servers whose model gives no timestamps (the English model, a plain
// Paraformer) still puts every sentence edge within 300 ms of the real speech, known from how the fixture was built.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  generateConversation,
  MEETING_SCRIPT,
  type Conversation,
  type ReferenceTurn,
  type Utterance,
} from '../../fixtures/speech.js';
import { runCliJson } from '../../helpers/run-cli.js';
import { startSimProcess, type SimProcess } from '../../helpers/sim-process.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const GENERATED = join(import.meta.dirname, '../../fixtures/generated/speech');
const TOLERANCE_MS = 300;
const ENGLISH = 'damo/speech_paraformer-large_asr_nat-en-16k-common-vocab10020-onnx';
const PLAIN_ZH = 'damo/speech_paraformer-large_asr_nat-zh-cn-16k-common-vocab8404-onnx';

/** Short pauses (450–600 ms) and one turn of about 20 s without a pause, longer than any utterance may be. */
const LONG_TURN_SCRIPT: Utterance[] = [
  {
    speaker: 'A',
    voice: { engine: 'espeak', name: 'en-us' },
    text: 'Let us begin with the numbers from the last quarter.',
    gapBeforeMs: 500,
  },
  {
    speaker: 'B',
    voice: { engine: 'espeak', name: 'en-gb', pitch: 70 },
    text:
      'The hardware budget went up by twelve percent because the new servers arrived early and the support contract ' +
      'for the old machines had to be renewed for another year while the migration is still running and the team ' +
      'has to keep both systems working side by side until every customer has been moved over to the new platform ' +
      'which we now expect to happen before the end of the summer holidays',
    gapBeforeMs: 450,
  },
  {
    speaker: 'A',
    voice: { engine: 'espeak', name: 'en-us' },
    text: 'Thank you, that is clear.',
    gapBeforeMs: 600,
  },
];

interface JsonSegment {
  startMs: number;
  endMs: number;
  text: string;
  tokens: { text: string; startMs: number; endMs: number }[];
}
interface TranscribeJson {
  meetings: { durationMs: number; segments: JsonSegment[] }[];
  errors: { file: string; code: string; message: string }[];
}

/** Transcribes the conversation with the CLI against `sim` and returns the segments of its one meeting. */
async function transcribe(
  sim: SimProcess,
  conversation: Conversation,
  extra: string[] = [],
): Promise<JsonSegment[]> {
  const data = await makeTempDir('no-timestamps');
  try {
    const { code, json, stderr } = await runCliJson<TranscribeJson>(data.path, [
      'transcribe',
      conversation.wavPath,
      '--server',
      sim.url,
      ...extra,
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(json.errors).toEqual([]);
    expect(json.meetings).toHaveLength(1);
    return json.meetings[0]!.segments;
  } finally {
    await data.remove();
  }
}

/**
 * Every segment edge is on the real speech (a start within a turn or at most 300 ms before it, an end within a turn or
 * at most 300 ms after it), and every turn's start and end is within 300 ms of a segment's start and end.
 */
function expectEdgesOnSpeech(segments: readonly JsonSegment[], turns: readonly ReferenceTurn[]): void {
  expect(segments.length).toBeGreaterThanOrEqual(turns.length);
  for (const [index, segment] of segments.entries()) {
    const onStart = turns.some(
      (t) => segment.startMs >= t.startMs - TOLERANCE_MS && segment.startMs < t.endMs,
    );
    const onEnd = turns.some((t) => segment.endMs > t.startMs && segment.endMs <= t.endMs + TOLERANCE_MS);
    expect(onStart, `segment ${index} starts at ${segment.startMs} ms, not on speech`).toBe(true);
    expect(onEnd, `segment ${index} ends at ${segment.endMs} ms, not on speech`).toBe(true);
    expect(segment.text.length).toBeGreaterThan(0);
    for (const token of segment.tokens) {
      expect(token.startMs).toBeGreaterThanOrEqual(segment.startMs);
      expect(token.endMs).toBeLessThanOrEqual(segment.endMs);
    }
  }
  for (const [index, turn] of turns.entries()) {
    const nearestStart = Math.min(...segments.map((s) => Math.abs(s.startMs - turn.startMs)));
    const nearestEnd = Math.min(...segments.map((s) => Math.abs(s.endMs - turn.endMs)));
    expect(nearestStart, `turn ${index} start`).toBeLessThanOrEqual(TOLERANCE_MS);
    expect(nearestEnd, `turn ${index} end`).toBeLessThanOrEqual(TOLERANCE_MS);
  }
}

describe('funscribe transcribe against a server without timestamps', () => {
  let meeting: Conversation;
  let longTurn: Conversation;
  const sims: SimProcess[] = [];

  beforeAll(async () => {
    await mkdir(GENERATED, { recursive: true });
    meeting = await generateConversation(GENERATED, 'meeting-4-turns', MEETING_SCRIPT);
    longTurn = await generateConversation(GENERATED, 'long-turn-short-pauses', LONG_TURN_SCRIPT, 700);
  }, 300_000);

  afterAll(async () => {
    await Promise.all(sims.map((sim) => sim.stop()));
  });

  async function server(modelDir: string, protocol: 'offline' | '2pass' = 'offline'): Promise<SimProcess> {
    const sim = await startSimProcess(['--protocol', protocol, '--model-dir', modelDir]);
    sims.push(sim);
    return sim;
  }

  it('English model: sentences in English, every edge on the speech', async () => {
    const segments = await transcribe(await server(ENGLISH), meeting);
    expectEdgesOnSpeech(segments, meeting.turns);
    expect(segments[0]?.text).toMatch(/^today /);
    for (const segment of segments) expect(segment.text).toMatch(/^[a-z][a-z ,.]*$/);
  });

  it('plain Paraformer: Chinese sentences, every edge on the speech', async () => {
    const segments = await transcribe(await server(PLAIN_ZH), meeting);
    expectEdgesOnSpeech(segments, meeting.turns);
    expect(segments[0]?.text).toMatch(/^今天/);
    for (const segment of segments) expect(segment.text).toMatch(/^[\p{Script=Han}，。]+$/u);
  });

  it('2pass server with its own default offline model (a plain Paraformer): every edge on the speech', async () => {
    const segments = await transcribe(await server(PLAIN_ZH, '2pass'), meeting);
    expectEdgesOnSpeech(segments, meeting.turns);
    for (const segment of segments) expect(segment.text).toMatch(/^[\p{Script=Han}，。]+$/u);
  });

  it('a turn longer than any utterance is cut inside its speech; short pauses still separate turns', async () => {
    const segments = await transcribe(await server(ENGLISH), longTurn, ['--speakers', '1']);
    expectEdgesOnSpeech(segments, longTurn.turns);
    const long = longTurn.turns[1]!;
    expect(long.endMs - long.startMs).toBeGreaterThan(18_000);
    const inside = segments.filter(
      (s) => s.startMs >= long.startMs - TOLERANCE_MS && s.endMs <= long.endMs + TOLERANCE_MS,
    );
    expect(inside.length).toBeGreaterThanOrEqual(2);
    for (const segment of inside) expect(segment.endMs - segment.startMs).toBeLessThanOrEqual(18_000);
  });
});
