// Deterministic speaker clustering of window embeddings: AHC for few windows, spectral for many, centroid merge.
import { FunscribeError } from '../util/errors.js';
import { kMeans } from './kmeans.js';
import { cosine, cosineMatrix, symmetricEigen } from './linalg.js';

/** Options of `clusterEmbeddings`; thresholds default to the values tuned for CAM++ embeddings. */
export interface ClusterOptions {
  /** Known number of speakers; omitted means choose automatically. */
  speakers?: number;
  /** Average-linkage AHC stops when the best pair's mean cosine falls below this (3D-Speaker: 0.4). */
  ahcThreshold?: number;
  /** Clusters whose centroids have cosine ≥ this are merged when the count is automatic (FunASR: 0.78). */
  mergeThreshold?: number;
}

/** Fewer windows than this are clustered with AHC, more with spectral clustering (3D-Speaker's rule). */
export const AHC_MAX_WINDOWS = 40;
/** Most speakers the automatic count will report. */
export const MAX_AUTO_SPEAKERS = 15;
const EIGENGAP_VALUES = 16;
const PRUNE_SHARE = 0.022;
const PRUNE_MIN_NEIGHBOURS = 6;

/** Renumbers labels 0, 1, 2… in order of first appearance. */
export function renumberByFirstAppearance(labels: number[]): number[] {
  const mapping = new Map<number, number>();
  return labels.map((label) => {
    if (!mapping.has(label)) mapping.set(label, mapping.size);
    return mapping.get(label)!;
  });
}

/** Average-linkage AHC on cosine similarity, until `k` clusters remain or no pair reaches `threshold`. */
export function ahcCluster(
  embeddings: ArrayLike<number>[],
  stop: { k: number } | { threshold: number },
): number[] {
  const sim = cosineMatrix(embeddings);
  const n = embeddings.length;
  const members = Array.from({ length: n }, (_, i) => [i]);
  const alive = new Set(members.keys());
  while (alive.size > 1 && (!('k' in stop) || alive.size > stop.k)) {
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
    if ('threshold' in stop && best < stop.threshold) break;
    const [i, j] = pair;
    const ni = members[i]!.length;
    const nj = members[j]!.length;
    for (const k of alive) {
      const merged = (ni * sim[i]![k]! + nj * sim[j]![k]!) / (ni + nj);
      sim[i]![k] = merged;
      sim[k]![i] = merged;
    }
    members[i]!.push(...members[j]!);
    alive.delete(j);
  }
  const labels = new Array<number>(n).fill(0);
  for (const i of alive) for (const member of members[i]!) labels[member] = i;
  return renumberByFirstAppearance(labels);
}

/** Spectral clustering: p-pruned cosine affinity, unnormalised Laplacian, eigengap K (unless given), seeded k-means. */
export function spectralCluster(embeddings: ArrayLike<number>[], k?: number): number[] {
  const n = embeddings.length;
  const affinity = cosineMatrix(embeddings);
  const share = n * PRUNE_SHARE < PRUNE_MIN_NEIGHBOURS ? PRUNE_MIN_NEIGHBOURS / n : PRUNE_SHARE;
  const dropped = Math.floor((1 - share) * n);
  for (const row of affinity) {
    const ascending = Array.from(row.keys()).sort((a, b) => row[a]! - row[b]! || a - b);
    for (const index of ascending.slice(0, dropped)) row[index] = 0;
  }
  const laplacian = Array.from({ length: n }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    let degree = 0;
    for (let j = 0; j < n; j++) {
      const a = i === j ? 0 : 0.5 * (affinity[i]![j]! + affinity[j]![i]!);
      laplacian[i]![j] = -a;
      degree += Math.abs(a);
    }
    laplacian[i]![i] = degree;
  }
  const { values, vectors } = symmetricEigen(laplacian);
  const clusters = k ?? eigengapCount(values);
  const features = Array.from({ length: n }, (_, i) =>
    Float64Array.from(vectors.slice(0, clusters), (v) => v[i]!),
  );
  return renumberByFirstAppearance(kMeans(features, clusters));
}

/** Number of clusters from the largest gap among the first eigenvalues (ascending) of a Laplacian. */
export function eigengapCount(values: Float64Array): number {
  const count = Math.min(EIGENGAP_VALUES, values.length);
  let best = 1;
  let gap = -Infinity;
  for (let i = 0; i + 1 < count && i < MAX_AUTO_SPEAKERS; i++) {
    const diff = values[i + 1]! - values[i]!;
    if (diff > gap) {
      gap = diff;
      best = i + 1;
    }
  }
  return best;
}

/** Repeatedly merges the two clusters whose mean embeddings have the highest cosine while it is ≥ `threshold`. */
export function mergeByCentroidCosine(
  labels: number[],
  embeddings: ArrayLike<number>[],
  threshold: number,
): number[] {
  let current = renumberByFirstAppearance(labels);
  for (;;) {
    const count = Math.max(...current) + 1;
    const centroids = Array.from({ length: count }, () => new Float64Array(embeddings[0]!.length));
    current.forEach((label, i) => {
      const e = embeddings[i]!;
      for (let d = 0; d < e.length; d++) centroids[label]![d] = centroids[label]![d]! + e[d]!;
    });
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

/** Speaker label (0-based, numbered by first appearance) for each window embedding; deterministic. */
export function clusterEmbeddings(embeddings: ArrayLike<number>[], options: ClusterOptions = {}): number[] {
  const { speakers, ahcThreshold = 0.4, mergeThreshold = 0.78 } = options;
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
  const n = embeddings.length;
  if (n < 2) return new Array<number>(n).fill(0);
  if (speakers !== undefined) {
    const k = Math.min(speakers, n);
    return n < AHC_MAX_WINDOWS ? ahcCluster(embeddings, { k }) : spectralCluster(embeddings, k);
  }
  const labels =
    n < AHC_MAX_WINDOWS ? ahcCluster(embeddings, { threshold: ahcThreshold }) : spectralCluster(embeddings);
  return mergeByCentroidCosine(labels, embeddings, mergeThreshold);
}
