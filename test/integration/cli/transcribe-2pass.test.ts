// `funscribe transcribe` with default options against the stand-in 2pass server (what the online-cpu image runs):
// the client must send chunk_size, keep every sentence (one VAD closing per message) and keep the token times.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateConversation, MEETING_SCRIPT, type Conversation } from '../../fixtures/speech.js';
import { runCliJson, type TranscribeJson } from '../../helpers/run-cli.js';
import { startSimProcess, type SimProcess } from '../../helpers/sim-process.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const GENERATED = join(import.meta.dirname, '../../fixtures/generated/speech');
const TOLERANCE_MS = 200;

describe('funscribe transcribe against a 2pass server', () => {
  let sim: SimProcess;
  let data: Awaited<ReturnType<typeof makeTempDir>>;
  let conversation: Conversation;
  let result: { code: number | null; json: TranscribeJson; stderr: string };

  beforeAll(async () => {
    await mkdir(GENERATED, { recursive: true });
    conversation = await generateConversation(GENERATED, 'meeting-4-turns', MEETING_SCRIPT);
    sim = await startSimProcess(['--protocol', '2pass', '--language', 'zh']);
    data = await makeTempDir('transcribe-2pass');
    result = await runCliJson<TranscribeJson>(data.path, [
      'transcribe',
      conversation.wavPath,
      '--server',
      sim.url,
    ]);
  });

  afterAll(async () => {
    await sim?.stop();
    await data?.remove();
  });

  it('transcribes the file with every sentence present and token times on the speech', () => {
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.json.errors).toEqual([]);
    const meeting = result.json.meetings[0]!;
    expect(Math.abs(meeting.durationMs - conversation.durationMs)).toBeLessThan(50);
    // Segments follow the speaker stage, which may split a turn; every turn must be covered from its first to its last
    // word, and every token must lie on that turn's speech.
    const covered = new Set<number>();
    for (const segment of meeting.segments) {
      const index = conversation.turns.findIndex(
        (turn) =>
          segment.startMs >= turn.startMs - TOLERANCE_MS && segment.endMs <= turn.endMs + TOLERANCE_MS,
      );
      expect(index, `segment ${segment.startMs}-${segment.endMs} lies on one turn`).toBeGreaterThanOrEqual(0);
      covered.add(index);
      const turn = conversation.turns[index]!;
      expect(segment.tokens.length).toBeGreaterThan(0);
      for (const token of segment.tokens) {
        expect(token.startMs).toBeGreaterThanOrEqual(turn.startMs - TOLERANCE_MS);
        expect(token.endMs).toBeLessThanOrEqual(turn.endMs + TOLERANCE_MS);
      }
    }
    expect([...covered].sort()).toEqual(conversation.turns.map((_, index) => index));
    for (const [index, turn] of conversation.turns.entries()) {
      const onTurn = meeting.segments.filter(
        (segment) => segment.startMs < turn.endMs && segment.endMs > turn.startMs,
      );
      expect(Math.abs(onTurn[0]!.startMs - turn.startMs), `turn ${index} start`).toBeLessThanOrEqual(
        TOLERANCE_MS,
      );
      expect(Math.abs(onTurn.at(-1)!.endMs - turn.endMs), `turn ${index} end`).toBeLessThanOrEqual(
        TOLERANCE_MS,
      );
    }
  });

  it('gives the same transcript as the offline server for the same file', async () => {
    const offline = await startSimProcess(['--language', 'zh']);
    try {
      const other = await makeTempDir('transcribe-offline');
      const reference = await runCliJson<TranscribeJson>(other.path, [
        'transcribe',
        conversation.wavPath,
        '--server',
        offline.url,
      ]);
      await other.remove();
      const times = (json: TranscribeJson): number[][] =>
        json.meetings[0]!.segments.map((segment) => [segment.startMs, segment.endMs, segment.tokens.length]);
      expect(times(result.json)).toEqual(times(reference.json));
    } finally {
      await offline.stop();
    }
  });

  it('spoke the 2pass protocol: chunk_size sent, one re-decoded sentence per turn', () => {
    const firstMessage = sim.logs.find((line) => line.includes('jsonresult={'));
    expect(firstMessage).toContain('"chunk_size":[5,10,5]');
    expect(firstMessage).toContain('"mode":"offline"');
    expect(sim.logs.filter((line) => line.includes('] offline results : '))).toHaveLength(
      conversation.turns.length,
    );
  });
});
