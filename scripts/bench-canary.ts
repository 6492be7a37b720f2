/**
 * `npx tsx scripts/bench-canary.ts [measurements] [intervalMs]` — canary-shift through its
 * committed bundle (Node 24, as the runner runs it) against the ELBv2, ECS and GitHub stand-ins:
 *
 * 1. reaction: the canary starts failing mid-rollout; from the first Failed measurement (its time
 *    in the report) to the ModifyRule that put all traffic back on stable (the ELB stand-in's
 *    record). Target ≤ 2 s plus the platform's own time; ALB weights ≤ 1 s after the verdict.
 * 2. a long canary on a fast clock (default 3,600 measurements at 100 ms, the shortest interval the input takes: "one hour at 1 s"):
 *    peak memory of the action, and the AWS API calls it made.
 * Figures, not assertions: run it on a quiet machine.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startEcsStandIn } from '../test/harness/ecs.js';
import { startElbStandIn } from '../test/harness/elbv2.js';
import { startGithubStandin } from '../test/harness/github.js';
import { runAction } from '../test/harness/action.js';

const measurements = Number(process.argv[2] ?? 3600);
const intervalMs = Number(process.argv[3] ?? 100);
const REACTION_RUNS = 5;

const [ecs, elb, github] = await Promise.all([startEcsStandIn({ stageMs: 20 }), startElbStandIn(), startGithubStandin()]);
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
  AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'bench-secret-key-0123456789', AWS_EC2_METADATA_DISABLED: 'true',
  AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
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
  console.log(`Reaction (first Failed measurement → all traffic on stable): median ${reactions[Math.floor(reactions.length / 2)]} ms, max ${reactions.at(-1)} ms (n=${reactions.length})`);

  canaryState.failing = false;
  const { name, rule } = world();
  const stepMs = measurements * intervalMs;
  const before = { elb: elb.requests.length, ecs: ecs.requests.length, gh: github.requests.length };
  const started = Date.now();
  const r = await runAction('canary-shift', {
    timeoutMs: stepMs + 120_000,
    measureMemory: true,
    inputs: inputs(name, rule, { steps: '100', 'step-duration': `${stepMs}ms`, 'analysis-interval': `${intervalMs}ms`, 'probe-rate': '20', 'min-samples': '1', 'on-no-data': 'pass', timeout: '2h' }),
    env: env(),
  });
  if (r.code !== 0) throw new Error(`long run failed:\n${r.log.slice(-3000)}`);
  const report = JSON.parse(r.outputs.report!) as { measurements: unknown[]; measurementsDropped: number };
  const taken = report.measurements.length + report.measurementsDropped;
  const minutes = (Date.now() - started) / 60_000;
  const calls = { elb: elb.requests.length - before.elb, ecs: ecs.requests.length - before.ecs, github: github.requests.length - before.gh };
  console.log(`Long run: ${taken} measurements at ${intervalMs} ms (${(stepMs / 1000).toFixed(0)} s of analysis) in ${(minutes * 60).toFixed(0)} s; peak RSS ${r.peakMiB!.toFixed(1)} MiB; report output ${(r.outputs.report!.length / 1024).toFixed(0)} kB, summary ${(r.summary.length / 1024).toFixed(0)} kB`);
  console.log(`API calls over the whole run: ELB ${calls.elb}, ECS ${calls.ecs}, GitHub ${calls.github} — none per measurement (they happen at step changes and waits), so a 1 h canary at 1 s intervals makes the same few dozen calls`);
} finally {
  await Promise.all([ecs.close(), elb.close(), github.close(), new Promise((r) => canary.server.close(r)), new Promise((r) => stable.server.close(r))]);
}
