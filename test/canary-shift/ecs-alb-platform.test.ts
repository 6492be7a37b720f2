/**
 * The ecs-alb traffic platform with the real SDKs against the ELBv2 stand-in (AWS Query protocol)
 * and the ECS stand-in (JSON protocol), reached through the SDKs' AWS_ENDPOINT_URL_* variables.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTrafficPlatform } from '../../shared/platforms/traffic.js';
import type { EcsAlbOptions } from '../../shared/platforms/ecs-alb.js';
import { startEcsStandIn, type EcsStandIn } from '../harness/ecs.js';
import { startElbStandIn, type ElbStandIn } from '../harness/elbv2.js';

let ecs: EcsStandIn;
let elb: ElbStandIn;
let n = 0;
const saved = { ...process.env };

beforeAll(async () => {
  [ecs, elb] = await Promise.all([startEcsStandIn({ stageMs: 20 }), startElbStandIn()]);
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_ECS: ecs.url,
    AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2: elb.url,
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_CONFIG_FILE: '/nonexistent',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
  });
});
afterAll(async () => {
  process.env = saved;
  await Promise.all([ecs?.close(), elb?.close()]);
});

function world() {
  const name = `shop-${++n}`;
  const stable = ecs.addService({ cluster: 'prod', service: name, strategy: 'ROLLING', desiredCount: 3 });
  ecs.addService({ cluster: 'prod', service: `${name}-canary`, strategy: 'ROLLING', desiredCount: 0, taskDefinition: { family: name, containerDefinitions: [{ name: 'web', image: 'ghcr.io/acme/shop:v1' }] } });
  const rule = elb.addRule(name);
  const options: EcsAlbOptions = {
    region: 'eu-west-1',
    cluster: 'prod',
    service: name,
    canaryService: `${name}-canary`,
    containerName: 'web',
    image: 'ghcr.io/acme/shop:v2',
    listenerRuleArn: rule.ruleArn,
    stableTargetGroupArn: rule.stable,
    canaryTargetGroupArn: rule.canary,
    pollIntervalMs: 30,
    retryBaseMs: 20,
  };
  return { name, stable, rule, options };
}
const wait = (ms = 10_000) => ({ signal: new AbortController().signal, deadline: Date.now() + ms });

describe('ecs-alb platform', () => {
  it('prepares the canary (new task definition, healthy targets) before any weight, then shifts, aborts and completes', async () => {
    const { name, rule, options } = world();
    const lines: string[] = [];
    const platform = await createTrafficPlatform('ecs-alb', options, { log: (m) => lines.push(m) });
    expect(platform.driver).toBe('gantry');
    elb.setHealth(rule.canary, 'initial', 150);
    const started = Date.now();
    const canary = await platform.prepare(wait());
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    expect(canary.id).toMatch(new RegExp(`task-definition/${name}:\\d+$`));
    expect(ecs.service('prod', `${name}-canary`).taskDefinition).toBe(canary.id);
    expect(ecs.service('prod', `${name}-canary`).desiredCount).toBe(3);
    expect(elb.weightChanges.filter((c) => c.ruleArn === rule.ruleArn)).toEqual([]);
    expect(lines.join('\n')).toMatch(/0\/2 targets healthy[\s\S]*2\/2 targets healthy/);

    expect((await platform.setWeight(5, wait())).canaryWeight).toBe(5);
    expect(elb.weights(rule.ruleArn)).toEqual({ [rule.stable]: 95, [rule.canary]: 5 });
    await platform.setWeight(5, wait()); // already there: nothing sent
    expect(elb.canaryHistory(rule.ruleArn, rule.canary)).toEqual([5]);
    await platform.setWeight(25, wait());
    await platform.abort('test', wait());
    expect(elb.canaryHistory(rule.ruleArn, rule.canary)).toEqual([5, 25, 0]);
    expect(ecs.service('prod', `${name}-canary`).desiredCount).toBe(0);
  });

  it('completing rolls the release out to stable, then moves all traffic back to the stable group', async () => {
    const { name, rule, options } = world();
    const platform = await createTrafficPlatform('ecs-alb', options);
    const canary = await platform.prepare(wait());
    await platform.setWeight(50, wait());
    const done = await platform.complete(wait());
    expect(done.stage).toBe('promoted');
    expect(ecs.service('prod', name).taskDefinition).toBe(canary.id);
    expect(elb.canaryHistory(rule.ruleArn, rule.canary)).toEqual([50, 100, 0]);
  });

  it('a weight change answered with a 5xx after it took effect is not sent twice; throttling is retried', async () => {
    const { rule, options } = world();
    const platform = await createTrafficPlatform('ecs-alb', options, {});
    await platform.prepare(wait());
    elb.faults = [{ action: 'ModifyRule', times: 1, kind: 'server-error', afterApplying: true }, { action: 'DescribeRules', times: 2, kind: 'throttle' }];
    await platform.setWeight(10, wait());
    elb.faults = [{ action: 'ModifyRule', times: 2, kind: 'throttle' }];
    await platform.setWeight(20, wait());
    expect(elb.canaryHistory(rule.ruleArn, rule.canary)).toEqual([10, 20]);
    expect(elb.calls('ModifyRule').filter((r) => r.params.RuleArn === rule.ruleArn).map((r) => r.status)).toEqual([500, 400, 400, 200]);
  });

  it('canary targets that never get healthy end the wait at the deadline, with the last state', async () => {
    const { rule, options } = world();
    elb.setHealth(rule.canary, 'unhealthy');
    const platform = await createTrafficPlatform('ecs-alb', options);
    const started = Date.now();
    // 2 s: room for the steps before the health wait on a loaded machine, so the bound that ends it is the health wait's.
    await expect(platform.prepare(wait(2_000))).rejects.toThrow(/timed out after .* waiting for the targets of targetgroup\/.*-canary\/\w+ to be healthy \(last: 0\/2 targets healthy\)/);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(elb.canaryHistory(rule.ruleArn, rule.canary)).toEqual([]);
  });

  it('a rule that does not forward to the two groups is refused before anything changes', async () => {
    const { options } = world();
    const other = elb.addRule('other');
    const platform = await createTrafficPlatform('ecs-alb', { ...options, listenerRuleArn: other.ruleArn });
    const registered = ecs.calls('RegisterTaskDefinition').length;
    await expect(platform.prepare(wait())).rejects.toThrow(/listener-rule-arn: the rule must have one forward action over stable-target-group-arn and canary-target-group-arn/);
    expect(ecs.calls('RegisterTaskDefinition').length).toBe(registered);
    expect(ecs.calls('UpdateService').filter((r) => r.body.service === options.canaryService)).toEqual([]);
  });
});
