// Choosing the number of speakers by the silhouette of the clusterings: for embeddings whose eigengap is unreliable.

/** Below this best silhouette the windows are taken to be one speaker (multi-voice fixtures: ≥ 0.51, one voice: ≤ 0.37). */
export const SINGLE_SPEAKER_SILHOUETTE = 0.44;
/** Most speakers the silhouette search tries. */
export const MAX_SILHOUETTE_SPEAKERS = 10;
/** Smallest speaker (in windows, and as a share of all windows) a counted clustering may have: no 2-window "speakers". */
const MIN_SPEAKER_WINDOWS = 3;
const MIN_SPEAKER_SHARE = 0.05;

/** Whether every cluster of `labels` is big enough to be a speaker rather than a few odd windows. */
function clustersBigEnough(labels: number[]): boolean {
  const sizes = new Map<number, number>();
  for (const label of labels) sizes.set(label, (sizes.get(label) ?? 0) + 1);
  const minimum = Math.max(MIN_SPEAKER_WINDOWS, Math.ceil(MIN_SPEAKER_SHARE * labels.length));
  return [...sizes.values()].every((size) => size >= minimum);
}

/** Mean silhouette of `labels` under cosine distance (1 − similarity); a window alone in its cluster scores 0. */
export function silhouette(similarity: Float64Array[], labels: number[]): number {
  const n = labels.length;
  const k = labels.reduce((max, label) => Math.max(max, label), -1) + 1;
  if (k < 2 || n < 2) return 0;
  let total = 0;
  const sums = new Float64Array(k);
  const counts = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    sums.fill(0);
    counts.fill(0);
    const row = similarity[i]!;
    for (let j = 0; j < n; j++) {
      if (j === i) continue;
      sums[labels[j]!] = sums[labels[j]!]! + 1 - row[j]!;
      counts[labels[j]!] = counts[labels[j]!]! + 1;
    }
    const own = labels[i]!;
    if (counts[own] === 0) continue;
    const a = sums[own]! / counts[own]!;
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== own && counts[c]! > 0) b = Math.min(b, sums[c]! / counts[c]!);
    if (Number.isFinite(b)) total += (b - a) / Math.max(a, b, 1e-12);
  }
  return total / n;
}

/** The clustering (`candidates(k)`, k = 2…, no tiny clusters) with the best silhouette, or one speaker when none is clear. */
export function chooseBySilhouette(
  similarity: Float64Array[],
  candidates: (k: number) => number[],
): number[] {
  const n = similarity.length;
  let best: { labels: number[]; score: number } = { labels: new Array<number>(n).fill(0), score: -Infinity };
  for (let k = 2; k <= Math.min(MAX_SILHOUETTE_SPEAKERS, n - 1); k++) {
    const labels = candidates(k);
    if (!clustersBigEnough(labels)) continue;
    const score = silhouette(similarity, labels);
    if (score > best.score) best = { labels, score };
  }
  return best.score >= SINGLE_SPEAKER_SILHOUETTE ? best.labels : new Array<number>(n).fill(0);
}
