// Small dense linear algebra for clustering: cosine similarity and a symmetric Jacobi eigen-solver.

/** Eigen decomposition of a symmetric matrix: eigenvalues ascending, `vectors[i]` the unit eigenvector of `values[i]`. */
export interface SymmetricEigen {
  values: Float64Array;
  vectors: Float64Array[];
}

/** Cosine similarity of two vectors (0 when either is all zeros). */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    na += a[i]! * a[i]!;
    nb += b[i]! * b[i]!;
  }
  return na > 0 && nb > 0 ? dot / Math.sqrt(na * nb) : 0;
}

/** N×N cosine similarity matrix of the rows. */
export function cosineMatrix(rows: ArrayLike<number>[]): Float64Array[] {
  const n = rows.length;
  const s = Array.from({ length: n }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      const value = cosine(rows[i]!, rows[j]!);
      s[i]![j] = value;
      s[j]![i] = value;
    }
  }
  return s;
}

/** Cyclic Jacobi eigen decomposition of the symmetric matrix `matrix` (left unchanged); fine for N up to a few hundred. */
export function symmetricEigen(matrix: Float64Array[], maxSweeps = 100): SymmetricEigen {
  const n = matrix.length;
  const a = matrix.map((row) => Float64Array.from(row));
  const v = Array.from({ length: n }, (_, i) => {
    const row = new Float64Array(n);
    row[i] = 1;
    return row;
  });
  let scale = 0;
  for (const row of a) for (const x of row) scale += x * x;
  const tolerance = 1e-22 * Math.max(scale, 1e-300);
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p]![q]! ** 2;
    if (off <= tolerance) break;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p]![q]!;
        if (apq === 0) continue;
        const theta = (a[q]![q]! - a[p]![p]!) / (2 * apq);
        const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const row = a[k]!;
          const kp = row[p]!;
          const kq = row[q]!;
          row[p] = c * kp - s * kq;
          row[q] = s * kp + c * kq;
        }
        const rowP = a[p]!;
        const rowQ = a[q]!;
        for (let k = 0; k < n; k++) {
          const pk = rowP[k]!;
          const qk = rowQ[k]!;
          rowP[k] = c * pk - s * qk;
          rowQ[k] = s * pk + c * qk;
        }
        rowP[q] = 0;
        rowQ[p] = 0;
        for (let k = 0; k < n; k++) {
          const row = v[k]!;
          const kp = row[p]!;
          const kq = row[q]!;
          row[p] = c * kp - s * kq;
          row[q] = s * kp + c * kq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[i]![i]! - a[j]![j]! || i - j);
  return {
    values: Float64Array.from(order, (i) => a[i]![i]!),
    vectors: order.map((col) => Float64Array.from(v, (row) => row[col]!)),
  };
}
