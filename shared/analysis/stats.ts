/**
 * The statistics canary analysis needs, pure: percentiles, a normal tail, the Mann-Whitney U test
 * (ties handled with mid-ranks and the tie-corrected variance), and a two-proportion z-test.
 */

/** Nearest-rank percentile of unsorted values (p in 0..100); undefined for no values. */
export function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/** Standard normal CDF Φ(z), via erf (Abramowitz & Stegun 7.1.26, |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

export interface MannWhitney {
  /** U of the first sample: how often a value of `a` beats one of `b` (ties count ½). */
  u: number;
  /** Normal approximation with tie correction and continuity correction. */
  z: number;
  /** P(a is not stochastically greater than b): small when `a` tends to be larger. */
  pGreater: number;
  /** Two-sided p-value. */
  pTwoSided: number;
}

/**
 * Mann-Whitney U test of `a` against `b` (Kayenta's latency judge): ranks the pooled values,
 * giving tied values their mean rank, and corrects the variance for ties. Undefined when either
 * sample is empty or every value is tied (no information).
 */
export function mannWhitneyU(a: readonly number[], b: readonly number[]): MannWhitney | undefined {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) return undefined;
  const pooled = [...a.map((v) => ({ v, first: true })), ...b.map((v) => ({ v, first: false }))].sort((x, y) => x.v - y.v);
  const n = n1 + n2;
  let rankSumA = 0;
  let tieTerm = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && pooled[j + 1]!.v === pooled[i]!.v) j++;
    const rank = (i + j + 2) / 2; // mean of ranks i+1 … j+1
    const t = j - i + 1;
    tieTerm += t * t * t - t;
    for (let k = i; k <= j; k++) if (pooled[k]!.first) rankSumA += rank;
    i = j + 1;
  }
  const u = rankSumA - (n1 * (n1 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (!(variance > 0)) return undefined;
  const sd = Math.sqrt(variance);
  const diff = u - mean;
  const z = diff === 0 ? 0 : (diff - Math.sign(diff) * 0.5) / sd;
  return { u, z, pGreater: 1 - normalCdf(z), pTwoSided: Math.min(1, 2 * (1 - normalCdf(Math.abs(z)))) };
}

/**
 * One-sided two-proportion z-test: the p-value of "the first rate is higher than the second"
 * being chance. 1 when there is nothing to compare.
 */
export function proportionGreaterP(errorsA: number, totalA: number, errorsB: number, totalB: number): number {
  if (totalA === 0 || totalB === 0) return 1;
  const pooled = (errorsA + errorsB) / (totalA + totalB);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / totalA + 1 / totalB));
  const diff = errorsA / totalA - errorsB / totalB;
  if (se === 0) return diff > 0 ? 0 : 1;
  return 1 - normalCdf(diff / se);
}
