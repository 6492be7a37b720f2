/**
 * CloudWatch as an analysis source. First the source itself (the real @aws-sdk/client-cloudwatch
 * against the CloudWatch stand-in: JSON 1.0, SigV4 checked with the secret), then canary-shift's
 * bundle on ecs-alb with the CloudWatch source, as the runner runs it, against the ELBv2, ECS,
 * CloudWatch and GitHub stand-ins. Each target group's traffic (requests, 5xx share, latency) is
 * what the test makes the stand-in publish.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CloudWatchSource, judge, loadBalancerDimension, periodFor, targetGroupDimension, type Gates } from '../../shared/analysis/index.js';
import { findSecretLeaks, runAction, type ActionResult } from '../harness/action.js';
import { startCloudWatchStandIn, type CloudWatchStandIn } from '../harness/cloudwatch.js';
import { startEcsStandIn, type EcsStandIn } from '../harness/ecs.js';
import { startElbStandIn, type ElbStandIn } from '../harness/elbv2.js';
import { albService } from './support.js';
import { startGithubStandin, type GithubStandin } from '../harness/github.js';

const SECRET = 'cw/K7MDENG+bPxRfiCYEXAMPLEKEY0123456789';
const ACCESS_KEY = 'AKIAIOSFODNN7EXAMPLE';
let ecs: EcsStandIn;
let elb: ElbStandIn;
let cw: CloudWatchStandIn;
let github: GithubStandin;
let runNo = 0;

beforeAll(async () => {
  [ecs, elb, cw, github] = await Promise.all([startEcsStandIn({ stageMs: 20 }), startElbStandIn(), startCloudWatchStandIn(SECRET), startGithubStandin()]);
});
afterAll(async () => {
  await Promise.all([ecs?.close(), elb?.close(), cw?.close(), github?.close()]);
});
beforeEach(() => {
  elb.faults = [];
  cw.faults = [];
});

const gates: Gates = { maxErrorRate: 0.05, maxP95Ms: 2000, minSamples: 5, onNoData: 'inconclusive', maxLatencyRegression: 0.2, maxErrorRateIncrease: 0.01 };
const healthy = { requestsPerSecond: 200, errorRate: 0, latencyMs: 40 };

describe('the CloudWatch source', () => {
  it('derives the dimensions CloudWatch uses from the ARNs, and a period GetMetricData takes', () => {
    expect(loadBalancerDimension('arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/app/shop/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee')).toBe('app/shop/50dc6c495c0c9188');
    expect(loadBalancerDimension('arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener-rule/net/shop/50dc6c495c0c9188/f2f7dc8efc522ab2/9683b2d02a6cabee')).toBeUndefined();
    expect(targetGroupDimension('arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/shop-canary/73e2d6bc24d8a067')).toBe('targetgroup/shop-canary/73e2d6bc24d8a067');
    expect([100, 1000, 1001, 7000, 30_000, 45_000, 60_000, 61_000, 300_000].map(periodFor)).toEqual([1, 1, 5, 10, 30, 60, 60, 120, 300]);
  });

  it('judges aggregates: gates on the canary target group, stable compared over the same window, an alarm in ALARM named', () => {
    const side = (requests: number, errors: number, p95Ms: number) => ({ requests, errors, errorRate: errors / requests, p95Ms });
    expect(judge({ cloudwatch: { canary: side(1000, 50, 100), baseline: side(1000, 0, 100) } }, { ...gates, maxErrorRateIncrease: undefined }).verdict).toBe('Successful'); // exactly 5 %
    const failed = judge({ cloudwatch: { canary: side(1000, 51, 100), baseline: side(1000, 0, 100) } }, gates);
    expect(failed.verdict).toBe('Failed');
    expect(failed.reasons.join('\n')).toMatch(/CloudWatch: canary target group 5xx rate 5\.1% is above max-error-rate 5%/);
    const slower = judge({ cloudwatch: { canary: side(1000, 0, 140), baseline: side(1000, 0, 100) } }, gates);
    expect(slower.reasons).toEqual(['CloudWatch: canary target group p95 140 ms is 40% above stable\'s 100 ms (more than max-latency-regression 20%)']);
    expect(judge({ cloudwatch: { canary: side(3, 0, 10), baseline: side(1000, 0, 10) } }, gates).verdict).toBe('Inconclusive');
    expect(judge({ cloudwatch: { canary: undefined, baseline: undefined } }, { ...gates, onNoData: 'fail' }).verdict).toBe('Failed');
    const alarmed = judge({ cloudwatch: { alarms: [{ name: 'shop-5xx', state: 'ALARM', reason: 'Threshold Crossed' }, { name: 'shop-p99', state: 'OK' }] } }, gates);
    expect(alarmed.verdict).toBe('Failed');
    expect(alarmed.reasons).toEqual(['alarm shop-5xx is in ALARM: Threshold Crossed']);
    expect(judge({ cloudwatch: { alarms: [{ name: 'shop-5xx', state: 'INSUFFICIENT_DATA' }] } }, gates).verdict).toBe('Successful');
  });

  describe('through the real SDK against the stand-in', () => {
    const saved = { ...process.env };
    beforeAll(() => Object.assign(process.env, { AWS_ENDPOINT_URL_CLOUDWATCH: cw.url, AWS_ACCESS_KEY_ID: ACCESS_KEY, AWS_SECRET_ACCESS_KEY: SECRET, AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent' }));
    afterAll(() => {
      for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
      Object.assign(process.env, saved);
    });
    const makeSource = (alarms: string[] = []) => {
      const rule = elb.addRule(`src-${++runNo}`);
      return { rule, source: new CloudWatchSource({ region: 'eu-west-1', metrics: true, alarms, listenerRuleArn: rule.ruleArn, canaryTargetGroupArn: rule.canary, stableTargetGroupArn: rule.stable, maxAttempts: 4 }) };
    };
    const dims = (rule: { ruleArn: string }, tg: string) => [loadBalancerDimension(rule.ruleArn)!, targetGroupDimension(tg)!] as const;

    it('reads requests, 5xx and p95 per target group over one window, signed, and retries throttling', async () => {
      const { rule, source } = makeSource();
      // A whole second back: the window ends at the last whole second, so the current one is not counted yet.
      const t = Date.now() - 1500;
      const [lb, canary] = dims(rule, rule.canary);
      const stable = targetGroupDimension(rule.stable)!;
      cw.put('AWS/ApplicationELB', 'RequestCount', { LoadBalancer: lb, TargetGroup: canary }, [{ t, v: 60 }, { t, v: 40 }]);
      cw.put('AWS/ApplicationELB', 'HTTPCode_Target_5XX_Count', { LoadBalancer: lb, TargetGroup: canary }, [{ t, v: 10 }]);
      cw.put('AWS/ApplicationELB', 'TargetResponseTime', { LoadBalancer: lb, TargetGroup: canary }, Array.from({ length: 100 }, (_, i) => ({ t, v: (i + 1) / 1000 })));
      cw.put('AWS/ApplicationELB', 'RequestCount', { LoadBalancer: lb, TargetGroup: stable }, [{ t, v: 200 }]);
      cw.put('AWS/ApplicationELB', 'TargetResponseTime', { LoadBalancer: lb, TargetGroup: stable }, [{ t, v: 0.02 }]);
      // An old datapoint outside the window is not counted.
      cw.put('AWS/ApplicationELB', 'RequestCount', { LoadBalancer: lb, TargetGroup: canary }, [{ t: t - 60_000, v: 1_000_000 }]);
      cw.faults = [{ operation: 'GetMetricData', times: 2, kind: 'throttle' }];
      const before = cw.requests.length;
      const reading = await source.read(2000, AbortSignal.timeout(20_000));
      expect(reading.error).toBeUndefined();
      expect(reading.canary).toMatchObject({ requests: 100, errors: 10, errorRate: 0.1, p95Ms: 95 });
      expect(reading.baseline).toMatchObject({ requests: 200, errors: 0, errorRate: 0, p95Ms: 20 });
      const calls = cw.requests.slice(before);
      expect(calls.map((c) => [c.operation, c.status, c.error])).toEqual([['GetMetricData', 400, 'Throttling'], ['GetMetricData', 400, 'Throttling'], ['GetMetricData', 200, undefined]]);
      const q = calls[2]!.body;
      expect(q.MetricDataQueries).toHaveLength(6);
      expect(q.MetricDataQueries[2].MetricStat).toEqual({ Metric: { Namespace: 'AWS/ApplicationELB', MetricName: 'TargetResponseTime', Dimensions: [{ Name: 'TargetGroup', Value: canary }, { Name: 'LoadBalancer', Value: lb }] }, Period: 5, Stat: 'p95' });
      expect(q.EndTime - q.StartTime).toBe(5);
      expect(cw.authorizations.at(-1)).toMatch(new RegExp(`^AWS4-HMAC-SHA256 Credential=${ACCESS_KEY}/\\d{8}/eu-west-1/monitoring/aws4_request`));
      for (const a of cw.authorizations) expect(a).not.toContain(SECRET);
      source.close();
    });

    it('a request signed with the wrong secret is refused by the stand-in, and the source says so', async () => {
      const { source } = makeSource();
      process.env.AWS_SECRET_ACCESS_KEY = 'not-the-secret-the-stand-in-knows';
      try {
        await expect(source.read(1000, AbortSignal.timeout(10_000))).rejects.toThrow(/CloudWatch refused the credentials \(SignatureDoesNotMatch\)/);
      } finally {
        process.env.AWS_SECRET_ACCESS_KEY = SECRET;
        source.close();
      }
    });

    it('alarms by name: verify finds a missing one; read gives each state', async () => {
      cw.setAlarm('src-5xx', 'OK');
      cw.setAlarm('src-latency', 'ALARM', 'Threshold Crossed: 3 datapoints were greater than 1.5');
      const { source: missing } = makeSource(['src-5xx', 'src-typo']);
      await expect(missing.verify(AbortSignal.timeout(10_000))).rejects.toThrow(/cloudwatch-alarms: CloudWatch in eu-west-1 has no alarm named "src-typo"/);
      const { source: both } = makeSource(['src-5xx', 'src-latency']);
      const reading = await both.read(1000, AbortSignal.timeout(10_000));
      expect(reading.alarms).toEqual([
        { name: 'src-5xx', state: 'OK', reason: expect.any(String) },
        { name: 'src-latency', state: 'ALARM', reason: 'Threshold Crossed: 3 datapoints were greater than 1.5' },
      ]);
      expect(cw.calls('DescribeAlarms').at(-1)!.body.AlarmNames).toEqual(['src-5xx', 'src-latency']);
      missing.close();
      both.close();
    });
  });
});

function world() {
  const name = `cw-${++runNo}`;
  const { rule, inputs: albInputs } = albService(ecs, elb, name);
  const lb = loadBalancerDimension(rule.ruleArn)!;
  const traffic = (side: 'canary' | 'stable', t: typeof healthy | undefined) => cw.simulate(lb, targetGroupDimension(side === 'canary' ? rule.canary : rule.stable)!, t);
  const history = () => elb.canaryHistory(rule.ruleArn, rule.canary);
  const run = (inputs: Record<string, string | undefined> = {}) =>
    runAction('canary-shift', {
      timeoutMs: 60_000,
      inputs: {
        ...albInputs,
        'cloudwatch-metrics': 'true',
        steps: '5,25,50,100',
        'step-duration': '1200ms',
        'analysis-interval': '600ms',
        'min-samples': '5',
        timeout: '30s',
        'github-token': github.token,
        ...inputs,
      },
      env: {
        GITHUB_API_URL: github.url,
        GITHUB_RUN_ID: String(5000 + runNo),
        AWS_ENDPOINT_URL_ECS: ecs.url,
        AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2: elb.url,
        AWS_ENDPOINT_URL_CLOUDWATCH: cw.url,
        AWS_ACCESS_KEY_ID: ACCESS_KEY,
        AWS_SECRET_ACCESS_KEY: SECRET,
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_CONFIG_FILE: '/nonexistent/config',
        AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials',
      },
    });
  return { name, rule, traffic, history, run };
}

function noLeaks(r: ActionResult) {
  expect(findSecretLeaks(r, [SECRET, github.token])).toEqual([]);
  for (const auth of [...ecs.authorizations, ...elb.authorizations, ...cw.authorizations]) expect(auth).not.toContain(SECRET);
}
const errorsOf = (r: ActionResult) => r.annotations.filter((a) => a.level === 'error').map((a) => a.message).join('\n');
type Report = { measurements: Array<{ step: number; verdict: string; reasons: string[]; cloudwatch?: { canary?: { requests: number; errorRate?: number; p95Ms?: number }; baseline?: { requests: number }; alarms?: Array<{ name: string; state: string }> } }> };
const report = (r: ActionResult) => JSON.parse(r.outputs.report!) as Report;

describe('canary-shift on ecs-alb with CloudWatch (bundle against the ELBv2, ECS, CloudWatch and GitHub stand-ins)', () => {
  it('a healthy canary is promoted on its target groups\' metrics and a quiet alarm', async () => {
    const w = world();
    w.traffic('canary', healthy);
    w.traffic('stable', healthy);
    cw.setAlarm(`${w.name}-5xx`, 'OK');
    const r = await w.run({ 'cloudwatch-alarms': `${w.name}-5xx` });
    w.traffic('canary', undefined);
    w.traffic('stable', undefined);
    expect(r.code, r.log + r.stderr).toBe(0);
    expect(r.outputs).toMatchObject({ result: 'promoted', 'final-weight': '100' });
    expect(w.history()).toEqual([5, 25, 50, 100, 0]);
    const rep = report(r);
    expect(rep.measurements.length).toBeGreaterThanOrEqual(8);
    for (const m of rep.measurements) {
      expect(m.verdict).toBe('Successful');
      expect(m.cloudwatch!.canary!.requests).toBeGreaterThanOrEqual(5);
      expect(m.cloudwatch!.baseline!.requests).toBeGreaterThanOrEqual(5);
      expect(m.cloudwatch!.canary!.p95Ms).toBeGreaterThan(30);
      expect(m.cloudwatch!.alarms).toEqual([{ name: `${w.name}-5xx`, state: 'OK', reason: expect.any(String) }]);
    }
    expect(r.log).toMatch(/step 1 · 5% · canary — · CloudWatch canary \d+ req, 5xx 0%, p95 \d+ms · stable \d+ req, 5xx 0%, p95 \d+ms · alarms cw-\d+-5xx OK → Successful/);
    expect(r.annotations.filter((a) => a.level === 'warning').map((a) => a.message)).toEqual([expect.stringMatching(/analysis-interval is under 1m: ALB publishes its CloudWatch metrics once a minute/)]);
    expect(r.summary).toMatch(/### Step 1: 5% — ✅ Successful/);
    noLeaks(r);
  });

  it('a canary target group answering 10% 5xx is aborted at the first step, weights back on stable, the reason in the error', async () => {
    const w = world();
    w.traffic('canary', { ...healthy, errorRate: 0.1 });
    w.traffic('stable', healthy);
    const r = await w.run();
    w.traffic('canary', undefined);
    w.traffic('stable', undefined);
    expect(r.code).toBe(1);
    expect(r.outputs).toMatchObject({ result: 'aborted', 'final-weight': '0', 'failed-step': '1' });
    expect(w.history()).toEqual([5, 0]);
    expect(elb.weights(w.rule.ruleArn)).toEqual({ [w.rule.stable]: 100, [w.rule.canary]: 0 });
    expect(errorsOf(r)).toMatch(/canary aborted at step 1 \(5%\) failed: CloudWatch: canary target group 5xx rate 10% is above max-error-rate 5%.*all traffic is back on stable/);
    noLeaks(r);
  });

  it('an alarm going to ALARM mid-rollout aborts, and is named in the log, the summary and the error', async () => {
    const w = world();
    w.traffic('canary', healthy);
    w.traffic('stable', healthy);
    const alarm = `${w.name}-TargetGroup-p99`;
    cw.setAlarm(alarm, 'OK');
    const flip = setInterval(() => {
      if (w.history().includes(25)) cw.setAlarm(alarm, 'ALARM', 'Threshold Crossed: 1 datapoint [2.7] was greater than the threshold (2.0).');
    }, 20);
    const r = await w.run({ 'cloudwatch-alarms': alarm });
    clearInterval(flip);
    w.traffic('canary', undefined);
    w.traffic('stable', undefined);
    expect(r.code).toBe(1);
    expect(r.outputs).toMatchObject({ result: 'aborted', 'final-weight': '0', 'failed-step': '2' });
    expect(w.history()).toEqual([5, 25, 0]);
    const named = `alarm ${alarm} is in ALARM: Threshold Crossed: 1 datapoint [2.7] was greater than the threshold (2.0).`;
    expect(r.log).toContain(`alarms ${alarm} ALARM → Failed (${named})`);
    expect(r.summary).toContain(named);
    expect(errorsOf(r)).toContain(named);
    noLeaks(r);
  });

  it('CloudWatch throttling is retried: the rollout goes on', async () => {
    const w = world();
    w.traffic('canary', healthy);
    w.traffic('stable', healthy);
    cw.faults = [{ operation: 'GetMetricData', times: 3, kind: 'throttle' }];
    const before = cw.requests.length;
    const r = await w.run({ steps: '50,100' });
    w.traffic('canary', undefined);
    w.traffic('stable', undefined);
    expect(r.code, r.log).toBe(0);
    expect(r.outputs.result).toBe('promoted');
    const throttled = cw.requests.slice(before).filter((c) => c.error === 'Throttling');
    expect(throttled).toHaveLength(3);
    expect(report(r).measurements.every((m) => m.verdict === 'Successful')).toBe(true);
    noLeaks(r);
  });

  it('an alarm name CloudWatch does not know is refused before any traffic moves', async () => {
    const w = world();
    const r = await w.run({ 'cloudwatch-alarms': `${w.name}-no-such-alarm` });
    expect(r.code).toBe(1);
    expect(errorsOf(r)).toMatch(new RegExp(`cloudwatch-alarms: CloudWatch in eu-west-1 has no alarm named "${w.name}-no-such-alarm"`));
    expect(w.history()).toEqual([]);
    expect(ecs.service('prod', `${w.name}-canary`).desiredCount).toBe(0);
  });

  it('bad CloudWatch inputs are refused by name before any request', async () => {
    const w = world();
    const count = () => ({ elb: elb.requests.length, ecs: ecs.requests.length, cw: cw.requests.length, gh: github.requests.length });
    const before = count();
    const r = await w.run({ 'cloudwatch-metrics': 'yes', 'cloudwatch-alarms': `ok-alarm\n${'x'.repeat(256)}` });
    expect(r.code).toBe(1);
    const errors = errorsOf(r);
    expect(errors).toContain("Input 'cloudwatch-metrics'");
    expect(errors).toMatch(/yes is not read as a boolean/);
    expect(errors).toContain("Input 'cloudwatch-alarms'");
    const nlb = w.rule.ruleArn.replace('listener-rule/app/', 'listener-rule/net/');
    const r2 = await w.run({ 'listener-rule-arn': nlb, 'cloudwatch-alarms': 'a\na' });
    expect(errorsOf(r2)).toMatch(/Input 'cloudwatch-metrics' needs an Application Load Balancer/);
    expect(errorsOf(r2)).toMatch(/Input 'cloudwatch-alarms' names an alarm twice/);
    const r3 = await w.run({ platform: 'vercel' });
    expect(errorsOf(r3)).toMatch(/Input 'cloudwatch-metrics' needs platform: ecs-alb/);
    expect(count()).toEqual(before);
    for (const x of [r, r2, r3]) noLeaks(x);
  });
});
