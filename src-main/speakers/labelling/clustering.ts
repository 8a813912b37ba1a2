// Deterministic speaker clustering of window embeddings: AHC for few windows, spectral for many, centroid merge;
// long recordings are clustered on evenly spaced landmark windows and every window joins its nearest centroid.
import { FunscribeError } from '../../util/errors.js';
import { cosine, cosineMatrix } from '../dsp/linalg.js';
import { renumberByFirstAppearance } from '../dsp/renumber.js';
import { chooseBySilhouette } from '../dsp/silhouette.js';
import { spectralModel } from '../dsp/spectral.js';

/** Options of `clusterEmbeddings`; thresholds default to the values tuned for CAM++ embeddings. */
export interface ClusterOptions {
  /** Known number of speakers; omitted means choose automatically. */
  speakers?: number;
  /** Average-linkage AHC stops when the best pair's mean cosine falls below this (3D-Speaker: 0.4). */
  ahcThreshold?: number;
  /** Clusters whose centroids have cosine ≥ this are merged when the count is automatic (FunASR: 0.78). */
  mergeThreshold?: number;
  /**
   * How an automatic count is found: 'eigengap' (AHC threshold or eigengap, then centroid merge: FunASR/3D-Speaker, for
   * model embeddings) or 'silhouette' (the best-separated clustering: for MFCC statistics, whose eigengap over-splits).
   */
  autoCount?: 'eigengap' | 'silhouette';
}

/** Fewer windows than this are clustered with AHC, more with spectral clustering (3D-Speaker's rule). */
export const AHC_MAX_WINDOWS = 40;
/**
 * Most windows clustered directly (the dense eigen-solver is O(N³)); longer recordings are clustered on this many
 * evenly spaced landmark windows (about one every 11 s in an hour) and the rest join the nearest speaker centroid.
 */
export const MAX_CLUSTERED_WINDOWS = 320;

/** One AHC merge: the cluster holding window `drop` joins the one holding `keep`, at this mean cosine. */
export interface AhcMerge {
  keep: number;
  drop: number;
  similarity: number;
}

/** The whole average-linkage merge sequence on cosine similarity (n − 1 merges, the most similar pair first). */
export function ahcMerges(embeddings: ArrayLike<number>[]): AhcMerge[] {
  const sim = cosineMatrix(embeddings);
  const size = new Array<number>(embeddings.length).fill(1);
  const alive = new Set(size.keys());
  const merges: AhcMerge[] = [];
  while (alive.size > 1) {
    let best = -Infinity;
    let pair: [number, number] = [0, 0];
    for (const i of alive) {
      for (const j of alive) {
        if (j > i && sim[i]![j]! > best) {
          best = sim[i]![j]!;
          pair = [i, j];
        }
      }
    }
    const [i, j] = pair;
    for (const k of alive) {
      const merged = (size[i]! * sim[i]![k]! + size[j]! * sim[j]![k]!) / (size[i]! + size[j]!);
      sim[i]![k] = merged;
      sim[k]![i] = merged;
    }
    size[i] = size[i]! + size[j]!;
    alive.delete(j);
    merges.push({ keep: i, drop: j, similarity: best });
  }
  return merges;
}

/** Labels after replaying `merges` until `k` clusters remain or the next merge is below `threshold`. */
export function cutMerges(
  n: number,
  merges: AhcMerge[],
  stop: { k: number } | { threshold: number },
): number[] {
  const owner = Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => (owner[i] === i ? i : (owner[i] = find(owner[i]!)));
  let clusters = n;
  for (const { keep, drop, similarity } of merges) {
    if ('k' in stop ? clusters <= stop.k : similarity < stop.threshold) break;
    owner[find(drop)] = find(keep);
    clusters -= 1;
  }
  return renumberByFirstAppearance(owner.map((_, i) => find(i)));
}

/** Average-linkage AHC on cosine similarity, until `k` clusters remain or no pair reaches `threshold`. */
export function ahcCluster(
  embeddings: ArrayLike<number>[],
  stop: { k: number } | { threshold: number },
): number[] {
  return cutMerges(embeddings.length, ahcMerges(embeddings), stop);
}

/** The sum of each cluster's embeddings: the centroid's direction, which is all a cosine needs. */
function clusterSums(embeddings: ArrayLike<number>[], labels: number[]): Float64Array[] {
  const dim = embeddings[0]!.length;
  const sums = Array.from(
    { length: labels.reduce((max, label) => Math.max(max, label), -1) + 1 },
    () => new Float64Array(dim),
  );
  labels.forEach((label, i) => {
    const e = embeddings[i]!;
    const sum = sums[label]!;
    for (let d = 0; d < dim; d++) sum[d] = sum[d]! + e[d]!;
  });
  return sums;
}

/** Repeatedly merges the two clusters whose mean embeddings have the highest cosine while it is ≥ `threshold`. */
export function mergeByCentroidCosine(
  labels: number[],
  embeddings: ArrayLike<number>[],
  threshold: number,
): number[] {
  let current = renumberByFirstAppearance(labels);
  for (;;) {
    const centroids = clusterSums(embeddings, current);
    const count = centroids.length;
    let best = -Infinity;
    let pair: [number, number] = [0, 0];
    for (let a = 0; a < count; a++) {
      for (let b = a + 1; b < count; b++) {
        const similarity = cosine(centroids[a]!, centroids[b]!);
        if (similarity > best) {
          best = similarity;
          pair = [a, b];
        }
      }
    }
    if (count < 2 || best < threshold) return current;
    const [keep, drop] = pair;
    current = renumberByFirstAppearance(current.map((label) => (label === drop ? keep : label)));
  }
}

/** Validates the count and the embeddings; throws INVALID_ARGUMENT with a readable message. */
function validate(embeddings: ArrayLike<number>[], speakers: number | undefined): void {
  if (speakers !== undefined && (!Number.isInteger(speakers) || speakers < 1)) {
    throw new FunscribeError(
      'INVALID_ARGUMENT',
      `The number of speakers must be a whole number of at least 1, not ${speakers}.`,
    );
  }
  const dim = embeddings[0]?.length ?? 0;
  if (embeddings.some((e) => e.length !== dim || Array.from(e).some((x) => !Number.isFinite(x)))) {
    throw new FunscribeError(
      'INVALID_ARGUMENT',
      'Speaker embeddings must all have the same length and finite values.',
    );
  }
}

/** Clusters at most MAX_CLUSTERED_WINDOWS embeddings (at least two). */
function clusterDirectly(embeddings: ArrayLike<number>[], options: ClusterOptions): number[] {
  const { speakers, ahcThreshold = 0.4, mergeThreshold = 0.78, autoCount = 'eigengap' } = options;
  const n = embeddings.length;
  if (autoCount === 'silhouette') {
    // Average linkage for every count: the spectral graph falls apart on MFCC statistics of repeated speech.
    const merges = ahcMerges(embeddings);
    const cut = (k: number): number[] => cutMerges(n, merges, { k });
    return speakers !== undefined ? cut(speakers) : chooseBySilhouette(cosineMatrix(embeddings), cut);
  }
  const spectral = n < AHC_MAX_WINDOWS ? null : spectralModel(embeddings);
  if (speakers !== undefined) {
    const k = Math.min(speakers, n);
    return spectral ? spectral.labels(k) : ahcCluster(embeddings, { k });
  }
  const labels = spectral
    ? spectral.labels(spectral.eigengapCount())
    : ahcCluster(embeddings, { threshold: ahcThreshold });
  return mergeByCentroidCosine(labels, embeddings, mergeThreshold);
}

/** Landmarks this similar (cosine) to one already picked hold the same audio again (a repeated recording, a jingle). */
const DUPLICATE_COSINE = 0.995;

/**
 * Up to MAX_CLUSTERED_WINDOWS landmarks spread evenly over the recording, skipping repeats of one already picked: copies
 * of the same audio add nothing and would fill each window's neighbourhood in the affinity graph with themselves.
 */
function pickLandmarks(embeddings: ArrayLike<number>[]): ArrayLike<number>[] {
  const stride = Math.ceil(embeddings.length / MAX_CLUSTERED_WINDOWS);
  const picked: ArrayLike<number>[] = [];
  for (let offset = 0; offset < stride; offset++) {
    for (let i = offset; i < embeddings.length; i += stride) {
      if (picked.length === MAX_CLUSTERED_WINDOWS) return picked;
      const candidate = embeddings[i]!;
      if (!picked.some((p) => cosine(p, candidate) >= DUPLICATE_COSINE)) picked.push(candidate);
    }
  }
  return picked.length >= 2 ? picked : embeddings.slice(0, 2);
}

/** Gives every embedding the label of the most similar centroid (cosine) of the labelled landmarks. */
function joinNearestCentroid(
  embeddings: ArrayLike<number>[],
  landmarks: ArrayLike<number>[],
  landmarkLabels: number[],
): number[] {
  const centroids = clusterSums(landmarks, landmarkLabels);
  return embeddings.map((e) => {
    let best = 0;
    let bestSimilarity = -Infinity;
    centroids.forEach((centroid, c) => {
      const similarity = cosine(e, centroid);
      if (similarity > bestSimilarity) [best, bestSimilarity] = [c, similarity];
    });
    return best;
  });
}

/** Speaker label (0-based, numbered by first appearance) for each window embedding; deterministic. */
export function clusterEmbeddings(embeddings: ArrayLike<number>[], options: ClusterOptions = {}): number[] {
  validate(embeddings, options.speakers);
  const n = embeddings.length;
  if (n < 2) return new Array<number>(n).fill(0);
  if (n <= MAX_CLUSTERED_WINDOWS) return clusterDirectly(embeddings, options);
  const landmarks = pickLandmarks(embeddings);
  const labels = clusterDirectly(landmarks, options);
  return renumberByFirstAppearance(joinNearestCentroid(embeddings, landmarks, labels));
}
