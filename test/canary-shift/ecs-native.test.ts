/**
 * canary-shift on ECS native CANARY / LINEAR, end to end: the bundle run as the runner runs it,
 * the real @aws-sdk/client-ecs inside it reaching the ECS stand-in (which walks the deployment
 * through its production steps and holds it at the PAUSE hook before each), the GitHub
 * Deployments stand-in as the ledger, canary and stable as local HTTP servers.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findSecretLeaks, runAction, type ActionResult } from '../harness/action.js';
import { startCanaryApp, type CanaryApp } from '../harness/canary-app.js';
import { startEcsStandIn, type EcsStandIn } from '../harness/ecs.js';
import { startGithubStandin, type GithubStandin } from '../harness/github.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
let ecs: EcsStandIn;
let github: GithubStandin;
let canaryApp: CanaryApp;
let stableApp: CanaryApp;
let runNo = 0;

beforeAll(async () => {
  [ecs, github, canaryApp, stableApp] = await Promise.all([startEcsStandIn({ stageMs: 20, bakeMs: 300 }), startGithubStandin(), startCanaryApp(), startCanaryApp()]);
});
afterAll(async () => {
  await Promise.all([ecs?.close(), github?.close(), ...[canaryApp, stableApp].map((a) => a && new Promise((r) => a.server.close(r)))]);
});
beforeEach(() => {
  ecs.faults = [];
  for (const a of [canaryApp, stableApp]) Object.assign(a, { errorEvery: 0, delayMs: 0, hits: 0 });
});

function world() {
  const name = `native-${++runNo}`;
  const { taskDefinitionArn: stable } = ecs.addService({ cluster: 'prod', service: name, strategy: 'BLUE_GREEN', alarmNames: ['shop-5xx'] });
  const deployment = () => ecs.deploymentsOf('prod', name).at(-1)!;
  /** Every production weight the canary revision was given. */
  const weights = () => ecs.productionWeights(deployment().serviceDeploymentArn);
  const continues = () => ecs.calls('ContinueServiceDeployment').filter((c) => String(c.body.serviceDeploymentArn).includes(`/${name}/`));
  const run = (inputs: Record<string, string | undefined> = {}, options: { cancelWhen?: RegExp | number; runId?: string } = {}) =>
    runAction('canary-shift', {
      timeoutMs: 60_000,
      cancelWhen: options.cancelWhen,
      inputs: {
        platform: 'ecs',
        environment: `production-${name}`,
        'aws-region': 'eu-west-1',
        cluster: 'prod',
        service: name,
        'container-name': 'web',
        image: 'ghcr.io/acme/shop:v2',
        'probe-url': canaryApp.url,
        steps: '25,50,75,100',
        // Long enough for min-samples on a loaded machine: this file is about the platform, not the judge.
        'step-duration': '700ms',
        'analysis-interval': '700ms',
        'probe-rate': '40',
        'min-samples': '5',
        timeout: '30s',
        'github-token': github.token,
        ...inputs,
      },
      env: {
        GITHUB_API_URL: github.url,
        GITHUB_RUN_ID: options.runId ?? String(5000 + runNo),
        AWS_ENDPOINT_URL_ECS: ecs.url,
        AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
        AWS_SECRET_ACCESS_KEY: SECRET,
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_CONFIG_FILE: '/nonexistent/config',
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
      },
    });
  const ghDeployment = (r: ActionResult) => github.deployments.find((d) => String(d.id) === r.outputs['github-deployment-id'])!;
  return { name, stable, deployment, weights, continues, run, ghDeployment };
}

function noLeaks(r: ActionResult) {
  expect(findSecretLeaks(r, [SECRET, github.token])).toEqual([]);
  for (const auth of ecs.authorizations) expect(auth).not.toContain(SECRET);
}
const errorsOf = (r: ActionResult) => r.annotations.filter((a) => a.level === 'error').map((a) => a.message).join('\n');
const report = (r: ActionResult) => JSON.parse(r.outputs.report!) as { measurements: Array<{ at: number; step: number; verdict: string; reasons: string[]; canary?: { p95Ms?: number }; comparison?: { latencyRegression?: number } }>; steps: Array<{ step: number; verdict: string }> };

describe('canary-shift on ecs native (bundle against the ECS and GitHub stand-ins)', () => {
  it('LINEAR 25,50,75,100: the steps are written into the service, each production step let go through the PAUSE hook after its analysis', async () => {
    const w = world();
    const r = await w.run({ 'baseline-url': stableApp.url });
    expect(r.code, r.log + r.stderr).toBe(0);
    expect(r.outputs).toMatchObject({ result: 'promoted', 'final-weight': '100', 'failed-step': '' });
    const d = w.deployment();
    expect(d.status).toBe('SUCCESSFUL');
    expect(ecs.service('prod', w.name).taskDefinition).toBe(r.outputs['deployment-id']);
    // Written once, with the release: LINEAR 25 % and a PAUSE hook before every production shift.
    const update = ecs.calls('UpdateService').filter((c) => c.body.service === w.name);
    expect(update).toHaveLength(1);
    expect(update[0]!.body.deploymentConfiguration).toMatchObject({
      strategy: 'LINEAR',
      linearConfiguration: { stepPercent: 25, stepBakeTimeInMinutes: 0 },
      lifecycleHooks: [{ targetType: 'PAUSE', lifecycleStages: ['PRE_PRODUCTION_TRAFFIC_SHIFT'], timeoutConfiguration: { timeoutInMinutes: 1, action: 'ROLLBACK' } }],
    });
    expect(update[0]!.body.deploymentConfiguration.canaryConfiguration).toBeUndefined();
    expect(r.log).toMatch(/Wrote the steps into native-\d+'s deployment configuration: LINEAR 25% a step/);
    // ECS shifted exactly the plan, each step only after Gantry let it go, after the previous step's analysis.
    expect(w.weights()).toEqual([0, 25, 50, 75, 100]);
    const continues = w.continues();
    expect(continues.map((c) => [c.body.action, c.status])).toEqual([['CONTINUE', 200], ['CONTINUE', 200], ['CONTINUE', 200], ['CONTINUE', 200]]);
    expect(new Set(continues.map((c) => c.body.hookId)).size).toBe(4);
    const rep = report(r);
    expect(rep.steps.map((s) => [s.step, s.verdict])).toEqual([[1, 'Successful'], [2, 'Successful'], [3, 'Successful'], [4, 'Successful']]);
    for (const step of [1, 2, 3]) {
      const lastOfStep = rep.measurements.filter((m) => m.step === step).at(-1)!;
      expect(lastOfStep.at).toBeLessThan(continues[step]!.at);
    }
    expect(r.log).toMatch(/step 1 · 25% · canary \d+ req, errors 0%, p95 \d+ms · stable \d+ req, errors 0%, p95 \d+ms → Successful/);
    expect(w.ghDeployment(r).payload).toMatchObject({ platform: 'ecs', deploymentId: r.outputs['deployment-id'], previousDeploymentId: w.stable, canary: { steps: [25, 50, 75, 100] } });
    expect(w.ghDeployment(r).statuses.at(-1)!.state).toBe('success');
    noLeaks(r);
  });

  it('CANARY 10,100 with 10% errors: aborted at the first step, rolled back through the hook, stable back at 100%, the reason in the error', async () => {
    const w = world();
    canaryApp.errorEvery = 10;
    const r = await w.run({ steps: '10,100' });
    expect(r.code).toBe(1);
    expect(r.outputs).toMatchObject({ result: 'aborted', 'final-weight': '0', 'failed-step': '1' });
    expect(ecs.calls('UpdateService').find((c) => c.body.service === w.name)!.body.deploymentConfiguration).toMatchObject({ strategy: 'CANARY', canaryConfiguration: { canaryPercent: 10 } });
    expect(w.weights()).toEqual([0, 10, 0]);
    expect(w.continues().map((c) => c.body.action)).toEqual(['CONTINUE', 'ROLLBACK']);
    expect(w.deployment().status).toBe('ROLLBACK_SUCCESSFUL');
    expect(ecs.service('prod', w.name).taskDefinition).toBe(w.stable);
    // Reaction: the failing measurement → ECS reports the deployment rolled back (production all stable).
    const failedAt = report(r).measurements.find((m) => m.verdict === 'Failed')!.at;
    const backAt = w.deployment().productionWeights.at(-1)!.at;
    const settledAt = ecs.reachedAt(w.deployment().serviceDeploymentArn, 'ROLLBACK_SUCCESSFUL')!;
    console.error(`ECS native: failed verdict → production weight 0: ${backAt - failedAt} ms; → ROLLBACK_SUCCESSFUL: ${settledAt - failedAt} ms`);
    expect(backAt - failedAt).toBeLessThan(2_000);
    expect(errorsOf(r)).toMatch(/canary aborted at step 1 \(10%\) failed: canary error rate [\d.]+% is above max-error-rate 5%; all traffic is back on stable/);
    expect(w.ghDeployment(r).statuses.at(-1)!.state).toBe('failure');
    noLeaks(r);
  });

  it('a canary 40% slower than stable is caught by the baseline comparison while the absolute gates pass', async () => {
    const w = world();
    stableApp.delayMs = 100;
    canaryApp.delayMs = 140;
    // 2 s at 30/s: the U test judges only with ≥ 20 latencies a side (judge.ts), also on a loaded machine.
    const r = await w.run({ steps: '10,100', 'baseline-url': stableApp.url, 'probe-rate': '30', 'step-duration': '2s', 'analysis-interval': '2s' });
    expect(r.code).toBe(1);
    expect(r.outputs, r.log).toMatchObject({ result: 'aborted', 'failed-step': '1' });
    const failed = report(r).measurements.find((m) => m.verdict === 'Failed')!;
    expect(failed.canary!.p95Ms!).toBeLessThan(2000);
    expect(failed.comparison!.latencyRegression!).toBeGreaterThan(0.2);
    expect(errorsOf(r)).toMatch(/more than max-latency-regression 20%/);
    expect(w.weights()).toEqual([0, 10, 0]);
  });

  it('a pause step ends the job with ECS held at the hook; a re-run moves nothing; resume continues from the recorded step', async () => {
    const w = world();
    const first = await w.run({ steps: '25,pause,50,75,100', 'on-no-data': 'pass' }, { runId: `${runNo}01` });
    expect(first.code, first.log).toBe(0);
    expect(first.outputs).toMatchObject({ result: 'paused', 'final-weight': '25' });
    expect(w.weights()).toEqual([0, 25]);
    expect(ecs.awaiting(w.deployment().serviceDeploymentArn)).toBeDefined();
    expect(w.ghDeployment(first).statuses.at(-1)!.description).toMatch(/gantry-canary next=2 weight=25 state=paused/);

    const rerun = await w.run({ steps: '25,pause,50,75,100', 'on-no-data': 'pass' }, { runId: `${runNo}01` });
    expect(rerun.outputs).toMatchObject({ result: 'paused', 'final-weight': '25' });
    expect(w.continues()).toHaveLength(1);

    const resumed = await w.run({ operation: 'resume', steps: '', 'on-no-data': 'pass', image: undefined, 'container-name': undefined }, { runId: `${runNo}02` });
    expect(resumed.code, resumed.log + resumed.stderr).toBe(0);
    expect(resumed.outputs).toMatchObject({ result: 'promoted', 'final-weight': '100', 'github-deployment-id': first.outputs['github-deployment-id'], 'deployment-id': first.outputs['deployment-id'] });
    expect(resumed.log).toMatch(/at 25%, paused, next step 3 of 5/);
    // One service deployment, each production step let go once.
    expect(ecs.deploymentsOf('prod', w.name)).toHaveLength(2);
    expect(w.weights()).toEqual([0, 25, 50, 75, 100]);
    expect(w.continues().map((c) => c.body.action)).toEqual(['CONTINUE', 'CONTINUE', 'CONTINUE', 'CONTINUE']);
    expect(w.deployment().status).toBe('SUCCESSFUL');
  });

  it('SIGTERM mid-step: the deployment is rolled back, stable has all the traffic', async () => {
    const w = world();
    const r = await w.run({ 'step-duration': '20s', 'analysis-interval': '300ms' }, { cancelWhen: /step 1 · 25% · canary/ });
    expect(r.code).toBe(1);
    expect(r.log).toMatch(/Received SIGTERM/);
    expect(w.weights()).toEqual([0, 25, 0]);
    expect(w.deployment().status).toBe('ROLLBACK_SUCCESSFUL');
    expect(ecs.service('prod', w.name).taskDefinition).toBe(w.stable);
    expect(r.outputs).toMatchObject({ result: 'aborted', 'final-weight': '0' });
    expect(errorsOf(r)).toMatch(/cancelled; all traffic is back on stable/);
    expect(r.durationMs).toBeLessThan(15_000);
    noLeaks(r);
  });

  it('throttling and a 5xx after ContinueServiceDeployment took effect are retried without a duplicate', async () => {
    const w = world();
    ecs.faults = [
      { operation: 'ContinueServiceDeployment', times: 1, kind: 'throttle' },
      { operation: 'ContinueServiceDeployment', times: 1, kind: 'server-error', afterApplying: true },
      { operation: 'DescribeServiceDeployments', times: 2, kind: 'throttle429' },
    ];
    const r = await w.run({ steps: '10,100' });
    expect(r.code, r.log + r.stderr).toBe(0);
    expect(w.weights()).toEqual([0, 10, 100]);
    // Throttled (not applied) → sent again once; the 500 after it took effect → re-read, not sent again.
    expect(w.continues().map((c) => c.status)).toEqual([400, 500, 200]);
    expect(r.log).toMatch(/the hook was already answered; CONTINUE not sent again/);
  });

  it('an alarm ECS acts on is named: ECS rolls back, the rollout aborts with the alarm in the error', async () => {
    const w = world();
    ecs.planNext(`prod/${w.name}`, { failAt: 'PRODUCTION_TRAFFIC_SHIFT', failure: 'alarm' });
    const r = await w.run({ steps: '10,100', 'step-duration': '2s', 'analysis-interval': '500ms' });
    expect(r.code).toBe(1);
    expect(w.deployment().status).toBe('ROLLBACK_SUCCESSFUL');
    expect(w.weights().at(-1)).toBe(0);
    expect(errorsOf(r)).toMatch(/shop-5xx/);
    expect(r.outputs).toMatchObject({ result: 'aborted', 'final-weight': '0' });
  });

  it('steps ECS cannot run, and ALB inputs, are refused by name before any request, pointing at ecs-alb', async () => {
    const w = world();
    const before = { ecs: ecs.requests.length, gh: github.requests.length };
    const r = await w.run({ steps: '5,25,50,100', 'listener-rule-arn': 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/x/1/2/3', cluster: undefined });
    expect(r.code).toBe(1);
    const errors = errorsOf(r);
    expect(errors).toMatch(/Input 'steps' does not fit ECS native deployments: 5,25,50,100 are not equal steps\. .*use platform: ecs-alb/);
    expect(errors).toMatch(/Input 'listener-rule-arn' is for platform: ecs-alb/);
    expect(errors).toMatch(/Input 'cluster' is required with platform: ecs/);
    expect({ ecs: ecs.requests.length, gh: github.requests.length }).toEqual(before);
    noLeaks(r);
  });
});
