/** What the canary-shift tests on ECS behind an ALB share. */
import type { EcsStandIn } from '../harness/ecs.js';
import type { ElbStandIn } from '../harness/elbv2.js';

/**
 * A stable service and its empty canary service behind one listener rule with two target groups
 * (the layout `platform: ecs-alb` needs), and the inputs that name them.
 */
export function albService(ecs: EcsStandIn, elb: ElbStandIn, name: string) {
  ecs.addService({ cluster: 'prod', service: name, strategy: 'ROLLING', desiredCount: 2 });
  ecs.addService({ cluster: 'prod', service: `${name}-canary`, strategy: 'ROLLING', desiredCount: 0, taskDefinition: { family: name, containerDefinitions: [{ name: 'web', image: 'ghcr.io/acme/shop:v1' }] } });
  const rule = elb.addRule(name);
  const inputs: Record<string, string> = {
    platform: 'ecs-alb',
    environment: `production-${name}`,
    'aws-region': 'eu-west-1',
    cluster: 'prod',
    service: name,
    'canary-service': `${name}-canary`,
    'container-name': 'web',
    image: 'ghcr.io/acme/shop:v2',
    'listener-rule-arn': rule.ruleArn,
    'stable-target-group-arn': rule.stable,
    'canary-target-group-arn': rule.canary,
  };
  return { rule, inputs };
}
