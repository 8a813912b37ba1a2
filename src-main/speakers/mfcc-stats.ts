// Model-free speaker embedding: statistics of MFCCs over the loudest frames of a segment.
import { computeFbank, FRAME_LENGTH, MEL_BINS } from './fbank.js';

/** Cepstra computed per frame (c0..c19); c0 is dropped from the embedding. */
const CEPSTRA = 20;
/** Share of frames, loudest first, that the statistics use. */
const LOUDEST_SHARE = 0.6;
/** Length of an MFCC-statistics embedding: mean and standard deviation of c1..c19. */
export const MFCC_STATS_DIM = 2 * (CEPSTRA - 1);

let dctTable: Float64Array | undefined;

/** Orthonormal DCT-II basis, CEPSTRA rows × MEL_BINS columns. */
function dct(): Float64Array {
  if (dctTable) return dctTable;
  dctTable = new Float64Array(CEPSTRA * MEL_BINS);
  for (let k = 0; k < CEPSTRA; k++) {
    const scale = Math.sqrt((k === 0 ? 1 : 2) / MEL_BINS);
    for (let n = 0; n < MEL_BINS; n++) {
      dctTable[k * MEL_BINS + n] = scale * Math.cos((Math.PI * k * (n + 0.5)) / MEL_BINS);
    }
  }
  return dctTable;
}

/** 38-d [mean, std] of c1..c19 over the loudest 60 % of the frames of log-mel `frames` (at least one frame). */
export function mfccStatsFromFbank(frames: Float32Array[]): Float64Array {
  if (frames.length === 0) throw new RangeError('MFCC statistics need at least one frame');
  const table = dct();
  const ceps = frames.map((row) => {
    const c = new Float64Array(CEPSTRA);
    for (let k = 0; k < CEPSTRA; k++) {
      let sum = 0;
      for (let n = 0; n < MEL_BINS; n++) sum += table[k * MEL_BINS + n]! * row[n]!;
      c[k] = sum;
    }
    return c;
  });
  const keep = Math.max(1, Math.ceil(ceps.length * LOUDEST_SHARE));
  const loudest = ceps
    .map((c, index) => ({ c, index }))
    .sort((a, b) => b.c[0]! - a.c[0]! || a.index - b.index)
    .slice(0, keep)
    .map(({ c }) => c);
  const half = CEPSTRA - 1;
  const out = new Float64Array(MFCC_STATS_DIM);
  for (let k = 1; k < CEPSTRA; k++) {
    let mean = 0;
    for (const c of loudest) mean += c[k]!;
    mean /= loudest.length;
    let variance = 0;
    for (const c of loudest) variance += (c[k]! - mean) ** 2;
    out[k - 1] = mean;
    out[half + k - 1] = Math.sqrt(variance / loudest.length);
  }
  return out;
}

/** MFCC-statistics embedding of 16 kHz samples in [-1, 1]; audio shorter than one frame is zero-padded. */
export function mfccStatsEmbedding(samples: Float32Array): Float64Array {
  const padded =
    samples.length >= FRAME_LENGTH
      ? samples
      : Float32Array.from({ length: FRAME_LENGTH }, (_, i) => samples[i] ?? 0);
  return mfccStatsFromFbank(computeFbank(padded));
}

/** Z-scores every dimension across the embeddings of one recording (a constant dimension becomes 0). */
export function zScoreAcross(embeddings: Float64Array[]): Float64Array[] {
  if (embeddings.length === 0) return [];
  const dim = embeddings[0]!.length;
  const mean = new Float64Array(dim);
  const std = new Float64Array(dim);
  for (const e of embeddings) for (let d = 0; d < dim; d++) mean[d] = mean[d]! + e[d]! / embeddings.length;
  for (const e of embeddings)
    for (let d = 0; d < dim; d++) std[d] = std[d]! + (e[d]! - mean[d]!) ** 2 / embeddings.length;
  for (let d = 0; d < dim; d++) std[d] = Math.sqrt(std[d]!);
  return embeddings.map((e) => e.map((value, d) => (std[d]! > 1e-12 ? (value - mean[d]!) / std[d]! : 0)));
}
