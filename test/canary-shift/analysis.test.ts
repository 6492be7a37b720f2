/** The canary judge and its statistics, at every edge. */
import { describe, expect, it } from 'vitest';
import { judge, mannWhitneyU, MIN_LATENCY_SAMPLES, normalCdf, normalUpper, percentile, perTestAlpha, plannedMeasurements, proportionGreaterP, stepVerdict, type Gates, type Probe } from '../../shared/analysis/index.js';

const gates: Gates = { maxErrorRate: 0.05, maxP95Ms: 2000, minSamples: 20, onNoData: 'inconclusive', maxLatencyRegression: 0.2, maxErrorRateIncrease: 0.01 };
/** n probes with the given latency (ms); `errors` of them failed. */
const probes = (n: number, latency: number | ((i: number) => number), errors = 0): Probe[] =>
  Array.from({ length: n }, (_, i) => ({ ok: i >= errors, latencyMs: typeof latency === 'number' ? latency : latency(i) }));
/** Deterministic spread around a centre: centre × (0.9 … 1.1). */
const spread = (centre: number) => (i: number) => centre * (0.9 + ((i * 37) % 101) / 500);

describe('statistics', () => {
  it('percentile is nearest-rank', () => {
    expect(percentile([], 95)).toBeUndefined();
    expect(percentile([5], 95)).toBe(5);
    expect(percentile(Array.from({ length: 100 }, (_, i) => i + 1), 95)).toBe(95);
    expect(percentile([3, 1, 2], 50)).toBe(2);
  });

  it('normalCdf matches known values', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 6);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 5);
    expect(normalCdf(-1.644854)).toBeCloseTo(0.05, 5);
  });

  it('normalUpper keeps its relative accuracy far in the tail (the corrected alphas live there)', () => {
    // Reference values of 1 − Φ(z): 1e-5 at z = 4.264891, 9.8659e-10 at 6, 1.1102e-16 at 8.2095.
    expect(normalUpper(4.264891) / 1e-5).toBeCloseTo(1, 5);
    expect(normalUpper(6) / 9.8659e-10).toBeCloseTo(1, 4);
    expect(normalUpper(8.2095) / 1.1102e-16).toBeCloseTo(1, 2);
    for (const z of [-3, -0.5, 0, 0.7, 2.5]) expect(normalUpper(z) + normalCdf(z)).toBeCloseTo(1, 6);
  });

  it('Mann-Whitney U: U counts wins, ties count half, and the p-value follows', () => {
    // a entirely above b: U = n1·n2
    const above = mannWhitneyU([10, 11, 12, 13], [1, 2, 3, 4])!;
    expect(above.u).toBe(16);
    expect(above.pGreater).toBeLessThan(0.05);
    const below = mannWhitneyU([1, 2, 3, 4], [10, 11, 12, 13])!;
    expect(below.u).toBe(0);
    expect(below.pGreater).toBeGreaterThan(0.95);
    // ties across samples: each tie is worth ½
    expect(mannWhitneyU([1, 2], [2, 3])!.u).toBe(0.5);
    expect(mannWhitneyU([5, 5, 5], [5, 5, 6])!.u).toBe(3);
  });

  it('Mann-Whitney U: tie-corrected variance (compared with a hand calculation)', () => {
    // a=[1,2,2,3], b=[2,3,4,4]; pooled ranks: 1→1, 2→3 (×3), 3→5.5 (×2), 4→7.5 (×2)
    const r = mannWhitneyU([1, 2, 2, 3], [2, 3, 4, 4])!;
    const rankSumA = 1 + 3 + 3 + 5.5;
    expect(r.u).toBe(rankSumA - 10);
    const tie = 3 ** 3 - 3 + (2 ** 3 - 2) * 2;
    const variance = (16 / 12) * (9 - tie / (8 * 7));
    const z = (r.u - 8 + 0.5) / Math.sqrt(variance);
    expect(r.z).toBeCloseTo(z, 10);
    expect(r.pTwoSided).toBeCloseTo(2 * normalCdf(z), 6);
  });

  it('Mann-Whitney U: no information is undefined, not a verdict', () => {
    expect(mannWhitneyU([], [1])).toBeUndefined();
    expect(mannWhitneyU([1], [])).toBeUndefined();
    expect(mannWhitneyU([7, 7, 7], [7, 7])).toBeUndefined();
  });

  it('Mann-Whitney U: identical samples are not significant', () => {
    const a = probes(50, spread(100)).map((p) => p.latencyMs!);
    expect(mannWhitneyU(a, [...a])!.pGreater).toBeGreaterThan(0.4);
  });

  it('two-proportion test', () => {
    expect(proportionGreaterP(10, 100, 0, 100)).toBeLessThan(0.01);
    expect(proportionGreaterP(1, 100, 1, 100)).toBeGreaterThan(0.4);
    expect(proportionGreaterP(0, 0, 1, 100)).toBe(1);
    expect(proportionGreaterP(0, 50, 0, 50)).toBe(1);
    expect(proportionGreaterP(50, 50, 50, 50)).toBe(1);
  });
});

describe('judge: absolute gates', () => {
  it('a healthy canary is Successful with its stats', () => {
    const j = judge({ canary: probes(40, 50) }, gates);
    expect(j.verdict).toBe('Successful');
    expect(j.reasons).toEqual([]);
    expect(j.canary).toEqual({ requests: 40, errors: 0, errorRate: 0, p50Ms: 50, p95Ms: 50 });
  });

  it('an error rate exactly at max-error-rate passes; one more error fails', () => {
    expect(judge({ canary: probes(100, 50, 5) }, gates).verdict).toBe('Successful');
    const j = judge({ canary: probes(100, 50, 6) }, gates);
    expect(j.verdict).toBe('Failed');
    expect(j.reasons[0]).toBe('canary error rate 6% is above max-error-rate 5%');
  });

  it('p95 exactly at max-p95-latency passes; above fails', () => {
    expect(judge({ canary: probes(20, 2000) }, gates).verdict).toBe('Successful');
    const j = judge({ canary: probes(20, 2001) }, gates);
    expect(j.verdict).toBe('Failed');
    expect(j.reasons[0]).toMatch(/p95 2001 ms is above max-p95-latency 2000 ms/);
  });

  it('p95 ignores failed requests (their latency is not the service’s)', () => {
    const failedSlow = [...probes(19, 100), { ok: false, latencyMs: 9000 }];
    expect(judge({ canary: failedSlow }, { ...gates, maxErrorRate: 0.1 }).canary!.p95Ms).toBe(100);
  });

  it('min-samples exactly met is data; one fewer is no data, decided by on-no-data', () => {
    expect(judge({ canary: probes(20, 50) }, gates).verdict).toBe('Successful');
    const few = probes(19, 50);
    const inconclusive = judge({ canary: few }, gates);
    expect(inconclusive.verdict).toBe('Inconclusive');
    expect(inconclusive.reasons).toEqual(['no data: canary answered 19 request(s), fewer than min-samples 20']);
    expect(judge({ canary: few }, { ...gates, onNoData: 'fail' }).verdict).toBe('Failed');
    expect(judge({ canary: few }, { ...gates, onNoData: 'pass' }).verdict).toBe('Successful');
    expect(judge({ canary: [] }, { ...gates, onNoData: 'fail' }).reasons[0]).toMatch(/0 request/);
  });

  it('no data hides no failure: too few samples are not judged on their error rate', () => {
    expect(judge({ canary: probes(5, 50, 5) }, gates).verdict).toBe('Inconclusive');
  });

  it('no source at all is no data', () => {
    expect(judge({}, { ...gates, onNoData: 'fail' })).toMatchObject({ verdict: 'Failed', reasons: ['no data: no source measured anything'] });
  });
});

describe('judge: canary against baseline', () => {
  it('a canary 40% slower than stable fails while both pass the absolute gates', () => {
    const j = judge({ canary: probes(60, spread(140)), baseline: probes(60, spread(100)) }, gates);
    expect(j.canary!.p95Ms).toBeLessThan(2000);
    expect(j.verdict).toBe('Failed');
    expect(j.comparison!.latencyRegression).toBeGreaterThan(0.35);
    expect(j.comparison!.latencyP).toBeLessThan(0.001);
    expect(j.reasons[0]).toMatch(/^canary median latency \d+ ms is \d+(\.\d+)?% above stable's \d+ ms \(more than max-latency-regression 20%; Mann-Whitney p=/);
  });

  it('10% slower is within a 20% max-latency-regression', () => {
    expect(judge({ canary: probes(60, spread(110)), baseline: probes(60, spread(100)) }, gates).verdict).toBe('Successful');
  });

  it('without max-latency-regression latency is not compared', () => {
    expect(judge({ canary: probes(60, spread(140)), baseline: probes(60, spread(100)) }, { ...gates, maxLatencyRegression: undefined }).verdict).toBe('Successful');
  });

  it('a large ratio on tiny latencies is noise (below the minimum difference)', () => {
    expect(judge({ canary: probes(60, spread(3)), baseline: probes(60, spread(1)) }, gates).verdict).toBe('Successful');
    expect(judge({ canary: probes(60, spread(3)), baseline: probes(60, spread(1)) }, { ...gates, minLatencyDeltaMs: 1 }).verdict).toBe('Failed');
  });

  it('a regression that is not significant (overlapping, few samples) passes', () => {
    // canary median higher but the samples interleave completely
    const c = [100, 300, 100, 300, 100, 300, 130, 300, 100, 300, 100, 300, 100, 300, 100, 300, 100, 300, 100, 300];
    const b = [100, 300, 100, 300, 100, 300, 100, 300, 100, 300, 100, 300, 100, 300, 100, 300, 100, 300, 100, 100];
    const j = judge({ canary: c.map((l) => ({ ok: true, latencyMs: l })), baseline: b.map((l) => ({ ok: true, latencyMs: l })) }, gates);
    expect(j.comparison!.latencyP).toBeGreaterThan(0.05);
    expect(j.verdict).toBe('Successful');
  });

  it('an error rate significantly above stable’s fails even under max-error-rate', () => {
    const j = judge({ canary: probes(400, 50, 16), baseline: probes(400, 50, 0) }, gates);
    expect(j.canary!.errorRate).toBe(0.04);
    expect(j.verdict).toBe('Failed');
    expect(j.reasons[0]).toMatch(/canary error rate 4% is 4% above stable's 0%/);
  });

  it('an error rate increase within max-error-rate-increase passes; stable equally bad passes', () => {
    expect(judge({ canary: probes(400, 50, 4), baseline: probes(400, 50, 0) }, gates).verdict).toBe('Successful');
    expect(judge({ canary: probes(400, 50, 16), baseline: probes(400, 50, 16) }, gates).verdict).toBe('Successful');
  });

  it('the failure message gives the p-value and the corrected alpha it was held to', () => {
    const j = judge({ canary: probes(60, spread(140)), baseline: probes(60, spread(100)) }, { ...gates, measurements: 40 });
    expect(j.reasons[0]).toMatch(/Mann-Whitney p=\d\.\de-\d+ < 0\.0013\)$/);
    expect(j.comparison!.alpha).toBe(0.05 / 40);
  });

  it('stable with too few samples skips the comparison, and says so', () => {
    const j = judge({ canary: probes(60, spread(200)), baseline: probes(3, 100) }, gates);
    expect(j.verdict).toBe('Successful');
    expect(j.comparison!.skipped).toMatch(/stable answered 3 request/);
  });
});

describe('judge: repeated testing (minimum sample, effect and significance, Bonferroni over the plan)', () => {
  // Two latency samples whose one-sided U test gives p ≈ 2.4e-4 with a 40 % higher median.
  const lin = (n: number, from: number, to: number): Probe[] => Array.from({ length: n }, (_, i) => ({ ok: true, latencyMs: Math.round(from + ((to - from) * i) / (n - 1)) }));
  const slow = { canary: lin(30, 70, 210), baseline: lin(30, 50, 150) };

  it('the planned measurements: measured steps × step-duration / analysis-interval, at least 1', () => {
    expect(plannedMeasurements(4, 300_000, 30_000)).toBe(40);
    expect(plannedMeasurements(1, 3_600_000, 1_000)).toBe(3600);
    expect(plannedMeasurements(2, 1_000, 1_000)).toBe(2);
    expect(plannedMeasurements(3, 1_400, 1_000)).toBe(3); // the remainder under half an interval joins the last
    expect(plannedMeasurements(0, 100, 1_000)).toBe(1);
    expect(perTestAlpha(gates)).toBe(0.05);
    expect(perTestAlpha({ ...gates, significance: 0.01, measurements: 100 })).toBe(0.0001);
  });

  it('significance is split over the planned measurements: p ≈ 2e-4 fails a 100-measurement plan, not a 1000-measurement one', () => {
    const p = mannWhitneyU(slow.canary.map((x) => x.latencyMs!), slow.baseline.map((x) => x.latencyMs!))!.pGreater;
    expect(p).toBeGreaterThan(0.05 / 1000);
    expect(p).toBeLessThan(0.05 / 100);
    expect(judge(slow, { ...gates, measurements: 100 }).verdict).toBe('Failed');
    const j = judge(slow, { ...gates, measurements: 1000 });
    expect(j.verdict).toBe('Successful');
    expect(j.comparison).toMatchObject({ alpha: 0.00005, latencyP: p });
    expect(j.comparison!.latencyRegression).toBeCloseTo(0.4, 1);
  });

  it('exactly the minimum latencies on each side are judged; one fewer on either side skips the U test, not a failure', () => {
    expect(MIN_LATENCY_SAMPLES).toBe(20);
    const at = { canary: probes(20, spread(140)), baseline: probes(20, spread(100)) };
    expect(judge(at, gates).verdict).toBe('Failed');
    for (const [canary, baseline] of [[probes(19, spread(140)), probes(20, spread(100))], [probes(20, spread(140)), probes(19, spread(100))]]) {
      // on-no-data: fail must not turn a skipped comparison into a failure: only its absolute gates judge the canary
      const j = judge({ canary, baseline }, { ...gates, minSamples: 19, onNoData: 'fail' });
      expect(j.verdict).toBe('Successful');
      expect(j.comparison!.latencyP).toBeUndefined();
      expect(j.comparison!.latencySkipped).toMatch(/latencies not compared: canary \d+, stable \d+ answered, fewer than 20 on a side/);
    }
  });

  it('failed probes have no latency: 20 answers with one error are 19 latencies, below the minimum', () => {
    const j = judge({ canary: probes(20, spread(140), 1), baseline: probes(20, spread(100)) }, gates);
    expect(j.verdict).toBe('Successful');
    expect(j.comparison!.latencySkipped).toMatch(/canary 19, stable 20/);
    expect(judge({ canary: probes(20, spread(140), 1), baseline: probes(20, spread(100)) }, { ...gates, minLatencySamples: 19 }).verdict).toBe('Failed');
  });

  it('ties: integer milliseconds from the same two values on both sides are no evidence; all tied is no test', () => {
    const two = (n: number, share: number) => Array.from({ length: n }, (_, i) => ({ ok: true, latencyMs: i < n * share ? 100 : 130 }));
    const same = judge({ canary: two(60, 0.5), baseline: two(60, 0.5) }, gates);
    expect(same.comparison!.latencyP).toBeGreaterThan(0.4);
    expect(same.verdict).toBe('Successful');
    const tied = judge({ canary: probes(40, 100), baseline: probes(40, 100) }, { ...gates, minLatencyDeltaMs: 0 });
    expect(tied.comparison!.latencyP).toBeUndefined();
    expect(tied.verdict).toBe('Successful');
    // A real shift made of ties (3/4 at 130 ms against 1/4) is still caught, and its median is 30 % up.
    const shifted = judge({ canary: two(60, 0.25), baseline: two(60, 0.75) }, { ...gates, measurements: 3600 });
    expect(shifted.comparison!.latencyRegression).toBeCloseTo(0.3, 5);
    expect(shifted.verdict).toBe('Failed');
  });

  /** Seeded generator (mulberry32) and log-normal latencies in whole milliseconds (ties included). */
  function latencies(seed: number) {
    let a = seed >>> 0;
    const random = () => {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
    return (n: number, medianMs: number, sigma: number): Probe[] => Array.from({ length: n }, () => ({ ok: true, latencyMs: Math.round(medianMs * Math.exp(sigma * normal())) }));
  }

  it('a healthy canary measured 3,600 times (an hour at 1 s) never fails; uncorrected p < 0.05 would have failed it again and again', () => {
    // Realistic: 60 probes a side (probe-rate 2/s over 30 s), log-normal σ 0.5 (p95 ≈ 2.3 × median).
    const draw = latencies(20261130);
    const hour = { ...gates, measurements: plannedMeasurements(1, 3_600_000, 1_000) };
    let corrected = 0;
    let uncorrected = 0;
    for (let i = 0; i < 3600; i++) {
      const m = { canary: draw(60, 100, 0.5), baseline: draw(60, 100, 0.5) };
      if (judge(m, hour).verdict === 'Failed') corrected++;
      if (judge(m, gates).verdict === 'Failed') uncorrected++;
    }
    expect(corrected).toBe(0);
    // The same samples, judged at p < 0.05 each: the noise the correction removes (118 with this seed).
    expect(uncorrected).toBeGreaterThan(50);
  });

  it('a canary 40 % slower is still caught at the first measurement with enough samples, under the hour-long correction', () => {
    const hour = { ...gates, measurements: 3600 };
    // σ 0.5 (wide): 200 latencies a side; σ 0.3: 60 a side (the default probe-rate over 30 s).
    for (const [seed, n, sigma] of [[1, 200, 0.5], [2, 60, 0.3]] as const) {
      const draw = latencies(seed);
      const first = judge({ canary: draw(n, 140, sigma), baseline: draw(n, 100, sigma) }, hour);
      expect(first.verdict, `n=${n} σ=${sigma}`).toBe('Failed');
      expect(first.reasons[0]).toMatch(/^canary median latency .* Mann-Whitney p=.* < 1\.4e-5\)$/);
      let caught = 0;
      for (let i = 0; i < 500; i++) if (judge({ canary: draw(n, 140, sigma), baseline: draw(n, 100, sigma) }, hour).verdict === 'Failed') caught++;
      expect(caught / 500, `n=${n} σ=${sigma}`).toBeGreaterThan(0.9);
    }
  });
});

describe('judge: metrics', () => {
  it('max and min are inclusive; beyond fails with the metric named', () => {
    expect(judge({ metrics: [{ name: 'err', value: 1, max: 1 }] }, gates).verdict).toBe('Successful');
    expect(judge({ metrics: [{ name: 'apdex', value: 0.9, min: 0.9 }] }, gates).verdict).toBe('Successful');
    expect(judge({ metrics: [{ name: 'err', value: 1.5, max: 1 }] }, gates).reasons).toEqual(['metric err is 1.5, above its max 1']);
    expect(judge({ metrics: [{ name: 'apdex', value: 0.8, min: 0.9 }] }, gates).reasons).toEqual(['metric apdex is 0.8, below its min 0.9']);
  });

  it('a metric without a value is no data with the reason', () => {
    const j = judge({ metrics: [{ name: 'p', max: 1, error: 'answer 503' }] }, gates);
    expect(j).toMatchObject({ verdict: 'Inconclusive', reasons: ['no data: metric p has no value (answer 503)'] });
  });

  it('a failure wins over no data elsewhere', () => {
    const j = judge({ canary: probes(3, 50), metrics: [{ name: 'err', value: 5, max: 1 }] }, gates);
    expect(j.verdict).toBe('Failed');
    expect(j.reasons).toHaveLength(2);
  });
});

describe('stepVerdict', () => {
  it('failure-limit failed measurements are tolerated, one more fails the step at once', () => {
    expect(stepVerdict(['Failed'], 0, false)).toBe('Failed');
    expect(stepVerdict(['Failed'], 1, false)).toBeUndefined();
    expect(stepVerdict(['Failed', 'Successful', 'Failed'], 1, false)).toBe('Failed');
    expect(stepVerdict(['Failed', 'Successful'], 1, true)).toBe('Successful');
  });

  it('one inconclusive measurement makes the step inconclusive', () => {
    expect(stepVerdict(['Successful', 'Inconclusive'], 3, false)).toBe('Inconclusive');
  });

  it('a step with no measurement, or only tolerated failures, is inconclusive at its end', () => {
    expect(stepVerdict([], 0, true)).toBe('Inconclusive');
    expect(stepVerdict(['Failed'], 1, true)).toBe('Inconclusive');
    expect(stepVerdict([], 0, false)).toBeUndefined();
  });
});
