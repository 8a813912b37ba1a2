// Undo and redo of the corrections made to a meeting: each change is an action that, once run, returns the action
// that undoes it (a text edit → the edit back; a rename of a speaker or of the meeting → the rename back; a merge, move or re-count → putting back
// the speaker state main saved before it, whose own inverse is the change made again). One stack pair per meeting.
import { derived, writable, type Readable } from 'svelte/store';
import type { SpeakerSummary } from '../../../src-shared/types.js';
import { api } from '../api.js';

/** A change to run; it resolves with the change that undoes it. */
export type Undoable = () => Promise<Undoable>;

/** How many changes of one meeting can be undone. */
const MAX_STEPS = 100;

interface Stacks {
  undo: Undoable[];
  redo: Undoable[];
}

const stacks = writable<Map<number, Stacks>>(new Map());
/** Changes run one at a time, so an undo never overtakes the change it undoes. */
let queue: Promise<unknown> = Promise.resolve();

function update(meetingId: number, change: (current: Stacks) => Stacks): void {
  stacks.update((all) => new Map(all).set(meetingId, change(all.get(meetingId) ?? { undo: [], redo: [] })));
}

/** Runs `work` after every change queued before it. */
function serially<T>(work: () => Promise<T>): Promise<T> {
  const run = queue.then(work, work);
  queue = run.catch(() => undefined);
  return run;
}

/** Makes a change to a meeting and remembers how to undo it (a new change clears what could be redone). */
export function perform(meetingId: number, change: Undoable): Promise<void> {
  return serially(async () => {
    const inverse = await change();
    update(meetingId, ({ undo }) => ({ undo: [...undo, inverse].slice(-MAX_STEPS), redo: [] }));
  });
}

/** Moves one change from `from` to `to`, running it; false when there was none. */
function step(meetingId: number, from: keyof Stacks, to: keyof Stacks): Promise<boolean> {
  return serially(async () => {
    let change: Undoable | undefined;
    stacks.update((all) => {
      const current = all.get(meetingId);
      change = current?.[from].at(-1);
      if (!current || !change) return all;
      return new Map(all).set(meetingId, { ...current, [from]: current[from].slice(0, -1) });
    });
    if (!change) return false;
    const inverse = await change();
    update(meetingId, (current) => ({ ...current, [to]: [...current[to], inverse] }));
    return true;
  });
}

/** Undoes the last change of a meeting; false when there is nothing to undo. A refused undo is dropped. */
export function undo(meetingId: number): Promise<boolean> {
  return step(meetingId, 'undo', 'redo');
}

/** Makes the last undone change again; false when there is nothing to redo. */
export function redo(meetingId: number): Promise<boolean> {
  return step(meetingId, 'redo', 'undo');
}

/** Forgets a meeting's changes (it was deleted). */
export function forgetHistory(meetingId: number): void {
  stacks.update((all) => {
    const next = new Map(all);
    next.delete(meetingId);
    return next;
  });
}

/** Whether a meeting has changes to undo and to redo. */
export function historyOf(meetingId: number): Readable<{ canUndo: boolean; canRedo: boolean }> {
  return derived(stacks, (all) => ({
    canUndo: (all.get(meetingId)?.undo.length ?? 0) > 0,
    canRedo: (all.get(meetingId)?.redo.length ?? 0) > 0,
  }));
}

/** Correcting a sentence's text from `before` to `text`; undone by the edit back. */
export function editSentence(meetingId: number, segmentId: number, text: string, before: string): Undoable {
  return async () => {
    await api.editSegmentText(meetingId, segmentId, text);
    return editSentence(meetingId, segmentId, before, text);
  };
}

/** Renaming the meeting from `before` to `title`; undone by the rename back. */
export function renameMeeting(meetingId: number, title: string, before: string): Undoable {
  return async () => {
    await api.renameMeeting(meetingId, title);
    return renameMeeting(meetingId, before, title);
  };
}

/** Naming a speaker (`before`: its name now, null for none); undone by the rename back. */
export function renameSpeaker(
  meetingId: number,
  speakerId: number,
  name: string,
  before: string | null,
  rememberVoice = false,
): Undoable {
  return async () => {
    await api.renameSpeaker(meetingId, speakerId, name, rememberVoice);
    return renameSpeaker(meetingId, speakerId, before ?? '', name === '' ? null : name);
  };
}

/** A change main undoes by putting back the speaker state it saved first; redone by making it again. */
function withSnapshot(
  meetingId: number,
  change: () => Promise<{ speakers: SpeakerSummary[]; snapshotId: number }>,
): Undoable {
  const again: Undoable = async () => {
    const { snapshotId } = await change();
    return async () => {
      await api.restoreSpeakerState(meetingId, snapshotId);
      return again;
    };
  };
  return again;
}

/** Giving all of one speaker's sentences to another. */
export function mergeSpeakers(meetingId: number, from: number, into: number): Undoable {
  return withSnapshot(meetingId, () => api.mergeSpeakers(meetingId, from, into));
}

/** Giving one sentence to another speaker, or to a new one. */
export function moveSentence(meetingId: number, segmentId: number, to: number | 'new'): Undoable {
  return withSnapshot(meetingId, () => api.moveSegment(meetingId, segmentId, to));
}

/** Re-counting the speakers (`count` null: automatically). */
export function recountSpeakers(meetingId: number, count: number | null): Undoable {
  return withSnapshot(meetingId, () => api.relabelSpeakers(meetingId, count));
}
