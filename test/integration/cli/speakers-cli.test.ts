// `funscribe speakers` and `funscribe voiceprints` through the built command, on a library holding generated
// conversations with their stored speaker analyses.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../../src-main/application/library-maintenance.js';
import { openDatabase } from '../../../src-main/store/database.js';
import { MeetingRepository } from '../../../src-main/store/meetings-repo.js';
import { runCli, runCliJson } from '../../helpers/run-cli.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import {
  analysedConversations,
  conversationMeeting,
  referenceLabels,
  segmentDer,
  type AnalysedConversation,
} from '../store/conversation-meetings.js';

interface SpeakersJson {
  meetingId: number;
  labelling: { mode: string; backend: string; canRelabel: boolean; description: string } | null;
  speakers: {
    id: number;
    label: string;
    name: string | null;
    suggestedName: string | null;
    suggestionScore: number | null;
    talkMs: number;
    segmentCount: number;
  }[];
}

interface VoiceprintsJson {
  forgotten: { name: string; backend: string }[];
  voiceprints: { id: number; name: string; backend: string; dim: number }[];
}

interface ShowJson {
  segments: { startMs: number; endMs: number; speakerId: number | null }[];
}

describe('funscribe speakers / voiceprints', () => {
  let data: Awaited<ReturnType<typeof makeTempDir>>;
  let conversations: Map<string, AnalysedConversation>;
  const ids = new Map<string, number>();

  beforeAll(async () => {
    conversations = await analysedConversations();
    data = await makeTempDir('cli-speakers-edit');
    const db = openDatabase(join(data.path, DATABASE_FILE));
    const meetings = new MeetingRepository(db);
    const three = conversations.get('conv-3spk')!;
    ids.set('conv-3spk', meetings.create(conversationMeeting(three)).id);
    for (const name of ['conv-2spk', 'conv-4spk']) {
      const conversation = conversations.get(name)!;
      ids.set(name, meetings.create(conversationMeeting(conversation, referenceLabels(conversation))).id);
    }
    db.close();
  }, 300_000);

  afterAll(async () => {
    await data?.remove();
  });

  const speakers = (meeting: string, args: string[] = []) =>
    runCliJson<SpeakersJson>(data.path, ['speakers', String(ids.get(meeting)), ...args]);

  it('lists the speakers with how they were labelled, and re-counts them', async () => {
    const id = String(ids.get('conv-3spk'));
    const listed = await runCli(data.path, ['speakers', id]);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toContain(
      `Meeting ${id}: 1 speaker, labelled by voice statistics (suited to clearly different voices).`,
    );
    expect(listed.stdout).toMatch(/Speaker 1 +- +\d+ s +16 sentences/);

    const { code, json } = await speakers('conv-3spk', ['--count', '3']);
    expect(code).toBe(0);
    expect(json.labelling).toMatchObject({ mode: 'voice', backend: 'mfcc-stats', canRelabel: true });
    expect(json.speakers.map((s) => s.label)).toEqual(['Speaker 1', 'Speaker 2', 'Speaker 3']);
    const shown = await runCliJson<ShowJson>(data.path, ['show', id]);
    expect(segmentDer(conversations.get('conv-3spk')!.reference, shown.json.segments)).toBeLessThanOrEqual(
      0.05,
    );
    expect((await speakers('conv-3spk', ['--count', '2'])).json.speakers).toHaveLength(2);
  });

  it('renames and merges by label or name, all or nothing', async () => {
    await speakers('conv-3spk', ['--count', '3']);
    const renamed = await speakers('conv-3spk', ['--rename', 'Speaker 1=Ada', '--rename', 'Speaker 3=Cy']);
    expect(renamed.json.speakers.map((s) => s.name)).toEqual(['Ada', null, 'Cy']);

    const failed = await runCli(data.path, [
      'speakers',
      String(ids.get('conv-3spk')),
      '--rename',
      'Ada=Zoe',
      '--merge',
      'Speaker 9=Ada',
    ]);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(
      'has no speaker "Speaker 9". Its speakers are: Speaker 1 (Ada), Speaker 2',
    );
    expect(failed.stderr).toContain('[NOT_FOUND]');

    const merged = await speakers('conv-3spk', ['--merge', 'Cy=Speaker 2']);
    expect(merged.json.speakers.map((s) => [s.label, s.name])).toEqual([
      ['Speaker 1', 'Ada'],
      ['Speaker 2', 'Cy'],
    ]);
    expect(merged.json.speakers[1]!.segmentCount).toBe(10);
  });

  it('remembers voices on request, suggests them in another meeting, and forgets them', async () => {
    const remembered = await speakers('conv-2spk', [
      '--rename',
      'Speaker 1=Kal',
      '--rename',
      'Speaker 2=Sally',
      '--remember',
    ]);
    expect(remembered.code).toBe(0);
    const listed = await runCliJson<VoiceprintsJson>(data.path, ['voiceprints']);
    expect(listed.json.voiceprints.map((v) => [v.name, v.backend])).toEqual([
      ['Kal', 'mfcc-stats'],
      ['Sally', 'mfcc-stats'],
    ]);

    const four = await speakers('conv-4spk');
    expect(four.json.speakers.map((s) => [s.name, s.suggestedName])).toEqual([
      [null, 'Kal'],
      [null, 'Sally'],
      [null, null],
      [null, null],
    ]);
    const text = await runCli(data.path, ['speakers', String(ids.get('conv-4spk'))]);
    expect(text.stdout).toMatch(/Speaker 1 +- .*sounds like Kal \(0\.9\d\)/);

    const forgot = await runCliJson<VoiceprintsJson>(data.path, ['voiceprints', '--forget', 'Kal']);
    expect(forgot.json.forgotten.map((v) => v.name)).toEqual(['Kal']);
    expect(forgot.json.voiceprints.map((v) => v.name)).toEqual(['Sally']);
    expect((await speakers('conv-4spk')).json.speakers[0]!.suggestedName).toBeNull();

    const again = await runCli(data.path, ['voiceprints', '--forget', 'Kal']);
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('No remembered voice is called "Kal".');
  });

  it('explains mistakes and exits non-zero', async () => {
    const id = String(ids.get('conv-2spk'));
    const cases: [string[], string][] = [
      [['speakers', '999'], 'There is no meeting with id 999'],
      [['speakers', 'abc'], 'There is no meeting with id abc. Run "funscribe list"'],
      [['speakers', id, '--count', '0'], 'expected a number of speakers from 1 to 50'],
      [['speakers', id, '--rename', 'Alice'], 'expected "Speaker 1=Alice"'],
      [['speakers', id, '--remember'], '--remember stores the voice of a speaker you --rename'],
      [['speakers', id, '--merge', 'Speaker 1=Speaker 1'], 'Cannot merge Speaker 1 into itself'],
    ];
    for (const [args, message] of cases) {
      const { code, stderr } = await runCli(data.path, args);
      expect(code, args.join(' ')).not.toBe(0);
      expect(stderr, args.join(' ')).toContain(message);
    }
  });
});
