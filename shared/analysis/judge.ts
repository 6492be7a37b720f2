/**
 * Canary judgement, pure: one measurement (the probes and metric readings of one analysis
 * interval) → a verdict with its reasons; the verdicts of a step → the step's verdict.
 *
 * Gates are absolute (error rate, p95, each metric's max/min) and relative to the baseline
 * (stable measured over the same interval): the canary's error rate may exceed stable's by at
 * most `maxErrorRateIncrease`, and its latencies may not be significantly higher (one-sided
 * Mann-Whitney U) by more than `maxLatencyRegression` of stable's median. A value exactly at a
 * threshold passes.
 *
 * Repeated testing: a rollout tests every `analysis-interval`, and with `failure-limit: 0` one
 * false alarm aborts it, so a healthy canary measured long enough would fail on noise alone at
 * p < 0.05 per test. A comparison therefore fails only with (1) enough latencies on each side
 * (`minLatencySamples`, else the latency comparison is skipped, not failed), (2) an effect larger
 * than the gate, and (3) significance at `significance / measurements`: Bonferroni over every
 * measurement the rollout plans, which bounds the chance that a healthy canary fails any of them
 * by `significance`. Bonferroni rather than sequential alpha spending: the measurements are on
 * disjoint samples, the plan (steps × step-duration / analysis-interval) is known up front, and a
 * real regression does not fade, so the next measurement gets another chance to catch it. Too few requests, or a metric without a value, is
 * "no data", decided by `onNoData`. Like Argo Rollouts: up to `failureLimit` failed measurements
 * are tolerated in a step; one inconclusive measurement makes the step inconclusive.
 */
import { mannWhitneyU, percentile, proportionGreaterP } from './stats.js';

export type Verdict = 'Successful' | 'Failed' | 'Inconclusive';
export type NoDataPolicy = 'fail' | 'pass' | 'inconclusive';

/** One synthetic request's outcome. */
export interface Probe {
  ok: boolean;
  latencyMs?: number;
}

export interface SideStats {
  requests: number;
  errors: number;
  errorRate?: number;
  p50Ms?: number;
  p95Ms?: number;
}

/** A metric source's value for the interval; `value` undefined = no data (`error` says why). */
export interface MetricReading {
  name: string;
  value?: number;
  max?: number;
  min?: number;
  error?: string;
}

/** A CloudWatch alarm's state when measured. */
export interface AlarmReading {
  name: string;
  state: string;
  reason?: string;
}

/** Aggregates from a metrics backend (CloudWatch per target group): counts and a p95, no raw latencies. */
export interface CloudWatchReading {
  canary?: SideStats;
  baseline?: SideStats;
  alarms?: AlarmReading[];
  /** Why the target groups could not be read. */
  error?: string;
  alarmError?: string;
}

export interface Gates {
  /** Fraction 0..1. */
  maxErrorRate: number;
  maxP95Ms: number;
  /** Fewer canary requests than this in an interval is no data. */
  minSamples: number;
  onNoData: NoDataPolicy;
  /** Fraction of stable's median latency (0.2 = 20 % slower); undefined turns the comparison off. */
  maxLatencyRegression?: number;
  /** Fraction (0.01 = one percentage point) the canary's error rate may exceed stable's by. */
  maxErrorRateIncrease?: number;
  /** Family-wise false-alarm rate of the rollout's comparisons with stable (default 0.05). */
  significance?: number;
  /** Measurements the rollout plans (the family `significance` is split over; default 1). */
  measurements?: number;
  /** Fewer successful latencies than this on either side skips the U test (default 20). */
  minLatencySamples?: number;
  /** Latency differences smaller than this are noise, whatever the ratio (default 5 ms). */
  minLatencyDeltaMs?: number;
}

export interface Comparison {
  /** Canary median / stable median − 1. */
  latencyRegression?: number;
  /** One-sided Mann-Whitney p-value that the canary is slower. */
  latencyP?: number;
  /** Canary error rate − stable error rate. */
  errorRateIncrease?: number;
  errorRateP?: number;
  /** The p-value below which a comparison counts (significance / planned measurements). */
  alpha?: number;
  /** Why the comparison was not made. */
  skipped?: string;
  /** Why latencies were not compared (too few on a side): no verdict on latency, not a failure. */
  latencySkipped?: string;
}

export interface Judgement {
  verdict: Verdict;
  /** Why it failed or had no data; empty when successful. */
  reasons: string[];
  canary?: SideStats;
  baseline?: SideStats;
  comparison?: Comparison;
  metrics: MetricReading[];
  cloudwatch?: CloudWatchReading & { comparison?: Comparison };
}

export interface MeasurementInput {
  /** Probes to the canary; undefined when no probes are configured. */
  canary?: readonly Probe[];
  /** Probes to stable over the same interval. */
  baseline?: readonly Probe[];
  metrics?: readonly MetricReading[];
  /** CloudWatch over the same interval: undefined when not configured. */
  cloudwatch?: CloudWatchReading;
}

export function sideStats(probes: readonly Probe[]): SideStats {
  const errors = probes.filter((p) => !p.ok).length;
  const latencies = probes.flatMap((p) => (p.ok && p.latencyMs !== undefined ? [p.latencyMs] : []));
  return {
    requests: probes.length,
    errors,
    errorRate: probes.length ? errors / probes.length : undefined,
    p50Ms: percentile(latencies, 50),
    p95Ms: percentile(latencies, 95),
  };
}

const pct = (f: number) => `${Number((f * 100).toFixed(2))}%`;
const ms = (v: number) => `${Math.round(v)} ms`;

/** The rollout's measurements at most: every measured step × measurements per step (judge.ts, repeated testing). */
export function plannedMeasurements(measuredSteps: number, stepDurationMs: number, intervalMs: number): number {
  return Math.max(1, measuredSteps) * Math.max(1, Math.round(stepDurationMs / intervalMs));
}

/** Per-comparison significance: the family-wise `significance` spread over the planned measurements (Bonferroni). */
export function perTestAlpha(gates: Gates): number {
  return (gates.significance ?? 0.05) / Math.max(1, gates.measurements ?? 1);
}

export const MIN_LATENCY_SAMPLES = 20;

export function judge(input: MeasurementInput, gates: Gates): Judgement {
  const significance = perTestAlpha(gates);
  const failures: string[] = [];
  const noData: string[] = [];
  const out: Judgement = { verdict: 'Successful', reasons: [], metrics: [...(input.metrics ?? [])] };

  if (input.canary) {
    const canary = (out.canary = sideStats(input.canary));
    if (canary.requests < gates.minSamples) {
      noData.push(`canary answered ${canary.requests} request(s), fewer than min-samples ${gates.minSamples}`);
    } else {
      if (canary.errorRate! > gates.maxErrorRate) failures.push(`canary error rate ${pct(canary.errorRate!)} is above max-error-rate ${pct(gates.maxErrorRate)}`);
      if (canary.p95Ms !== undefined && canary.p95Ms > gates.maxP95Ms) failures.push(`canary p95 ${ms(canary.p95Ms)} is above max-p95-latency ${ms(gates.maxP95Ms)}`);
      if (input.baseline) {
        out.baseline = sideStats(input.baseline);
        out.comparison = compare(input.canary, input.baseline, out.baseline, gates, significance, failures);
      }
    }
  }

  for (const m of out.metrics) {
    if (m.value === undefined || Number.isNaN(m.value)) noData.push(`metric ${m.name} has no value${m.error ? ` (${m.error})` : ''}`);
    else if (m.max !== undefined && m.value > m.max) failures.push(`metric ${m.name} is ${round(m.value)}, above its max ${m.max}`);
    else if (m.min !== undefined && m.value < m.min) failures.push(`metric ${m.name} is ${round(m.value)}, below its min ${m.min}`);
  }

  if (input.cloudwatch) out.cloudwatch = judgeCloudWatch(input.cloudwatch, gates, significance, failures, noData);

  if (!input.canary && out.metrics.length === 0 && !input.cloudwatch) noData.push('no source measured anything');
  if (failures.length) {
    out.verdict = 'Failed';
    out.reasons = [...failures, ...noData];
  } else if (noData.length) {
    out.verdict = gates.onNoData === 'fail' ? 'Failed' : gates.onNoData === 'pass' ? 'Successful' : 'Inconclusive';
    out.reasons = noData.map((r) => `no data: ${r}`);
  }
  return out;
}

function compare(canaryProbes: readonly Probe[], baselineProbes: readonly Probe[], baseline: SideStats, gates: Gates, significance: number, failures: string[]): Comparison {
  if (baseline.requests < gates.minSamples) return { skipped: `stable answered ${baseline.requests} request(s), fewer than min-samples ${gates.minSamples}` };
  const c = sideStats(canaryProbes);
  const result: Comparison = { alpha: significance };
  result.errorRateIncrease = c.errorRate! - baseline.errorRate!;
  result.errorRateP = proportionGreaterP(c.errors, c.requests, baseline.errors, baseline.requests);
  if (gates.maxErrorRateIncrease !== undefined && result.errorRateIncrease > gates.maxErrorRateIncrease && result.errorRateP < significance) {
    failures.push(`canary error rate ${pct(c.errorRate!)} is ${pct(result.errorRateIncrease)} above stable's ${pct(baseline.errorRate!)} (more than max-error-rate-increase ${pct(gates.maxErrorRateIncrease)}, p=${pValue(result.errorRateP)} < ${pValue(significance)})`);
  }
  const latencies = (probes: readonly Probe[]) => probes.flatMap((p) => (p.ok && p.latencyMs !== undefined ? [p.latencyMs] : []));
  if (c.p50Ms !== undefined && baseline.p50Ms !== undefined && baseline.p50Ms > 0) result.latencyRegression = c.p50Ms / baseline.p50Ms - 1;
  const [canaryLatencies, baselineLatencies] = [latencies(canaryProbes), latencies(baselineProbes)];
  const minLatencies = gates.minLatencySamples ?? MIN_LATENCY_SAMPLES;
  // Below this the U test's normal approximation and a median are too rough to judge on.
  if (canaryLatencies.length < minLatencies || baselineLatencies.length < minLatencies) {
    result.latencySkipped = `latencies not compared: canary ${canaryLatencies.length}, stable ${baselineLatencies.length} answered, fewer than ${minLatencies} on a side`;
    return result;
  }
  result.latencyP = mannWhitneyU(canaryLatencies, baselineLatencies)?.pGreater;
  const minDelta = gates.minLatencyDeltaMs ?? 5;
  if (
    gates.maxLatencyRegression !== undefined &&
    result.latencyRegression !== undefined &&
    result.latencyP !== undefined &&
    result.latencyRegression > gates.maxLatencyRegression &&
    c.p50Ms! - baseline.p50Ms! >= minDelta &&
    result.latencyP < significance
  ) {
    failures.push(`canary median latency ${ms(c.p50Ms!)} is ${pct(result.latencyRegression)} above stable's ${ms(baseline.p50Ms!)} (more than max-latency-regression ${pct(gates.maxLatencyRegression)}; Mann-Whitney p=${pValue(result.latencyP)} < ${pValue(significance)})`);
  }
  return result;
}

/**
 * CloudWatch's side of a measurement: the same absolute gates on the canary target group; against
 * the stable target group the error rates (counts, so the same proportion test) and the p95s
 * (aggregates carry no distribution for a U test: the ratio of p95s against
 * max-latency-regression). Any alarm in ALARM fails the measurement, named.
 */
function judgeCloudWatch(cw: CloudWatchReading, gates: Gates, significance: number, failures: string[], noData: string[]): Judgement['cloudwatch'] {
  const out: Judgement['cloudwatch'] = { ...cw };
  for (const a of cw.alarms ?? []) if (a.state === 'ALARM') failures.push(`alarm ${a.name} is in ALARM${a.reason ? `: ${a.reason}` : ''}`);
  if (cw.alarmError) noData.push(`CloudWatch alarms could not be read (${cw.alarmError})`);
  if (cw.error) {
    noData.push(`CloudWatch target group metrics could not be read (${cw.error})`);
    return out;
  }
  if (!('canary' in cw) && !('baseline' in cw)) return out; // alarms only
  const c = cw.canary;
  if (!c || c.requests < gates.minSamples) {
    noData.push(`CloudWatch: the canary target group served ${c?.requests ?? 0} request(s), fewer than min-samples ${gates.minSamples}`);
    return out;
  }
  if (c.errorRate! > gates.maxErrorRate) failures.push(`CloudWatch: canary target group 5xx rate ${pct(c.errorRate!)} is above max-error-rate ${pct(gates.maxErrorRate)}`);
  if (c.p95Ms !== undefined && c.p95Ms > gates.maxP95Ms) failures.push(`CloudWatch: canary target group p95 ${ms(c.p95Ms)} is above max-p95-latency ${ms(gates.maxP95Ms)}`);
  const b = cw.baseline;
  if (!b || b.requests < gates.minSamples) {
    out.comparison = { skipped: `the stable target group served ${b?.requests ?? 0} request(s), fewer than min-samples ${gates.minSamples}` };
    return out;
  }
  const cmp: Comparison = (out.comparison = { alpha: significance });
  cmp.errorRateIncrease = c.errorRate! - b.errorRate!;
  cmp.errorRateP = proportionGreaterP(c.errors, c.requests, b.errors, b.requests);
  if (gates.maxErrorRateIncrease !== undefined && cmp.errorRateIncrease > gates.maxErrorRateIncrease && cmp.errorRateP < significance) {
    failures.push(`CloudWatch: canary target group 5xx rate ${pct(c.errorRate!)} is ${pct(cmp.errorRateIncrease)} above stable's ${pct(b.errorRate!)} (more than max-error-rate-increase ${pct(gates.maxErrorRateIncrease)}, p=${pValue(cmp.errorRateP)} < ${pValue(significance)})`);
  }
  if (c.p95Ms !== undefined && b.p95Ms !== undefined && b.p95Ms > 0) {
    cmp.latencyRegression = c.p95Ms / b.p95Ms - 1;
    if (gates.maxLatencyRegression !== undefined && cmp.latencyRegression > gates.maxLatencyRegression && c.p95Ms - b.p95Ms >= (gates.minLatencyDeltaMs ?? 5)) {
      failures.push(`CloudWatch: canary target group p95 ${ms(c.p95Ms)} is ${pct(cmp.latencyRegression)} above stable's ${ms(b.p95Ms)} (more than max-latency-regression ${pct(gates.maxLatencyRegression)})`);
    }
  }
  return out;
}

const round = (v: number) => Number(v.toPrecision(6));
/** 0.0123, 1.2e-7: small p-values stay readable. */
const pValue = (p: number) => (p >= 0.001 ? p.toFixed(4).replace(/0+$/, '').replace(/\.$/, '') : p.toExponential(1));

/**
 * A step's verdict from its measurements so far: Failed once more than `failureLimit` failed,
 * Inconclusive at the first inconclusive one; when the step's time is up, Successful if any
 * measurement succeeded (else Inconclusive). Undefined: keep measuring.
 */
export function stepVerdict(verdicts: readonly Verdict[], failureLimit: number, finished: boolean): Verdict | undefined {
  if (verdicts.filter((v) => v === 'Failed').length > failureLimit) return 'Failed';
  if (verdicts.includes('Inconclusive')) return 'Inconclusive';
  if (!finished) return undefined;
  return verdicts.includes('Successful') ? 'Successful' : 'Inconclusive';
}
