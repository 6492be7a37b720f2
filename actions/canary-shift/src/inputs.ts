/** canary-shift's inputs: parsed and checked once, every problem named in one error, before anything is contacted. */
import { ConfigurationError } from '../../../shared/core/errors.js';
import { commonInputs } from '../../../shared/core/common-inputs.js';
import { input, InvalidValue, readInputs, shown, type InputDef } from '../../../shared/core/inputs.js';
import { context } from '../../../shared/core/context.js';
import { metricsSchema } from '../../../shared/analysis/sources.js';
import { parseSteps } from '../../../shared/platforms/traffic.js';
import { ecsNativePlan } from '../../../shared/platforms/ecs-plan.js';
import { defaultCheck, parseChecks, type Check } from '../../../shared/smoke/checks.js';
import { resolveTaskDefinition } from '../../../shared/platforms/task-definition.js';
import { checkPlatformInputs, platformInputs } from '../../../shared/platforms/inputs.js';

/** The Vercel inputs, as deploy-blue-green defines them (one definition, one set of rules). */
const vercelInputs = {
  'vercel-token': platformInputs['vercel-token'],
  'vercel-team-id': platformInputs['vercel-team-id'],
  'vercel-project-id': platformInputs['vercel-project-id'],
  'working-directory': platformInputs['working-directory'],
  prebuilt: platformInputs.prebuilt,
  'vercel-api-url': platformInputs['vercel-api-url'],
  'protection-bypass-secret': platformInputs['protection-bypass-secret'],
};

const steps: InputDef<Array<number | 'pause'>> = {
  parse: (raw) => {
    const items = input.list({ default: ['5', '25', '50', '100'] }).parse(raw);
    try {
      return parseSteps(items);
    } catch (error) {
      throw new InvalidValue(`is ${shown(raw)}: ${(error as Error).message}`);
    }
  },
};

const checks: InputDef<Check[]> = { parse: (raw) => (raw ? parseChecks(raw) : [defaultCheck()]) };

const rate: InputDef<number> = {
  parse: (raw) => {
    const n = raw === '' ? 2 : /^\d+(\.\d+)?$/.test(raw) ? Number(raw) : NaN;
    if (!(n > 0 && n <= 100)) throw new InvalidValue(`is ${shown(raw)}: use requests per second, more than 0 and at most 100 (e.g. 2 or 0.5)`);
    return n;
  },
};

/** A percentage, or `off`. */
const optionalPercent = (fallback: string): InputDef<number | undefined> => ({
  parse: (raw) => (/^off$/i.test(raw) ? undefined : input.percent({}).parse(raw || fallback)),
});

/** CloudWatch alarm names: 1–255 characters, no control characters. */
const alarmName = (s: string) => {
  if (!/^[^\x00-\x1f\x7f]{1,255}$/.test(s)) throw new InvalidValue(`has ${shown(s)}: use alarm names as CloudWatch shows them (at most 255 characters), one per line`);
  return s;
};

const ARN = (service: string, kind: string) => new RegExp(`^arn:aws[a-z-]*:${service}:[a-z0-9-]+:\\d{12}:${kind}/[A-Za-z0-9/_.-]+$`);
const NAME = /^[A-Za-z0-9_-]{1,255}$/;
/** canary-shift's inputs, exactly those action.yml declares (test/contracts/input-schemas.test.ts). */
export const definitions = {
  platform: input.choice(['ecs-alb', 'ecs', 'vercel'] as const, { required: true }),
  operation: input.choice(['start', 'resume', 'abort', 'promote'] as const, { default: 'start' }),
  environment: commonInputs.environment('production'),
  steps,
  'step-duration': input.duration({ default: '5m', min: 100, max: 24 * 3600_000 }),
  'analysis-interval': input.duration({ default: '30s', min: 100, max: 3600_000 }),
  'probe-url': input.url(),
  'baseline-url': input.url(),
  'probe-checks': checks,
  'probe-rate': rate,
  'probe-timeout': input.duration({ default: '5s', min: 50, max: 60_000 }),
  'max-error-rate': input.percent({ default: 0.05 }),
  'max-p95-latency': input.duration({ default: '2s', min: 1, max: 600_000 }),
  'max-latency-regression': optionalPercent('20%'),
  'max-error-rate-increase': optionalPercent('1%'),
  'min-samples': input.integer({ default: 20, min: 1, max: 1_000_000 }),
  'failure-limit': input.integer({ default: 0, min: 0, max: 1000 }),
  'on-no-data': input.choice(['fail', 'pass', 'inconclusive'] as const, { default: 'inconclusive' }),
  'on-inconclusive': input.choice(['pause', 'abort'] as const, { default: 'abort' }),
  'on-failure': input.choice(['rollback', 'pause'] as const, { default: 'rollback' }),
  metrics: input.yaml(metricsSchema, { default: [], hint: 'give a YAML list of metrics (name, prometheus + query or url + json-path, max / min)' }),
  timeout: input.duration({ default: '2h', min: 1000, max: 24 * 3600_000 }),
  'aws-region': input.string({ pattern: /^[a-z]{2}(-[a-z]+)+-\d$/, hint: 'use an AWS region such as eu-central-1' }),
  cluster: input.string({ pattern: /^(arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:cluster\/)?[A-Za-z0-9_-]{1,255}$/, hint: 'use a cluster name or ARN' }),
  service: input.string({ pattern: NAME, hint: 'use the stable service name' }),
  'canary-service': input.string({ pattern: NAME, hint: 'use the canary service name' }),
  'task-definition': input.string({ hint: 'use a task definition JSON file or an ARN' }),
  'container-name': input.string({ pattern: /^[A-Za-z0-9_-]{1,255}$/, hint: 'use the container name from the task definition' }),
  image: input.string({ pattern: /^[^\s]+$/, hint: 'use an image reference such as ghcr.io/acme/shop:1.2.3' }),
  'listener-rule-arn': input.string({ pattern: ARN('elasticloadbalancing', 'listener-rule'), hint: 'use the listener rule ARN (arn:aws:elasticloadbalancing:REGION:ACCOUNT:listener-rule/app/…)' }),
  'stable-target-group-arn': input.string({ pattern: ARN('elasticloadbalancing', 'targetgroup'), hint: 'use a target group ARN (arn:aws:elasticloadbalancing:REGION:ACCOUNT:targetgroup/…)' }),
  'canary-target-group-arn': input.string({ pattern: ARN('elasticloadbalancing', 'targetgroup'), hint: 'use a target group ARN (arn:aws:elasticloadbalancing:REGION:ACCOUNT:targetgroup/…)' }),
  'cloudwatch-metrics': input.boolean(false),
  'cloudwatch-alarms': input.list({ default: [], item: alarmName, hint: 'give CloudWatch alarm names, one per line' }),
  'github-token': commonInputs.githubToken('deployments: write'),
  'sentry-dsn': commonInputs.sentryDsn(),
  ...vercelInputs,
};

export function readCanaryInputs() {
  const i = readInputs(definitions);
  const problems: Array<[string, string]> = [];
  const need = (name: string, value: unknown, why: string) => {
    if (value === undefined || value === '') problems.push([name, `Input '${name}' is required ${why}`]);
  };
  if (i.analysisInterval > i.stepDuration) problems.push(['analysis-interval', `Input 'analysis-interval' (${i.analysisInterval}ms) is longer than 'step-duration' (${i.stepDuration}ms): measure at least once per step`]);
  if (i.operation === 'start' || i.operation === 'resume') {
    // On Vercel the canary's and stable's own deployment URLs are probed by default.
    if (!i.probeUrl && i.metrics.length === 0 && !i.cloudwatchMetrics && i.cloudwatchAlarms.length === 0 && i.platform !== 'vercel') {
      problems.push(['probe-url', "Input 'probe-url' is required unless 'metrics', 'cloudwatch-metrics' or 'cloudwatch-alarms' are given: the canary's own URL, so there is something to measure"]);
    }
    if (i.baselineUrl && !i.probeUrl && i.platform !== 'vercel') problems.push(['baseline-url', "Input 'baseline-url' needs 'probe-url': stable is compared with the canary's probes"]);
  }
  const region = i.awsRegion || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION;
  if (i.platform === 'ecs') {
    // ECS native: the service runs the steps itself, so they must be a shape ECS has.
    need('aws-region', region, 'with platform: ecs (or set AWS_REGION)');
    need('cluster', i.cluster, 'with platform: ecs');
    need('service', i.service, 'with platform: ecs: the service whose deployment ECS shifts in steps');
    if (i.operation === 'start') {
      try {
        ecsNativePlan(i.steps.filter((s): s is number => s !== 'pause'));
      } catch (error) {
        problems.push(['steps', `Input 'steps' does not fit ECS native deployments: ${(error as Error).message}`]);
      }
    }
    const albOnly = { 'canary-service': i.canaryService, 'listener-rule-arn': i.listenerRuleArn, 'stable-target-group-arn': i.stableTargetGroupArn, 'canary-target-group-arn': i.canaryTargetGroupArn };
    for (const [name, value] of Object.entries(albOnly)) {
      if (value) problems.push([name, `Input '${name}' is for platform: ecs-alb; with platform: ecs, ECS shifts the traffic of the one service: remove it`]);
    }
  }
  if (i.cloudwatchMetrics) {
    if (i.platform !== 'ecs-alb') problems.push(['cloudwatch-metrics', "Input 'cloudwatch-metrics' needs platform: ecs-alb (it reads the canary and stable target groups' metrics); use 'cloudwatch-alarms' on other platforms"]);
    else if (i.listenerRuleArn && !/:listener-rule\/app\//.test(i.listenerRuleArn)) problems.push(['cloudwatch-metrics', "Input 'cloudwatch-metrics' needs an Application Load Balancer: 'listener-rule-arn' is not an ALB listener rule (…:listener-rule/app/…)"]);
  }
  if (i.cloudwatchAlarms.length && i.platform !== 'ecs-alb') need('aws-region', region, 'with cloudwatch-alarms: the region of the alarms (or set AWS_REGION)');
  if (i.cloudwatchAlarms.length > 100) problems.push(['cloudwatch-alarms', `Input 'cloudwatch-alarms' names ${i.cloudwatchAlarms.length} alarms: DescribeAlarms takes at most 100; use a composite alarm`]);
  if (new Set(i.cloudwatchAlarms).size !== i.cloudwatchAlarms.length) problems.push(['cloudwatch-alarms', "Input 'cloudwatch-alarms' names an alarm twice"]);
  const workspace = context().workspace;
  if (i.platform === 'vercel') {
    const vercel = { ...i, platform: 'vercel' as const, bakeTime: undefined };
    for (const p of checkPlatformInputs(vercel, { creates: i.operation === 'start', workspace })) problems.push([p.input, p.message]);
  }
  if (i.platform === 'ecs-alb') {
    need('aws-region', region, 'with platform: ecs-alb (or set AWS_REGION)');
    need('cluster', i.cluster, 'with platform: ecs-alb');
    need('service', i.service, 'with platform: ecs-alb: the stable service');
    need('canary-service', i.canaryService, 'with platform: ecs-alb: the service behind the canary target group');
    need('listener-rule-arn', i.listenerRuleArn, 'with platform: ecs-alb: the rule whose forward action carries both target groups');
    need('stable-target-group-arn', i.stableTargetGroupArn, 'with platform: ecs-alb');
    need('canary-target-group-arn', i.canaryTargetGroupArn, 'with platform: ecs-alb');
    if (i.service && i.service === i.canaryService) problems.push(['canary-service', "Input 'canary-service' is the same as 'service': give the second service, behind the canary target group"]);
    if (i.stableTargetGroupArn && i.stableTargetGroupArn === i.canaryTargetGroupArn) problems.push(['canary-target-group-arn', "Input 'canary-target-group-arn' is the same as 'stable-target-group-arn'"]);
  }
  if (i.platform !== 'vercel') {
    if (i.operation === 'start') {
      const td = i.taskDefinition;
      if (td) {
        try {
          resolveTaskDefinition(td, workspace);
        } catch (error) {
          problems.push(['task-definition', (error as Error).message]);
        }
      }
      if (!td && !(i.containerName && i.image)) problems.push(['task-definition', "Input 'task-definition' is required with operation: start, unless 'container-name' and 'image' patch the stable service's task definition"]);
      if (!!i.containerName !== !!i.image) {
        const missing = i.containerName ? 'image' : 'container-name';
        problems.push([missing, `Input '${missing}' is required together with '${missing === 'image' ? 'container-name' : 'image'}'`]);
      }
    }
  }
  if (problems.length) throw new ConfigurationError(problems.map((p) => p[1]).join('\n'), { input: problems[0]![0] });
  return { ...i, region: region! };
}

export type CanaryInputs = ReturnType<typeof readCanaryInputs>;
