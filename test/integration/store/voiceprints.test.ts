// Remembered voices on real SQLite files: conv-2spk and conv-4spk share two festival voices (kal_diphone as "A",
// cmu_us_slt as "B"); conv-3spk has ked_diphone, a male voice close to kal, that nobody named.
import { describe, expect, it } from 'vitest';
import { MFCC_STATS_SUGGESTION_THRESHOLD } from '../../../src-main/speakers/edits/speaker-edit-rules.js';
import { conversationMeeting, referenceLabels, useEditsLibrary } from './conversation-meetings.js';
import { sampleMeeting } from './sample-meetings.js';

const t = useEditsLibrary();

/** Stores a conversation with its reference speakers (Speaker 1 = "A", …). */
const store = (name: string): number => {
  const conversation = t.conversations.get(name)!;
  return t.meetings.create(conversationMeeting(conversation, referenceLabels(conversation))).id;
};
const suggestions = (meetingId: number) =>
  t.meetings.get(meetingId)!.speakers.map((s) => [s.label, s.name, s.suggestedName ?? null]);

/** Remembers Kal (kal_diphone) and Sally (cmu_us_slt) from the two-speaker meeting. */
function rememberKalAndSally(): number {
  const id = store('conv-2spk');
  t.edits.rename(id, 'Speaker 1', 'Kal', { rememberVoice: true });
  t.edits.rename(id, 'Speaker 2', 'Sally', { rememberVoice: true });
  return id;
}

describe('voiceprints', () => {
  it('remembers named voices only when asked, once per name and backend', () => {
    const id = store('conv-2spk');
    t.edits.rename(id, 'Speaker 1', 'Kal');
    expect(t.edits.listVoiceprints()).toEqual([]);
    t.edits.rename(id, 'Speaker 1', 'Kal', { rememberVoice: true });
    t.edits.rename(id, 'Speaker 2', 'Sally', { rememberVoice: true });
    const listed = t.edits.listVoiceprints();
    expect(listed.map((v) => [v.name, v.backend, v.dim])).toEqual([
      ['Kal', 'mfcc-stats', 29],
      ['Sally', 'mfcc-stats', 29],
    ]);
    t.edits.rename(id, 'Kal', 'Kal', { rememberVoice: true });
    const again = t.edits.listVoiceprints();
    expect(again).toHaveLength(2);
    expect(again[0]!.id).toBe(listed[0]!.id);
    expect(again[0]!.updatedAt).toBeGreaterThanOrEqual(listed[0]!.updatedAt);
  });

  it('suggests the remembered names for the same voices in another meeting, never as names', () => {
    rememberKalAndSally();
    const four = store('conv-4spk');
    const suggested = t.edits.suggestNames(four);
    expect(suggested.map((s) => [s.label, s.name])).toEqual([
      ['Speaker 1', 'Kal'],
      ['Speaker 2', 'Sally'],
    ]);
    for (const s of suggested) expect(s.score).toBeGreaterThanOrEqual(MFCC_STATS_SUGGESTION_THRESHOLD);
    expect(suggestions(four)).toEqual([
      ['Speaker 1', null, 'Kal'],
      ['Speaker 2', null, 'Sally'],
      ['Speaker 3', null, null],
      ['Speaker 4', null, null],
    ]);
    expect(t.edits.listSpeakers(four)[0]).toMatchObject({ suggestedName: 'Kal', name: null });
  });

  it('does not suggest a name for a voice that was never named, unless the threshold is lowered', () => {
    rememberKalAndSally();
    const three = store('conv-3spk');
    expect(t.edits.suggestNames(three).map((s) => [s.label, s.name])).toEqual([['Speaker 3', 'Sally']]);
    expect(suggestions(three)[0]).toEqual(['Speaker 1', null, null]);
    expect(t.edits.suggestNames(three, 0.5).map((s) => [s.label, s.name])).toEqual([
      ['Speaker 3', 'Sally'],
      ['Speaker 1', 'Kal'],
    ]);
    for (const bad of [0, 1.5, Number.NaN]) {
      expect(() => t.edits.suggestNames(three, bad)).toThrow(
        expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
      );
    }
  });

  it('drops a suggestion once the speaker is named, and skips names already given in the meeting after each edit', () => {
    rememberKalAndSally();
    const four = store('conv-4spk');
    t.edits.suggestNames(four);
    t.edits.rename(four, 'Speaker 1', 'Karl');
    expect(suggestions(four)[1]).toEqual(['Speaker 2', null, 'Sally']);
    t.edits.rename(four, 'Speaker 3', 'Sally');
    expect(suggestions(four).slice(0, 3)).toEqual([
      ['Speaker 1', 'Karl', null],
      ['Speaker 2', null, null],
      ['Speaker 3', 'Sally', null],
    ]);
    expect(t.edits.suggestNames(four)).toEqual([]);
  });

  it('works the suggestions out again after a re-count', () => {
    rememberKalAndSally();
    const four = store('conv-4spk');
    t.edits.relabel(four, 1);
    expect(suggestions(four)).toEqual([['Speaker 1', null, null]]);
    t.edits.relabel(four, 4);
    expect(suggestions(four).map(([, , suggested]) => suggested)).toEqual(['Kal', 'Sally', null, null]);
  });

  it('forgets a voice by name or id and clears the suggestions it made', () => {
    rememberKalAndSally();
    const four = store('conv-4spk');
    t.edits.suggestNames(four);
    expect(t.edits.forgetVoiceprint('kal').map((v) => v.name)).toEqual(['Kal']);
    expect(suggestions(four).map(([, , suggested]) => suggested)).toEqual([null, 'Sally', null, null]);
    const sally = t.edits.listVoiceprints()[0]!;
    expect(t.edits.forgetVoiceprint(sally.id).map((v) => v.name)).toEqual(['Sally']);
    expect(t.edits.listVoiceprints()).toEqual([]);
    expect(suggestions(four).map(([, , suggested]) => suggested)).toEqual([null, null, null, null]);
    expect(() => t.edits.forgetVoiceprint('Kal')).toThrow(
      expect.objectContaining({ code: 'NOT_FOUND', message: expect.stringContaining('Kal') }),
    );
  });

  it('cannot remember a voice without a name or without a voice analysis', () => {
    const id = store('conv-2spk');
    expect(() => t.edits.rename(id, 'Speaker 1', '  ', { rememberVoice: true })).toThrow(
      expect.objectContaining({ code: 'INVALID_ARGUMENT' }),
    );
    const plain = t.meetings.create(sampleMeeting()).id;
    expect(() => t.edits.rename(plain, 'Speaker 1', 'Pat', { rememberVoice: true })).toThrow(
      expect.objectContaining({ code: 'SPEAKER_ANALYSIS_MISSING' }),
    );
    expect(t.meetings.get(plain)!.speakers[0]!.name).toBeNull();
    expect(t.edits.listVoiceprints()).toEqual([]);
  });
});
