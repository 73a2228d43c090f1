/** Rank statistics for comparing two small samples. */

export interface MannWhitneyResult {
  /** U statistic of the first sample: the number of pairs (a, b) with a > b, ties counting ½. */
  u: number;
  /** Exact two-sided p-value under the null hypothesis that both samples share one distribution. */
  pValue: number;
}

/**
 * Two-sided Mann–Whitney U test with the exact null distribution of U, for samples
 * without ties (continuous measurements such as W1). The distribution is counted by
 * dynamic programming over the number of ways to place the first sample's ranks, which
 * is exact and fast for the small sizes a seed comparison has.
 */
export function mannWhitneyU(first: number[], second: number[]): MannWhitneyResult {
  const m = first.length;
  const n = second.length;
  if (m === 0 || n === 0) throw new RangeError('mannWhitneyU: both samples must be non-empty');

  let u = 0;
  for (const a of first) {
    for (const b of second) {
      if (a > b) u += 1;
      else if (a === b) u += 0.5;
    }
  }

  // ways[i][j][k]: orderings of i first-sample and j second-sample values with U = k.
  let previous: number[][] = Array.from({ length: n + 1 }, () => [1]);
  for (let i = 1; i <= m; i++) {
    const current: number[][] = [];
    for (let j = 0; j <= n; j++) {
      const size = i * j + 1;
      const row = new Array<number>(size).fill(0);
      // The largest value belongs to the first sample (it beats all j) or to the second.
      const fromFirst = previous[j];
      for (let k = 0; k < fromFirst.length; k++) row[k + j] += fromFirst[k];
      if (j > 0) {
        const fromSecond = current[j - 1];
        for (let k = 0; k < fromSecond.length; k++) row[k] += fromSecond[k];
      }
      current.push(row);
    }
    previous = current;
  }
  const counts = previous[n];
  const total = counts.reduce((sum, count) => sum + count, 0);

  // Two-sided: the probability of a U at least as far from the mean m·n/2 as the observed one.
  const distance = Math.abs(u - (m * n) / 2);
  let extreme = 0;
  for (let k = 0; k < counts.length; k++) {
    if (Math.abs(k - (m * n) / 2) >= distance - 1e-9) extreme += counts[k];
  }
  return { u, pValue: Math.min(1, extreme / total) };
}
