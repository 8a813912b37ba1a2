// Changing a meeting's speakers after transcription: re-count them from the stored analysis (no decoding or ASR),
// rename, merge, move one sentence, remember a voice (only when asked) and suggest names from remembered voices.
// Every operation checks its arguments and runs in one write transaction of the library's.
import type {
  SpeakerLabelling,
  SpeakerRef,
  SpeakerSummary,
  UndoableSpeakerEdit,
  VoiceprintInfo,
} from '../../../src-shared/types.js';
import type { LibraryTransactions } from '../../store/library-transactions.js';
import type { SpeakerLibrary } from '../../store/speaker-library.js';
import type {
  SpeakerDraft,
  SpeakerRepository,
  StoredSegment,
  StoredSpeaker,
} from '../../store/speakers-repo.js';
import type { SpeakerSnapshots } from '../../store/speaker-snapshots.js';
import type { SpeakerAnalysis } from '../../store/stored-analysis.js';
import { isRowId } from '../../store/validate.js';
import type { VoiceprintRepository } from '../../store/voiceprints-repo.js';
import { FunscribeError } from '../../util/errors.js';
import { piecesOfSegments, segmentsFromPieces } from '../labelling/segment-builder.js';
import {
  pieceLabelsFromAnalysis,
  speakerCentroids,
  windowOwners,
  type OwnedSpan,
} from '../labelling/speaker-analysis.js';
import {
  carryOver,
  checkedCount,
  cleanName,
  followNamedVoices,
  keepAll,
  ownerIndexes,
  pickSuggestions,
  sameText,
  shownAs,
  suggestionThreshold,
  summarise,
  type SpeakerSuggestion,
} from './speaker-edit-rules.js';
import { labelSpans } from '../labelling/token-speakers.js';

/**
 * Several speaker changes made at once, all or nothing: the re-count first, then the renames, then the merges, with
 * speakers referred to as they are after the re-count.
 */
export interface SpeakerChangePlan {
  /** Re-count the speakers to this many first; none: no re-count. */
  count?: number;
  renames: { speaker: SpeakerRef; name: string }[];
  merges: [from: SpeakerRef, into: SpeakerRef][];
  /** Remember the voices of the renamed speakers (the user's consent). */
  rememberVoice: boolean;
}

/** The speaker edits and voiceprints of one library. */
export class SpeakerEdits {
  private readonly speakers: SpeakerRepository;
  private readonly snapshots: SpeakerSnapshots;
  private readonly voiceprints: VoiceprintRepository;
  private readonly transactions: LibraryTransactions;

  /** Works on the speaker repositories of one library, within its write transactions. */
  constructor(library: SpeakerLibrary) {
    this.speakers = library.speakers;
    this.snapshots = library.snapshots;
    this.voiceprints = library.voiceprints;
    this.transactions = library.transactions;
  }

  /** The speakers of a meeting with speaking time, segment count and name suggestions. */
  listSpeakers(meetingId: number): SpeakerSummary[] {
    const id = this.requireMeeting(meetingId);
    return summarise(this.speakers.speakers(id), this.speakers.talk(id));
  }

  /** How a meeting's speakers were labelled, or null when that was not recorded. */
  labelling(meetingId: number): SpeakerLabelling | null {
    return this.speakers.labelling(this.requireMeeting(meetingId));
  }

  /** The speaker of a meeting an id, label or name refers to (NOT_FOUND listing the speakers when none does). */
  resolveSpeaker(meetingId: number, ref: SpeakerRef): StoredSpeaker {
    return this.findSpeaker(this.requireMeeting(meetingId), this.speakers.speakers(meetingId), ref);
  }

  /**
   * Re-counts the speakers from the stored analysis: `count` of them, or an automatic count. A name stays with the
   * voice it was given to (the windows its speaker had when named, whatever merges and moves came since); names from
   * before that was recorded stay with new speakers that clearly share their speaking time. Sentences the user edited
   * stay whole. Like every edit, this works the name suggestions out again.
   */
  relabel(meetingId: number, count?: number): SpeakerSummary[] {
    const speakerCount = checkedCount(count);
    return this.write(() => {
      const id = this.requireMeeting(meetingId);
      const analysis = this.requireAnalysis(id);
      const stored = this.speakers.contents(id);
      const { pieces, sources } = piecesOfSegments(stored);
      const labels = pieceLabelsFromAnalysis(analysis, pieces, speakerCount);
      const before = pieces.flatMap((piece, i) =>
        labelSpans(piece).map((span) => ({ ...span, id: 0, speakerId: stored[sources[i]!]!.speakerId })),
      );
      const segments = segmentsFromPieces(pieces, labels);
      const owners = windowOwners(
        analysis,
        segments.map(({ startMs, endMs, speakerIndex }) => ({ startMs, endMs, owner: speakerIndex })),
      );
      const old = this.speakers.speakers(id);
      const drafts = followNamedVoices(carryOver(old, before, labels.flat()), old, owners);
      this.speakers.rewrite(id, drafts, segments);
      return this.refreshed(id);
    });
  }

  /**
   * Names a speaker for the whole meeting (an empty name goes back to the label). With `rememberVoice` (the user's
   * consent) the speaker's mean embedding is stored as a voiceprint under that name, replacing an older one.
   */
  rename(
    meetingId: number,
    speaker: SpeakerRef,
    name: string,
    options: { rememberVoice?: boolean } = {},
  ): SpeakerSummary[] {
    const clean = cleanName(name);
    if (options.rememberVoice && clean === null) {
      throw new FunscribeError('INVALID_ARGUMENT', 'Give the speaker a name to remember the voice under.');
    }
    return this.write(() => {
      const id = this.requireMeeting(meetingId);
      const all = this.speakers.speakers(id);
      const target = this.findSpeaker(id, all, speaker);
      const clash =
        clean === null
          ? undefined
          : all.find((s) => s.id !== target.id && (sameText(s.name, clean) || sameText(s.label, clean)));
      if (clash) {
        throw new FunscribeError(
          'INVALID_ARGUMENT',
          `${shownAs(clash)} is already called "${clean}". To make them one speaker, merge ${target.label} into ${clash.label}.`,
          { params: { reason: 'nameTaken', name: clean ?? '' } },
        );
      }
      const voice =
        target.name !== null && target.nameWindows ? target.nameWindows : this.windowsOf(id, all, target);
      this.speakers.setName(target.id, clean, voice);
      if (options.rememberVoice && clean) this.rememberVoice(id, all, target, clean);
      return this.refreshed(id);
    });
  }

  /** Gives all of `from`'s sentences to `into` (which keeps its name, or takes `from`'s) and renumbers the speakers. */
  merge(meetingId: number, from: SpeakerRef, into: SpeakerRef): SpeakerSummary[] {
    return this.write(() => {
      const id = this.requireMeeting(meetingId);
      const all = this.speakers.speakers(id);
      const source = this.findSpeaker(id, all, from);
      const target = this.findSpeaker(id, all, into);
      if (source.id === target.id) {
        throw new FunscribeError('INVALID_ARGUMENT', `Cannot merge ${source.label} into itself.`, {
          params: { reason: 'mergeItself' },
        });
      }
      const drafts = keepAll(all);
      const sourceIndex = all.indexOf(source);
      const targetIndex = all.indexOf(target);
      drafts[targetIndex]!.name = target.name ?? source.name;
      drafts[targetIndex]!.nameWindows = target.name !== null ? target.nameWindows : source.nameWindows;
      this.reassign(id, all, drafts, (owner) => (owner === sourceIndex ? targetIndex : owner));
      return this.refreshed(id);
    });
  }

  /** Gives one sentence to another speaker (or to a new one with 'new') and renumbers the speakers. */
  moveSegment(segmentId: number, to: SpeakerRef | 'new'): SpeakerSummary[] {
    return this.write(() => {
      const id = isRowId(segmentId) ? this.speakers.meetingOfSegment(segmentId) : null;
      if (id === null) {
        throw new FunscribeError('NOT_FOUND', `There is no sentence with id ${String(segmentId)}.`, {
          params: { reason: 'sentence', id: String(segmentId) },
        });
      }
      const all = this.speakers.speakers(id);
      const drafts = keepAll(all);
      const targetIndex =
        to === 'new' ? drafts.push({ name: null }) - 1 : all.indexOf(this.findSpeaker(id, all, to));
      this.reassign(id, all, drafts, (owner, segment) => (segment.id === segmentId ? targetIndex : owner));
      return this.refreshed(id);
    });
  }

  /**
   * Makes the changes of a plan in one transaction (any refusal undoes all of them): every speaker it names is looked
   * up before the first rename; then the name suggestions are worked out again. Returns the speakers afterwards.
   */
  applyChanges(meetingId: number, plan: SpeakerChangePlan): SpeakerSummary[] {
    return this.write(() => {
      if (plan.count !== undefined) this.relabel(meetingId, plan.count);
      const renames = plan.renames.map(({ speaker, name }) => ({
        speaker: this.resolveSpeaker(meetingId, speaker),
        name,
      }));
      const merges = plan.merges.map(([from, into]) => ({
        from: this.resolveSpeaker(meetingId, from),
        into: this.resolveSpeaker(meetingId, into),
      }));
      for (const { speaker, name } of renames) {
        this.rename(meetingId, speaker.id, name, { rememberVoice: plan.rememberVoice });
      }
      for (const { from, into } of merges) this.merge(meetingId, from.id, into.id);
      this.suggestNames(meetingId);
      return this.listSpeakers(meetingId);
    });
  }

  /**
   * Runs a speaker edit of a meeting (merge, move, re-count) after saving the speaker state it changes, in one
   * transaction; the snapshot's id undoes it through restoreState.
   */
  withUndo(meetingId: number, edit: () => SpeakerSummary[]): UndoableSpeakerEdit {
    return this.write(() => {
      const snapshotId = this.snapshots.save(this.requireMeeting(meetingId));
      return { speakers: edit(), snapshotId };
    });
  }

  /** Puts a meeting's speakers and sentences back as they were before the edit that saved `snapshotId`. */
  restoreState(meetingId: number, snapshotId: number): SpeakerSummary[] {
    return this.write(() => {
      const id = this.requireMeeting(meetingId);
      this.snapshots.restore(id, snapshotId);
      return this.refreshed(id);
    });
  }

  /** Every remembered voice. */
  listVoiceprints(): VoiceprintInfo[] {
    return this.voiceprints.list();
  }

  /** Deletes the voiceprint(s) with this id or name (every backend); the suggestions they made are cleared. */
  forgetVoiceprint(idOrName: number | string): VoiceprintInfo[] {
    if (typeof idOrName !== 'number' && typeof idOrName !== 'string') {
      throw new FunscribeError('INVALID_ARGUMENT', 'Give the name or id of the voice to forget.');
    }
    return this.write(() => {
      const found = this.voiceprints.find(idOrName);
      if (found.length === 0) {
        throw new FunscribeError('NOT_FOUND', `No remembered voice is called "${String(idOrName)}".`, {
          params: { reason: 'voice', name: String(idOrName) },
        });
      }
      for (const voiceprint of found) this.voiceprints.delete(voiceprint.id);
      return found;
    });
  }

  /**
   * Suggests names for a meeting's unnamed speakers from the voiceprints of the same backend: the best match at or
   * above `threshold` (default: suggestionThreshold) and clearly ahead of the next, each voiceprint for one speaker at
   * most. Saved as suggestions, never as names; call it after saving a new meeting. No stored voice analysis: [].
   */
  suggestNames(meetingId: number, threshold?: number): SpeakerSuggestion[] {
    if (threshold !== undefined && !(typeof threshold === 'number' && threshold > 0 && threshold <= 1)) {
      throw new FunscribeError(
        'INVALID_ARGUMENT',
        'The suggestion threshold must be a number above 0 and at most 1.',
      );
    }
    return this.write(() => {
      const id = this.requireMeeting(meetingId);
      const analysis = this.speakers.analysis(id);
      return analysis ? this.suggest(id, analysis, threshold ?? suggestionThreshold(analysis.backend)) : [];
    });
  }

  /** The speakers after an edit, their name suggestions worked out again (speakers and voices may have changed). */
  private refreshed(id: number): SpeakerSummary[] {
    const analysis = this.speakers.analysis(id);
    if (analysis) this.suggest(id, analysis, suggestionThreshold(analysis.backend));
    return this.listSpeakers(id);
  }

  /**
   * Gives segments new owners (`ownerOf` maps each segment's speaker index, -1 for none, to a draft index) and rebuilds
   * the segments, so neighbouring pieces that now share a speaker are joined into sentences again.
   */
  private reassign(
    id: number,
    all: StoredSpeaker[],
    drafts: SpeakerDraft[],
    ownerOf: (owner: number, segment: StoredSegment) => number,
  ): void {
    const stored = this.speakers.contents(id);
    const owners = ownerIndexes(stored, all).map((owner, i) => ownerOf(owner ?? -1, stored[i]!));
    const { pieces, sources } = piecesOfSegments(stored);
    const labels = pieces.map((piece, i) => labelSpans(piece).map(() => owners[sources[i]!]!));
    this.speakers.rewrite(id, drafts, segmentsFromPieces(pieces, labels));
  }

  /** The analysis windows `target` owns now (the voice a name is given to), or null without a voice analysis. */
  private windowsOf(id: number, all: StoredSpeaker[], target: StoredSpeaker): number[] | null {
    const analysis = this.speakers.analysis(id);
    if (!analysis) return null;
    const index = all.indexOf(target);
    return windowOwners(analysis, this.ownedSpans(id, all)).flatMap((owner, window) =>
      owner === index ? [window] : [],
    );
  }

  /** The segments of a meeting with the index (into `all`) of their speaker, -1 for none. */
  private ownedSpans(id: number, all: StoredSpeaker[]): OwnedSpan[] {
    const spans = this.speakers.segments(id);
    const owners = ownerIndexes(spans, all);
    return spans.map((span, i) => ({ startMs: span.startMs, endMs: span.endMs, owner: owners[i] ?? -1 }));
  }

  /** Works out and saves the suggestions of one meeting (see suggestNames). */
  private suggest(id: number, analysis: SpeakerAnalysis, threshold: number): SpeakerSuggestion[] {
    const all = this.speakers.speakers(id);
    const centroids = speakerCentroids(analysis, this.ownedSpans(id, all), all.length);
    const prints = this.voiceprints.forBackend(analysis.backend, analysis.dim);
    const chosen = pickSuggestions(all, centroids, prints, threshold);
    for (const speaker of all) {
      const suggestion = chosen.find((c) => c.speakerId === speaker.id);
      this.speakers.setSuggestion(speaker.id, suggestion?.voiceprintId ?? null, suggestion?.score ?? null);
    }
    return chosen;
  }

  /** Stores the mean embedding of `target`'s windows as the voiceprint `name` for the analysis backend. */
  private rememberVoice(id: number, all: StoredSpeaker[], target: StoredSpeaker, name: string): void {
    const analysis = this.requireAnalysis(id);
    const centroid = speakerCentroids(analysis, this.ownedSpans(id, all), all.length)[all.indexOf(target)];
    if (!centroid) {
      throw new FunscribeError(
        'SPEAKER_ANALYSIS_MISSING',
        `${target.label} has no analysed speech to remember the voice from.`,
        { params: { reason: 'noSpeech', speaker: target.name ?? target.label } },
      );
    }
    this.voiceprints.save(name, analysis.backend, centroid);
  }

  private findSpeaker(meetingId: number, all: StoredSpeaker[], ref: SpeakerRef): StoredSpeaker {
    if (typeof ref !== 'number' && typeof ref !== 'string') {
      throw new FunscribeError('INVALID_ARGUMENT', 'A speaker is given by its label, its name or its id.');
    }
    const text = String(ref).trim();
    const named = all.filter((s) => sameText(s.name, text));
    if (typeof ref === 'string' && named.length > 1 && !all.some((s) => sameText(s.label, text))) {
      throw new FunscribeError(
        'INVALID_ARGUMENT',
        `More than one speaker is called "${text}"; use the label (${named.map((s) => s.label).join(', ')}).`,
      );
    }
    const found =
      typeof ref === 'number'
        ? all.find((s) => s.id === ref)
        : (all.find((s) => sameText(s.label, text)) ??
          named[0] ??
          all.find((s) => /^\d+$/.test(text) && s.id === Number(text)));
    if (found) return found;
    const list = all.length > 0 ? all.map(shownAs).join(', ') : 'none';
    throw new FunscribeError(
      'NOT_FOUND',
      `Meeting ${meetingId} has no speaker "${text}". Its speakers are: ${list}.`,
      { params: { reason: 'speaker', meeting: meetingId, speaker: text } },
    );
  }

  private requireMeeting(meetingId: unknown): number {
    if (isRowId(meetingId) && this.speakers.meetingExists(meetingId)) return meetingId;
    throw new FunscribeError(
      'NOT_FOUND',
      `There is no meeting with id ${String(meetingId)}; it may have been deleted.`,
      { params: { reason: 'meeting', id: String(meetingId) } },
    );
  }

  private requireAnalysis(meetingId: number): SpeakerAnalysis {
    const analysis = this.speakers.analysis(meetingId);
    if (analysis) return analysis;
    const byChannel = this.speakers.labelling(meetingId)?.mode === 'channels';
    throw new FunscribeError(
      'SPEAKER_ANALYSIS_MISSING',
      byChannel
        ? 'The speakers of this meeting were told apart by stereo channel, so there is no voice analysis to work from.'
        : 'This meeting has no stored voice analysis (it was transcribed by an older FunScribe or has no speech). ' +
            'Transcribe the file again to re-count its speakers.',
      { params: { reason: byChannel ? 'byChannel' : 'noAnalysis' } },
    );
  }

  private write<T>(operation: () => T): T {
    return this.transactions.write(operation);
  }
}
