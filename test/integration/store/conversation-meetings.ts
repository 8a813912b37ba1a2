// Generated conversations as meetings to store: one segment per reference turn, with the model-free speaker analysis
// of the real audio (MFCC statistics of 1.5 s windows over the turns, as the speaker stage computes it).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { NewMeeting } from '../../../src-main/store/new-meeting.js';
import type { SpeakerAnalysis } from '../../../src-main/store/stored-analysis.js';
import { generateDiarizationSet } from '../../fixtures/conversations.js';
import { diarizationErrorRate } from '../../helpers/der.js';
import { parseRttm, type RttmTurn } from '../../helpers/rttm.js';
import { voiceAnalysis } from '../../helpers/voice-analysis.js';
import { readMonoWav } from '../../helpers/wav.js';
import { afterEach, beforeAll, beforeEach } from 'vitest';
import { SpeakerEdits } from '../../../src-main/speakers/edits/speaker-edits.js';
import { MeetingRepository } from '../../../src-main/store/meetings-repo.js';
import { speakerLibrary } from '../../../src-main/store/speaker-library.js';
import { tempLibrary, type TempLibrary } from './temp-library.js';

const GENERATED = join(import.meta.dirname, '../../fixtures/generated/diarization');

/** A mono conversation: its reference turns (speakers "A", "B"… in order of appearance) and its analysis. */
export interface AnalysedConversation {
  name: string;
  reference: RttmTurn[];
  analysis: SpeakerAnalysis;
}

/**
 * Generates (or reuses) the mono conversations and analyses each one's audio over its reference turns (only those
 * named in `only`, when given: the analysis is the costly part).
 */
export async function analysedConversations(
  only?: readonly string[],
): Promise<Map<string, AnalysedConversation>> {
  const files = (await generateDiarizationSet(GENERATED)).filter(
    (file) => !file.stereo && (only === undefined || only.includes(file.name)),
  );
  const analysed = await Promise.all(
    files.map(async (file) => {
      const reference = parseRttm(await readFile(file.rttmPath, 'utf8'));
      const samples = await readMonoWav(file.wavPath);
      const analysis = voiceAnalysis(samples, reference);
      return { name: file.name, reference, analysis };
    }),
  );
  return new Map(analysed.map((c) => [c.name, c]));
}

/** The reference speaker index (0-based, by first appearance) of each turn. */
export function referenceLabels(conversation: AnalysedConversation): number[] {
  const order: string[] = [];
  return conversation.reference.map((turn) => {
    if (!order.includes(turn.speaker)) order.push(turn.speaker);
    return order.indexOf(turn.speaker);
  });
}

/** The conversation as a meeting whose turn i is spoken by `labels[i]` (default: everyone is one speaker). */
export function conversationMeeting(
  conversation: AnalysedConversation,
  labels: number[] = conversation.reference.map(() => 0),
  overrides: Partial<NewMeeting> = {},
): NewMeeting {
  const count = Math.max(...labels) + 1;
  return {
    title: conversation.name,
    source: `/recordings/${conversation.name}.wav`,
    durationMs: Math.ceil(conversation.reference.at(-1)!.endMs),
    speakers: Array.from({ length: count }, (_, i) => ({ label: `Speaker ${i + 1}` })),
    segments: conversation.reference.map((turn, i) => ({
      startMs: turn.startMs,
      endMs: turn.endMs,
      text: `Turn ${i + 1} of ${conversation.name}.`,
      tokens: [],
      speakerIndex: labels[i]!,
    })),
    speakerAnalysis: conversation.analysis,
    ...overrides,
  };
}

/** DER of stored segments (speaker = their speaker id) against the reference turns. */
export function segmentDer(
  reference: RttmTurn[],
  segments: { startMs: number; endMs: number; speakerId: number | null }[],
): number {
  const hypothesis = segments.map((s) => ({ ...s, speaker: String(s.speakerId) }));
  return diarizationErrorRate(reference, hypothesis).der;
}

/** What a speaker-edit test file works on: the analysed conversations and a fresh library for every test. */
export interface EditsLibrary {
  conversations: Map<string, AnalysedConversation>;
  lib: TempLibrary;
  meetings: MeetingRepository;
  edits: SpeakerEdits;
}

/** Registers the hooks of a speaker-edit test file (conversations analysed once, a new library per test). */
export function useEditsLibrary(): EditsLibrary {
  const context = {} as EditsLibrary;
  beforeAll(async () => {
    context.conversations = await analysedConversations();
  }, 300_000);
  beforeEach(() => {
    context.lib = tempLibrary();
    context.meetings = new MeetingRepository(context.lib.db);
    context.edits = new SpeakerEdits(speakerLibrary(context.lib.db));
  });
  afterEach(() => context.lib.cleanup());
  return context;
}
