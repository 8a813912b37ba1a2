// The speakers of a meeting and the remembered voices: re-count, rename, merge, move one sentence, and several of
// those made at once (the command line's `speakers --count --rename --merge`), all or nothing.
import type { ApiHandlers } from '../../src-shared/contract.js';
import type {
  SpeakerLabelling,
  SpeakerSummary,
  UndoableSpeakerEdit,
  VoiceprintInfo,
} from '../../src-shared/types.js';
import type { SpeakerChangePlan } from '../speakers/edits/speaker-edits.js';
import { FunscribeError } from '../util/errors.js';
import type { ApplicationParts } from './application-parts.js';
import type { EmitEvent } from './events.js';
import { requireMeeting, requireMeetingSummary, typedMeetingId } from './meeting-lookup.js';

/** A meeting's speakers after a change, and how they were labelled. */
export interface ChangedSpeakers {
  meetingId: number;
  labelling: SpeakerLabelling | null;
  speakers: SpeakerSummary[];
}

/** The speaker operations: the contract's, several changes at once, and forgetting a voice by name. */
export interface SpeakerOperations extends Pick<
  ApiHandlers,
  | 'listSpeakers'
  | 'relabelSpeakers'
  | 'renameSpeaker'
  | 'mergeSpeakers'
  | 'moveSegment'
  | 'restoreSpeakerState'
  | 'listVoiceprints'
> {
  /**
   * Makes the changes of `plan` to the speakers of the meeting whose id a person typed, in one transaction (any
   * refusal undoes all of them), and returns the speakers afterwards with fresh name suggestions.
   */
  changeSpeakers(typedId: string, plan: SpeakerChangePlan): Promise<ChangedSpeakers>;
  /** Deletes the remembered voice(s) with this id or name (and the suggestions they made); returns those deleted. */
  forgetVoiceprint(idOrName: number | string): Promise<VoiceprintInfo[]>;
}

/** The speaker operations of one library; every change of a meeting is announced as `library:changed`. */
export function speakerOperations(parts: ApplicationParts, emit: EmitEvent): SpeakerOperations {
  const { speakerEdits, meetings } = parts;
  /** Runs a speaker edit of one meeting and tells the renderer that the meeting changed. */
  const editSpeakers = <T>(meetingId: number, edit: () => T): T => {
    requireMeetingSummary(meetings, meetingId);
    const result = edit();
    emit('library:changed', { meetingId });
    return result;
  };
  /** The same for an edit undone by restoring the speaker state saved before it. */
  const undoable = (meetingId: number, edit: () => SpeakerSummary[]): UndoableSpeakerEdit =>
    editSpeakers(meetingId, () => speakerEdits.withUndo(meetingId, edit));
  return {
    listSpeakers: async (meetingId) => {
      requireMeetingSummary(meetings, meetingId);
      return speakerEdits.listSpeakers(meetingId);
    },
    relabelSpeakers: async (meetingId, count) =>
      undoable(meetingId, () => speakerEdits.relabel(meetingId, count ?? undefined)),
    renameSpeaker: async (meetingId, speakerId, name, rememberVoice) =>
      editSpeakers(meetingId, () => speakerEdits.rename(meetingId, speakerId, name, { rememberVoice })),
    mergeSpeakers: async (meetingId, from, into) =>
      undoable(meetingId, () => speakerEdits.merge(meetingId, from, into)),
    restoreSpeakerState: async (meetingId, snapshotId) =>
      editSpeakers(meetingId, () => speakerEdits.restoreState(meetingId, snapshotId)),
    moveSegment: async (meetingId, segmentId, to) =>
      undoable(meetingId, () => {
        if (!requireMeeting(meetings, meetingId).segments.some((segment) => segment.id === segmentId)) {
          throw new FunscribeError(
            'NOT_FOUND',
            `Meeting ${meetingId} has no sentence with id ${segmentId}.`,
            {
              params: { reason: 'sentence', id: segmentId },
            },
          );
        }
        return speakerEdits.moveSegment(segmentId, to);
      }),
    listVoiceprints: async () => speakerEdits.listVoiceprints(),
    forgetVoiceprint: async (idOrName) => speakerEdits.forgetVoiceprint(idOrName),
    changeSpeakers: async (typedId, plan) => {
      const meetingId = typedMeetingId(typedId);
      const speakers = speakerEdits.applyChanges(meetingId, plan);
      emit('library:changed', { meetingId });
      return { meetingId, labelling: speakerEdits.labelling(meetingId), speakers };
    },
  };
}
