// The job pipeline's "label speakers" stage: by channel for two-person stereo recordings, else by voice (a speaker
// model's embeddings when one is installed, MFCC statistics otherwise), keeping the analysis for later re-labelling.
import { stat } from 'node:fs/promises';
import type { Sentence, SpeakerSetting } from '../../../src-shared/types.js';
import { pcmBytesToMs } from '../../audio/pcm.js';
import { FunscribeError, throwIfAborted, type ErrorCode } from '../../util/errors.js';
import { slidingWindows, type Window } from './assignment.js';
import { CHANNEL_LEVELS_BACKEND } from '../../../src-shared/speaker-backends.js';
import { detectChannelSpeakers, labelByChannel } from './channel-labeller.js';
import { cepstraOfPcmFile } from '../dsp/pcm-samples.js';
import type { SpeakerAnalysis } from '../../store/stored-analysis.js';
import { pieceLabelsFromAnalysis } from './speaker-analysis.js';
import { readStereoLevels } from './stereo-levels.js';
import {
  flatLabelSpans,
  labelsPerPiece,
  smoothAndNumber,
  speechStretches,
  stretchesWithinRecording,
} from './token-speakers.js';
import { mfccAnalysis } from './voice-labeller.js';

/** Cancellation and progress (0..1) of a long part of the stage. */
export interface StageControl {
  signal?: AbortSignal;
  onProgress?: (fraction: number) => void;
}

/** Embeds windows of a PCM file with a speaker model; resolves to null when no model is installed. */
export type ModelWindowEmbedder = (
  pcmPath: string,
  windows: Window[],
  control?: StageControl,
) => Promise<SpeakerAnalysis | null>;

/** Speaker-model errors after which the stage labels by MFCC statistics instead of failing the job. */
const MODEL_FAILURES = new Set<ErrorCode>([
  'SPEAKER_MODEL_MISSING',
  'SPEAKER_MODEL_FAILED',
  'MODEL_DOWNLOAD_FAILED',
  'MODEL_INVALID',
  'MODEL_DIR_UNWRITABLE',
  'DISK_FULL',
]);

/** What the stage reads: the decoded audio, the transcript's pieces in time order and the job's speaker setting. */
export interface SpeakerStageInput {
  pcmPath: string;
  stereoPcmPath: string | null;
  /** Clause pieces as the engine cut them (see asr/sentences.ts), with token times where the engine gave them. */
  sentences: Sentence[];
  setting: SpeakerSetting | undefined;
  /** The speaker-model path; without it (or when it has no model) voices are told apart by MFCC statistics. */
  embedWithModel?: ModelWindowEmbedder;
  signal?: AbortSignal;
  /** Progress of the stage, 0..1 (embedding the windows with a model is the long part). */
  onProgress?: (fraction: number) => void;
}

/** Speaker of every token of each piece (0-based, numbered by first appearance) and the analysis to keep. */
export interface SpeakerStageResult {
  /** `labels[i]`: one speaker per token of piece i, or one for a piece without tokens (see token-speakers.ts). */
  labels: number[][];
  analysis: SpeakerAnalysis;
  /** One line on how the speakers were told apart (and why the model was not used, if it failed), for logs. */
  method: string;
}

/** Channel labels when the setting asks for them (or 'auto' finds one person per channel), else null. */
async function labelByChannelIfWanted(input: SpeakerStageInput): Promise<SpeakerStageResult | null> {
  const { stereoPcmPath, sentences, setting, signal } = input;
  if (!stereoPcmPath || !(setting === 'channels' || setting === 'auto' || setting === undefined)) return null;
  const tokens = flatLabelSpans(sentences);
  const levels = await readStereoLevels(stereoPcmPath, [...sentences, ...tokens], signal);
  const pieceLevels = { stats: levels.stats, spans: levels.spans.slice(0, sentences.length) };
  const detection = detectChannelSpeakers(pieceLevels);
  if (setting !== 'channels' && !detection.oneSpeakerPerChannel) return null;
  const { labels } = labelByChannel({ stats: levels.stats, spans: levels.spans.slice(sentences.length) });
  return {
    labels: smoothAndNumber(sentences, labelsPerPiece(sentences, labels)),
    analysis: {
      mode: 'channels',
      backend: CHANNEL_LEVELS_BACKEND,
      dim: 0,
      windows: [],
      embeddings: new Float32Array(),
    },
    method: `one speaker per channel (${detection.reason})`,
  };
}

/**
 * Labels the speakers of a transcript (see the module comment), token by token, so a piece that holds two people's
 * words is split later; pieces without speech time still get a label.
 */
export async function labelSpeakers(input: SpeakerStageInput): Promise<SpeakerStageResult> {
  const { pcmPath, sentences, setting, signal, onProgress } = input;
  const byChannel = await labelByChannelIfWanted(input);
  if (byChannel) return byChannel;
  throwIfAborted(signal);
  const recordingMs = pcmBytesToMs((await stat(pcmPath)).size);
  const windows = slidingWindows(stretchesWithinRecording(speechStretches(sentences), recordingMs));
  let modelAnalysis: SpeakerAnalysis | null = null;
  let modelProblem = '';
  try {
    modelAnalysis = (await input.embedWithModel?.(pcmPath, windows, { signal, onProgress })) ?? null;
  } catch (error) {
    if (!(error instanceof FunscribeError && MODEL_FAILURES.has(error.code))) throw error;
    modelProblem = `; the speaker model could not be used: ${error.message}`;
  }
  const analysis = modelAnalysis ?? mfccAnalysis(await cepstraOfPcmFile(pcmPath, signal), windows);
  throwIfAborted(signal);
  const labels = pieceLabelsFromAnalysis(
    analysis,
    sentences,
    typeof setting === 'number' ? setting : undefined,
  );
  return { labels, analysis, method: `by voice (${analysis.backend}${modelProblem})` };
}
