// Energy-based speech detection over 16 kHz mono PCM, fed incrementally, O(n) in the number of samples.
//
// Each 10 ms frame is voiced when its RMS level (dBFS) is above both an absolute floor and an adaptive noise
// floor plus a margin. The noise floor is the minimum of the 100 ms-smoothed level over the last 60 s, so a
// steady sound that lasts longer than that becomes background. Voiced frames separated by less than 50 ms are
// one span; a pause of 150 ms or more starts a new comma piece; 500 ms of silence closes the sentence (the
// FSMN VAD of the real server waits up to 800 ms; 500 ms keeps test signals short); a sentence is cut at 15 s.

/** Detector thresholds; times in ms, levels in dBFS. */
export const DETECTOR = {
  sampleRate: 16000,
  frameMs: 10,
  absoluteFloorDb: -50,
  marginDb: 10,
  smoothMs: 100,
  noiseWindowMs: 60_000,
  bridgeGapMs: 50,
  pauseMs: 150,
  endSilenceMs: 500,
  minSpeechMs: 200,
  maxSentenceMs: 15_000,
} as const;

/** One run of voiced audio, in ms from the start of the stream. */
export interface VoicedSpan {
  start: number;
  end: number;
}

/** Part of a sentence between pauses; the text puts a comma (or the sentence mark) after it. */
export interface SpeechPiece {
  spans: VoicedSpan[];
}

/** A detected sentence: its pieces and how much voiced audio it holds. */
export interface SpeechSentence {
  start: number;
  end: number;
  voicedMs: number;
  pieces: SpeechPiece[];
}

const FRAME_SAMPLES = (DETECTOR.sampleRate * DETECTOR.frameMs) / 1000;
const frames = (ms: number): number => Math.round(ms / DETECTOR.frameMs);
const SMOOTH_FRAMES = frames(DETECTOR.smoothMs);
const NOISE_WINDOW_FRAMES = frames(DETECTOR.noiseWindowMs);
const FULL_SCALE_POWER = 32768 * 32768;

interface OpenSentence {
  startFrame: number;
  lastEndFrame: number;
  voicedFrames: number;
  pieces: { spans: { start: number; end: number }[] }[];
}

/** Sliding-window minimum over (frame, value) pairs with a monotonic queue. */
class SlidingMinimum {
  private readonly frames: number[] = [];
  private readonly values: number[] = [];
  private head = 0;

  push(frame: number, value: number): void {
    while (this.values.length > this.head && (this.values[this.values.length - 1] ?? 0) >= value) {
      this.values.pop();
      this.frames.pop();
    }
    this.frames.push(frame);
    this.values.push(value);
  }

  min(oldestFrame: number): number {
    while ((this.frames[this.head] ?? Infinity) < oldestFrame && this.head < this.frames.length - 1)
      this.head++;
    if (this.head > 4096) {
      this.frames.splice(0, this.head);
      this.values.splice(0, this.head);
      this.head = 0;
    }
    return this.values[this.head] ?? DETECTOR.absoluteFloorDb;
  }
}

/** Streaming speech detector: push PCM as it arrives, collect closed sentences, flush at the end. */
export class SpeechDetector {
  private readonly carry = new Int16Array(FRAME_SAMPLES);
  private carryLength = 0;
  private frame = 0;
  private readonly recentPower = new Float64Array(SMOOTH_FRAMES);
  private recentSum = 0;
  private readonly noise = new SlidingMinimum();
  private open: OpenSentence | null = null;

  constructor() {
    // A virtual quiet start so that sound present from the first frame still counts as speech.
    this.noise.push(0, DETECTOR.absoluteFloorDb - DETECTOR.marginDb);
  }

  /** Analyses more samples; returns the sentences that this audio closed. */
  push(samples: Int16Array): SpeechSentence[] {
    const closed: SpeechSentence[] = [];
    let offset = 0;
    if (this.carryLength > 0) {
      const take = Math.min(FRAME_SAMPLES - this.carryLength, samples.length);
      this.carry.set(samples.subarray(0, take), this.carryLength);
      this.carryLength += take;
      offset = take;
      if (this.carryLength < FRAME_SAMPLES) return closed;
      this.analyseFrame(this.carry, 0, closed);
      this.carryLength = 0;
    }
    for (; offset + FRAME_SAMPLES <= samples.length; offset += FRAME_SAMPLES) {
      this.analyseFrame(samples, offset, closed);
    }
    this.carry.set(samples.subarray(offset), 0);
    this.carryLength = samples.length - offset;
    return closed;
  }

  /** Ends the stream: closes the open sentence (if it holds enough speech) and returns it. */
  flush(): SpeechSentence[] {
    const closed: SpeechSentence[] = [];
    if (this.carryLength > 0) {
      this.carry.fill(0, this.carryLength);
      this.analyseFrame(this.carry, 0, closed);
      this.carryLength = 0;
    }
    this.close(closed);
    return closed;
  }

  /** Voiced ms in the sentence still open (used for streaming partial results). */
  openVoicedMs(): number {
    return this.open ? this.open.voicedFrames * DETECTOR.frameMs : 0;
  }

  private analyseFrame(samples: Int16Array, offset: number, closed: SpeechSentence[]): void {
    let sum = 0;
    for (let i = offset; i < offset + FRAME_SAMPLES; i++) {
      const s = samples[i] ?? 0;
      sum += s * s;
    }
    const power = sum / FRAME_SAMPLES / FULL_SCALE_POWER;
    const slot = this.frame % SMOOTH_FRAMES;
    this.recentSum += power - (this.recentPower[slot] ?? 0);
    this.recentPower[slot] = power;
    const smoothed = Math.max(this.recentSum, 0) / Math.min(this.frame + 1, SMOOTH_FRAMES);
    this.noise.push(this.frame, toDb(smoothed));
    const noiseDb = this.noise.min(this.frame - NOISE_WINDOW_FRAMES);
    const voiced = toDb(power) > Math.max(DETECTOR.absoluteFloorDb, noiseDb + DETECTOR.marginDb);
    this.step(this.frame, voiced, closed);
    this.frame++;
  }

  private step(frame: number, voiced: boolean, closed: SpeechSentence[]): void {
    const open = this.open;
    if (!voiced) {
      if (open && frame + 1 - open.lastEndFrame >= frames(DETECTOR.endSilenceMs)) this.close(closed);
      return;
    }
    if (!open) {
      this.open = {
        startFrame: frame,
        lastEndFrame: frame + 1,
        voicedFrames: 1,
        pieces: [{ spans: [{ start: frame, end: frame + 1 }] }],
      };
    } else {
      const gap = frame - open.lastEndFrame;
      const piece = open.pieces[open.pieces.length - 1];
      const span = piece?.spans[piece.spans.length - 1];
      if (span && gap < frames(DETECTOR.bridgeGapMs)) span.end = frame + 1;
      else if (piece && gap < frames(DETECTOR.pauseMs)) piece.spans.push({ start: frame, end: frame + 1 });
      else open.pieces.push({ spans: [{ start: frame, end: frame + 1 }] });
      open.voicedFrames += gap < frames(DETECTOR.bridgeGapMs) ? gap + 1 : 1;
      open.lastEndFrame = frame + 1;
    }
    const current = this.open;
    if (current && frame + 1 - current.startFrame >= frames(DETECTOR.maxSentenceMs)) this.close(closed);
  }

  private close(closed: SpeechSentence[]): void {
    const open = this.open;
    this.open = null;
    if (!open || open.voicedFrames * DETECTOR.frameMs < DETECTOR.minSpeechMs) return;
    const ms = (frame: number): number => frame * DETECTOR.frameMs;
    closed.push({
      start: ms(open.startFrame),
      end: ms(open.lastEndFrame),
      voicedMs: ms(open.voicedFrames),
      pieces: open.pieces.map((piece) => ({
        spans: piece.spans.map((s) => ({ start: ms(s.start), end: ms(s.end) })),
      })),
    });
  }
}

function toDb(power: number): number {
  return power > 1e-10 ? 10 * Math.log10(power) : -100;
}

/** Runs the detector over a whole recording and returns every sentence. */
export function detectSentences(samples: Int16Array): SpeechSentence[] {
  const detector = new SpeechDetector();
  return [...detector.push(samples), ...detector.flush()];
}
