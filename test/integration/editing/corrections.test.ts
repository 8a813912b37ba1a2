// Corrections through the application service on a real library (real SQLite, the real services): a sentence's text
// edited, searched and exported; speaker renames, merges, moves and re-counts undone; a name that stays with its voice
// after a merge and a re-count; meetings deleted, restored, and purged with their audio files after the undo window.
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Segment, SpeakerSummary, Token } from '../../../src-shared/types.js';
import { validateArgs } from '../../../src-main/app/ipc-validate.js';
import { createAppService, type AppService } from '../../../src-main/application/app-service.js';
import { createServices, type Services } from '../../../src-main/services.js';
import type { NewMeeting } from '../../../src-main/store/new-meeting.js';
import type { JsonTranscript } from '../../../src-main/export/json.js';
import { SNAPSHOTS_KEPT } from '../../../src-main/store/speaker-snapshots.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import {
  analysedConversations,
  conversationMeeting,
  referenceLabels,
  type AnalysedConversation,
} from '../store/conversation-meetings.js';

let conversations: Map<string, AnalysedConversation>;
let data: Awaited<ReturnType<typeof makeTempDir>>;
let services: Services;
let api: AppService;
let events: { event: string; payload: unknown }[];
/** Told of every event after it is recorded. */
let onEmit: (() => void)[] = [];

/** The application service over `services`, recording its events in `events`. */
function service(): AppService {
  events = [];
  onEmit = [];
  return createAppService(services, (event, payload) => {
    events.push({ event, payload });
    for (const listener of onEmit) listener();
  });
}

beforeAll(async () => {
  conversations = await analysedConversations(['conv-3spk']);
}, 300_000);

/** Opens fresh services with an undo window of `undoMs` (long unless a test waits for a purge). */
async function open(undoMs = 60_000): Promise<void> {
  data = await makeTempDir('corrections');
  services = { ...(await createServices({ dataDir: data.path })), meetingUndoWindowMs: undoMs };
  api = service();
}

beforeEach(() => open());
afterEach(async () => {
  await services.close();
  await data.remove();
});

const three = (): AnalysedConversation => conversations.get('conv-3spk')!;
const hits = (result: unknown): number =>
  Array.isArray(result) ? result.length : (result as { total: number }).total;

/** Timed tokens spelling `words` evenly over [startMs, endMs], the last one carrying `punc`. */
function tokensOf(words: string[], startMs: number, endMs: number, punc: string): Token[] {
  const step = (endMs - startMs) / words.length;
  return words.map((text, i) => ({
    text,
    startMs: Math.round(startMs + i * step),
    endMs: Math.round(startMs + (i + 1) * step),
    ...(i === words.length - 1 ? { punc } : {}),
  }));
}

/**
 * conv-3spk with its reference speakers, the first turn said as two sentences with tokens ("Turn one," and "the budget
 * is approved.") less than a pause apart, so a speaker edit that rebuilds the sentences joins them again.
 */
function meetingWithTokens(): NewMeeting {
  const conversation = three();
  const meeting = conversationMeeting(conversation, referenceLabels(conversation));
  const [first, ...rest] = meeting.segments;
  const middle = Math.round((first!.startMs + first!.endMs) / 2);
  const opening = tokensOf(['Turn', 'one'], first!.startMs, middle - 100, '，');
  const closing = tokensOf(['the', 'budget', 'is', 'approved'], middle, first!.endMs, '.');
  return {
    ...meeting,
    segments: [
      { ...first!, endMs: middle - 100, text: 'Turn one，', tokens: opening },
      { ...first!, startMs: middle, text: 'the budget is approved.', tokens: closing },
      ...rest,
    ],
  };
}

/** The sentences that contain `text`. */
const containing = async (meetingId: number, text: string): Promise<Segment[]> =>
  services.meetings.get(meetingId)!.segments.filter((s) => s.text.includes(text));

describe('the arguments the page may send', () => {
  it('checks the ids and the text of corrections before they reach the library', () => {
    expect(validateArgs('editSegmentText', [3, 40, 'Fixed.'])).toEqual([3, 40, 'Fixed.']);
    expect(validateArgs('restoreSpeakerState', [3, 9])).toEqual([3, 9]);
    expect(validateArgs('restoreMeeting', [3])).toEqual([3]);
    for (const [method, args] of [
      ['editSegmentText', [3, 40, 'x'.repeat(5001)]],
      ['editSegmentText', [3, 0, 'Fixed.']],
      ['editSegmentText', [3, 40, 42]],
      ['restoreSpeakerState', [3, -1]],
      ['restoreMeeting', ['3']],
    ] as const) {
      expect(() => validateArgs(method, args), `${method} ${JSON.stringify(args)}`).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
      );
    }
  });
});

describe('editing a sentence', () => {
  it('saves the edit, keeps the original, finds the new words (not the old) and exports the edit', async () => {
    const { id } = services.meetings.create(meetingWithTokens());
    const target = (await containing(id, 'approved'))[0]!;
    expect(hits(await api.search({ query: 'approved' }))).toBe(1);

    const edited = await api.editSegmentText(id, target.id, '  the forecast is rejected. ');
    expect(edited).toMatchObject({
      id: target.id,
      text: 'the forecast is rejected.',
      originalText: 'the budget is approved.',
    });
    expect(events.map((e) => e.event)).toContain('library:changed');
    expect(hits(await api.search({ query: 'forecast' }))).toBe(1);
    expect(hits(await api.search({ query: 'approved' }))).toBe(0);
    for (const format of ['txt', 'md', 'srt', 'vtt'] as const) {
      const { content } = await api.exportMeeting(id, format);
      expect(content, format).toContain('the forecast is rejected.');
      expect(content, format).not.toContain('the budget is approved.');
    }
    const json = JSON.parse((await api.exportMeeting(id, 'json')).content) as JsonTranscript;
    expect(json.sentence_info.filter((sentence) => sentence.originalText !== undefined)).toEqual([
      expect.objectContaining({ text: 'the forecast is rejected.', originalText: 'the budget is approved.' }),
    ]);

    const reverted = await api.editSegmentText(id, target.id, 'the budget is approved.');
    expect(reverted.text).toBe('the budget is approved.');
    expect(reverted.originalText).toBeUndefined();
    expect(hits(await api.search({ query: 'forecast' }))).toBe(0);
    expect(hits(await api.search({ query: 'approved' }))).toBe(1);
  });

  it('refuses empty, too long and multi-line text, unknown sentences and sentences of another meeting', async () => {
    const { id } = services.meetings.create(meetingWithTokens());
    const other = services.meetings.create(meetingWithTokens());
    const segmentId = services.meetings.get(id)!.segments[0]!.id;
    for (const text of ['   ', 'x'.repeat(5001), 'two\nlines', 'bell\u0007']) {
      await expect(api.editSegmentText(id, segmentId, text), JSON.stringify(text)).rejects.toMatchObject({
        code: 'INVALID_ARGUMENT',
      });
    }
    await expect(api.editSegmentText(other.id, segmentId, 'Hi.')).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    await expect(api.editSegmentText(id, 999_999, 'Hi.')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(services.meetings.get(id)!.segments[0]!.text).toBe('Turn one，');
  });

  it('keeps an edited sentence whole and edited through merges, moves and re-counts', async () => {
    const { id } = services.meetings.create(meetingWithTokens());
    const target = (await containing(id, 'approved'))[0]!;
    // Unedited, a merge rebuilds the two sentences of the first turn as one.
    await api.mergeSpeakers(
      id,
      services.meetings.get(id)!.speakers[1]!.id,
      services.meetings.get(id)!.speakers[0]!.id,
    );
    expect((await containing(id, 'approved'))[0]!.text).toBe('Turn one，the budget is approved.');

    const fresh = services.meetings.create(meetingWithTokens());
    const second = (await containing(fresh.id, 'approved'))[0]!;
    expect(second.startMs).toBe(target.startMs);
    await api.editSegmentText(fresh.id, second.id, 'The forecast is rejected.');
    const speakers = services.meetings.get(fresh.id)!.speakers;
    await api.mergeSpeakers(fresh.id, speakers[1]!.id, speakers[0]!.id);
    await api.relabelSpeakers(fresh.id, 3);
    const firstSentence = services.meetings.get(fresh.id)!.segments[0]!;
    await api.moveSegment(fresh.id, firstSentence.id, 'new');
    const kept = services.meetings.get(fresh.id)!.segments.filter((s) => s.text.includes('forecast'));
    expect(kept).toEqual([
      expect.objectContaining({
        text: 'The forecast is rejected.',
        originalText: 'the budget is approved.',
        startMs: second.startMs,
        endMs: second.endMs,
      }),
    ]);
    expect(services.meetings.get(fresh.id)!.segments[0]!.text).toBe('Turn one，');
  });
});

/** The reference speaker (index by first appearance) of each stored sentence, by its start time. */
function voiceOfSegments(segments: Segment[]): Map<number, number> {
  const conversation = three();
  const labels = referenceLabels(conversation);
  const voice = new Map<number, number>();
  for (const segment of segments) {
    const turn = conversation.reference.findIndex((t) => Math.abs(t.startMs - segment.startMs) < 1);
    if (turn >= 0) voice.set(segment.id, labels[turn]!);
  }
  return voice;
}

/** The reference voice most of a speaker's sentences have. */
function voiceOf(meetingId: number, speakerId: number): number {
  const segments = services.meetings.get(meetingId)!.segments;
  const voices = voiceOfSegments(segments);
  const counts = new Map<number, number>();
  for (const s of segments) {
    if (s.speakerId !== speakerId) continue;
    const v = voices.get(s.id)!;
    counts.set(v, (counts.get(v) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1])[0]![0];
}

const named = (speakers: SpeakerSummary[], name: string): SpeakerSummary | undefined =>
  speakers.find((s) => s.name === name);

describe('a name after a merge and a re-count', () => {
  it('stays with the voice it was given to, whichever way the merge went', async () => {
    for (const intoNamed of [false, true]) {
      const { id } = services.meetings.create(conversationMeeting(three(), referenceLabels(three())));
      const speakers = await api.listSpeakers(id);
      const byTalk = [...speakers].sort((a, b) => a.talkMs - b.talkMs);
      const quiet = byTalk[0]!;
      const loud = byTalk[byTalk.length - 1]!;
      const aliceVoice = voiceOf(id, quiet.id);
      await api.renameSpeaker(id, quiet.id, 'Alice', false);
      // Merged either way, Alice's speaker now talks mostly with the louder voice.
      if (intoNamed) await api.mergeSpeakers(id, loud.id, quiet.id);
      else await api.mergeSpeakers(id, quiet.id, loud.id);
      const merged = named(await api.listSpeakers(id), 'Alice')!;
      expect(voiceOf(id, merged.id), `merge into named: ${intoNamed}`).not.toBe(aliceVoice);

      const { speakers: recounted } = await api.relabelSpeakers(id, 3);
      const alice = named(recounted, 'Alice');
      expect(alice, `merge into named: ${intoNamed}`).toBeDefined();
      expect(voiceOf(id, alice!.id), `merge into named: ${intoNamed}`).toBe(aliceVoice);
      expect(recounted.filter((s) => s.name !== null)).toHaveLength(1);
    }
  });
});

/** The meeting's speakers and sentences as the page reads them. */
const state = async (id: number) => {
  const { speakers, segments } = services.meetings.get(id)!;
  return { speakers, segments };
};

describe('undoing speaker edits', () => {
  it('undoes a rename by renaming back, and a merge, a move and a re-count from their snapshots', async () => {
    const { id } = services.meetings.create(conversationMeeting(three(), referenceLabels(three())));
    const [first, second] = await api.listSpeakers(id);
    await api.renameSpeaker(id, first!.id, 'Alice', false);
    await api.editSegmentText(id, services.meetings.get(id)!.segments[1]!.id, 'An edited turn.');
    const before = await state(id);

    await api.renameSpeaker(id, first!.id, 'Alicia', false);
    await api.renameSpeaker(id, first!.id, 'Alice', false);
    expect(await state(id)).toEqual(before);

    const merge = await api.mergeSpeakers(id, second!.id, first!.id);
    expect(merge.speakers).toHaveLength(2);
    expect(await api.restoreSpeakerState(id, merge.snapshotId)).toHaveLength(3);
    expect(await state(id)).toEqual(before);

    const move = await api.moveSegment(id, before.segments[4]!.id, 'new');
    expect(move.speakers).toHaveLength(4);
    await api.restoreSpeakerState(id, move.snapshotId);
    expect(await state(id)).toEqual(before);

    const recount = await api.relabelSpeakers(id, 1);
    expect(recount.speakers).toHaveLength(1);
    await api.restoreSpeakerState(id, recount.snapshotId);
    expect(await state(id)).toEqual(before);
    // The edit kept on the restored sentence can itself be undone by id.
    await api.editSegmentText(id, before.segments[1]!.id, 'Turn 2 of conv-3spk.');
    expect(services.meetings.get(id)!.segments[1]!.originalText).toBeUndefined();
  });

  it('keeps the last snapshots of a meeting only, and refuses another meeting’s snapshot', async () => {
    const { id } = services.meetings.create(conversationMeeting(three(), referenceLabels(three())));
    const other = services.meetings.create(conversationMeeting(three(), referenceLabels(three())));
    const ids: number[] = [];
    for (let i = 0; i <= SNAPSHOTS_KEPT; i++)
      ids.push((await api.relabelSpeakers(id, 1 + (i % 3))).snapshotId);
    await expect(api.restoreSpeakerState(id, ids[0]!)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(api.restoreSpeakerState(other.id, ids[1]!)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await api.restoreSpeakerState(id, ids[1]!);
  });
});

/** Resolves when the service has announced the purge of `meetingId` (it may have already). */
const purged = (meetingId: number): Promise<void> =>
  new Promise((resolve) => {
    const done = (): boolean =>
      events.some(
        (e) => e.event === 'meeting:purged' && (e.payload as { meetingId: number }).meetingId === meetingId,
      );
    if (done()) resolve();
    else onEmit.push(() => done() && resolve());
  });

describe('deleting a meeting with undo', () => {
  /** A meeting whose audio copy and cached waveform exist in the library. */
  async function meetingWithFiles(): Promise<{ id: number; files: string[] }> {
    const audioDir = join(data.path, 'audio');
    const copy = join(audioDir, 'job-42.webm');
    const peaks = join(data.path, 'waveforms');
    await mkdir(peaks, { recursive: true });
    await writeFile(copy, 'opus');
    const { id } = services.meetings.create({
      ...meetingWithTokens(),
      audioPath: copy,
      title: 'Budget review',
    });
    await writeFile(join(peaks, `${id}.peaks`), 'peaks');
    return { id, files: [copy, join(peaks, `${id}.peaks`)] };
  }

  it('hides it from the list, reads and search at once, and restores it within the window', async () => {
    const { id, files } = await meetingWithFiles();
    await api.deleteMeeting(id);
    expect((await api.listMeetings()).map((m) => m.id)).not.toContain(id);
    expect(hits(await api.search({ query: 'approved' }))).toBe(0);
    await expect(api.getMeeting(id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(api.exportMeeting(id, 'srt')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(api.renameMeeting(id, 'x')).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(files.every((file) => existsSync(file))).toBe(true);

    await api.restoreMeeting(id);
    expect((await api.listMeetings()).map((m) => m.id)).toContain(id);
    expect(hits(await api.search({ query: 'approved' }))).toBe(1);
    expect((await api.getMeeting(id)).title).toBe('Budget review');
    await expect(api.restoreMeeting(id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('purges the row and its audio files once the window has passed, and a restore is then refused', async () => {
    await services.close();
    await data.remove();
    await open(300);
    const { id, files } = await meetingWithFiles();
    await api.deleteMeeting(id);
    await purged(id);
    expect(files.filter((file) => existsSync(file))).toEqual([]);
    expect(services.meetings.deletedMeetings()).toEqual([]);
    await expect(api.restoreMeeting(id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('purges at start what a closed app left deleted past its window', async () => {
    const { id, files } = await meetingWithFiles();
    await api.deleteMeeting(id);
    await services.close();
    services = { ...(await createServices({ dataDir: data.path })), meetingUndoWindowMs: 0 };
    api = service();
    await purged(id);
    expect(files.filter((file) => existsSync(file))).toEqual([]);
  });
});
