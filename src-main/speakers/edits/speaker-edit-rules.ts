// The rules behind speaker edits, free of the database: names, counts, which re-counted speaker keeps which name,
// speaking time, and which remembered voice is suggested for which speaker.
import type { SpeakerSummary } from '../../../src-shared/types.js';
import type { SegmentSpan, SpeakerDraft, SpeakerTalk, StoredSpeaker } from '../../store/speakers-repo.js';
import type { StoredVoiceprint } from '../../store/voiceprints-repo.js';
import { MAX_SPEAKER_COUNT, MAX_SPEAKER_NAME_CHARS } from '../../../src-shared/schemas/limits.js';
import { FunscribeError } from '../../util/errors.js';
import { cosine } from '../dsp/linalg.js';
import { MFCC_STATS_BACKEND } from '../../../src-shared/speaker-backends.js';

/** Cosine a speaker model's centroid must reach against a voiceprint for its name to be suggested. */
export const DEFAULT_SUGGESTION_THRESHOLD = 0.6;
/**
 * The same, for MFCC statistics. Their raw means depend on the microphone and room as much as on the voice: on the
 * generated conversations the same voice scored 0.94–0.99 across meetings but two different male voices 0.89, so only
 * near-identical statistics count (and across real recordings suggestions will be rare).
 */
export const MFCC_STATS_SUGGESTION_THRESHOLD = 0.93;
/** The best voiceprint must beat the next one by this much, else the voice is too ambiguous to suggest a name. */
export const SUGGESTION_MARGIN = 0.03;

/** A name suggested for a speaker of a meeting from a remembered voice. */
export interface SpeakerSuggestion {
  speakerId: number;
  label: string;
  name: string;
  voiceprintId: number;
  score: number;
}

/** The suggestion threshold used for embeddings of a backend when none is given. */
export function suggestionThreshold(backend: string): number {
  return backend === MFCC_STATS_BACKEND ? MFCC_STATS_SUGGESTION_THRESHOLD : DEFAULT_SUGGESTION_THRESHOLD;
}

/** A name trimmed (inner runs of spaces made one) and checked; null for an empty name. */
export function cleanName(name: unknown): string | null {
  if (typeof name !== 'string') throw new FunscribeError('INVALID_ARGUMENT', 'The name must be text.');
  const trimmed = name.trim().replace(/\s+/g, ' ');
  if (trimmed.length > MAX_SPEAKER_NAME_CHARS) {
    throw new FunscribeError(
      'INVALID_ARGUMENT',
      `A name can have at most ${MAX_SPEAKER_NAME_CHARS} characters.`,
      { params: { reason: 'nameTooLong', max: MAX_SPEAKER_NAME_CHARS } },
    );
  }
  return trimmed.length > 0 ? trimmed : null;
}

/** A speaker count from 1 to MAX_SPEAKER_COUNT, or undefined for an automatic count. */
export function checkedCount(count: unknown): number | undefined {
  if (count === undefined || count === null) return undefined;
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_SPEAKER_COUNT) {
    throw new FunscribeError(
      'INVALID_ARGUMENT',
      `The number of speakers must be a whole number from 1 to ${MAX_SPEAKER_COUNT}, not ${String(count)}.`,
      { params: { reason: 'speakerCount', max: MAX_SPEAKER_COUNT, count: String(count) } },
    );
  }
  return count;
}

/** True when a (possibly null) text equals another, ignoring case. */
export const sameText = (a: string | null, b: string): boolean => a?.toLowerCase() === b.toLowerCase();
/** A speaker as messages show it: "Speaker 2 (Alice)". */
export const shownAs = (s: StoredSpeaker): string => (s.name ? `${s.label} (${s.name})` : s.label);
const weight = (span: SegmentSpan): number => Math.max(1, span.endMs - span.startMs);

/** Each segment's speaker as an index into `speakers` (null when it has none). */
export function ownerIndexes(spans: SegmentSpan[], speakers: StoredSpeaker[]): (number | null)[] {
  const index = new Map(speakers.map((s, i) => [s.id, i]));
  return spans.map((span) => (span.speakerId === null ? null : (index.get(span.speakerId) ?? null)));
}

/** The current speakers as drafts that keep their rows, names and suggestions. */
export function keepAll(speakers: StoredSpeaker[]): SpeakerDraft[] {
  return speakers.map(({ id, name, voiceprintId, suggestionScore, nameWindows }) => ({
    id,
    name,
    voiceprintId,
    suggestionScore,
    nameWindows,
  }));
}

/**
 * Drafts for re-counted speakers where names follow the voices they were given to: an old speaker named with its
 * analysis windows (`nameWindows`) passes its row and name to the new speaker that holds more than half of those
 * windows and whose own windows are more than half theirs (`owners`: each window's new speaker, -1 for none). Names
 * without windows (from before they were recorded) keep the time-based `drafts` of carryOver.
 */
export function followNamedVoices(
  drafts: SpeakerDraft[],
  old: StoredSpeaker[],
  owners: readonly number[],
): SpeakerDraft[] {
  const voiced = old.filter((s) => s.name !== null && (s.nameWindows?.length ?? 0) > 0);
  if (voiced.length === 0) return drafts;
  const voicedIds = new Set(voiced.map((s) => s.id));
  const result = drafts.map((d): SpeakerDraft =>
    d.id !== undefined && voicedIds.has(d.id) ? { name: null } : d,
  );
  const windowsOf = new Map<number, number>();
  for (const owner of owners) windowsOf.set(owner, (windowsOf.get(owner) ?? 0) + 1);
  const taken = new Set<number>();
  for (const speaker of voiced) {
    const named = speaker.nameWindows!;
    const shared = new Map<number, number>();
    for (const window of named) {
      const owner = owners[window] ?? -1;
      if (owner >= 0) shared.set(owner, (shared.get(owner) ?? 0) + 1);
    }
    for (const [label, both] of shared) {
      if (taken.has(label) || both * 2 <= named.length || both * 2 <= (windowsOf.get(label) ?? 0)) continue;
      if (label >= result.length) continue;
      taken.add(label);
      result[label] = { id: speaker.id, name: speaker.name, nameWindows: named };
    }
  }
  return result;
}

/**
 * Drafts for re-counted speakers (`labels`: 0..K−1 per segment): a new speaker takes over the row and name of an old
 * one when more than half of each one's speaking time is shared (so at most one match either way), else starts unnamed.
 */
export function carryOver(old: StoredSpeaker[], spans: SegmentSpan[], labels: number[]): SpeakerDraft[] {
  const count = labels.reduce((max, label) => Math.max(max, label + 1), 0);
  const newTalk = new Array<number>(count).fill(0);
  const oldTalk = new Map<number, number>();
  const shared = new Map<string, number>();
  spans.forEach((span, i) => {
    const label = labels[i]!;
    newTalk[label] = newTalk[label]! + weight(span);
    if (span.speakerId === null) return;
    oldTalk.set(span.speakerId, (oldTalk.get(span.speakerId) ?? 0) + weight(span));
    const key = `${label}:${span.speakerId}`;
    shared.set(key, (shared.get(key) ?? 0) + weight(span));
  });
  return newTalk.map((talk, label) => {
    const match = old.find((o) => {
      const both = shared.get(`${label}:${o.id}`) ?? 0;
      return both * 2 > talk && both * 2 > (oldTalk.get(o.id) ?? 0);
    });
    return match ? { id: match.id, name: match.name } : { name: null };
  });
}

/** Speakers with their speaking time and number of segments (`talk`: the totals of those who speak). */
export function summarise(speakers: StoredSpeaker[], talk: readonly SpeakerTalk[]): SpeakerSummary[] {
  const totals = new Map(talk.map((own) => [own.speakerId, own]));
  return speakers.map((s) => {
    const own = totals.get(s.id);
    const summary: SpeakerSummary = {
      id: s.id,
      number: s.ordinal + 1,
      label: s.label,
      name: s.name,
      talkMs: own?.talkMs ?? 0,
      segmentCount: own?.segmentCount ?? 0,
    };
    if (s.suggestedName !== null) {
      summary.suggestedName = s.suggestedName;
      summary.suggestionScore = s.suggestionScore ?? 0;
    }
    return summary;
  });
}

/**
 * The suggestions for unnamed speakers (`centroids[i]` is speaker i's mean embedding): each one's best voiceprint at or
 * above `threshold` and at least SUGGESTION_MARGIN ahead of the next, one speaker per voiceprint (the best scoring).
 * Voiceprints whose name a speaker of the meeting already has are left out.
 */
export function pickSuggestions(
  speakers: StoredSpeaker[],
  centroids: (Float32Array | null)[],
  voiceprints: StoredVoiceprint[],
  threshold: number,
): SpeakerSuggestion[] {
  const prints = voiceprints.filter((p) => !speakers.some((s) => sameText(s.name, p.name)));
  const candidates = speakers.flatMap((speaker, i) => {
    const centroid = centroids[i];
    if (speaker.name !== null || !centroid || prints.length === 0) return [];
    const [best, next] = prints
      .map((print) => ({ print, score: cosine(centroid, print.centroid) }))
      .sort((a, b) => b.score - a.score);
    if (best!.score < threshold || (next && best!.score - next.score < SUGGESTION_MARGIN)) return [];
    return [{ speaker, print: best!.print, score: best!.score }];
  });
  candidates.sort((a, b) => b.score - a.score);
  const used = new Set<number>();
  const chosen: SpeakerSuggestion[] = [];
  for (const { speaker, print, score } of candidates) {
    if (used.has(print.id)) continue;
    used.add(print.id);
    chosen.push({
      speakerId: speaker.id,
      label: speaker.label,
      name: print.name,
      voiceprintId: print.id,
      score,
    });
  }
  return chosen;
}
