// What the open meeting holds, for every part that shows it (the transcript, the speakers panel, the player's speaker
// strip): its sentences without tokens (the tokens are fetched per row through its token cache), its speakers with
// their talk time, and the remembered voices. Loaded when another meeting opens and again on `library:changed` for it;
// an answer older than one already shown, or for a meeting no longer open, is dropped.
import { get, readable, writable, type Readable } from 'svelte/store';
import type { SlimMeeting, SlimSegment, SpeakerSummary, VoiceprintInfo } from '../../../src-shared/types.js';
import { api, onEvent } from '../api.js';
import { SegmentTokenCache } from '../segment-tokens.js';
import { editSentence, perform } from './edit-history.js';
import { openMeetingState } from './open-meeting.js';

/** The open meeting's content. */
export interface MeetingContent {
  /** The meeting this is the content of, or null when none is open. */
  meetingId: number | null;
  /** Its details and sentences, or null until the first load answers. */
  meeting: SlimMeeting | null;
  /** Its speakers, with how much each says. */
  speakers: SpeakerSummary[];
  /** The remembered voices (of every meeting; their names are suggested for its speakers). */
  voiceprints: VoiceprintInfo[];
  /** The tokens of its sentences fetched so far, and the way to ask for more (null when none is open). */
  tokens: SegmentTokenCache | null;
  /** Why the last load of its details and sentences failed (an ApiError), or null once one succeeds. */
  meetingError: unknown;
  /** Why the last load of its speakers and voices failed (an ApiError), or null once one succeeds. */
  speakersError: unknown;
  /** Why the last token fetch failed (clicks then seek to whole sentences), or null. */
  tokensError: unknown;
}

const NOTHING_OPEN: MeetingContent = {
  meetingId: null,
  meeting: null,
  speakers: [],
  voiceprints: [],
  tokens: null,
  meetingError: null,
  speakersError: null,
  tokensError: null,
};

const state = writable<MeetingContent>(NOTHING_OPEN);

/** The open meeting's content; followed while anything subscribes, and forgotten when nothing does. */
export const meetingContent: Readable<MeetingContent> = readable(NOTHING_OPEN, (set) => {
  const unsubscribe = state.subscribe(set);
  const stopFollowing = openMeetingState.subscribe(({ meetingId }) => {
    if (meetingId !== get(state).meetingId) show(meetingId);
  });
  const stopListening = onEvent('library:changed', ({ meetingId }) => {
    if (meetingId === get(state).meetingId) void reloadMeetingContent();
  });
  return () => {
    stopListening();
    stopFollowing();
    unsubscribe();
    show(null);
  };
});

/** Numbers every load and every change of meeting, in the order they started. */
let started = 0;
/** The number of what the content shows now: answers of loads started before it are dropped. */
let shown = 0;

/** Starts showing another meeting (or none): empty, with its own token cache, until its first load answers. */
function show(meetingId: number | null): void {
  shown = ++started;
  state.set({ ...NOTHING_OPEN, meetingId, tokens: meetingId === null ? null : tokenCache(meetingId) });
  if (meetingId !== null) void reloadMeetingContent();
}

function tokenCache(meetingId: number): SegmentTokenCache {
  const cache: SegmentTokenCache = new SegmentTokenCache(
    (segmentIds) => api.getSegmentTokens(meetingId, segmentIds),
    (tokensError) => {
      const current = get(state);
      if (current.tokens === cache && current.tokensError !== tokensError)
        state.set({ ...current, tokensError });
    },
  );
  return cache;
}

/**
 * Loads the open meeting again: its sentences (keeping the unchanged ones, see keepUnchanged), and its speakers and
 * voices, each shown as it answers (the transcript does not wait for the speakers). A part's failure stays shown until
 * a later load of that part succeeds. An answer is dropped if something started after this load was shown first (a
 * newer load, another meeting opened).
 */
async function reloadMeetingContent(): Promise<void> {
  const { meetingId } = get(state);
  if (meetingId === null) return;
  const mine = ++started;
  const apply = (change: (current: MeetingContent) => MeetingContent): void => {
    if (mine < shown) return;
    shown = mine;
    state.update(change);
  };
  await Promise.all([
    api.getMeeting(meetingId).then(
      (meeting) =>
        apply((current) => ({
          ...current,
          meeting: keepUnchanged(current.meeting, meeting, (segmentId) => current.tokens?.forget(segmentId)),
          meetingError: null,
        })),
      (meetingError: unknown) => apply((current) => ({ ...current, meetingError })),
    ),
    Promise.all([api.listSpeakers(meetingId), api.listVoiceprints()]).then(
      ([speakers, voiceprints]) =>
        apply((current) => ({ ...current, speakers, voiceprints, speakersError: null })),
      (speakersError: unknown) => apply((current) => ({ ...current, speakersError })),
    ),
  ]);
}

/** The load failure to show (the sentences' before the speakers'), or null when both parts last loaded. */
export function loadError(content: MeetingContent): unknown {
  return content.meetingError ?? content.speakersError;
}

/** True when two versions of a sentence would show the same. */
function sameSegment(a: SlimSegment, b: SlimSegment): boolean {
  return (
    a.text === b.text &&
    a.originalText === b.originalText &&
    a.speakerId === b.speakerId &&
    a.startMs === b.startMs &&
    a.endMs === b.endMs &&
    a.hasTokens === b.hasTokens
  );
}

/**
 * The fresh meeting with the sentence objects of `before` that did not change, so their rows are not rendered again;
 * `changed` is told of every sentence that did change or is new (its tokens are to be fetched again).
 */
function keepUnchanged(
  before: SlimMeeting | null,
  fresh: SlimMeeting,
  changed: (segmentId: number) => void,
): SlimMeeting {
  const old = new Map((before?.segments ?? []).map((segment) => [segment.id, segment]));
  const segments = fresh.segments.map((segment) => {
    const kept = old.get(segment.id);
    if (kept && sameSegment(segment, kept)) return kept;
    changed(segment.id);
    return segment;
  });
  return { ...fresh, segments };
}

/** A sentence given new text, keeping the recognised text as main does (an edit back to it is no edit). */
function editedSegment(segment: SlimSegment, text: string): SlimSegment {
  const { originalText, ...rest } = segment;
  const recognised = originalText ?? segment.text;
  return text === recognised ? { ...rest, text } : { ...rest, text, originalText: recognised };
}

/** Puts `segment` in place of the open meeting's sentence with its id, if that meeting is still open. */
function replaceSegment(meetingId: number, segment: SlimSegment): void {
  state.update((current) =>
    current.meetingId !== meetingId || !current.meeting
      ? current
      : {
          ...current,
          meeting: {
            ...current.meeting,
            segments: current.meeting.segments.map((other) => (other.id === segment.id ? segment : other)),
          },
        },
  );
}

/**
 * Corrects a sentence of the open meeting: shown at once (only its row changes), then saved as an undoable edit; a
 * refused edit is put back (unless the sentence changed again meanwhile) and its error thrown.
 */
export async function editOpenSentence(segmentId: number, text: string): Promise<void> {
  const { meetingId, meeting } = get(state);
  const old = meeting?.segments.find((segment) => segment.id === segmentId);
  if (meetingId === null || !old) return;
  replaceSegment(meetingId, editedSegment(old, text));
  try {
    await perform(meetingId, editSentence(meetingId, segmentId, text, old.text));
  } catch (caught) {
    const now = get(state).meeting?.segments.find((segment) => segment.id === segmentId);
    if (now?.text === text) replaceSegment(meetingId, old);
    throw caught;
  }
}

/** Forgets a remembered voice and loads the open meeting again (no event reports it). */
export async function forgetVoiceprint(voiceprintId: number): Promise<void> {
  await api.forgetVoiceprint(voiceprintId);
  await reloadMeetingContent();
}
