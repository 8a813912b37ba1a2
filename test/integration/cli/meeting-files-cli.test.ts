// The real `funscribe` command on a meeting's files: a name with nothing to show gets a title from the date, `delete`
// removes the meeting and its audio, and any command's start sweeps what a killed run left in the audio folder.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, readdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredMeetingSummary } from '../../../src-main/store/stored-meeting.js';
import { ORPHAN_MIN_AGE_MS } from '../../../src-main/store/orphan-sweep.js';
import { formatDateTime } from '../../../src-shared/time.js';
import { generateConversation, MEETING_SCRIPT, type Conversation } from '../../fixtures/speech.js';
import { runCli, runCliJson } from '../../helpers/run-cli.js';
import { startSimProcess, type SimProcess } from '../../helpers/sim-process.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const GENERATED = join(import.meta.dirname, '../../fixtures/generated/speech');
/** A zone with a half-hour offset, so a title in UTC or in the test machine's zone cannot pass for it. */
const ZONE = 'Asia/Kolkata';

let sim: SimProcess;
let data: Awaited<ReturnType<typeof makeTempDir>>;
let conversation: Conversation;
let audioDir: string;

/** `funscribe list --json`. */
async function list(): Promise<StoredMeetingSummary[]> {
  const { code, json } = await runCliJson<{ meetings: StoredMeetingSummary[] }>(data.path, ['list']);
  expect(code).toBe(0);
  return json.meetings;
}

/** Transcribes `file` with the CLI (in ZONE) and returns the stored meeting. */
async function transcribe(file: string): Promise<StoredMeetingSummary> {
  const result = await runCli(data.path, ['transcribe', file, '--server', sim.url, '--json'], { TZ: ZONE });
  expect(result.code, result.stderr).toBe(0);
  const { meetings } = JSON.parse(result.stdout) as { meetings: { id: number }[] };
  expect(meetings).toHaveLength(1);
  return (await list()).find((meeting) => meeting.id === meetings[0]!.id)!;
}

beforeAll(async () => {
  await mkdir(GENERATED, { recursive: true });
  conversation = await generateConversation(GENERATED, 'meeting-4-turns', MEETING_SCRIPT);
  sim = await startSimProcess(['--language', 'zh']);
  data = await makeTempDir('meeting-files');
  audioDir = join(data.path, 'audio');
});

afterAll(async () => {
  await sim?.stop();
  await data?.remove();
});

describe('funscribe and a meeting’s files', () => {
  it('titles a file called "   .wav" (and one of control characters) by the date and time in the local zone', async () => {
    for (const name of ['   .wav', '\u0007\u001b\t.wav']) {
      const file = join(data.path, name);
      await copyFile(conversation.wavPath, file);
      const meeting = await transcribe(file);
      expect(meeting.title).toBe(`Recording ${formatDateTime(meeting.createdAt, ZONE)}`);
      expect(meeting.title).toMatch(/^Recording \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    }
  });

  it('keeps the file’s name as the title otherwise', async () => {
    const meeting = await transcribe(conversation.wavPath);
    expect(meeting.title).toBe('meeting-4-turns');
  });

  it('deletes a meeting with its audio copy, prints what it did as JSON, and says NOT_FOUND for a bad id', async () => {
    const meeting = await transcribe(conversation.wavPath);
    expect(meeting.audioPath).toMatch(/\.webm$/);
    expect(existsSync(meeting.audioPath!)).toBe(true);

    const { code, json } = await runCliJson<{
      deleted: { id: number; title: string };
      removedFiles: string[];
      leftFiles: string[];
    }>(data.path, ['delete', String(meeting.id)]);
    expect(code).toBe(0);
    expect(json).toEqual({
      deleted: { id: meeting.id, title: meeting.title },
      removedFiles: [meeting.audioPath],
      leftFiles: [],
    });
    expect(existsSync(meeting.audioPath!)).toBe(false);
    expect((await list()).map((m) => m.id)).not.toContain(meeting.id);

    for (const bad of [String(meeting.id), 'abc', '0']) {
      const again = await runCli(data.path, ['delete', bad, '--json']);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain('[NOT_FOUND]');
      expect(again.stdout).toBe('');
    }
  });

  it('says in words what `delete` removed', async () => {
    const meeting = await transcribe(conversation.wavPath);
    const result = await runCli(data.path, ['delete', String(meeting.id)]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(`Deleted meeting ${meeting.id} (${meeting.title}) and 1 audio file.\n`);
  });

  it('sweeps old leftovers of killed runs at the start of any command, and keeps every meeting’s audio', async () => {
    const longAgo = (Date.now() - 2 * ORPHAN_MIN_AGE_MS) / 1000;
    const leftovers = [
      `${randomUUID()}.pcm`,
      `${randomUUID()}.stereo.pcm.partial`,
      `${randomUUID()}.webm.partial`,
    ];
    for (const name of leftovers) {
      await writeFile(join(audioDir, name), Buffer.alloc(4096));
      await utimes(join(audioDir, name), longAgo, longAgo);
    }
    const recent = `${randomUUID()}.pcm.partial`;
    await writeFile(join(audioDir, recent), Buffer.alloc(4096));
    const kept = (await list()).map((meeting) => meeting.audioPath!.slice(audioDir.length + 1));
    for (const name of kept) await utimes(join(audioDir, name), longAgo, longAgo);

    await list();
    expect((await readdir(audioDir)).sort()).toEqual([...kept, recent].sort());
  });
});
