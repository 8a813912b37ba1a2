// The open meeting's content store over the real services (SQLite in a temp dir) through the IPC dispatch the
// desktop app and the browser bridge use: it loads what opens, reloads on library:changed keeping the sentence
// objects that did not change (and forgetting the tokens of those that did), drops answers that come back late,
// shows an edit at once and puts a refused one back, and keeps a part's failed load shown until that part loads.
import Database from 'better-sqlite3';
import { get } from 'svelte/store';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ApiMethodName } from '../../../src-shared/contract.js';
import { MAX_SEGMENT_TEXT_CHARS } from '../../../src-shared/schemas/limits.js';
import { libraryFileOf } from '../../../src-main/application/library-maintenance.js';
import { createServices, type Services } from '../../../src-main/services.js';
import type * as RendererApi from '../../../src-renderer/lib/api.js';
import type * as ContentStore from '../../../src-renderer/lib/stores/meeting-content.js';
import type * as OpenMeetingStore from '../../../src-renderer/lib/stores/open-meeting.js';
import { realBridge, type RealBridge } from '../../helpers/real-bridge.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

let temp: Awaited<ReturnType<typeof makeTempDir>>;
let services: Services;
/** The bridge the stores loaded last run over. */
let real: RealBridge;

/** A meeting of three sentences with tokens, two speakers. */
function storeMeeting(title: string): number {
  const sentence = (index: number, speakerIndex: number) => ({
    startMs: index * 2000,
    endMs: index * 2000 + 1500,
    text: `${title} sentence ${index}.`,
    tokens: [
      { text: `${title}`, startMs: index * 2000, endMs: index * 2000 + 700 },
      { text: `sentence ${index}`, startMs: index * 2000 + 700, endMs: index * 2000 + 1500, punc: '.' },
    ],
    speakerIndex,
  });
  return services.meetings.create({
    title,
    source: `/recordings/${title}.m4a`,
    durationMs: 6000,
    speakers: [{ label: 'Speaker 1' }, { label: 'Speaker 2' }],
    segments: [sentence(0, 0), sentence(1, 1), sentence(2, 0)],
  }).id;
}

/** Fresh store modules over the real bridge, the content followed as a component would. */
async function loadStores(): Promise<{
  content: typeof ContentStore;
  open: typeof OpenMeetingStore;
  api: typeof RendererApi.api;
  stop: () => void;
}> {
  real = realBridge(services);
  vi.stubGlobal('window', { funscribe: real.bridge });
  vi.resetModules();
  const content = await import('../../../src-renderer/lib/stores/meeting-content.js');
  const open = await import('../../../src-renderer/lib/stores/open-meeting.js');
  const { api } = await import('../../../src-renderer/lib/api.js');
  return { content, open, api, stop: content.meetingContent.subscribe(() => undefined) };
}

/** A meeting stored and opened in fresh stores, once its content has loaded. */
async function openStoredMeeting(title: string) {
  const id = storeMeeting(title);
  const stores = await loadStores();
  stores.open.openMeeting(id);
  await vi.waitFor(() => expect(get(stores.content.meetingContent).meeting?.id).toBe(id));
  return { id, ...stores };
}

const answers = (method: ApiMethodName): number => real.answers(method);
const holdAnswers = (method: ApiMethodName): (() => void) => real.holdAnswers(method);

const texts = (store: typeof ContentStore): string[] =>
  get(store.meetingContent).meeting?.segments.map((segment) => segment.text) ?? [];

beforeAll(async () => {
  temp = await makeTempDir('meeting-content');
  services = await createServices({ dataDir: temp.path });
});

afterAll(async () => {
  vi.unstubAllGlobals();
  await services.close();
  await temp.remove();
});

describe('the meeting-content store', () => {
  it('loads the meeting that opens and reloads it on library:changed, keeping the sentences that did not change', async () => {
    const id = storeMeeting('Budget');
    const { content, open, api, stop } = await loadStores();
    expect(get(content.meetingContent)).toMatchObject({ meetingId: null, meeting: null, tokens: null });

    open.openMeeting(id);
    await vi.waitFor(() => expect(get(content.meetingContent).meeting?.id).toBe(id));
    const first = get(content.meetingContent);
    expect(first.speakers.map((speaker) => speaker.segmentCount)).toEqual([2, 1]);
    expect(first.voiceprints).toEqual([]);
    expect(first).toMatchObject({ meetingError: null, speakersError: null });

    const [one, two, three] = first.meeting!.segments;
    first.tokens!.request([one!.id, two!.id]);
    await vi.waitFor(() => expect(first.tokens!.get(two!.id)?.length).toBe(2));

    // A correction made elsewhere (another window) reaches the store through its event only.
    await api.editSegmentText(id, two!.id, 'Budget approved.');
    await vi.waitFor(() => expect(texts(content)[1]).toBe('Budget approved.'));
    const after = get(content.meetingContent);
    expect(after.meeting!.segments[0]).toBe(one);
    expect(after.meeting!.segments[2]).toBe(three);
    expect(after.meeting!.segments[1]).not.toBe(two);
    expect(after.tokens).toBe(first.tokens);
    expect(after.tokens!.get(one!.id)).toHaveLength(2);
    expect(after.tokens!.get(two!.id)).toBeUndefined();

    // A change of another meeting is not this one's business.
    const loads = answers('getMeeting');
    await api.renameMeeting(storeMeeting('Other'), 'Renamed elsewhere');
    await api.renameMeeting(id, 'Budget 2027');
    await vi.waitFor(() => expect(get(content.meetingContent).meeting?.title).toBe('Budget 2027'));
    expect(answers('getMeeting')).toBe(loads + 1);
    expect(get(content.meetingContent).meeting!.segments).toEqual(after.meeting!.segments);
    expect(get(content.meetingContent).meeting!.segments[1]).toBe(after.meeting!.segments[1]);

    // Followed by nobody, the content is forgotten: read again, it is loaded afresh.
    stop();
    expect(real.listenerCount('library:changed')).toBe(0);
    expect(get(content.meetingContent)).toMatchObject({ meetingId: id, meeting: null, meetingError: null });
    expect(real.listenerCount('library:changed')).toBe(0);
  });

  it('drops a load that answers after a newer one, and the answer for a meeting no longer open', async () => {
    const { id, content, open, stop } = await openStoredMeeting('Roadmap');
    const [, second] = get(content.meetingContent).meeting!.segments;

    // The reload the first edit's event started is held; the second edit's reload answers first.
    const loads = answers('getMeeting');
    const releaseOlder = holdAnswers('getMeeting');
    await content.editOpenSentence(second!.id, 'First correction.');
    real.stopHolding('getMeeting');
    await content.editOpenSentence(second!.id, 'Second correction.');
    await vi.waitFor(() => expect(answers('getMeeting')).toBe(loads + 1));
    const newest = get(content.meetingContent);
    expect(texts(content)[1]).toBe('Second correction.');
    releaseOlder();
    await vi.waitFor(() => expect(answers('getMeeting')).toBe(loads + 2));
    expect(get(content.meetingContent)).toBe(newest);

    // A meeting opened and left at once: its answer, coming last, is not shown for the one open now.
    const releaseLeft = holdAnswers('getMeeting');
    open.openMeeting(storeMeeting('Left'));
    real.stopHolding('getMeeting');
    open.openMeeting(id);
    expect(get(content.meetingContent)).toMatchObject({ meetingId: id, meeting: null });
    await vi.waitFor(() => expect(get(content.meetingContent).meeting?.id).toBe(id));
    releaseLeft();
    await vi.waitFor(() => expect(answers('getMeeting')).toBe(loads + 4));
    expect(get(content.meetingContent).meeting?.id).toBe(id);
    expect(texts(content)[1]).toBe('Second correction.');
    stop();
  });

  it('shows an edit at once, puts a refused one back with its error, and exposes a failed load', async () => {
    const { id, content, open, api, stop } = await openStoredMeeting('Standup');
    const before = get(content.meetingContent).meeting!.segments[0]!;

    const release = holdAnswers('editSegmentText');
    const edit = content.editOpenSentence(before.id, 'Standup moved.');
    expect(get(content.meetingContent).meeting!.segments[0]).toMatchObject({
      text: 'Standup moved.',
      originalText: before.text,
    });
    release();
    await edit;
    expect((await api.getMeeting(id)).segments[0]?.text).toBe('Standup moved.');

    const shown = get(content.meetingContent).meeting!.segments[0]!;
    const tooLong = 'x'.repeat(MAX_SEGMENT_TEXT_CHARS + 1);
    await expect(content.editOpenSentence(before.id, tooLong)).rejects.toMatchObject({
      code: 'INVALID_ARGUMENT',
    });
    expect(get(content.meetingContent).meeting!.segments[0]).toBe(shown);

    open.openMeeting(987_654);
    await vi.waitFor(() =>
      expect(get(content.meetingContent).meetingError).toMatchObject({ code: 'NOT_FOUND' }),
    );
    expect(get(content.meetingContent).meeting).toBeNull();
    open.closeMeeting();
    expect(get(content.meetingContent)).toMatchObject({
      meetingId: null,
      meetingError: null,
      speakersError: null,
    });
    stop();
  });

  it('keeps a failed load of either part shown until a later load of that part succeeds', async () => {
    const { id, content, api, stop } = await openStoredMeeting('Review');
    const speakers = get(content.meetingContent).speakers;
    const shown = (): ContentStore.MeetingContent => get(content.meetingContent);
    const failure = (): unknown => content.loadError(shown());

    // Another program changes the library under the app: first the voices cannot be listed, the sentences still can.
    const other = new Database(libraryFileOf(temp.path));
    const renameColumn = (table: string, from: string, to: string): void => {
      other.exec(`ALTER TABLE ${table} RENAME COLUMN ${from} TO ${to}`);
    };
    renameColumn('voiceprints', 'updated_at', 'hidden_updated_at');
    const releaseMeeting = holdAnswers('getMeeting');
    await api.renameMeeting(id, 'Review 2');
    await vi.waitFor(() => expect(failure()).not.toBeNull());
    const speakersFailure = failure();
    releaseMeeting();
    await vi.waitFor(() => expect(shown().meeting?.title).toBe('Review 2'));
    expect(failure()).toBe(speakersFailure);
    expect(shown()).toMatchObject({ meetingError: null, speakersError: { code: 'INTERNAL' } });
    expect(shown().speakers).toBe(speakers);

    // Then the sentences cannot be read and the voices can again; the voices answer last.
    renameColumn('voiceprints', 'hidden_updated_at', 'updated_at');
    renameColumn('segments', 'original_text', 'hidden_original_text');
    const voiceLoads = answers('listVoiceprints');
    const releaseVoices = holdAnswers('listVoiceprints');
    await api.renameMeeting(id, 'Review 3');
    await vi.waitFor(() => expect(failure()).not.toBe(speakersFailure));
    const meetingFailure = failure();
    expect(meetingFailure).not.toBeNull();
    releaseVoices();
    await vi.waitFor(() => expect(answers('listVoiceprints')).toBe(voiceLoads + 1));
    expect(failure()).toBe(meetingFailure);
    expect(shown()).toMatchObject({ meetingError: { code: 'INTERNAL' }, speakersError: null });
    expect(shown().meeting?.title).toBe('Review 2');

    // Both read again: nothing failed is shown any more.
    renameColumn('segments', 'hidden_original_text', 'original_text');
    other.close();
    await api.renameMeeting(id, 'Review 4');
    await vi.waitFor(() => expect(shown().meeting?.title).toBe('Review 4'));
    await vi.waitFor(() => expect(failure()).toBeNull());
    stop();
  });
});
