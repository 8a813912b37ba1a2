import { describe, expect, it } from 'vitest';
import {
  ahcCluster,
  clusterEmbeddings,
  MAX_CLUSTERED_WINDOWS,
  mergeByCentroidCosine,
} from '../../../src-main/speakers/labelling/clustering.js';
import { renumberByFirstAppearance } from '../../../src-main/speakers/dsp/renumber.js';
import { eigengapCount, spectralModel } from '../../../src-main/speakers/dsp/spectral.js';
import { kMeans } from '../../../src-main/speakers/dsp/kmeans.js';
import { seededRandom } from '../../../src-main/util/seeded-random.js';
import { symmetricEigen } from '../../../src-main/speakers/dsp/linalg.js';
import { FunscribeError } from '../../../src-main/util/errors.js';

const DIM = 38;

function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** `perCluster` noisy points around each centre, in a seeded shuffled order, with the true labels. */
function clouds(centres: Float64Array[], perCluster: number, noise: number, seed: number) {
  const random = seededRandom(seed);
  const truth = centres.flatMap((_, c) => new Array<number>(perCluster).fill(c));
  for (let i = truth.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [truth[i], truth[j]] = [truth[j]!, truth[i]!];
  }
  const points = truth.map((c) => centres[c]!.map((x) => x + noise * gaussian(random)));
  return { points, centreOf: truth, truth: renumberByFirstAppearance(truth) };
}

function randomCentres(count: number, seed: number): Float64Array[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => Float64Array.from({ length: DIM }, () => gaussian(random)));
}

describe('clusterEmbeddings', () => {
  for (const perCluster of [10, 50]) {
    const path = perCluster * 3 < 40 ? 'AHC' : 'spectral';
    it(`finds exactly the 3 clouds with ${perCluster * 3} windows (${path}), auto count and K = 3`, () => {
      const { points, truth } = clouds(randomCentres(3, 1), perCluster, 0.3, 2);
      expect(clusterEmbeddings(points)).toEqual(truth);
      expect(clusterEmbeddings(points, { speakers: 3 })).toEqual(truth);
    });
  }

  it('is deterministic and numbers labels by first appearance', () => {
    const { points } = clouds(randomCentres(4, 5), 30, 0.5, 6);
    const first = clusterEmbeddings(points);
    expect(clusterEmbeddings(points.map((p) => Float64Array.from(p)))).toEqual(first);
    expect(first[0]).toBe(0);
    expect(first).toEqual(renumberByFirstAppearance(first));
    expect(new Set(first).size).toBe(4);
  });

  it('merges near-duplicate clouds when the count is automatic but not when K is given', () => {
    const [a, b, c] = randomCentres(3, 9);
    const twin = a!.map((x, d) => x + 0.15 * (d % 2 === 0 ? 1 : -1));
    const { points, centreOf, truth } = clouds([a!, b!, c!, twin], 15, 0.05, 10);
    const twinsJoined = renumberByFirstAppearance(centreOf.map((centre) => (centre === 3 ? 0 : centre)));
    expect(clusterEmbeddings(points)).toEqual(twinsJoined);
    expect(new Set(clusterEmbeddings(points, { mergeThreshold: 1.01 })).size).toBe(4);
    expect(clusterEmbeddings(points, { speakers: 4 })).toEqual(truth);
  });

  it('returns fewer clusters when asked for fewer speakers, and handles tiny inputs', () => {
    const { points } = clouds(randomCentres(3, 3), 20, 0.3, 4);
    expect(new Set(clusterEmbeddings(points, { speakers: 2 })).size).toBe(2);
    expect(clusterEmbeddings([])).toEqual([]);
    expect(clusterEmbeddings([Float64Array.of(1, 2)])).toEqual([0]);
    expect(clusterEmbeddings([Float64Array.of(1, 0), Float64Array.of(0, 1)], { speakers: 5 })).toEqual([
      0, 1,
    ]);
  });

  it('counts speakers by silhouette when asked to: 3 clouds give 3, one cloud gives 1', () => {
    const { points, truth } = clouds(randomCentres(3, 31), 30, 0.3, 32);
    expect(clusterEmbeddings(points, { autoCount: 'silhouette' })).toEqual(truth);
    expect(clusterEmbeddings(points, { autoCount: 'silhouette', speakers: 3 })).toEqual(truth);
    const one = clouds(randomCentres(1, 33), 60, 0.3, 34).points;
    expect(clusterEmbeddings(one, { autoCount: 'silhouette' })).toEqual(new Array(60).fill(0));
  });

  it('clusters a long recording on landmarks, with repeated audio, and gives every window a label', () => {
    const { points, truth } = clouds(randomCentres(4, 41), 150, 0.3, 42);
    const repeated = [...points, ...points.map((p) => p.map((x) => x * (1 + 1e-6)))];
    const expected = [...truth, ...truth];
    expect(repeated.length).toBeGreaterThan(MAX_CLUSTERED_WINDOWS);
    expect(clusterEmbeddings(repeated)).toEqual(expected);
    expect(clusterEmbeddings(repeated, { autoCount: 'silhouette' })).toEqual(expected);
    expect(clusterEmbeddings(repeated, { speakers: 4 })).toEqual(expected);
    expect(new Set(clusterEmbeddings(repeated, { speakers: 2 })).size).toBe(2);
  });

  it('rejects a bad speaker count and mismatched embeddings with INVALID_ARGUMENT', () => {
    const points = [Float64Array.of(1, 0), Float64Array.of(0, 1)];
    for (const speakers of [0, 1.5, -2]) {
      expect(() => clusterEmbeddings(points, { speakers })).toThrow(FunscribeError);
    }
    try {
      clusterEmbeddings([Float64Array.of(1, 0), Float64Array.of(1)]);
      expect.unreachable();
    } catch (error) {
      expect((error as FunscribeError).code).toBe('INVALID_ARGUMENT');
    }
    expect(() => clusterEmbeddings([Float64Array.of(1, NaN), Float64Array.of(1, 0)])).toThrow(FunscribeError);
  });
});

describe('clustering building blocks', () => {
  it('AHC and spectral agree on well-separated clouds', () => {
    const { points, truth } = clouds(randomCentres(3, 21), 20, 0.3, 22);
    expect(ahcCluster(points, { k: 3 })).toEqual(truth);
    expect(ahcCluster(points, { threshold: 0.4 })).toEqual(truth);
    const spectral = spectralModel(points);
    expect(spectral.labels(3)).toEqual(truth);
    expect(spectral.labels(spectral.eigengapCount())).toEqual(truth);
  });

  it('eigengapCount picks the position of the largest gap', () => {
    expect(eigengapCount(Float64Array.of(0, 0, 0, 5, 6, 7))).toBe(3);
    expect(eigengapCount(Float64Array.of(0, 9, 10))).toBe(1);
  });

  it('mergeByCentroidCosine joins a cloud that was split in two and keeps distinct ones', () => {
    const { points, truth } = clouds(randomCentres(2, 31), 10, 0.1, 32);
    const split = truth.map((label, i) => (label === 0 && i % 2 === 0 ? 2 : label));
    expect(new Set(split).size).toBe(3);
    expect(mergeByCentroidCosine(split, points, 0.78)).toEqual(truth);
    expect(mergeByCentroidCosine(truth, points, 0.78)).toEqual(truth);
  });
});

describe('symmetricEigen', () => {
  it('solves a 2×2 matrix by hand: [[2,1],[1,2]] has eigenvalues 1 and 3', () => {
    const { values, vectors } = symmetricEigen([Float64Array.of(2, 1), Float64Array.of(1, 2)]);
    expect(values[0]).toBeCloseTo(1, 12);
    expect(values[1]).toBeCloseTo(3, 12);
    expect(Math.abs(vectors[1]![0]!)).toBeCloseTo(Math.SQRT1_2, 12);
    expect(vectors[1]![0]! * vectors[1]![1]!).toBeGreaterThan(0);
  });

  it('returns ascending eigenpairs with orthonormal vectors satisfying A·v = λ·v', () => {
    const random = seededRandom(41);
    const n = 25;
    const a = Array.from({ length: n }, () => new Float64Array(n));
    for (let i = 0; i < n; i++) for (let j = i; j < n; j++) a[i]![j] = a[j]![i] = random() - 0.5;
    const copy = a.map((row) => Float64Array.from(row));
    const { values, vectors } = symmetricEigen(a);
    expect(a).toEqual(copy);
    for (let k = 0; k < n; k++) {
      if (k > 0) expect(values[k]!).toBeGreaterThanOrEqual(values[k - 1]!);
      const v = vectors[k]!;
      for (let i = 0; i < n; i++) {
        const av = a[i]!.reduce((sum, x, j) => sum + x * v[j]!, 0);
        expect(av).toBeCloseTo(values[k]! * v[i]!, 9);
      }
      for (let m = 0; m <= k; m++) {
        const dot = v.reduce((sum, x, i) => sum + x * vectors[m]![i]!, 0);
        expect(dot).toBeCloseTo(m === k ? 1 : 0, 9);
      }
    }
  });
});

describe('kMeans', () => {
  it('separates two groups on a line the same way every time', () => {
    const points = [0, 0.1, 0.2, 10, 10.1, 0.05, 9.9].map((x) => [x]);
    const labels = kMeans(points, 2);
    expect(renumberByFirstAppearance(labels)).toEqual([0, 0, 0, 1, 1, 0, 1]);
    expect(kMeans(points, 2)).toEqual(labels);
  });
});
