/**
 * The blue-green release, platform-neutral: find what is live → stage green → wait until ready →
 * verify green at its own URL → shift 100 % → watch production → switch back if it goes wrong,
 * with every step recorded in the ledger. Knows nothing about the runner (main.ts does that).
 */
import { CancelledError, TimeoutError, errorMessage } from '../../../shared/core/errors.js';
import { ReleaseRecord, latestState, type LedgerApi, type Release, type ReleasePayload } from '../../../shared/ledger.js';
import { sleep } from '../../../shared/core/net.js';
import type { Check } from '../../../shared/smoke/checks.js';
import type { ReleaseRef, TrafficPlatform, TrafficWait } from '../../../shared/platforms/traffic.js';
import { planRelease, type Plan } from './plan.js';
import { runChecks, type VerifyReport } from './verify.js';

export type Result = 'promoted' | 'staged' | 'rolled-back';

/** Green as the release knows it: its id and its own URL. */
type Green = Pick<ReleaseRef, 'id' | 'url'>;

export interface ReleaseConfig {
  operation: 'deploy' | 'promote' | 'rollback';
  environment: string;
  /** A blue-green traffic platform (`vercel-blue-green`, `ecs-blue-green`): `live`, `prepare`/`resume`, `complete`, `abort`, `rollback`. */
  platform: TrafficPlatform;
  ledger: LedgerApi;
  checks: Check[];
  /** Headers for verifying green at its own URL (protection bypass). */
  greenHeaders: Record<string, string>;
  promote: boolean;
  watchMs: number;
  watchIntervalMs?: number;
  autoRollback: boolean;
  timeoutMs: number;
  to?: string;
  sha: string;
  ref: string;
  /** GITHUB_RUN_ID: a re-run (same run, next attempt) of a release that went out does nothing. */
  runId?: string;
  backupId?: string;
  migrationVersion?: string;
  /** Overrides what the platform says production's URL is. */
  productionUrl?: string;
  verify: { timeoutMs: number; attempts: number; retryDelayMs: number; deadlineMs: number };
  /** How long production gets to answer right again after a switch back (default 30 s). */
  confirmMs?: number;
  signal: AbortSignal;
  log(message: string): void;
  warn(message: string): void;
}

export interface Phase {
  name: string;
  ms: number;
  ok: boolean;
}

export interface ReleaseOutcome {
  result?: Result;
  deployment?: ReleaseRef;
  previous?: ReleaseRef;
  liveAfter?: string;
  productionUrl?: string;
  githubDeploymentId?: number;
  verification?: VerifyReport;
  watch?: { rounds: number; last?: VerifyReport };
  phases: Phase[];
  /** Set when the release failed (the step fails with it; outputs are still written). */
  error?: Error;
  /** When the rollback request went out after a failed watch check, and when that check failed (ms). */
  reaction?: { failedAt: number; rollbackAt: number };
  notes: string[];
}

/** Runs a named step, timed for the summary; `passed` says whether a value it returned is a success. */
type PhaseRunner = <T>(name: string, fn: () => Promise<T>, passed?: (value: T) => boolean) => Promise<T>;

export class ReleaseFailed extends Error {
  override name = 'ReleaseFailed';
}

export async function release(config: ReleaseConfig): Promise<ReleaseOutcome> {
  const outcome: ReleaseOutcome = { phases: [], notes: [] };
  const deadline = Date.now() + config.timeoutMs;
  const wait: TrafficWait = { signal: config.signal, deadline };
  const { platform, ledger } = config;

  /** Starts a named step, timed for the summary; the function it returns ends it. */
  const openPhase = (name: string) => {
    const started = Date.now();
    config.log(`▶ ${name}`);
    return (ok: boolean) => void outcome.phases.push({ name, ms: Date.now() - started, ok });
  };
  const phase: PhaseRunner = async (name, fn, passed = () => true) => {
    const end = openPhase(name);
    try {
      const value = await fn();
      end(passed(value));
      return value;
    } catch (error) {
      end(false);
      throw error;
    }
  };

  const state = await phase('Read what is live', () => platform.live!(wait));
  outcome.previous = state.live;
  outcome.productionUrl = config.productionUrl ?? state.productionUrl;
  outcome.liveAfter = state.live?.id;
  config.log(state.live ? `Live now: ${state.live.id}${state.live.url ? ` (${state.live.url})` : ''}` : 'Nothing is live yet: this is the first release.');
  if (state.inProgress) config.log(`Note: ${state.inProgress}`);
  const releases = await phase('Read the ledger', () => ledger.list(config.environment));

  const plan = planRelease({ ...config, platform: platform.name, live: state.live, releases });
  if (plan.kind === 'refuse') throw new ReleaseFailed(plan.why);
  if (plan.kind === 'nothing') {
    config.log(plan.why);
    outcome.deployment = plan.deployment;
    outcome.previous = plan.previous;
    outcome.githubDeploymentId = plan.release?.id;
    outcome.result = config.operation === 'rollback' ? 'rolled-back' : 'promoted';
    if (plan.rerun) outcome.notes.push('Re-run: the release was already live, nothing was changed.');
    return outcome;
  }
  if (plan.kind === 'rollback') {
    // A failed rollback still reports what it did (outputs, the ledger record, the summary's timings).
    return rollbackOperation(config, outcome, plan, releases, wait, phase).catch((error: unknown) => {
      outcome.error = error as Error;
      return outcome;
    });
  }

  const staged = plan.kind === 'promote' ? plan.staged : undefined;
  let candidate: Green | undefined;
  let record: ReleaseRecord | undefined;
  /** Green exists: recorded in the ledger (in_progress) before anything waits on it. */
  const recordGreen = async (green: Green) => {
    candidate = outcome.deployment = green;
    record = new ReleaseRecord(
      ledger,
      staged ??
        (await ledger.create({
          ref: config.ref,
          environment: config.environment,
          description: `${platform.name} ${green.id}`,
          payload: payloadFor(config, green, state.live),
        })),
      config.warn,
    );
    outcome.githubDeploymentId = record.id;
    record.mark('in_progress', { description: `Staging ${green.id}` });
  };

  let trafficMoved = false;
  try {
    if (plan.kind === 'promote') {
      await recordGreen(plan.candidate);
      candidate = await phase('Wait until green is ready', () => platform.resume({ deploymentId: plan.candidate.id, url: plan.candidate.url }, wait));
    } else {
      // prepare() stages green, then waits until it can be verified: two phases, the ledger record between them.
      let staging = openPhase('Stage green');
      candidate = await platform
        .prepare({
          ...wait,
          created: async (green) => {
            staging(true);
            config.log(`Green: ${green.id}`);
            staging = openPhase('Wait until green is ready');
            await recordGreen(green);
          },
        })
        .then(
          (ready) => (staging(true), ready),
          (error: unknown) => {
            staging(false);
            throw error;
          },
        );
    }
    const green: Green = { id: candidate.id, url: candidate.url };
    outcome.deployment = green;
    config.log(`Green is ready at ${green.url ?? '(no URL)'}`);

    if (green.url) {
      const url = green.url;
      const report = await phase('Verify green', () => runChecks(url, config.checks, { ...within(config.verify, wait.deadline), headers: config.greenHeaders, signal: config.signal }), (r) => r.passed);
      outcome.verification = report;
      logReport(config, 'green', report);
      if (!report.passed) throw new ReleaseFailed(`Green (${green.id}) failed verification: ${failures(report)}. It never received production traffic.`);
    } else config.warn('Green has no URL of its own: verification skipped.');

    if (!config.promote && config.operation === 'deploy') {
      record!.mark('queued', { description: `Staged ${green.id}: waiting for promote`, environmentUrl: green.url });
      await record!.settled();
      outcome.result = 'staged';
      config.log(`Staged ${green.id}; production stays on ${state.live?.id ?? 'nothing'}. Finish with 'operation: promote'.`);
      return outcome;
    }

    trafficMoved = true;
    await phase('Switch production to green', () => platform.complete(wait));
    outcome.liveAfter = green.id;

    await watch(config, outcome, wait, phase);
    record!.mark('success', { description: `Live: ${green.id}`, environmentUrl: outcome.productionUrl ?? green.url });
    await retireEarlier(config, releases, record!, () => `Superseded by ${green.id}`);
    outcome.result = 'promoted';
    return outcome;
  } catch (error) {
    // Green was never made: nothing to undo, nothing recorded (the step fails with the platform's reason).
    if (!candidate) throw error;
    const cancelled = error instanceof CancelledError || config.signal.aborted;
    outcome.error = cancelled ? new CancelledError() : (error as Error);
    const restore = !trafficMoved || cancelled || config.autoRollback;
    if (restore) {
      // A fresh budget: the job's signal is already aborted when cancelled.
      const cleanup: TrafficWait = { signal: AbortSignal.timeout(cancelled ? 8_000 : 120_000), deadline: Date.now() + (cancelled ? 8_000 : 120_000) };
      const reason = cancelled ? 'the job was cancelled' : errorMessage(error);
      try {
        if (trafficMoved) {
          outcome.reaction ??= { failedAt: Date.now(), rollbackAt: 0 };
          config.log(`Switching production back to ${state.live?.id ?? '(nothing)'}: ${reason}`);
        }
        const rollbackStarted = Date.now();
        await platform.abort(reason, cleanup);
        if (trafficMoved && state.live) {
          outcome.phases.push({ name: 'Switch production back', ms: Date.now() - rollbackStarted, ok: true });
          // A cancelled job has seconds left: the platform's word has to do.
          if (!cancelled) await confirmProduction(config, outcome, state.live, candidate, cleanup, phase);
          outcome.result = 'rolled-back';
          outcome.liveAfter = state.live.id;
        } else if (trafficMoved) {
          outcome.notes.push('This was the first release: there is no earlier deployment to switch back to.');
        }
      } catch (rollbackError) {
        if (rollbackError instanceof NotBack) outcome.error = new ReleaseFailed(`${errorMessage(outcome.error)} — and ${rollbackError.message}`);
        outcome.notes.push(`Switching back failed: ${errorMessage(rollbackError)}`);
        config.warn(`Could not switch production back to ${state.live?.id}: ${errorMessage(rollbackError)}`);
      }
    } else {
      outcome.notes.push('auto-rollback is off: production stays on the new release.');
    }
    if (record) {
      // The release failed (it was refused, broke in production, or was cancelled): the release
      // that was live stays the ledger's live one, since this one never succeeded.
      const description = cancelled ? 'Cancelled' : outcome.result === 'rolled-back' ? `Rolled back: ${errorMessage(error)}` : `Failed: ${errorMessage(error)}`;
      record.mark('failure', { description: description.slice(0, 140), signal: AbortSignal.timeout(cancelled ? 4_000 : 30_000) });
      await record.settled();
    }
    return outcome;
  }
}

/** Verification options bounded by the operation's deadline: no wait outlives `timeout`. */
function within(verify: ReleaseConfig['verify'], deadline: number): ReleaseConfig['verify'] {
  const left = Math.max(0, deadline - Date.now());
  return { ...verify, deadlineMs: Math.min(verify.deadlineMs, left), timeoutMs: Math.max(1, Math.min(verify.timeoutMs, left)) };
}

/** Production did not come back to the release it was switched back to. */
class NotBack extends Error {
  override name = 'NotBack';
}

/**
 * After a switch back, the platform's word (the alias job succeeded, ECS reports the old revision)
 * is not enough: production itself must answer the checks again, as the release we went back to
 * did, within the budget. Until it does, the result is not `rolled-back`.
 */
async function confirmProduction(config: ReleaseConfig, outcome: ReleaseOutcome, target: ReleaseRef, left: ReleaseRef | undefined, wait: TrafficWait, phase: PhaseRunner): Promise<void> {
  const url = outcome.productionUrl;
  if (!url) {
    config.warn(`Production has no known URL: whether it serves ${target.id} again could not be checked. Give production-url.`);
    return;
  }
  const budget = Math.min(config.confirmMs ?? CONFIRM_MS, Math.max(0, wait.deadline - Date.now()));
  const report = await phase(
    `Check production serves ${target.id} again`,
    async () => {
      const until = Date.now() + budget;
      for (;;) {
        // Edges may take a moment to follow the switch: rounds until the answers are right or the budget is spent.
        const r = await runChecks(url, config.checks, { ...within(config.verify, until), signal: wait.signal });
        if (r.passed || Date.now() + 500 >= until) return r;
        await sleep(500, wait.signal);
      }
    },
    (r) => r.passed,
  );
  outcome.watch = { rounds: 1, last: report };
  logReport(config, 'production', report);
  if (!report.passed) {
    throw new NotBack(
      `production still fails its checks ${Math.round(budget / 1000)}s after switching back to ${target.id} (${failures(report)}): it may still be serving ${left?.id ?? 'the release it was switched away from'}. Check the platform by hand.`,
    );
  }
}

/** How long production gets to answer correctly again after a switch back. */
const CONFIRM_MS = 30_000;

/**
 * GitHub marks earlier releases inactive only outside production environments (auto_inactive), so
 * the ledger does it itself, the same way for every environment: each release that was live
 * before `record` became live is `inactive` now.
 */
async function retireEarlier(config: ReleaseConfig, releases: Release[], record: ReleaseRecord, why: (r: Release) => string): Promise<void> {
  const earlier = releases.filter((r) => r.id !== record.id && latestState(r) === 'success' && !r.statuses?.some((s) => s.state === 'inactive'));
  const records = earlier.map((r) => new ReleaseRecord(config.ledger, r, config.warn));
  records.forEach((r) => r.mark('inactive', { description: why(r.release) }));
  await Promise.all([record.settled(), ...records.map((r) => r.settled())]);
}

async function watch(config: ReleaseConfig, outcome: ReleaseOutcome, wait: TrafficWait, phase: PhaseRunner): Promise<void> {
  if (config.watchMs <= 0) return;
  const url = outcome.productionUrl;
  if (!url) {
    config.warn('Production has no known URL: the watch window is skipped. Give production-url to watch it.');
    return;
  }
  const interval = config.watchIntervalMs ?? Math.min(5_000, Math.max(500, Math.round(config.watchMs / 10)));
  await phase(`Watch production for ${Math.round(config.watchMs / 1000)}s`, async () => {
    const until = Math.min(Date.now() + config.watchMs, wait.deadline);
    let rounds = 0;
    for (;;) {
      // Short rounds: a 5xx is not retried for long here — production answering badly is the signal.
      const report = await runChecks(url, config.checks, { timeoutMs: config.verify.timeoutMs, attempts: 2, retryDelayMs: 250, deadlineMs: 1_000, signal: config.signal });
      rounds++;
      outcome.watch = { rounds, last: report };
      if (!report.passed) {
        outcome.reaction = { failedAt: Date.now(), rollbackAt: 0 };
        logReport(config, 'production', report);
        throw new ReleaseFailed(`Production failed its check during the watch window (round ${rounds}): ${failures(report)}`);
      }
      if (Date.now() + interval >= until) break;
      await sleep(interval, config.signal);
    }
    config.log(`Production stayed healthy for the watch window (${rounds} rounds).`);
  });
}

async function rollbackOperation(
  config: ReleaseConfig,
  outcome: ReleaseOutcome,
  { target, from: live, found }: Extract<Plan, { kind: 'rollback' }>,
  releases: Release[],
  wait: TrafficWait,
  phase: PhaseRunner,
): Promise<ReleaseOutcome> {
  if (found) config.log(`The ledger says the release before ${live?.id ?? 'the current one'} was ${target.id} (GitHub deployment ${found.id}, ${found.createdAt}).`);
  outcome.deployment = target;
  const record = new ReleaseRecord(
    config.ledger,
    await config.ledger.create({
      ref: config.ref,
      environment: config.environment,
      description: `rollback to ${target.id}`,
      payload: { ...payloadFor(config, target, live), rollbackOf: live?.id },
    }),
    config.warn,
  );
  outcome.githubDeploymentId = record.id;
  record.mark('in_progress', { description: `Rolling back to ${target.id}` });
  try {
    await phase(`Switch production back to ${target.id}`, () => config.platform.rollback!(target.id, wait));
    await confirmProduction(config, outcome, target, live, wait, phase);
  } catch (error) {
    record.mark('failure', { description: `Rollback failed: ${errorMessage(error)}`.slice(0, 140) });
    await record.settled();
    throw error instanceof NotBack ? new ReleaseFailed(`The rollback did not take: ${error.message}`) : error;
  }
  outcome.liveAfter = target.id;
  outcome.result = 'rolled-back';
  record.mark('success', { description: `Rolled back to ${target.id}`, environmentUrl: outcome.productionUrl });
  // The release we left did not fail: it is inactive, described as rolled back from; the next
  // rollback skips it (previousRelease reads this record's rollbackOf).
  await retireEarlier(config, releases, record, (r) => (r.payload.deploymentId === live?.id ? `Rolled back to ${target.id}` : `Superseded by the rollback to ${target.id}`));
  return outcome;
}

function payloadFor(config: ReleaseConfig, deployment: ReleaseRef, previous: ReleaseRef | undefined): ReleasePayload {
  return {
    gantry: 1,
    platform: config.platform.name,
    deploymentId: deployment.id,
    ...(previous ? { previousDeploymentId: previous.id } : {}),
    ...(deployment.url ? { url: deployment.url } : {}),
    ...(config.backupId ? { backupId: config.backupId } : {}),
    ...(config.migrationVersion ? { migrationVersion: config.migrationVersion } : {}),
    ...(config.runId ? { runId: config.runId } : {}),
  };
}

function failures(report: VerifyReport): string {
  return report.results
    .filter((r) => !r.passed)
    .map((r) => `${r.name}: ${r.problem ?? 'failed'}`)
    .join('; ');
}

function logReport(config: ReleaseConfig, what: string, report: VerifyReport): void {
  for (const r of report.results) {
    config.log(`  ${r.passed ? '✓' : '✗'} ${what}: ${r.name}${r.status ? ` → ${r.status}` : ''}${r.latencyMs !== undefined ? ` in ${r.latencyMs} ms` : ''}${r.problem ? ` (${r.problem})` : ''}`);
  }
}

export { TimeoutError };
