// Deterministic k-means (k-means++ seeding from a fixed-seed PRNG, several restarts, lowest inertia wins).
import { seededRandom } from '../../util/seeded-random.js';

/** Seed of the PRNG so the same input always gives the same clusters. */
const SEED = 0x5eed_1234;
const RESTARTS = 10;
const MAX_ITERATIONS = 100;

function squaredDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i]! - b[i]!) ** 2;
  return sum;
}

function seedCentroids(points: ArrayLike<number>[], k: number, random: () => number): Float64Array[] {
  const centroids = [Float64Array.from(points[Math.floor(random() * points.length)]!)];
  const nearest = points.map((p) => squaredDistance(p, centroids[0]!));
  while (centroids.length < k) {
    const total = nearest.reduce((sum, d) => sum + d, 0);
    let pick = nearest.length - 1;
    if (total > 0) {
      let target = random() * total;
      for (let i = 0; i < nearest.length; i++) {
        target -= nearest[i]!;
        if (target < 0) {
          pick = i;
          break;
        }
      }
    } else {
      pick = Math.floor(random() * points.length);
    }
    const centroid = Float64Array.from(points[pick]!);
    centroids.push(centroid);
    points.forEach((p, i) => (nearest[i] = Math.min(nearest[i]!, squaredDistance(p, centroid))));
  }
  return centroids;
}

function lloyd(
  points: ArrayLike<number>[],
  centroids: Float64Array[],
): { labels: number[]; inertia: number } {
  const dim = centroids[0]!.length;
  let labels: number[] = [];
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    const next = points.map((p) => {
      let best = 0;
      for (let c = 1; c < centroids.length; c++) {
        if (squaredDistance(p, centroids[c]!) < squaredDistance(p, centroids[best]!)) best = c;
      }
      return best;
    });
    const converged = next.every((label, i) => label === labels[i]);
    labels = next;
    if (converged) break;
    centroids.forEach((centroid, c) => {
      const members = points.filter((_, i) => labels[i] === c);
      if (members.length === 0) return;
      for (let d = 0; d < dim; d++) centroid[d] = members.reduce((sum, p) => sum + p[d]!, 0) / members.length;
    });
  }
  const inertia = points.reduce((sum, p, i) => sum + squaredDistance(p, centroids[labels[i]!]!), 0);
  return { labels, inertia };
}

/** Clusters `points` into at most `k` groups; the same input always gives the same labels. */
export function kMeans(points: ArrayLike<number>[], k: number): number[] {
  if (points.length === 0) return [];
  const clusters = Math.min(k, points.length);
  const random = seededRandom(SEED);
  let best: { labels: number[]; inertia: number } | undefined;
  for (let run = 0; run < RESTARTS; run++) {
    const result = lloyd(points, seedCentroids(points, clusters, random));
    if (!best || result.inertia < best.inertia - 1e-12) best = result;
  }
  return best!.labels;
}
