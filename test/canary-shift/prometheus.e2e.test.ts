/**
 * canary-shift judged by Prometheus alone, end to end: the bundle run as the runner runs it on
 * ecs-alb (ELBv2, ECS and GitHub stand-ins), its `metrics` asking a real `prometheus` (Debian's)
 * that scrapes instrumented canary and stable apps every second. Production-like traffic goes to
 * every app from the test for the whole file, so each run's first measurement has 30 s windows of
 * data; each scenario's canary is its own app (its own scrape job) with the error rate and latency
 * the scenario sets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSecretLeaks, runAction, type ActionResult } from '../harness/action.js';
import { startEcsStandIn, type EcsStandIn } from '../harness/ecs.js';
import { startElbStandIn, type ElbStandIn } from '../harness/elbv2.js';
import { albService } from './support.js';
import { startGithubStandin, type GithubStandin } from '../harness/github.js';
import { sendTraffic, startMetricsApp, startPrometheus, type MetricsApp, type Prometheus } from '../harness/prometheus.js';

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
type Canary = 'healthy' | 'erroring' | 'slow';
let ecs: EcsStandIn;
let elb: ElbStandIn;
let github: GithubStandin;
let prometheus: Prometheus;
let apps: Record<Canary | 'stable', MetricsApp>;
let traffic: { stop(): Promise<void> };
let runNo = 0;

beforeAll(async () => {
  const started = Date.now();
  const [healthy, erroring, slow, stable] = await Promise.all([startMetricsApp(), startMetricsApp({ errorEvery: 10 }), startMetricsApp({ delayMs: 400 }), startMetricsApp()]);
  apps = { healthy: healthy!, erroring: erroring!, slow: slow!, stable: stable! };
  [ecs, elb, github, prometheus] = await Promise.all([
    startEcsStandIn({ stageMs: 20 }),
    startElbStandIn(),
    startGithubStandin(),
    startPrometheus([...(['healthy', 'erroring', 'slow'] as const).map((job) => ({ job, targets: [apps[job].target], labels: { track: 'canary' } })), { job: 'shop', targets: [apps.stable.target], labels: { track: 'stable' } }]),
  ]);
  traffic = sendTraffic(Object.values(apps), 40);
  await prometheus.waitForScrapes(4);
  console.log(`prometheus ready in ${prometheus.readyMs} ms; every app scraped 4 times ${Date.now() - started} ms after the start`);
}, 60_000);
afterAll(async () => {
  await traffic?.stop();
  await Promise.all([ecs?.close(), elb?.close(), github?.close(), prometheus?.close(), ...Object.values(apps ?? {}).map((a) => a.close())]);
});

/** The metrics a user writes (README): the canary's 5xx share and histogram p95 over 30 s, and stable's p95 for the ratio. */
function metrics(canary: Canary): string {
  const sel = (extra = '') => `track="canary",job="${canary}"${extra}`;
  return JSON.stringify([
    { name: 'canary-error-rate', prometheus: prometheus.url, query: `sum(rate(http_requests_total{${sel(',status=~"5.."')}}[30s])) / sum(rate(http_requests_total{${sel()}}[30s]))`, max: 0.05 },
    { name: 'canary-p95-seconds', prometheus: prometheus.url, query: `histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{${sel()}}[30s])))`, max: 0.25 },
  ]);
}

function world() {
  const name = `prom-${++runNo}`;
  const { rule, inputs: albInputs } = albService(ecs, elb, name);
  const run = (canary: Canary) =>
    runAction('canary-shift', {
      timeoutMs: 60_000,
      inputs: {
        ...albInputs,
        metrics: metrics(canary),
        steps: '50,100',
        'step-duration': '1s',
        'analysis-interval': '1s',
        'on-no-data': 'fail',
        timeout: '30s',
        'github-token': github.token,
      },
      env: {
        GITHUB_API_URL: github.url,
        GITHUB_RUN_ID: String(5000 + runNo),
        AWS_ENDPOINT_URL_ECS: ecs.url,
        AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2: elb.url,
        AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
        AWS_SECRET_ACCESS_KEY: SECRET,
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_CONFIG_FILE: '/nonexistent/config',
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
      },
    });
  return { run, rule, history: () => elb.canaryHistory(rule.ruleArn, rule.canary) };
}

const errorsOf = (r: ActionResult) => r.annotations.filter((a) => a.level === 'error').map((a) => a.message).join('\n');
const report = (r: ActionResult) => JSON.parse(r.outputs.report!) as { measurements: Array<{ step: number; verdict: string; metrics: Array<{ name: string; value?: number }> }> };

describe('canary-shift judged by a real Prometheus (bundle, ecs-alb stand-ins)', () => {
  it('a healthy canary is promoted through every step on its Prometheus metrics', async () => {
    const w = world();
    const r = await w.run('healthy');
    expect(r.code, r.log + r.stderr).toBe(0);
    expect(r.outputs).toMatchObject({ result: 'promoted', 'final-weight': '100', 'failed-step': '' });
    expect(w.history()).toEqual([50, 100, 0]);
    const first = report(r).measurements[0]!;
    expect(first.metrics[0]).toEqual({ name: 'canary-error-rate', value: 0 });
    expect(first.metrics[1]!.value).toBeLessThan(0.25);
    expect(r.log).toMatch(/step 1 · 50% · canary — · canary-error-rate 0 · canary-p95-seconds 0\.\d+ → Successful/);
    expect(findSecretLeaks(r, [SECRET, github.token])).toEqual([]);
  });

  it('a canary answering 10 % errors is aborted at the first step on Prometheus’ error rate: stable back at 100 %', async () => {
    const w = world();
    const r = await w.run('erroring');
    expect(r.code).toBe(1);
    expect(r.outputs, r.log).toMatchObject({ result: 'aborted', 'failed-step': '1', 'final-weight': '0' });
    expect(w.history()).toEqual([50, 0]);
    expect(elb.weights(w.rule.ruleArn)).toEqual({ [w.rule.stable]: 100, [w.rule.canary]: 0 });
    expect(errorsOf(r)).toMatch(/metric canary-error-rate is 0\.\d+, above its max 0\.05/);
    const rate = report(r).measurements[0]!.metrics[0]!.value!;
    expect(rate).toBeGreaterThan(0.07);
    expect(rate).toBeLessThan(0.13);
  });

  it('a slow canary (400 ms) is aborted at the first step on its histogram p95, its error rate clean', async () => {
    const w = world();
    const r = await w.run('slow');
    expect(r.code).toBe(1);
    expect(r.outputs, r.log).toMatchObject({ result: 'aborted', 'failed-step': '1' });
    expect(w.history()).toEqual([50, 0]);
    expect(errorsOf(r)).toMatch(/metric canary-p95-seconds is 0\.\d+, above its max 0\.25/);
    expect(errorsOf(r)).not.toMatch(/canary-error-rate/);
  });
});
