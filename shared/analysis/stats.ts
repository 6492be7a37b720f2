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

/**
 * Complementary error function with a small *relative* error (Chebyshev fit, fractional error
 * < 1.2e-7 for every x): the per-test significance can be 1e-5 or less (judge.ts spreads it over
 * every planned measurement), where an approximation with only an absolute error bound, as
 * 1 − Φ(z) computed from erf, would be all error.
 */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const poly = -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const r = t * Math.exp(poly);
  return x >= 0 ? r : 2 - r;
}

/** Standard normal CDF Φ(z). */
export function normalCdf(z: number): number {
  return erfc(-z / Math.SQRT2) / 2;
}

/** Upper tail 1 − Φ(z), accurate in relative terms far out in the tail (p-values of 1e-10 and below). */
export function normalUpper(z: number): number {
  return erfc(z / Math.SQRT2) / 2;
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
  return { u, z, pGreater: normalUpper(z), pTwoSided: Math.min(1, 2 * normalUpper(Math.abs(z))) };
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
  return normalUpper(diff / se);
}
