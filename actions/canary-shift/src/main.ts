/** canary-shift: typed inputs in → the rollout (rollout.ts) → outputs, ledger, job summary out. */
import { context } from '../../../shared/core/context.js';
import { ConfigurationError } from '../../../shared/core/errors.js';
import { log } from '../../../shared/core/log.js';
import type { ActionContext } from '../../../shared/core/run.js';
import { writeOutput } from '../../../shared/core/runner.js';
import { Ledger } from '../../../shared/ledger.js';
import { createTrafficPlatform } from '../../../shared/platforms/traffic.js';
import { CloudWatchSource } from '../../../shared/analysis/cloudwatch.js';
import { plannedMeasurements } from '../../../shared/analysis/judge.js';
import { preferSmallHeap } from '../../../shared/memory.js';
import { readCanaryInputs } from './inputs.js';
import { platformOptions } from './platform.js';
import { candidateHeaders } from '../../../shared/platforms/inputs.js';
import { rollout } from './rollout.js';
import { buildSummary, reportJson } from './summary.js';

export async function main({ signal }: ActionContext): Promise<void> {
  preferSmallHeap(); // an hour of probes with memory flat: see shared/memory.ts
  const i = readCanaryInputs();
  const run = context();
  if (!/^[^/\s]+\/[^/\s]+$/.test(run.repository)) throw new ConfigurationError('GITHUB_REPOSITORY is not set: run this action inside a GitHub workflow.');
  const platform = await createTrafficPlatform(i.platform, platformOptions(i), { log: (m) => log.info(`  ${m}`) });
  const cloudwatch = i.cloudwatchMetrics || i.cloudwatchAlarms.length ? new CloudWatchSource({ region: i.region, metrics: i.cloudwatchMetrics, alarms: i.cloudwatchAlarms, listenerRuleArn: i.listenerRuleArn, canaryTargetGroupArn: i.canaryTargetGroupArn, stableTargetGroupArn: i.stableTargetGroupArn }) : undefined;
  if (i.cloudwatchMetrics && i.analysisInterval < 60_000) log.warning('analysis-interval is under 1m: ALB publishes its CloudWatch metrics once a minute, so some measurements may have no data', { title: 'cloudwatch-metrics' });
  const steps = i.steps;
  if (i.operation === 'start') platform.plan(steps.filter((s): s is number => s !== 'pause'));
  const ledger = new Ledger({ token: i.githubToken!, apiUrl: run.apiUrl, repository: run.repository, signal, logUrl: run.runUrl });
  log.info(`canary-shift ${i.operation} on ${i.platform} → ${i.environment}: steps ${steps.join(', ')}`);
  const started = Date.now();
  const outcome = await rollout({
    operation: i.operation, environment: i.environment, platformName: i.platform, platform, ledger, steps,
    stepDurationMs: i.stepDuration, intervalMs: i.analysisInterval, timeoutMs: i.timeout,
    gates: { maxErrorRate: i.maxErrorRate, maxP95Ms: i.maxP95Latency, minSamples: i.minSamples, onNoData: i.onNoData, maxLatencyRegression: i.maxLatencyRegression, maxErrorRateIncrease: i.maxErrorRateIncrease, measurements: plannedMeasurements(steps.filter((s) => s !== 'pause').length, i.stepDuration, i.analysisInterval) },
    failureLimit: i.failureLimit, onFailure: i.onFailure, onInconclusive: i.onInconclusive,
    probes: i.probeUrl || i.platform === 'vercel' ? { canaryUrl: i.probeUrl, baselineUrl: i.baselineUrl, checks: i.probeChecks, rate: i.probeRate, timeoutMs: i.probeTimeout, ownUrlHeaders: candidateHeaders(i) } : undefined,
    metrics: i.metrics, cloudwatch, ref: run.sha || run.refName || 'main', runId: run.runId || undefined, signal,
    log: (m) => log.info(m),
  });

  cloudwatch?.close();
  writeOutput('result', outcome.result ?? '');
  writeOutput('final-weight', outcome.finalWeight === undefined ? '' : String(outcome.finalWeight));
  writeOutput('failed-step', outcome.failedStep === undefined ? '' : String(outcome.failedStep));
  writeOutput('deployment-id', outcome.canary?.id ?? '');
  writeOutput('github-deployment-id', outcome.githubDeploymentId ? String(outcome.githubDeploymentId) : '');
  writeOutput('report', reportJson(outcome));
  await buildSummary(i.operation, i.environment, outcome, Date.now() - started).write();
  for (const note of outcome.notes) log.info(note);
  if (outcome.error) throw outcome.error;
  log.notice(`${i.environment}: canary ${outcome.result} at ${outcome.finalWeight}%`, { title: 'canary-shift' });
}
