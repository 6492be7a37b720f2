/**
 * `npx tsx scripts/bench-canary.ts [measurements] [intervalMs]` — canary-shift through its
 * committed bundle (Node 24, as the runner runs it) against the ELBv2, ECS and GitHub stand-ins:
 *
 * 1. reaction: the canary starts failing mid-rollout; from the first Failed measurement (its time
 *    in the report) to the ModifyRule that put all traffic back on stable (the ELB stand-in's
 *    record). Target ≤ 2 s plus the platform's own time; ALB weights ≤ 1 s after the verdict.
 * 2. a long canary on a fast clock (default 3,600 measurements at 100 ms, the shortest interval the input takes: "one hour at 1 s"),
 *    with probes to canary and stable (2 per side per measurement, as probe-rate 2 at 1 s) and the CloudWatch source (target
 *    group metrics and an alarm): the action's resident memory sampled over the run (flat, under 100 MB?), its peak, and
 *    the API calls it made per minute of the canary's own (1 s-interval) clock, set against the services' published limits.
 * Figures, not assertions: run it on a quiet machine.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readFileSync } from 'node:fs';
import { startCloudWatchStandIn } from '../test/harness/cloudwatch.js';
import { loadBalancerDimension, targetGroupDimension } from '../shared/analysis/cloudwatch.js';
import { startEcsStandIn } from '../test/harness/ecs.js';
import { startElbStandIn } from '../test/harness/elbv2.js';
import { startGithubStandin } from '../test/harness/github.js';
import { runAction } from '../test/harness/action.js';

const measurements = Number(process.argv[2] ?? 3600);
const intervalMs = Number(process.argv[3] ?? 100);
// BENCH_REACTION_RUNS=0 measures only the long run; BENCH_NODE_OPTIONS reaches the action's node (e.g. --import a memory sampler).
const REACTION_RUNS = Number(process.env.BENCH_REACTION_RUNS ?? 5);

const SECRET = 'bench-secret-key-0123456789';
const [ecs, elb, github, cw] = await Promise.all([startEcsStandIn({ stageMs: 20 }), startElbStandIn(), startGithubStandin(), startCloudWatchStandIn(SECRET)]);
const app = async (state: { failing: boolean }) => {
  const server = createServer((_req, res) => {
    res.writeHead(state.failing ? 503 : 200);
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
};
const canaryState = { failing: false };
const canary = await app(canaryState);
const stable = await app({ failing: false });
let n = 0;

function inputs(name: string, rule: ReturnType<typeof elb.addRule>, extra: Record<string, string>) {
  return {
    platform: 'ecs-alb', environment: `bench-${name}`, 'aws-region': 'eu-west-1', cluster: 'prod', service: name, 'canary-service': `${name}-canary`,
    'container-name': 'web', image: 'ghcr.io/acme/shop:v2', 'listener-rule-arn': rule.ruleArn, 'stable-target-group-arn': rule.stable,
    'canary-target-group-arn': rule.canary, 'probe-url': canary.url, 'baseline-url': stable.url, 'min-samples': '3', timeout: '1h',
    'github-token': github.token, ...extra,
  };
}
const env = () => ({
  GITHUB_API_URL: github.url, GITHUB_RUN_ID: String(9000 + n), AWS_ENDPOINT_URL_ECS: ecs.url, AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2: elb.url,
  AWS_ENDPOINT_URL_CLOUDWATCH: cw.url, AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: SECRET, AWS_EC2_METADATA_DISABLED: 'true',
  AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
  ...(process.env.BENCH_NODE_OPTIONS && { NODE_OPTIONS: process.env.BENCH_NODE_OPTIONS }),
});
function world() {
  const name = `bench-${++n}`;
  ecs.addService({ cluster: 'prod', service: name, strategy: 'ROLLING', desiredCount: 2 });
  ecs.addService({ cluster: 'prod', service: `${name}-canary`, strategy: 'ROLLING', desiredCount: 0, taskDefinition: { family: name, containerDefinitions: [{ name: 'web', image: 'v1' }] } });
  return { name, rule: elb.addRule(name) };
}

try {
  const reactions: number[] = [];
  for (let i = 0; i < REACTION_RUNS; i++) {
    const { name, rule } = world();
    canaryState.failing = false;
    const timer = setTimeout(() => (canaryState.failing = true), 2500 + i * 137);
    const r = await runAction('canary-shift', { timeoutMs: 120_000, inputs: inputs(name, rule, { steps: '10,50', 'step-duration': '2s', 'analysis-interval': '250ms', 'probe-rate': '40', 'on-no-data': 'pass' }), env: env() });
    clearTimeout(timer);
    const report = JSON.parse(r.outputs.report ?? '{}') as { measurements?: Array<{ at: number; verdict: string }> };
    const failedAt = report.measurements?.find((m) => m.verdict === 'Failed')?.at;
    const back = elb.weightChanges.find((c) => c.ruleArn === rule.ruleArn && c.weights[rule.canary] === 0 && (failedAt === undefined || c.at >= failedAt));
    if (!failedAt || !back || r.outputs.result !== 'aborted') throw new Error(`reaction run ${i} did not abort as expected:\n${r.log}`);
    reactions.push(back.at - failedAt);
    console.log(`  run ${i + 1}: first Failed measurement → weights back on stable in ${back.at - failedAt} ms`);
  }
  reactions.sort((a, b) => a - b);
  if (reactions.length) console.log(`Reaction (first Failed measurement → all traffic on stable): median ${reactions[Math.floor(reactions.length / 2)]} ms, max ${reactions.at(-1)} ms (n=${reactions.length})`);

  canaryState.failing = false;
  const { name, rule } = world();
  const lb = loadBalancerDimension(rule.ruleArn)!;
  for (const tg of [rule.canary, rule.stable]) cw.simulate(lb, targetGroupDimension(tg)!, { requestsPerSecond: 50, errorRate: 0.001, latencyMs: 40 });
  cw.setAlarm(`${name}-5xx`, 'OK');
  // Each measurement takes a little time of its own (the CloudWatch calls, the judge) before the next interval's wait: a
  // step a third longer than measurements × interval gets the measurements of the hour (the count is printed).
  const stepMs = Math.round(measurements * intervalMs * 1.35);
  const before = { elb: elb.requests.length, ecs: ecs.requests.length, gh: github.requests.length, cw: cw.requests.length };
  const started = Date.now();
  // The action's resident size every second, read from /proc as the kernel counts it.
  const rss: Array<{ s: number; mib: number }> = [];
  let sampler: NodeJS.Timeout | undefined;
  const onSpawn = (pid: number) => {
    sampler = setInterval(() => {
      try {
        const kib = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
        if (kib) rss.push({ s: (Date.now() - started) / 1000, mib: kib / 1024 });
      } catch {
        // the process ended
      }
    }, 1000);
  };
  const r = await runAction('canary-shift', {
    timeoutMs: stepMs + 180_000,
    measureMemory: true,
    onSpawn,
    inputs: inputs(name, rule, {
      steps: '100', 'step-duration': `${stepMs}ms`, 'analysis-interval': `${intervalMs}ms`, 'probe-rate': String(2 * (1000 / intervalMs)), 'min-samples': '1', 'on-no-data': 'pass', timeout: '2h',
      // Memory and call counts are measured here, not the judge: two probes a side per measurement on a loaded machine
      // would let the baseline comparison flag noise sooner or later over 3,600 measurements.
      'max-latency-regression': 'off', 'max-error-rate-increase': 'off',
      'cloudwatch-metrics': 'true', 'cloudwatch-alarms': `${name}-5xx`,
    }),
    env: env(),
  });
  clearInterval(sampler);
  if (r.code !== 0) throw new Error(`long run failed:\n${r.log.slice(-3000)}`);
  const report = JSON.parse(r.outputs.report!) as { measurements: Array<{ at: number }>; measurementsDropped: number };
  const taken = report.measurements.length + report.measurementsDropped;
  const wall = (Date.now() - started) / 1000;
  console.log(`Long run: ${taken} measurements at ${intervalMs} ms (${(stepMs / 1000).toFixed(0)} s of analysis, "${((taken * 1000) / 60_000).toFixed(0)} min at 1 s") in ${wall.toFixed(0)} s; report output ${(r.outputs.report!.length / 1024).toFixed(0)} kB, summary ${(r.summary.length / 1024).toFixed(0)} kB`);

  // Memory: a tenth of the run per column; flat = the last tenth within a few MiB of the second.
  const tenths = Array.from({ length: 10 }, (_, i) => rss.filter((x) => x.s >= (i * wall) / 10 && x.s < ((i + 1) * wall) / 10).map((x) => x.mib));
  const maxOf = (xs: number[]) => (xs.length ? Math.max(...xs) : NaN);
  console.log(`Resident memory (MiB, the highest sample in each tenth of the run): ${tenths.map((t) => maxOf(t).toFixed(0)).join(' · ')}`);
  console.log(`Peak RSS ${r.peakMiB!.toFixed(1)} MiB (target < 100 MB = 95.4 MiB); growth from the 2nd to the last tenth ${(maxOf(tenths[9]!) - maxOf(tenths[1]!)).toFixed(1)} MiB`);

  // API calls per minute of the canary's clock (the run's measurements at 1 s = 60 per minute).
  const canaryMinutes = taken / 60;
  const calls = { ecs: ecs.requests.length - before.ecs, elb: elb.requests.length - before.elb, cw: cw.requests.length - before.cw, github: github.requests.length - before.gh };
  const perMin = (n: number) => (n / canaryMinutes).toFixed(2);
  const byOp = (list: Array<{ operation?: string; action?: string }>) => Object.entries(list.reduce<Record<string, number>>((acc, x) => ((acc[x.operation ?? x.action ?? '?'] = (acc[x.operation ?? x.action ?? '?'] ?? 0) + 1), acc), {})).map(([k, v]) => `${k} ${v}`).join(', ');
  console.log(`API calls over the ${canaryMinutes.toFixed(0)}-minute canary (per minute) against the published default limits:`);
  console.log(`  ECS        ${calls.ecs} (${perMin(calls.ecs)}/min: ${byOp(ecs.requests.slice(before.ecs))}) — service reads 20/s sustained (https://docs.aws.amazon.com/AmazonECS/latest/APIReference/request-throttling.html)`);
  console.log(`  ELB        ${calls.elb} (${perMin(calls.elb)}/min: ${byOp(elb.requests.slice(before.elb))}) — Describe* bucket 40, refill 10/s (https://docs.aws.amazon.com/elasticloadbalancing/latest/userguide/elb-api-throttling.html)`);
  console.log(`  CloudWatch ${calls.cw} (${perMin(calls.cw)}/min: ${byOp(cw.requests.slice(before.cw))}) — GetMetricData 50/s, DescribeAlarms 9/s (https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/cloudwatch_limits.html)`);
  console.log(`  GitHub     ${calls.github} (ledger statuses at step changes)`);
  const cwPerSecond = calls.cw / taken;
  console.log(`  At 1 s intervals CloudWatch sees ${cwPerSecond.toFixed(2)} calls/s from one canary: ${(9 / (cwPerSecond / 2)).toFixed(0)} canaries at once before DescribeAlarms (9/s) throttles; ECS and ELB are called only at step changes and waits.`);
} finally {
  await Promise.all([ecs.close(), elb.close(), github.close(), cw.close(), new Promise((r) => canary.server.close(r)), new Promise((r) => stable.server.close(r))]);
}
