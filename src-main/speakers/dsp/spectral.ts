// Spectral clustering of window embeddings: p-pruned cosine affinity, unnormalised Laplacian, eigengap, seeded k-means.
import { kMeans } from './kmeans.js';
import { cosineMatrix, symmetricEigen } from './linalg.js';
import { renumberByFirstAppearance } from './renumber.js';

/** Most speakers an automatic count will report. */
export const MAX_AUTO_SPEAKERS = 15;
const EIGENGAP_VALUES = 16;
const PRUNE_SHARE = 0.022;
const PRUNE_MIN_NEIGHBOURS = 6;

/** The spectral view of a set of embeddings: its eigengap count and its labels for any number of clusters. */
export interface SpectralModel {
  /** Number of clusters from the largest eigengap (FunASR/3D-Speaker's automatic count). */
  eigengapCount(): number;
  /** Seeded k-means on the first `k` eigenvectors, labels numbered by first appearance. */
  labels(k: number): number[];
}

/** The symmetric, p-pruned cosine affinity's unnormalised Laplacian (each row keeps its strongest neighbours). */
function prunedLaplacian(embeddings: ArrayLike<number>[]): Float64Array[] {
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
  return laplacian;
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

/** Decomposes the embeddings' Laplacian once; counts and labels for several k reuse it. */
export function spectralModel(embeddings: ArrayLike<number>[]): SpectralModel {
  const n = embeddings.length;
  const { values, vectors } = symmetricEigen(prunedLaplacian(embeddings));
  return {
    eigengapCount: () => eigengapCount(values),
    labels: (k) => {
      const features = Array.from({ length: n }, (_, i) =>
        Float64Array.from(vectors.slice(0, k), (v) => v[i]!),
      );
      return renumberByFirstAppearance(kMeans(features, k));
    },
  };
}
