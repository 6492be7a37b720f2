/** The traffic platform's options from canary-shift's (checked) inputs, one case per platform. */
import { context } from '../../../shared/core/context.js';
import type { EcsAlbOptions } from '../../../shared/platforms/ecs-alb.js';
import { vercelOptions } from '../../../shared/platforms/inputs.js';
import type { VercelRollingOptions } from '../../../shared/platforms/vercel-rolling.js';
import type { CanaryInputs } from './inputs.js';

export function platformOptions(i: CanaryInputs): EcsAlbOptions | VercelRollingOptions {
  if (i.platform === 'vercel') return vercelOptions(i, { workspace: context().workspace, environment: i.environment });
  return {
    region: i.region, cluster: i.cluster!, service: i.service!, canaryService: i.canaryService!,
    taskDefinition: i.taskDefinition, containerName: i.containerName, image: i.image,
    listenerRuleArn: i.listenerRuleArn!, stableTargetGroupArn: i.stableTargetGroupArn!, canaryTargetGroupArn: i.canaryTargetGroupArn!,
  };
}
