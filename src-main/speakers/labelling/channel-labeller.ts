// One speaker per stereo channel (phone calls, two-mic interviews): decides whether a stereo recording is laid out that
// way, and gives each sentence the speaker of its louder channel.
import { renumberByFirstAppearance } from '../dsp/renumber.js';
import type { SpanLevels, StereoLevels } from './stereo-levels.js';

/** Sentences whose channels differ by less than this (dB) are "both talking / unclear": labelled, but uncertain. */
export const UNCERTAIN_DB = 3;
/** A sentence at least this much louder (dB) on one side counts as clearly on that side for detection. */
export const LATERAL_DB = 6;
/** Share of audible sentence time that must be clearly on one side for "one speaker per channel". */
export const MIN_LATERAL_SHARE = 0.6;
/** Share of the clearly-sided time each side must hold, so that both channels are really used. */
export const MIN_SIDE_SHARE = 0.03;
/** A sentence whose louder channel is below this RMS (−60 dBFS) is silent: it gives no channel evidence. */
export const SILENT_RMS = 0.001;
/** A channel this far (dB) below the other over the whole file is silent: mono audio in a stereo container. */
export const SILENT_CHANNEL_DB = 40;
/** Channels correlated at least this much (in absolute value) carry the same signal: dual mono. */
export const DUAL_MONO_CORRELATION = 0.95;
/** Channels whose difference L−R is this far (dB) below their sum of energies are the same signal: dual mono. */
export const DUAL_MONO_DIFFERENCE_DB = -30;

/** The floor of every level figure in dB, so figures stay finite (and JSON-safe) for digital silence. */
const FLOOR_DB = -120;
/** Energy added to both sides of a ratio (−120 dBFS) so silence gives finite figures. */
const EPSILON = 10 ** (FLOOR_DB / 10);

/** A stereo channel: 0 = left, 1 = right. */
export type StereoChannel = 0 | 1;

/** Whether a stereo recording is one speaker per channel, the figures behind the decision, and a one-line reason. */
export interface ChannelDetection {
  oneSpeakerPerChannel: boolean;
  /** One human sentence for logs and the UI. */
  reason: string;
  /** Pearson correlation of left and right over the whole file. */
  correlation: number;
  /** Energy of L−R relative to the energy of L and R (dB; −120 for identical channels). */
  differenceDb: number;
  /** Whole-file level of left over right (dB, ±120 at most). */
  balanceDb: number;
  /** Share of audible sentence time at least LATERAL_DB louder on one side. */
  lateralisedShare: number;
  /** Of that clearly-sided time, the share on the left (the right has the rest). */
  leftShare: number;
  /** Sentences loud enough to judge. */
  audibleSentences: number;
}

/** Speaker of each sentence (0 = whoever speaks first), how many there are, and which sentences are unclear. */
export interface ChannelLabels {
  labels: number[];
  speakerCount: number;
  /** True where the channels were within ±UNCERTAIN_DB (both talking or unclear) or the sentence was silent. */
  uncertain: boolean[];
  /** The channel of each speaker label. */
  speakerChannels: StereoChannel[];
}

/** 10·log10 of an energy ratio, kept finite: the floor applies to both energies. */
function ratioDb(numerator: number, denominator: number): number {
  return Math.max(
    FLOOR_DB,
    Math.min(-FLOOR_DB, 10 * Math.log10((numerator + EPSILON) / (denominator + EPSILON))),
  );
}

/** Level of left over right in one sentence, 20·log10(rmsL/rmsR) in dB, or null when the sentence is silent. */
export function sentenceBalanceDb(level: SpanLevels): number | null {
  if (level.frames === 0 || Math.max(level.left, level.right) < SILENT_RMS) return null;
  return ratioDb(level.left ** 2, level.right ** 2);
}

/** Formats a 0..1 share as a whole percentage. */
const percent = (share: number): string => `${Math.round(share * 100)} %`;

/** Decides from the channel levels whether the recording has one speaker per channel, with the reason why (not). */
export function detectChannelSpeakers(levels: StereoLevels): ChannelDetection {
  const { stats } = levels;
  let audibleFrames = 0;
  let leftFrames = 0;
  let rightFrames = 0;
  let audibleSentences = 0;
  for (const level of levels.spans) {
    const db = sentenceBalanceDb(level);
    if (db === null) continue;
    audibleSentences++;
    audibleFrames += level.frames;
    if (db >= LATERAL_DB) leftFrames += level.frames;
    else if (db <= -LATERAL_DB) rightFrames += level.frames;
  }
  const lateralFrames = leftFrames + rightFrames;
  const figures = {
    correlation: stats.correlation,
    differenceDb: ratioDb(stats.differenceRatio, 1),
    balanceDb: ratioDb(stats.rmsLeft ** 2, stats.rmsRight ** 2),
    lateralisedShare: audibleFrames > 0 ? lateralFrames / audibleFrames : 0,
    leftShare: lateralFrames > 0 ? leftFrames / lateralFrames : 0,
    audibleSentences,
  };
  const verdict = (oneSpeakerPerChannel: boolean, reason: string): ChannelDetection => ({
    oneSpeakerPerChannel,
    reason,
    ...figures,
  });

  if (Math.max(stats.rmsLeft, stats.rmsRight) < SILENT_RMS)
    return verdict(false, 'The stereo audio is silent.');
  if (Math.abs(figures.balanceDb) >= SILENT_CHANNEL_DB) {
    const silent = figures.balanceDb > 0 ? 'right' : 'left';
    return verdict(false, `The ${silent} channel is silent: this is a mono recording in a stereo file.`);
  }
  if (
    Math.abs(stats.correlation) >= DUAL_MONO_CORRELATION ||
    figures.differenceDb <= DUAL_MONO_DIFFERENCE_DB
  ) {
    return verdict(
      false,
      `Both channels carry the same sound (correlation ${stats.correlation.toFixed(2)}): treated as mono.`,
    );
  }
  if (audibleSentences === 0)
    return verdict(false, 'There are no audible sentences to compare the channels by.');
  if (figures.lateralisedShare < MIN_LATERAL_SHARE) {
    return verdict(
      false,
      `Only ${percent(figures.lateralisedShare)} of the speech is clearly on one channel: voices are mixed across both.`,
    );
  }
  const minority = Math.min(figures.leftShare, 1 - figures.leftShare);
  if (minority < MIN_SIDE_SHARE) {
    const side = figures.leftShare > 0.5 ? 'left' : 'right';
    return verdict(
      false,
      `Almost all speech is on the ${side} channel: the other channel has no speaker of its own.`,
    );
  }
  return verdict(
    true,
    `One speaker per channel: ${percent(figures.lateralisedShare)} of the speech is clearly on one side ` +
      `(${percent(figures.leftShare)} left, ${percent(1 - figures.leftShare)} right).`,
  );
}

/**
 * Gives each sentence the speaker of its louder channel (ties go left). Sentences within ±UNCERTAIN_DB are flagged
 * uncertain; silent ones (no samples, past the end, or below SILENT_RMS) take the channel of the previous audible
 * sentence (else the next, else left) and are flagged uncertain too. Labels are numbered by first appearance.
 */
export function labelByChannel(levels: StereoLevels): ChannelLabels {
  const balances = levels.spans.map(sentenceBalanceDb);
  const channels: (StereoChannel | null)[] = balances.map((db) => (db === null ? null : db >= 0 ? 0 : 1));
  const firstAudible = channels.find((channel) => channel !== null) ?? 0;
  let previous: StereoChannel = firstAudible;
  const filled = channels.map((channel) => (previous = channel ?? previous));
  const labels = renumberByFirstAppearance(filled);
  const speakerChannels: StereoChannel[] = [];
  labels.forEach((label, i) => (speakerChannels[label] = filled[i]!));
  return {
    labels,
    speakerCount: speakerChannels.length,
    uncertain: balances.map((db) => db === null || Math.abs(db) < UNCERTAIN_DB),
    speakerChannels,
  };
}
