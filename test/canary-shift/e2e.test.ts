/**
 * canary-shift end to end: the bundle run as the runner runs it (Node 24, INPUT_* variables, file
 * commands), the real AWS SDKs inside it reaching the ELBv2 stand-in (Query protocol) and the ECS
 * stand-in (JSON protocol) through AWS_ENDPOINT_URL_*, the GitHub Deployments stand-in as the
 * ledger, and canary and stable as local HTTP servers whose error rate and latency each test sets.
 * A fast clock: steps of a few hundred milliseconds.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { findSecretLeaks, runAction, type ActionResult } from '../harness/action.js';
import { startEcsStandIn, type EcsStandIn } from '../harness/ecs.js';
import { startElbStandIn, type ElbStandIn } from '../harness/elbv2.js';
import { albService } from './support.js';
import { startGithubStandin, type GithubStandin } from '../harness/github.js';
import { startCanaryApp as app, type CanaryApp as App } from '../harness/canary-app.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
let ecs: EcsStandIn;
let elb: ElbStandIn;
let github: GithubStandin;
let canaryApp: App;
let stableApp: App;
let runNo = 0;

beforeAll(async () => {
  [ecs, elb, github, canaryApp, stableApp] = await Promise.all([startEcsStandIn({ stageMs: 20 }), startElbStandIn(), startGithubStandin(), app(), app()]);
});
afterAll(async () => {
  await Promise.all([ecs?.close(), elb?.close(), github?.close(), ...[canaryApp, stableApp].map((a) => a && new Promise((r) => a.server.close(r)))]);
});
beforeEach(() => {
  elb.faults = [];
  for (const a of [canaryApp, stableApp]) Object.assign(a, { errorEvery: 0, delayMs: 0, hits: 0 });
});

function world() {
  const name = `shop-${++runNo}`;
  const { rule, inputs: albInputs } = albService(ecs, elb, name);
  const history = () => elb.canaryHistory(rule.ruleArn, rule.canary);
  const run = (inputs: Record<string, string | undefined> = {}, options: { cancelWhen?: RegExp | number; runId?: string } = {}) =>
    runAction('canary-shift', {
      timeoutMs: 60_000,
      cancelWhen: options.cancelWhen,
      inputs: {
        ...albInputs,
        'probe-url': canaryApp.url,
        steps: '5,25,50,100',
        'step-duration': '400ms',
        'analysis-interval': '400ms',
        'probe-rate': '40',
        'min-samples': '5',
        timeout: '30s',
        'github-token': github.token,
        ...inputs,
      },
      env: {
        GITHUB_API_URL: github.url,
        GITHUB_RUN_ID: options.runId ?? String(1000 + runNo),
        AWS_ENDPOINT_URL_ECS: ecs.url,
        AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2: elb.url,
        AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
        AWS_SECRET_ACCESS_KEY: SECRET,
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_CONFIG_FILE: '/nonexistent/config',
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
      },
    });
  const ghDeployment = (r: ActionResult) => github.deployments.find((d) => String(d.id) === r.outputs['github-deployment-id'])!;
  return { name, rule, history, run, ghDeployment };
}

function noLeaks(r: ActionResult) {
  expect(findSecretLeaks(r, [SECRET, github.token])).toEqual([]);
  for (const auth of [...ecs.authorizations, ...elb.authorizations]) expect(auth).not.toContain(SECRET);
}
const errorsOf = (r: ActionResult) => r.annotations.filter((a) => a.level === 'error').map((a) => a.message).join('\n');
const report = (r: ActionResult) => JSON.parse(r.outputs.report!) as { measurements: Array<{ step: number; verdict: string; reasons: string[]; canary?: { p95Ms?: number }; comparison?: { latencyRegression?: number } }>; steps: Array<{ step: number; verdict: string }> };

describe('canary-shift on ecs-alb (bundle against the ELBv2, ECS and GitHub stand-ins)', () => {
  it('a healthy canary is promoted through every step, then stable runs it and takes the traffic back', async () => {
    const w = world();
    const r = await w.run({ 'baseline-url': stableApp.url });
    expect(r.code, r.log + r.stderr).toBe(0);
    expect(r.outputs).toMatchObject({ result: 'promoted', 'final-weight': '100', 'failed-step': '' });
    expect(r.outputs['deployment-id']).toMatch(new RegExp(`task-definition/${w.name}:\\d+$`));
    expect(w.history()).toEqual([5, 25, 50, 100, 0]);
    expect(ecs.service('prod', w.name).taskDefinition).toBe(r.outputs['deployment-id']);
    expect(ecs.service('prod', `${w.name}-canary`).desiredCount).toBe(0);
    // The canary was healthy with the new task definition before its first weight.
    const firstWeight = elb.weightChanges.find((c) => c.ruleArn === w.rule.ruleArn)!.at;
    const healthChecks = elb.calls('DescribeTargetHealth').filter((c) => c.params.TargetGroupArn === w.rule.canary);
    expect(healthChecks.length).toBeGreaterThan(0);
    expect(healthChecks[0]!.at).toBeLessThan(firstWeight);
    const rep = report(r);
    expect(rep.steps.map((s) => [s.step, s.verdict])).toEqual([[1, 'Successful'], [2, 'Successful'], [3, 'Successful'], [4, 'Successful']]);
    expect(rep.measurements.length).toBeGreaterThanOrEqual(4);
    expect(r.log).toMatch(/step 1 · 5% · canary \d+ req, errors 0%, p95 \d+ms · stable \d+ req, errors 0%, p95 \d+ms → Successful/);
    expect(r.summary).toMatch(/## Canary start: production-shop-\d+ — ✅ promoted/);
    expect(r.summary).toMatch(/### Step 1: 5% — ✅ Successful/);
    expect(r.summary).toMatch(/```mermaid\nxychart-beta\n {2}title "Weight and error rate, % \(1: canary weight, 2: canary error rate, 3: stable error rate\)"/);
    expect(r.summary).toMatch(/title "p95 latency, ms/);
    const gh = w.ghDeployment(r);
    expect(gh.payload).toMatchObject({ platform: 'ecs-alb', deploymentId: r.outputs['deployment-id'], canary: { steps: [5, 25, 50, 100] } });
    expect(gh.statuses.at(-1)!.state).toBe('success');
    expect(r.masks).toContain(SECRET);
    noLeaks(r);
  });

  it('10% errors abort at the first step: stable back at 100%, the reason in the error', async () => {
    const w = world();
    canaryApp.errorEvery = 10;
    const r = await w.run();
    expect(r.code).toBe(1);
    expect(r.outputs).toMatchObject({ result: 'aborted', 'final-weight': '0', 'failed-step': '1' });
    expect(w.history()).toEqual([5, 0]);
    expect(elb.weights(w.rule.ruleArn)).toEqual({ [w.rule.stable]: 100, [w.rule.canary]: 0 });
    expect(errorsOf(r)).toMatch(/canary aborted at step 1 \(5%\) failed: canary error rate [\d.]+% is above max-error-rate 5%; all traffic is back on stable/);
    expect(w.ghDeployment(r).statuses.at(-1)!.state).toBe('failure');
    expect(ecs.service('prod', `${w.name}-canary`).desiredCount).toBe(0);
    expect(r.summary).toMatch(/❌ aborted/);
    noLeaks(r);
  });

  it('a canary 40% slower than stable is caught by the baseline comparison while the absolute gates pass', async () => {
    const w = world();
    stableApp.delayMs = 100;
    canaryApp.delayMs = 140;
    // 2 s at 30/s: the U test judges only with ≥ 20 latencies a side (judge.ts), also on a loaded machine.
    const r = await w.run({ 'baseline-url': stableApp.url, 'probe-rate': '30', 'step-duration': '2s', 'analysis-interval': '2s' });
    expect(r.code).toBe(1);
    expect(r.outputs, r.log).toMatchObject({ result: 'aborted', 'failed-step': '1' });
    const failed = report(r).measurements.find((m) => m.verdict === 'Failed')!;
    expect(failed.canary!.p95Ms!).toBeLessThan(2000);
    expect(failed.reasons.join()).not.toMatch(/max-p95-latency|max-error-rate/);
    expect(failed.comparison!.latencyRegression!).toBeGreaterThan(0.2);
    expect(errorsOf(r)).toMatch(/canary median latency \d+ ms is [\d.]+% above stable's \d+ ms \(more than max-latency-regression 20%; Mann-Whitney p=/);
    expect(w.history()).toEqual([5, 0]);
  });

  it('no data: on-no-data fail aborts; inconclusive with on-inconclusive pause pauses; pass promotes', async () => {
    const failing = world();
    const r1 = await failing.run({ 'min-samples': '100000', 'on-no-data': 'fail', steps: '10' });
    expect(r1.outputs).toMatchObject({ result: 'aborted', 'failed-step': '1' });
    expect(errorsOf(r1)).toMatch(/no data: canary answered \d+ request\(s\), fewer than min-samples 100000/);
    expect(failing.history()).toEqual([10, 0]);

    const pausing = world();
    const r2 = await pausing.run({ 'min-samples': '100000', 'on-no-data': 'inconclusive', 'on-inconclusive': 'pause', steps: '10' });
    expect(r2.code, r2.log).toBe(0);
    expect(r2.outputs).toMatchObject({ result: 'paused', 'final-weight': '10', 'failed-step': '1' });
    expect(pausing.history()).toEqual([10]);

    const passing = world();
    const r3 = await passing.run({ 'min-samples': '100000', 'on-no-data': 'pass', steps: '10' });
    expect(r3.outputs).toMatchObject({ result: 'promoted', 'final-weight': '100' });
    expect(passing.history()).toEqual([10, 100, 0]);
  });

  it('a pause step ends the job paused; a re-run moves nothing; resume in a later job continues from the recorded step', async () => {
    const w = world();
    // This test is about the record, not the judge: a loaded machine's empty interval must not abort it.
    const first = await w.run({ steps: '5,pause,50', 'on-no-data': 'pass' }, { runId: `${runNo}01` });
    expect(first.code, first.log).toBe(0);
    expect(first.outputs).toMatchObject({ result: 'paused', 'final-weight': '5' });
    expect(w.history()).toEqual([5]);
    const status = w.ghDeployment(first).statuses.at(-1)!;
    expect(status.state).toBe('in_progress');
    expect(status.description).toMatch(/gantry-canary next=2 weight=5 state=paused/);

    const rerun = await w.run({ steps: '5,pause,50', 'on-no-data': 'pass' }, { runId: `${runNo}01` });
    expect(rerun.outputs).toMatchObject({ result: 'paused', 'final-weight': '5', 'github-deployment-id': first.outputs['github-deployment-id'] });
    expect(w.history()).toEqual([5]);
    expect(ecs.calls('RegisterTaskDefinition').filter((c) => c.body.family === w.name)).toHaveLength(1);

    const resumed = await w.run({ operation: 'resume', steps: '', 'on-no-data': 'pass', image: undefined, 'container-name': undefined }, { runId: `${runNo}02` });
    expect(resumed.code, resumed.log + resumed.stderr).toBe(0);
    expect(resumed.outputs).toMatchObject({ result: 'promoted', 'final-weight': '100', 'github-deployment-id': first.outputs['github-deployment-id'], 'deployment-id': first.outputs['deployment-id'] });
    expect(w.history()).toEqual([5, 50, 100, 0]);
    expect(resumed.log).toMatch(/canary .* at 5%, paused, next step 3 of 4/);
    expect(w.ghDeployment(first).statuses.at(-1)!.state).toBe('success');
  });

  it('operation abort on a paused rollout puts all traffic back on stable', async () => {
    const w = world();
    await w.run({ steps: '20,pause,60' });
    expect(w.history()).toEqual([20]);
    const r = await w.run({ operation: 'abort', image: undefined, 'container-name': undefined }, { runId: `${runNo}09` });
    expect(r.code, r.log).toBe(0);
    expect(r.outputs).toMatchObject({ result: 'aborted', 'final-weight': '0' });
    expect(w.history()).toEqual([20, 0]);
  });

  it('SIGTERM mid-step puts all traffic back on stable', async () => {
    const w = world();
    const r = await w.run({ 'step-duration': '20s', 'analysis-interval': '300ms' }, { cancelWhen: /step 1 · 5% · canary/ });
    expect(r.code).toBe(1);
    expect(w.history()).toEqual([5, 0]);
    expect(r.outputs).toMatchObject({ result: 'aborted', 'final-weight': '0' });
    expect(r.log).toMatch(/Received SIGTERM/);
    expect(errorsOf(r)).toMatch(/cancelled; all traffic is back on stable/);
    expect(w.ghDeployment(r).statuses.at(-1)!.state).toBe('failure');
    expect(r.durationMs).toBeLessThan(15_000);
  });

  it('throttling and a 5xx after the change took effect are retried without a duplicate weight change', async () => {
    const w = world();
    elb.faults = [
      { action: 'ModifyRule', times: 1, kind: 'server-error', afterApplying: true },
      { action: 'ModifyRule', times: 1, kind: 'throttle' },
      { action: 'DescribeRules', times: 2, kind: 'throttle' },
    ];
    const r = await w.run({ steps: '30' });
    expect(r.code, r.log + r.stderr).toBe(0);
    expect(w.history()).toEqual([30, 100, 0]);
    expect(elb.requests.filter((q) => q.action === 'ModifyRule' && q.params.RuleArn === w.rule.ruleArn && q.status !== 200).length).toBe(2);
    expect(r.log).toMatch(/Weights were already 70\/30: not sent again/);
  });

  it('the timeout bounds a step: reaching it aborts to stable', async () => {
    const w = world();
    const r = await w.run({ timeout: '2s', 'step-duration': '30s', 'analysis-interval': '300ms' });
    expect(r.code).toBe(1);
    expect(errorsOf(r)).toMatch(/timeout \(2s\) reached during step 1; all traffic is back on stable/);
    expect(w.history()).toEqual([5, 0]);
    expect(r.durationMs).toBeLessThan(12_000);
  });

  it('canary targets that never get healthy: the wait ends at the timeout and no weight ever moves', async () => {
    const w = world();
    elb.setHealth(w.rule.canary, 'unhealthy');
    const r = await w.run({ timeout: '3s' }); // room on a loaded machine for what comes before the health wait
    expect(r.code).toBe(1);
    expect(errorsOf(r)).toMatch(/waiting for the targets of targetgroup\/.*-canary\/\w+ to be healthy \(last: 0\/2 targets healthy\)/);
    expect(w.history()).toEqual([]);
  });

  it('every input given a bad value is refused by name before any request', async () => {
    const w = world();
    const before = { elb: elb.requests.length, ecs: ecs.requests.length, gh: github.requests.length };
    const bad: Record<string, string> = {
      platform: 'gke',
      operation: 'restart',
      environment: '-prod!',
      steps: '50,25',
      'step-duration': 'soon',
      'analysis-interval': '-1s',
      'probe-url': 'ftp://canary',
      'baseline-url': 'not a url',
      'probe-checks': '- name: x\n  expect-status: nope',
      'probe-rate': '0',
      'probe-timeout': '10ms',
      'max-error-rate': '150%',
      'max-p95-latency': 'fast',
      'max-latency-regression': 'lots',
      'max-error-rate-increase': '-1%',
      'min-samples': '0',
      'failure-limit': 'two',
      'on-no-data': 'ignore',
      'on-inconclusive': 'retry',
      'on-failure': 'explode',
      metrics: '- name: x\n  prometheus: http://p\n  query: up',
      timeout: '0',
      'aws-region': 'Europe',
      cluster: 'no spaces allowed',
      service: 'bad/service',
      'canary-service': 'bad canary',
      'container-name': 'we b',
      image: 'has space',
      'listener-rule-arn': 'rule-1',
      'stable-target-group-arn': 'tg-1',
      'canary-target-group-arn': 'arn:aws:ecs:eu-west-1:123456789012:service/x',
    };
    const r = await w.run(bad);
    expect(r.code).toBe(1);
    const errors = errorsOf(r);
    for (const name of Object.keys(bad)) expect(errors, name).toContain(`Input '${name}'`);
    expect({ elb: elb.requests.length, ecs: ecs.requests.length, gh: github.requests.length }).toEqual(before);
    expect(r.summary).toMatch(/Nothing was changed: the inputs were refused before anything was contacted/);

    // Cross-field mistakes, also before any request.
    const r2 = await w.run({ 'analysis-interval': '1s', 'step-duration': '500ms', service: `${w.name}-canary`, image: undefined, 'probe-url': undefined });
    const errors2 = errorsOf(r2);
    for (const name of ['analysis-interval', 'canary-service', 'image', 'probe-url']) expect(errors2, name).toContain(`Input '${name}'`);
    expect({ elb: elb.requests.length, ecs: ecs.requests.length, gh: github.requests.length }).toEqual(before);
    noLeaks(r);
  });
});
