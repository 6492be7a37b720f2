/** The traffic platform's options from canary-shift's (checked) inputs, one case per platform. */
import { context } from '../../../shared/core/context.js';
import type { EcsAlbOptions } from '../../../shared/platforms/ecs-alb.js';
import type { EcsNativeOptions } from '../../../shared/platforms/ecs-native.js';
import { vercelOptions } from '../../../shared/platforms/inputs.js';
import type { VercelRollingOptions } from '../../../shared/platforms/vercel-rolling.js';
import type { CanaryInputs } from './inputs.js';

export function platformOptions(i: CanaryInputs): EcsAlbOptions | EcsNativeOptions | VercelRollingOptions {
  if (i.platform === 'vercel') return vercelOptions(i, { workspace: context().workspace, environment: i.environment });
  const ecs = { region: i.region, cluster: i.cluster!, service: i.service!, taskDefinition: i.taskDefinition, containerName: i.containerName, image: i.image };
  // ECS native: the steps are written into the service; its step bake fits a step, its hook times out with the rollout.
  if (i.platform === 'ecs') return { ...ecs, workspace: context().workspace, steps: i.steps.filter((s): s is number => s !== 'pause'), stepDurationMs: i.stepDuration, timeoutMs: i.timeout };
  return {
    ...ecs, canaryService: i.canaryService!,
    listenerRuleArn: i.listenerRuleArn!, stableTargetGroupArn: i.stableTargetGroupArn!, canaryTargetGroupArn: i.canaryTargetGroupArn!,
  };
}
