// A recording whose process was SIGKILLed: the next `funscribe` command (any of them: with-app.ts) says which file
// was recovered and how long it is, and `funscribe resume` transcribes it into the library; then nothing is waiting.
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WAV_HEADER_BYTES } from '../../../src-main/recording/wav-journal.js';
import { runCli, runCliJson, type TranscribeJson } from '../../helpers/run-cli.js';
import { startSimProcess, type SimProcess } from '../../helpers/sim-process.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { startJournalWriter } from '../recording/journal-writer.js';
import { writeSpeechSource } from '../recording/speech-source.js';

describe('a recording killed mid-way, next time the command line runs', () => {
  let sim: SimProcess | null = null;
  let data: Awaited<ReturnType<typeof makeTempDir>>;

  beforeAll(async () => {
    data = await makeTempDir('cli-recovered');
    sim = await startSimProcess();
  });

  afterAll(async () => {
    await sim?.stop();
    await data.remove();
  });

  it('is named with its length by the next command and transcribed by `funscribe resume`', async () => {
    const dataDir = join(data.path, 'library');
    const source = await writeSpeechSource(data.path);
    const writer = startJournalWriter(dataDir, source.path, sim!.url, 5);
    await writer.appended(30);
    writer.child.kill('SIGKILL');
    expect((await writer.exited).signal).toBe('SIGKILL');
    const path = await writer.path;

    // The command that starts first recovers it, says so, and leaves its job queued; `resume` then transcribes it.
    const seconds = ((await stat(path)).size - WAV_HEADER_BYTES) / 32_000;
    expect(seconds).toBeGreaterThanOrEqual(3);
    const resumed = await runCliJson<TranscribeJson>(dataDir, ['resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain(
      `funscribe: recovered an interrupted recording (${seconds.toFixed(1)} s) in ${path}; it is queued: \`funscribe resume\` transcribes it now`,
    );
    expect(resumed.json.errors).toEqual([]);
    expect(resumed.json.meetings).toHaveLength(1);
    expect(resumed.json.meetings[0]!.durationMs).toBeCloseTo(seconds * 1000, -2);
    expect(resumed.json.meetings[0]!.segments.length).toBeGreaterThan(0);

    // Nothing is recovered or waiting any more.
    const again = await runCli(dataDir, ['resume']);
    expect(again).toMatchObject({ code: 0, stdout: '', stderr: 'No jobs are waiting.\n' });
  });
});
