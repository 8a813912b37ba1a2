// One batch through the real CLI with the broken-input corpus plus real speech: every file gets its own clear
// outcome, the good files are saved, and the command exits non-zero because some failed.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateBadInputs, type BadInputCase } from '../../fixtures/bad-inputs.js';
import { generateConversation, MEETING_SCRIPT } from '../../fixtures/speech.js';
import { runCliJson } from '../../helpers/run-cli.js';
import { startSimProcess, type SimProcess } from '../../helpers/sim-process.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const GENERATED = join(import.meta.dirname, '../../fixtures/generated');

interface TranscribeJson {
  meetings: { id: number; source: string; durationMs: number; segments: unknown[] }[];
  errors: { file: string; code: string; message: string }[];
}

describe('a batch with broken and odd files', () => {
  let sim: SimProcess;
  let data: Awaited<ReturnType<typeof makeTempDir>>;
  let cases: BadInputCase[];
  let speechPath: string;
  let result: { code: number | null; json: TranscribeJson };

  beforeAll(async () => {
    await mkdir(join(GENERATED, 'bad-inputs'), { recursive: true });
    cases = await generateBadInputs(join(GENERATED, 'bad-inputs'));
    speechPath = (await generateConversation(join(GENERATED, 'speech'), 'meeting-4-turns', MEETING_SCRIPT))
      .wavPath;
    sim = await startSimProcess(['--language', 'en']);
    data = await makeTempDir('batch');
    const files = [...cases.map((c) => c.path), speechPath];
    result = await runCliJson<TranscribeJson>(data.path, [
      'transcribe',
      ...files,
      '--server',
      sim.url,
      '--concurrency',
      '2',
    ]);
  }, 600_000);

  afterAll(async () => {
    await sim?.stop();
    await data?.remove();
  });

  it('has a corpus of at least 15 broken or odd inputs', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
  });

  it('gives every file exactly its expected outcome and still saves the good ones', () => {
    const bySource = new Map(result.json.meetings.map((meeting) => [meeting.source, meeting]));
    const errorsByFile = new Map(result.json.errors.map((error) => [error.file, error]));
    for (const c of cases) {
      const expected = c.transcribed ?? c.expect;
      if (expected.ok) {
        const meeting = bySource.get(c.path);
        expect(
          meeting,
          `${c.name} should be transcribed (${errorsByFile.get(c.path)?.message})`,
        ).toBeDefined();
        if (expected.minDurationMs !== undefined)
          expect(meeting!.durationMs).toBeGreaterThanOrEqual(expected.minDurationMs);
        if (expected.maxDurationMs !== undefined)
          expect(meeting!.durationMs).toBeLessThanOrEqual(expected.maxDurationMs);
      } else {
        const error = errorsByFile.get(c.path);
        expect(error?.code, `${c.name} should fail with ${expected.code}`).toBe(expected.code);
        expect(error!.message.length).toBeGreaterThan(10);
        expect(error!.message).not.toMatch(/undefined|\[object Object\]/);
      }
    }
    expect(bySource.get(speechPath)?.segments.length).toBe(MEETING_SCRIPT.length);
    expect(result.json.meetings.length + result.json.errors.length).toBe(cases.length + 1);
    expect(result.code).toBe(1);
  });
});
