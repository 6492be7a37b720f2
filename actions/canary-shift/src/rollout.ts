/**
 * The canary rollout: prepare the canary, then for each step set the weight and let the
 * measurements decide (shared/analysis), until 100 % is reached and the platform completes, a
 * `pause` step (or a failure with on-failure: pause) stops with the state in the ledger, or a
 * failed / inconclusive / cancelled / timed-out step aborts: all traffic back to stable first.
 *
 * The ledger (a GitHub Deployment per rollout) holds the plan in its payload and where the
 * rollout stands in its latest status: `gantry-canary next=<step index> weight=<w> state=<running|paused>`.
 * A re-run of the same workflow run, or operation resume / abort / promote, starts from there and
 * reads the live weight from the platform, so traffic never moves twice.
 */
import { formatDuration } from '../../../shared/core/duration.js';
import { CancelledError, ConfigurationError, errorMessage, TimeoutError } from '../../../shared/core/errors.js';
import { sleep } from '../../../shared/core/net.js';
import { judge, Prober, readMetric, stepVerdict, type CloudWatchReading, type Comparison, type Gates, type Judgement, type MetricSpec, type SideStats, type Verdict } from '../../../shared/analysis/index.js';
import { latestState, type Ledger, type Release, type ReleaseState } from '../../../shared/ledger.js';
import type { CanaryRef, TrafficPlatform, TrafficWait } from '../../../shared/platforms/traffic.js';
import type { Check } from '../../../shared/smoke/checks.js';

export interface RolloutInput {
  operation: 'start' | 'resume' | 'abort' | 'promote';
  environment: string;
  platformName: string;
  platform: TrafficPlatform;
  ledger: Ledger;
  steps: Array<number | 'pause'>;
  stepDurationMs: number;
  intervalMs: number;
  timeoutMs: number;
  gates: Gates;
  failureLimit: number;
  onFailure: 'rollback' | 'pause';
  onInconclusive: 'pause' | 'abort';
  /**
   * Without `canaryUrl` the canary's own URL is probed, and stable's own URL as the baseline, with
   * `ownUrlHeaders` (e.g. a protection bypass): those go only to the platform's own URLs.
   */
  probes?: { canaryUrl?: string; baselineUrl?: string; checks: Check[]; rate: number; timeoutMs: number; ownUrlHeaders?: Record<string, string> };
  metrics: MetricSpec[];
  /** CloudWatch target group metrics and alarms (shared/analysis/cloudwatch.ts). */
  cloudwatch?: { verify(signal: AbortSignal): Promise<void>; read(windowMs: number, signal: AbortSignal): Promise<CloudWatchReading> };
  ref: string;
  runId?: string;
  signal: AbortSignal;
  /** How long cleanup (traffic back to stable) may take after a cancellation. */
  graceMs?: number;
  log(message: string): void;
}

export interface MeasurementRecord {
  at: number;
  step: number;
  weight: number;
  verdict: Verdict;
  reasons: string[];
  canary?: SideStats;
  baseline?: SideStats;
  comparison?: Comparison;
  metrics: Array<{ name: string; value?: number; error?: string }>;
  cloudwatch?: Judgement['cloudwatch'];
}

export interface StepRecord {
  /** 1-based position in `steps`. */
  step: number;
  weight: number | 'pause';
  verdict?: Verdict | 'paused';
  startedAt: number;
  endedAt?: number;
  reasons?: string[];
  /** Measurements taken in this step (the newest are in `measurements`). */
  measurements?: number;
}

/** One point of the summary's charts: canary and stable from the probes, else from CloudWatch. */
export interface ChartPoint {
  at: number;
  weight: number;
  canaryErrorRate?: number;
  stableErrorRate?: number;
  canaryP95Ms?: number;
  stableP95Ms?: number;
}

export interface RolloutOutcome {
  result?: 'promoted' | 'aborted' | 'paused';
  finalWeight?: number;
  failedStep?: number;
  canary?: CanaryRef;
  githubDeploymentId?: number;
  steps: StepRecord[];
  /** The newest measurements (at most KEPT_MEASUREMENTS: an hour at 1 s would otherwise grow without bound). */
  measurements: MeasurementRecord[];
  /** Older measurements not kept. */
  measurementsDropped: number;
  /** Evenly spaced points over the whole run, at most CHART_POINTS. */
  chart: ChartPoint[];
  /** Weight changes over time, for the chart. */
  weights: Array<{ at: number; weight: number }>;
  notes: string[];
  error?: Error;
}

const MARKER = /gantry-canary next=(\d+) weight=(\d+) state=(running|paused)/;

export function readMarker(release: Release): { next: number; weight: number; state: 'running' | 'paused' } | undefined {
  const status = release.statuses?.find((s) => s.state !== 'inactive');
  const m = status && MARKER.exec(status.description);
  return m ? { next: Number(m[1]), weight: Number(m[2]), state: m[3] as 'running' | 'paused' } : undefined;
}

export async function rollout(input: RolloutInput): Promise<RolloutOutcome> {
  const { platform, ledger, signal } = input;
  const out: RolloutOutcome = { steps: [], measurements: [], measurementsDropped: 0, chart: [], weights: [], notes: [] };
  const deadline = Date.now() + input.timeoutMs;
  const wait = (): TrafficWait => ({ signal, deadline });
  let release: Release | undefined;
  let steps = input.steps;
  let next = 0;
  let weight = 0;
  let moved = false;

  const record = async (state: ReleaseState, description: string, sig: AbortSignal = signal) => {
    if (release) await ledger.setStatus(release.id, state, { description, signal: sig });
  };
  const mark = (nextIndex: number, w: number, state: 'running' | 'paused', what: string) =>
    record('in_progress', `${what} · gantry-canary next=${nextIndex} weight=${w} state=${state}`);
  const setWeight = async (w: number) => {
    // Once asked, traffic may have moved even when the call fails (ECS rolling back on an alarm mid-shift): abort then.
    moved = true;
    const p = await platform.setWeight(w, wait());
    weight = p.canaryWeight;
    out.weights.push({ at: Date.now(), weight });
    input.log(`Canary weight ${weight}% (${p.detail ?? p.stage})`);
  };
  const abort = async (reason: string, sig: AbortSignal, until: number) => {
    const p = await platform.abort(reason, { signal: sig, deadline: until });
    weight = p.canaryWeight;
    out.weights.push({ at: Date.now(), weight });
    out.result = 'aborted';
    out.finalWeight = weight;
    await record('failure', `canary aborted: ${reason}`.slice(0, 140), sig).catch((e) => out.notes.push(`Could not record the abort in the ledger: ${errorMessage(e)}`));
  };

  try {
    if (input.cloudwatch && (input.operation === 'start' || input.operation === 'resume')) await input.cloudwatch.verify(signal);
    if (input.operation === 'start') {
      const earlier = input.runId ? (await ledger.list(input.environment, 30)).find((r) => r.payload.platform === input.platformName && r.payload.runId === input.runId) : undefined;
      if (earlier) {
        release = earlier;
        out.githubDeploymentId = earlier.id;
        if (finishedEarlier(earlier, out)) return out;
        input.log(`This workflow run already started rollout ${earlier.id}: continuing from its record, not from the beginning.`);
      } else {
        out.canary = await platform.prepare(wait());
        input.log(`Canary ${out.canary.id} is ready (stable: ${out.canary.stableId ?? 'unknown'})`);
        release = await ledger.create({
          ref: input.ref,
          environment: input.environment,
          description: `canary-shift ${input.platformName}`,
          payload: { gantry: 1, platform: input.platformName, deploymentId: out.canary.id, previousDeploymentId: out.canary.stableId, runId: input.runId, canary: { steps, details: out.canary.details } },
        });
        out.githubDeploymentId = release.id;
        await mark(0, 0, 'running', 'canary ready, no traffic yet');
      }
    } else {
      const mine = (await ledger.list(input.environment, 30)).filter((r) => r.payload.platform === input.platformName && r.payload.canary);
      const newest = mine[0];
      if (!newest) throw new ConfigurationError(`operation ${input.operation}: no canary-shift rollout on ${input.platformName} is recorded for environment ${input.environment}`, { input: 'operation' });
      release = newest;
      out.githubDeploymentId = newest.id;
      if (finishedEarlier(newest, out, input.operation)) return out;
    }

    if (!out.canary) {
      // Resuming: the plan and the platform's details come from the record, the weight from the platform.
      const marker = readMarker(release!) ?? { next: 0, weight: 0, state: 'running' as const };
      steps = release!.payload.canary!.steps;
      out.canary = await platform.resume(release!.payload.canary!.details, wait());
      weight = (await platform.progress(wait())).canaryWeight;
      next = marker.next;
      out.weights.push({ at: Date.now(), weight });
      input.log(`Rollout ${release!.id}: canary ${out.canary.id} at ${weight}%, ${marker.state}, next step ${next + 1} of ${steps.length}`);
      if (input.operation === 'abort') {
        await abort('operation: abort', signal, deadline);
        return out;
      }
      if (input.operation === 'promote') next = steps.length;
    }

    let probers: Prober[] = [];
    try {
      for (let i = next; i < steps.length; i++) {
        const step = steps[i]!;
        const rec: StepRecord = { step: i + 1, weight: step, startedAt: Date.now() };
        out.steps.push(rec);
        if (step === 'pause') {
          rec.verdict = 'paused';
          rec.endedAt = Date.now();
          await mark(i + 1, weight, 'paused', `paused at ${weight}% (step ${i + 1})`);
          out.result = 'paused';
          out.finalWeight = weight;
          input.log(`Paused at ${weight}% (step ${i + 1} of ${steps.length}). Continue with operation: resume, promote or abort.`);
          return out;
        }
        if (weight !== step) await setWeight(step);
        else input.log(`Canary weight already ${step}%: not changed again`);
        await mark(i, weight, 'running', `step ${i + 1}: ${weight}%`);
        if (probers.length === 0 && input.probes) probers = startProbers(input, out.canary);
        const { verdict, reasons } = await analyse(input, i + 1, weight, probers, deadline, out);
        rec.verdict = verdict;
        rec.endedAt = Date.now();
        rec.reasons = reasons;
        if (verdict === 'Successful') continue;
        out.failedStep = i + 1;
        const why = `step ${i + 1} (${weight}%) ${verdict === 'Failed' ? 'failed' : 'was inconclusive'}: ${reasons.join('; ')}`;
        const pause = verdict === 'Failed' ? input.onFailure === 'pause' : input.onInconclusive === 'pause';
        if (pause) {
          await mark(i, weight, 'paused', `paused: step ${i + 1} ${verdict.toLowerCase()}`);
          out.result = 'paused';
          out.finalWeight = weight;
          out.notes.push(`Paused at ${weight}% because ${why}`);
          input.log(`Paused at ${weight}% because ${why}. Continue with operation: resume (measures this step again), promote or abort.`);
          return out;
        }
        await abort(why, signal, deadline);
        out.error = new Error(`canary aborted at ${why}; all traffic is back on stable`);
        return out;
      }
    } finally {
      await Promise.all(probers.map((p) => p.stop()));
    }

    if (weight !== 100) await setWeight(100);
    const done = await platform.complete(wait());
    out.weights.push({ at: Date.now(), weight: 100 });
    input.log(`Promoted: ${done.detail ?? 'the canary is the new stable'}`);
    out.result = 'promoted';
    out.finalWeight = 100;
    await record('success', `canary promoted through ${steps.filter((s) => s !== 'pause').join('→')}%`);
    return out;
  } catch (error) {
    out.error = error as Error;
    if (out.canary && (moved || weight > 0 || error instanceof CancelledError || error instanceof TimeoutError)) {
      // Traffic back to stable whatever went wrong, within the runner's grace period after a cancellation.
      const grace = input.graceMs ?? 20_000;
      const sig = signal.aborted ? AbortSignal.timeout(grace) : signal;
      const until = signal.aborted ? Date.now() + grace : Math.max(deadline, Date.now() + grace);
      const why = error instanceof CancelledError ? 'the job was cancelled' : errorMessage(error);
      try {
        await abort(why, sig, until);
        out.error = new Error(`${error instanceof CancelledError ? 'cancelled' : errorMessage(error)}; all traffic is back on stable`, { cause: error });
      } catch (abortError) {
        out.error = new Error(`${errorMessage(error)}; and putting traffic back on stable failed too: ${errorMessage(abortError)}`, { cause: error });
      }
    } else if (release) {
      await record('failure', `canary-shift failed: ${errorMessage(error)}`.slice(0, 140), signal.aborted ? AbortSignal.timeout(10_000) : signal).catch(() => {});
    }
    return out;
  }
}

/** A record whose rollout already ended: report it and move nothing. */
function finishedEarlier(release: Release, out: RolloutOutcome, operation = 'start'): boolean {
  const state = latestState(release);
  const marker = readMarker(release);
  const say = (m: string) => {
    out.notes.push(m);
    out.canary = { id: release.payload.deploymentId ?? '', stableId: release.payload.previousDeploymentId, details: release.payload.canary?.details ?? {} };
  };
  if (state === 'success') {
    out.result = 'promoted';
    out.finalWeight = 100;
    say(`Rollout ${release.id} was already promoted: nothing moved.`);
    return true;
  }
  if (state === 'failure' || state === 'error') {
    out.result = 'aborted';
    out.finalWeight = 0;
    say(`Rollout ${release.id} was already aborted: nothing moved.`);
    return true;
  }
  if (marker?.state === 'paused' && operation === 'start') {
    out.result = 'paused';
    out.finalWeight = marker.weight;
    say(`Rollout ${release.id} is paused at ${marker.weight}%: continue it with operation: resume, promote or abort.`);
    return true;
  }
  return false;
}

function startProbers(input: RolloutInput, canary: CanaryRef): Prober[] {
  const p = input.probes!;
  const own = !p.canaryUrl;
  const canaryUrl = p.canaryUrl ?? canary.url;
  if (!canaryUrl) throw new ConfigurationError(`probe-url: the canary ${canary.id} has no URL of its own to probe: give probe-url`, { input: 'probe-url' });
  const baselineUrl = p.baselineUrl ?? (own ? canary.stableUrl : undefined);
  const headers = own ? p.ownUrlHeaders : undefined;
  if (own) input.log(`Probing the canary at ${canaryUrl}${baselineUrl ? ` and stable at ${baselineUrl}` : ''} (their own URLs)`);
  const make = (baseUrl: string) => new Prober({ baseUrl, checks: p.checks, ratePerSecond: p.rate, timeoutMs: p.timeoutMs, headers, signal: input.signal }).start();
  return baselineUrl ? [make(canaryUrl), make(baselineUrl)] : [make(canaryUrl)];
}

const pct = (v: number | undefined) => (v === undefined ? '—' : `${Number((v * 100).toFixed(2))}%`);
const msOf = (v: number | undefined) => (v === undefined ? '—' : `${Math.round(v)}ms`);

/** Measures a step every interval until its verdict; bounded by the step's duration and the rollout's deadline. */
async function analyse(input: RolloutInput, step: number, weight: number, probers: Prober[], deadline: number, out: RolloutOutcome): Promise<{ verdict: Verdict; reasons: string[] }> {
  const [canaryProber, baselineProber] = probers;
  canaryProber?.take();
  baselineProber?.take();
  const verdicts: Verdict[] = [];
  let reasons: string[] = [];
  const end = Date.now() + input.stepDurationMs;
  for (;;) {
    let at = Math.min(Date.now() + input.intervalMs, end, deadline);
    // A remainder shorter than half an interval joins this measurement: on its own it would hold
    // too few requests to judge and turn a healthy step inconclusive.
    if (end - at < input.intervalMs / 2) at = Math.min(end, deadline);
    await sleep(Math.max(0, at - Date.now()), input.signal);
    if (Date.now() >= deadline && Date.now() < end) throw new TimeoutError(`timeout (${formatDuration(input.timeoutMs)}) reached during step ${step}`);
    const [metrics, cloudwatch] = await Promise.all([
      Promise.all(input.metrics.map((m) => readMetric(m, { signal: input.signal, timeoutMs: Math.min(10_000, Math.max(1_000, input.intervalMs)) }))),
      input.cloudwatch?.read(input.intervalMs, input.signal),
    ]);
    const j = judge({ canary: canaryProber?.take(), baseline: baselineProber?.take(), metrics, cloudwatch }, input.gates);
    keep(out, { at: Date.now(), step, weight, verdict: j.verdict, reasons: j.reasons, canary: j.canary, baseline: j.baseline, comparison: j.comparison, metrics: j.metrics.map((m) => ({ name: m.name, value: m.value, error: m.error })), cloudwatch: j.cloudwatch });
    const rec = out.steps.at(-1);
    if (rec) rec.measurements = (rec.measurements ?? 0) + 1;
    const c = j.canary;
    const b = j.baseline;
    const cw = j.cloudwatch;
    input.log(
      `step ${step} · ${weight}% · canary ${c ? `${c.requests} req, errors ${pct(c.errorRate)}, p95 ${msOf(c.p95Ms)}` : '—'}` +
        (b ? ` · stable ${b.requests} req, errors ${pct(b.errorRate)}, p95 ${msOf(b.p95Ms)}` : '') +
        j.metrics.map((m) => ` · ${m.name} ${m.value ?? 'no data'}`).join('') +
        (cw && ('canary' in cw || cw.error) ? ` · CloudWatch canary ${cw.canary ? `${cw.canary.requests} req, 5xx ${pct(cw.canary.errorRate)}, p95 ${msOf(cw.canary.p95Ms)}` : 'no data'} · stable ${cw.baseline ? `${cw.baseline.requests} req, 5xx ${pct(cw.baseline.errorRate)}, p95 ${msOf(cw.baseline.p95Ms)}` : 'no data'}` : '') +
        (cw?.alarms?.length ? ` · alarms ${cw.alarms.map((a) => `${a.name} ${a.state}`).join(', ')}` : '') +
        ` → ${j.verdict}${j.reasons.length ? ` (${j.reasons.join('; ')})` : ''}`,
    );
    verdicts.push(j.verdict);
    if (j.verdict !== 'Successful') reasons = j.reasons;
    const verdict = stepVerdict(verdicts, input.failureLimit, Date.now() >= end);
    if (verdict) return { verdict, reasons: verdict === 'Successful' ? [] : reasons };
  }
}

const KEPT_MEASUREMENTS = 1000;
const CHART_POINTS = 160;
const chartCadence = new WeakMap<RolloutOutcome, { stride: number; seen: number }>();

/**
 * Memory stays flat however long the canary runs: the newest KEPT_MEASUREMENTS measurements
 * (what the report output carries), and for the charts every `stride`-th one, the stride
 * doubling (and every other point dropped) whenever CHART_POINTS are reached.
 */
function keep(out: RolloutOutcome, m: MeasurementRecord): void {
  out.measurements.push(m);
  if (out.measurements.length > KEPT_MEASUREMENTS) {
    out.measurements.shift();
    out.measurementsDropped++;
  }
  let cadence = chartCadence.get(out);
  if (!cadence) chartCadence.set(out, (cadence = { stride: 1, seen: 0 }));
  if (cadence.seen++ % cadence.stride === 0) {
    const c = m.canary ?? m.cloudwatch?.canary;
    const b = m.canary ? m.baseline : m.cloudwatch?.baseline;
    out.chart.push({ at: m.at, weight: m.weight, canaryErrorRate: c?.errorRate, stableErrorRate: b?.errorRate, canaryP95Ms: c?.p95Ms, stableP95Ms: b?.p95Ms });
  }
  if (out.chart.length >= CHART_POINTS) {
    out.chart = out.chart.filter((_, i) => i % 2 === 0);
    cadence.stride *= 2;
  }
}
