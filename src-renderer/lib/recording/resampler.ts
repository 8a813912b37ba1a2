// A streaming sample-rate converter for capture: a Kaiser-windowed sinc low-pass evaluated as a polyphase filter at the
// exact rational ratio (48000 → 16000 is 1/3, 44100 → 16000 is 160/441), so nothing above the new Nyquist folds back.
// Pure code with no browser globals: the capture worklet runs it, and the unit tests run it in Node.

/** Where the low-pass passes everything (as a share of the output's Nyquist): 7 kHz of 8 kHz at 16 kHz. */
const PASSBAND_EDGE = 0.875;
/** Stopband attenuation the filter is designed for, in dB. */
const STOPBAND_DB = 80;

/** Greatest common divisor of two positive integers. */
function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}

/** The zeroth-order modified Bessel function of the first kind (for the Kaiser window), by its power series. */
function besselI0(x: number): number {
  let sum = 1;
  let term = 1;
  for (let k = 1; term > sum * 1e-12; k++) {
    term *= (x / (2 * k)) ** 2;
    sum += term;
  }
  return sum;
}

/** A filter design: taps per phase and the polyphase table (phase p holds the taps for output time frac p/up). */
interface PolyphaseFilter {
  up: number;
  down: number;
  /** Input samples before the output time that the taps reach (taps run from -halfTaps+1 to +halfTaps). */
  halfTaps: number;
  phases: Float32Array[];
}

/** Designs the low-pass for `inputRate` → `outputRate` (Kaiser window, transition from the passband edge to Nyquist). */
function designFilter(inputRate: number, outputRate: number): PolyphaseFilter {
  const divisor = gcd(inputRate, outputRate);
  const up = outputRate / divisor;
  const down = inputRate / divisor;
  const nyquist = Math.min(inputRate, outputRate) / 2;
  const transitionHz = nyquist * (1 - PASSBAND_EDGE);
  const cutoff = (nyquist * (1 + PASSBAND_EDGE)) / 2 / (inputRate / 2); // centre of the transition, per input Nyquist
  const beta = 0.1102 * (STOPBAND_DB - 8.7);
  const length = (STOPBAND_DB - 8) / (2.285 * 2 * Math.PI * (transitionHz / inputRate));
  const halfTaps = Math.ceil(length / 2);
  const window0 = besselI0(beta);
  const kernel = (distance: number): number => {
    const ratio = distance / halfTaps;
    if (Math.abs(ratio) >= 1) return 0;
    const x = Math.PI * cutoff * distance;
    const sinc = distance === 0 ? 1 : Math.sin(x) / x;
    return cutoff * sinc * (besselI0(beta * Math.sqrt(1 - ratio * ratio)) / window0);
  };
  const phases = Array.from({ length: up }, (_, phase) => {
    const frac = phase / up;
    const taps = new Float32Array(2 * halfTaps);
    let sum = 0;
    for (let j = 0; j < taps.length; j++) {
      taps[j] = kernel(j - halfTaps + 1 - frac);
      sum += taps[j]!;
    }
    for (let j = 0; j < taps.length; j++) taps[j]! /= sum; // exactly unity gain at DC in every phase
    return taps;
  });
  return { up, down, halfTaps, phases };
}

/** Converts one channel from one rate to another, a block at a time; the output keeps the input's timeline. */
export class Resampler {
  private readonly filter: PolyphaseFilter;
  /** Input not yet passed by the filter, led by the history the next outputs still reach back into. */
  private buffer: Float32Array;
  private buffered: number;
  /** Index in `buffer` of the input sample at or before the next output's time, and that time's fraction × up. */
  private index: number;
  private phase = 0;
  private inputSeen = 0;
  private outputMade = 0;

  constructor(inputRate: number, outputRate: number) {
    if (!Number.isInteger(inputRate) || !Number.isInteger(outputRate) || inputRate <= 0 || outputRate <= 0) {
      throw new RangeError(`sample rates must be positive integers (got ${inputRate} → ${outputRate})`);
    }
    this.filter = designFilter(inputRate, outputRate);
    // Zeros before the first sample, so the first output (at time 0) has its full history.
    this.index = this.filter.halfTaps - 1;
    this.buffer = new Float32Array(this.index + 4096);
    this.buffered = this.index;
  }

  /** Takes the next block of input and returns the outputs it completes. */
  push(input: Float32Array): Float32Array {
    this.append(input);
    this.inputSeen += input.length;
    return this.drain(this.buffered);
  }

  /** Ends the stream: returns the outputs still owed for the input so far, their later history taken as silence. */
  flush(): Float32Array {
    const owed = Math.floor((this.inputSeen * this.filter.up) / this.filter.down) - this.outputMade;
    if (owed <= 0) return new Float32Array(0);
    this.append(new Float32Array(this.filter.halfTaps + 1));
    return this.drain(this.buffered).subarray(0, owed);
  }

  private append(input: Float32Array): void {
    if (this.buffered + input.length > this.buffer.length) {
      const grown = new Float32Array(Math.max(this.buffer.length * 2, this.buffered + input.length));
      grown.set(this.buffer.subarray(0, this.buffered));
      this.buffer = grown;
    }
    this.buffer.set(input, this.buffered);
    this.buffered += input.length;
  }

  /** Makes every output whose taps lie within the first `end` buffered samples, then drops the input it is done with. */
  private drain(end: number): Float32Array {
    const { up, down, halfTaps, phases } = this.filter;
    const count = Math.max(0, Math.ceil(((end - halfTaps - this.index) * up - this.phase) / down));
    const out = new Float32Array(count);
    for (let n = 0; n < count; n++) {
      const taps = phases[this.phase]!;
      const start = this.index - halfTaps + 1;
      let sum = 0;
      for (let j = 0; j < taps.length; j++) sum += taps[j]! * this.buffer[start + j]!;
      out[n] = sum;
      this.phase += down;
      this.index += Math.floor(this.phase / up);
      this.phase %= up;
    }
    this.outputMade += count;
    const keepFrom = this.index - halfTaps + 1;
    if (keepFrom > 0) {
      this.buffer.copyWithin(0, keepFrom, this.buffered);
      this.buffered -= keepFrom;
      this.index -= keepFrom;
    }
    return out;
  }
}
