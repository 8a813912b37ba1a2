// Finds utterances in a 16 kHz mono s16le file by energy: speech between pauses, long stretches cut at their quietest
// point. Streams the file; the memory held is bounded by the noise window and the longest utterance, not the file.
import { PCM_BYTES_PER_SAMPLE, PCM_SAMPLE_RATE, pcmSamples, readPcmFrames } from './pcm.js';

/** One stretch of speech, in ms from the start of the file; each edge is a pause or a cut through long speech. */
export interface SpeechUtterance {
  startMs: number;
  endMs: number;
  /** False when the start is a cut through speech that ran too long (there is no silence before it). */
  startsAtPause: boolean;
  /** False when the end is such a cut. */
  endsAtPause: boolean;
}

/** How utterances are found; every field has a default. */
export interface PauseCutOptions {
  /** Silence at least this long separates utterances (default 400 ms). */
  minPauseMs?: number;
  /** Longer speech is cut at its quietest point (default 18 s). */
  maxUtteranceMs?: number;
  /** Utterances with less voiced audio than this are clicks and dropped (default 100 ms). */
  minSpeechMs?: number;
  signal?: AbortSignal;
}

const FRAME_MS = 10;
const FRAME_SAMPLES = (PCM_SAMPLE_RATE * FRAME_MS) / 1000;
const FRAME_BYTES = FRAME_SAMPLES * PCM_BYTES_PER_SAMPLE;
/** Frames read from the file at a time (2 s). */
const READ_BYTES = FRAME_BYTES * 200;
/** Quieter than this is never speech, whatever the noise floor. */
const ABSOLUTE_FLOOR_DB = -55;
/** Speech is at least this much louder than the noise floor. */
const MARGIN_DB = 12;
/** The level used for digital silence. */
const SILENCE_DB = -120;
/** The noise floor is the quietest 100 ms within this many frames before and after a frame (30 s each way). */
const NOISE_REACH_FRAMES = 3000;
/** Frames averaged into the levels the noise floor and the cut search look at (100 ms). */
const SMOOTH_FRAMES = 10;
/** A cut through long speech keeps at least this share of the maximum length before it. */
const MIN_CUT_SHARE = 0.4;
const FULL_SCALE_POWER = 32768 * 32768;

/** A level in dBFS from a mean sample power. */
function powerDb(meanPower: number): number {
  return meanPower > 0 ? Math.max(SILENCE_DB, 10 * Math.log10(meanPower / FULL_SCALE_POWER)) : SILENCE_DB;
}

/** The minimum of the values pushed at positions within a moving window (a monotonic queue). */
class WindowMinimum {
  private positions: number[] = [];
  private values: number[] = [];
  private head = 0;

  /** Adds the value at `position` (positions only grow). */
  push(position: number, value: number): void {
    while (this.values.length > this.head && (this.values.at(-1) ?? -Infinity) >= value) {
      this.values.pop();
      this.positions.pop();
    }
    this.positions.push(position);
    this.values.push(value);
  }

  /** The minimum over the values pushed at `oldest` or later. */
  minSince(oldest: number): number {
    while (this.head < this.positions.length - 1 && (this.positions[this.head] ?? oldest) < oldest)
      this.head++;
    if (this.head > 1024) {
      this.positions = this.positions.slice(this.head);
      this.values = this.values.slice(this.head);
      this.head = 0;
    }
    return this.values[this.head] ?? SILENCE_DB;
  }
}

/** The frames of the utterance being built: their levels and whether they are voiced. */
interface OpenUtterance {
  startFrame: number;
  startsAtPause: boolean;
  lastVoicedFrame: number;
  levels: number[];
  voiced: boolean[];
}

/**
 * Splits a stream of 10 ms frames into utterances. Each frame is judged once the noise floor around it is known, so
 * the decisions run NOISE_REACH_FRAMES behind the audio; feed frames with `push` and end with `finish`.
 */
export class PauseCutter {
  private readonly pauseFrames: number;
  private readonly maxFrames: number;
  private readonly minSpeechFrames: number;
  private readonly floor = new WindowMinimum();
  /** Levels of the frames not judged yet (`judged` up to `frames`), by frame number modulo its length. */
  private readonly pending = new Float64Array(NOISE_REACH_FRAMES + 1);
  private judged = 0;
  private frames = 0;
  private readonly smoothing = new Float64Array(SMOOTH_FRAMES);
  private smoothingSum = 0;
  private open: OpenUtterance | null = null;

  constructor(options: PauseCutOptions = {}) {
    this.pauseFrames = Math.max(1, Math.round((options.minPauseMs ?? 400) / FRAME_MS));
    this.maxFrames = Math.max(2, Math.round((options.maxUtteranceMs ?? 18_000) / FRAME_MS));
    this.minSpeechFrames = Math.max(1, Math.round((options.minSpeechMs ?? 100) / FRAME_MS));
  }

  /** Adds one frame's mean sample power; returns the utterances that this closed. */
  push(meanPower: number): SpeechUtterance[] {
    const level = powerDb(meanPower);
    const slot = this.frames % SMOOTH_FRAMES;
    this.smoothingSum += meanPower - (this.smoothing[slot] ?? 0);
    this.smoothing[slot] = meanPower;
    const smoothed = powerDb(this.smoothingSum / Math.min(this.frames + 1, SMOOTH_FRAMES));
    this.floor.push(this.frames, smoothed);
    this.pending[this.frames % this.pending.length] = level;
    this.frames++;
    const done: SpeechUtterance[] = [];
    if (this.frames - this.judged > NOISE_REACH_FRAMES) this.judgeNext(done);
    return done;
  }

  /** Judges the frames still waiting and closes the last utterance. */
  finish(): SpeechUtterance[] {
    const done: SpeechUtterance[] = [];
    while (this.judged < this.frames) this.judgeNext(done);
    if (this.open) this.close(this.open, this.open.lastVoicedFrame, true, done);
    this.open = null;
    return done;
  }

  private judgeNext(done: SpeechUtterance[]): void {
    const frame = this.judged++;
    const level = this.pending[frame % this.pending.length] ?? SILENCE_DB;
    const noise = this.floor.minSince(frame - NOISE_REACH_FRAMES);
    const voiced = level > Math.max(ABSOLUTE_FLOOR_DB, noise + MARGIN_DB);
    this.judge(frame, level, voiced, done);
  }

  private judge(frame: number, level: number, voiced: boolean, done: SpeechUtterance[]): void {
    let open = this.open;
    if (open && frame - open.lastVoicedFrame > this.pauseFrames) {
      this.close(open, open.lastVoicedFrame, true, done);
      open = this.open = null;
    }
    if (!open) {
      if (!voiced) return;
      open = this.open = this.startAt(frame, true);
    }
    open.levels.push(level);
    open.voiced.push(voiced);
    if (voiced) open.lastVoicedFrame = frame;
    if (open.levels.length >= this.maxFrames) this.cutLongUtterance(open, done);
  }

  private startAt(frame: number, startsAtPause: boolean): OpenUtterance {
    return { startFrame: frame, startsAtPause, lastVoicedFrame: frame, levels: [], voiced: [] };
  }

  /**
   * Ends the utterance at its quietest 100 ms past MIN_CUT_SHARE of its length; the rest, from its first voiced frame,
   * opens the next one. Both edges at the cut are voiced frames.
   */
  private cutLongUtterance(open: OpenUtterance, done: SpeechUtterance[]): void {
    const from = Math.floor(open.levels.length * MIN_CUT_SHARE);
    let cut = open.levels.length - 1;
    let quietest = Infinity;
    for (let i = from; i + SMOOTH_FRAMES <= open.levels.length; i++) {
      let power = 0;
      for (let j = i; j < i + SMOOTH_FRAMES; j++) power += 10 ** ((open.levels[j] ?? SILENCE_DB) / 10);
      if (power < quietest) {
        quietest = power;
        cut = i + SMOOTH_FRAMES / 2;
      }
    }
    const firstVoiced = open.voiced.indexOf(true, cut);
    const lastVoiced = open.voiced.lastIndexOf(true, cut - 1);
    if (lastVoiced >= 0) this.close(open, open.startFrame + lastVoiced, false, done);
    if (firstVoiced < 0) {
      this.open = null;
      return;
    }
    const rest = this.startAt(open.startFrame + firstVoiced, false);
    rest.levels = open.levels.slice(firstVoiced);
    rest.voiced = open.voiced.slice(firstVoiced);
    rest.lastVoicedFrame = open.lastVoicedFrame;
    this.open = rest;
  }

  /** Emits the utterance up to `lastFrame` (a voiced frame) when it holds enough voiced frames. */
  private close(open: OpenUtterance, lastFrame: number, endsAtPause: boolean, done: SpeechUtterance[]): void {
    let voicedFrames = 0;
    for (let i = 0; i <= lastFrame - open.startFrame; i++) if (open.voiced[i]) voicedFrames++;
    if (voicedFrames < this.minSpeechFrames) return;
    done.push({
      startMs: open.startFrame * FRAME_MS,
      endMs: (lastFrame + 1) * FRAME_MS,
      startsAtPause: open.startsAtPause,
      endsAtPause,
    });
  }
}

/** The mean sample power of each whole 10 ms frame in `samples`. */
function framePowers(samples: Int16Array): Float64Array {
  const powers = new Float64Array(Math.floor(samples.length / FRAME_SAMPLES));
  for (let frame = 0; frame < powers.length; frame++) {
    let sum = 0;
    for (let i = frame * FRAME_SAMPLES, end = i + FRAME_SAMPLES; i < end; i++) {
      const sample = samples[i] ?? 0;
      sum += sample * sample;
    }
    powers[frame] = sum / FRAME_SAMPLES;
  }
  return powers;
}

/**
 * Yields the utterances of a 16 kHz mono s16le file in order, reading it in 2 s chunks. A trailing part shorter than
 * 10 ms is ignored. Throws CANCELLED when the signal is aborted.
 */
export async function* utterancesAtPauses(
  pcmPath: string,
  options: PauseCutOptions = {},
): AsyncGenerator<SpeechUtterance> {
  const cutter = new PauseCutter(options);
  for await (const chunk of readPcmFrames(pcmPath, READ_BYTES, options.signal)) {
    for (const power of framePowers(pcmSamples(chunk))) yield* cutter.push(power);
  }
  yield* cutter.finish();
}
