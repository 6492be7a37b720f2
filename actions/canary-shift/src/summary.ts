/** The job summary: the outcome, a table per step (every measurement), and charts of weight, error rate and p95 over time. */
import { errorMessage } from '../../../shared/core/errors.js';
import { formatDuration } from '../../../shared/core/duration.js';
import { Summary, mark } from '../../../shared/core/summary.js';
import type { MeasurementRecord, RolloutOutcome } from './rollout.js';

const pct = (v: number | undefined) => (v === undefined ? '—' : `${Number((v * 100).toFixed(2))}%`);
const ms = (v: number | undefined) => (v === undefined ? '—' : `${Math.round(v)} ms`);
const verdictMark = { Successful: mark.pass, Failed: mark.fail, Inconclusive: mark.warn, paused: mark.skip } as const;
/** Rows per step table and points per chart: a summary is capped at 1 MiB. */
const MAX_ROWS = 60;
const MAX_POINTS = 80;

export function buildSummary(operation: string, environment: string, outcome: RolloutOutcome, totalMs: number): Summary {
  const s = new Summary();
  const result = outcome.result ?? 'failed';
  const icon = result === 'promoted' ? mark.pass : result === 'paused' ? mark.skip : mark.fail;
  s.heading(`Canary ${operation}: ${environment} — ${icon} ${result}`);
  s.facts([
    ['Canary', outcome.canary?.id ?? '—'],
    ['Stable', outcome.canary?.stableId ?? '—'],
    ['Final weight', outcome.finalWeight === undefined ? '—' : `${outcome.finalWeight}%`],
    ['Failed step', outcome.failedStep ?? '—'],
    ['GitHub deployment', outcome.githubDeploymentId ?? '—'],
    ['Took', formatDuration(totalMs)],
    ...(outcome.error ? ([['Why', errorMessage(outcome.error)]] as Array<[string, unknown]>) : []),
  ]);
  if (outcome.notes.length) s.list(outcome.notes);

  for (const step of outcome.steps) {
    const title = step.weight === 'pause' ? `Step ${step.step}: pause` : `Step ${step.step}: ${step.weight}%`;
    s.heading(`${title} — ${step.verdict ? `${verdictMark[step.verdict]} ${step.verdict}` : 'not finished'}`, 3);
    const rows = outcome.measurements.filter((m) => m.step === step.step);
    const shown = rows.slice(-MAX_ROWS).map(withCloudWatch);
    const taken = Math.max(step.measurements ?? 0, rows.length);
    s.table(
      ['#', 'At', 'Canary req', 'Canary errors', 'Canary p95', 'Stable req', 'Stable errors', 'Stable p95', 'vs stable', 'Metrics', 'Verdict'],
      shown.map((m, i) => [
        taken - shown.length + i + 1,
        `+${formatDuration(m.at - step.startedAt)}`,
        m.canary?.requests ?? '—',
        pct(m.canary?.errorRate),
        ms(m.canary?.p95Ms),
        m.baseline?.requests ?? '—',
        pct(m.baseline?.errorRate),
        ms(m.baseline?.p95Ms),
        m.comparison?.skipped ? 'skipped' : m.comparison?.latencySkipped ? 'too few to compare' : m.comparison?.latencyRegression !== undefined ? `${m.comparison.latencyRegression >= 0 ? '+' : ''}${pct(m.comparison.latencyRegression)} median` : '—',
        [...m.metrics.map((x) => `${x.name}: ${x.value ?? 'no data'}`), ...(m.cloudwatch?.alarms ?? []).map((a) => `alarm ${a.name}: ${a.state}`)].join(', ') || '—',
        `${verdictMark[m.verdict]} ${m.verdict}${m.reasons.length ? `: ${m.reasons.join('; ')}` : ''}`,
      ]),
      ['right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'left', 'left'],
    );
    if (taken > shown.length) s.text(`(${taken - shown.length} earlier measurements of this step are not shown${outcome.measurementsDropped ? '; the report output has the newest 1,000 of the run' : ': they are in the report output'}.)`);
  }

  const points = sample(outcome.chart, MAX_POINTS);
  if (points.length) {
    const t0 = points[0]!.at;
    const labels = points.map((m) => `${formatDuration(m.at - t0)}`);
    const stable = points.some((m) => m.stableErrorRate !== undefined || m.stableP95Ms !== undefined);
    s.lineChart('Weight and error rate, %', labels, [
      { name: 'canary weight', values: points.map((m) => m.weight) },
      { name: 'canary error rate', values: points.map((m) => (m.canaryErrorRate ?? 0) * 100) },
      ...(stable ? [{ name: 'stable error rate', values: points.map((m) => (m.stableErrorRate ?? 0) * 100) }] : []),
    ], '%');
    if (points.some((m) => m.canaryP95Ms !== undefined)) {
      s.lineChart('p95 latency, ms', labels, [
        { name: 'canary', values: points.map((m) => m.canaryP95Ms ?? 0) },
        ...(stable ? [{ name: 'stable', values: points.map((m) => m.stableP95Ms ?? 0) }] : []),
      ], 'ms');
    }
  }
  return s;
}

/** Without probes, the canary and stable columns and charts show the target groups' CloudWatch figures. */
function withCloudWatch(m: MeasurementRecord): MeasurementRecord {
  if (m.canary || !m.cloudwatch || !('canary' in m.cloudwatch)) return m;
  return { ...m, canary: m.cloudwatch.canary ?? { requests: 0, errors: 0 }, baseline: m.cloudwatch.baseline, comparison: m.cloudwatch.comparison };
}

/** At most `n` evenly spaced measurements, always keeping the last. */
function sample<T>(all: T[], n: number): T[] {
  if (all.length <= n) return all;
  const step = all.length / n;
  const picked = Array.from({ length: n - 1 }, (_, i) => all[Math.floor(i * step)]!);
  return [...picked, all.at(-1)!];
}

/** The report output: every measurement (the newest 1,000 when longer: outputs share a 1 MB budget per job), compact. */
export function reportJson(outcome: RolloutOutcome): string {
  const measurements = outcome.measurements.slice(-1000);
  const dropped = outcome.measurementsDropped + outcome.measurements.length - measurements.length;
  return JSON.stringify({
    result: outcome.result ?? 'failed',
    finalWeight: outcome.finalWeight,
    failedStep: outcome.failedStep,
    canary: outcome.canary?.id,
    stable: outcome.canary?.stableId,
    error: outcome.error ? errorMessage(outcome.error) : undefined,
    steps: outcome.steps,
    weights: outcome.weights,
    measurementsDropped: dropped,
    measurements,
  });
}
