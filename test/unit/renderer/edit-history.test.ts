// The undo/redo stacks of a meeting's corrections, against a stand-in for `window.funscribe` that records each call
// and keeps the text, names and speaker state the calls change (the real ones are covered by test/e2e/editing).
import { get } from 'svelte/store';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  editSentence,
  forgetHistory,
  historyOf,
  mergeSpeakers,
  perform,
  redo,
  renameMeeting,
  renameSpeaker,
  undo,
} from '../../../src-renderer/lib/stores/edit-history.js';

const MEETING = 7;
let calls: string[];
let text: string;
let name: string | null;
let merged: boolean;
let snapshots: number;
let title: string;

/** A bridge whose methods change the state above and answer as main would. */
function fakeBridge(): Record<string, (...args: unknown[]) => Promise<unknown>> {
  const ok = (value: unknown) => Promise.resolve({ ok: true, value });
  return {
    editSegmentText: (_m, _s, next) => {
      calls.push(`edit ${String(next)}`);
      text = String(next);
      return ok({ id: 1, text });
    },
    renameSpeaker: (_m, _s, next) => {
      calls.push(`rename ${String(next)}`);
      name = next === '' ? null : String(next);
      return ok([]);
    },
    renameMeeting: (_m, next) => {
      calls.push(`title ${String(next)}`);
      title = String(next);
      return ok(null);
    },
    mergeSpeakers: () => {
      calls.push('merge');
      merged = true;
      return ok({ speakers: [], snapshotId: ++snapshots });
    },
    restoreSpeakerState: (_m, snapshotId) => {
      calls.push(`restore ${String(snapshotId)}`);
      merged = false;
      return ok([]);
    },
  };
}

beforeEach(() => {
  calls = [];
  text = 'recognised';
  name = null;
  merged = false;
  snapshots = 0;
  title = 'Budget review';
  (globalThis as { window?: unknown }).window = { funscribe: fakeBridge() };
});
afterEach(() => {
  forgetHistory(MEETING);
  delete (globalThis as { window?: unknown }).window;
});

describe('the edit history of a meeting', () => {
  it('undoes changes newest first and redoes them in order, each through its inverse', async () => {
    await perform(MEETING, editSentence(MEETING, 1, 'corrected', 'recognised'));
    await perform(MEETING, renameSpeaker(MEETING, 3, 'Alice', null));
    await perform(MEETING, mergeSpeakers(MEETING, 4, 3));
    expect([text, name, merged]).toEqual(['corrected', 'Alice', true]);

    expect(await undo(MEETING)).toBe(true);
    expect(merged).toBe(false);
    expect(await undo(MEETING)).toBe(true);
    expect(name).toBeNull();
    expect(await undo(MEETING)).toBe(true);
    expect(text).toBe('recognised');
    expect(await undo(MEETING)).toBe(false);
    expect(get(historyOf(MEETING))).toEqual({ canUndo: false, canRedo: true });

    for (let i = 0; i < 3; i++) expect(await redo(MEETING)).toBe(true);
    expect([text, name, merged]).toEqual(['corrected', 'Alice', true]);
    expect(await redo(MEETING)).toBe(false);
    // The merge made again saved a new snapshot, which its undo puts back.
    await undo(MEETING);
    expect(calls).toEqual([
      'edit corrected',
      'rename Alice',
      'merge',
      'restore 1',
      'rename ',
      'edit recognised',
      'edit corrected',
      'rename Alice',
      'merge',
      'restore 2',
    ]);
  });

  it('clears what could be redone when a new change is made, and keeps meetings apart', async () => {
    await perform(MEETING, editSentence(MEETING, 1, 'one', 'recognised'));
    await undo(MEETING);
    await perform(MEETING, editSentence(MEETING, 1, 'two', 'recognised'));
    expect(get(historyOf(MEETING))).toEqual({ canUndo: true, canRedo: false });
    expect(await undo(MEETING + 1)).toBe(false);
    expect(text).toBe('two');
  });

  it('undoes and redoes a rename of the meeting by renaming it back and again', async () => {
    await perform(MEETING, renameMeeting(MEETING, 'Budget 2027', 'Budget review'));
    expect(title).toBe('Budget 2027');
    expect(await undo(MEETING)).toBe(true);
    expect(title).toBe('Budget review');
    expect(await redo(MEETING)).toBe(true);
    expect(title).toBe('Budget 2027');
    expect(calls).toEqual(['title Budget 2027', 'title Budget review', 'title Budget 2027']);
  });

  it('keeps a change that main refused off the stacks', async () => {
    const bridge = (globalThis as unknown as { window: { funscribe: Record<string, unknown> } }).window
      .funscribe;
    bridge.mergeSpeakers = () =>
      Promise.resolve({ ok: false, error: { code: 'NOT_FOUND', message: 'no such speaker' } });
    await expect(perform(MEETING, mergeSpeakers(MEETING, 4, 3))).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect(get(historyOf(MEETING))).toEqual({ canUndo: false, canRedo: false });
  });
});
