/**
 * The platform factory: `createPlatform('vercel' | 'ecs', options, hooks)`. Each implementation is
 * loaded on demand so an action that deploys to Vercel never loads the AWS SDK (and the reverse).
 */
import type { Platform, PlatformHooks } from './types.js';
import type { VercelOptions } from './vercel.js';
import type { EcsOptions } from './ecs.js';

export type { Platform, PlatformHooks, DeploymentRef, PlatformState, WaitOptions } from './types.js';
export type { VercelOptions } from './vercel.js';
/** ECS options (region, cluster, service, taskDefinition, containerName, image, testUrl, productionUrl, bakeTimeMs, …) live with the ECS platform. */
export type { EcsOptions } from './ecs.js';

export type PlatformKind = 'vercel' | 'ecs';
export type PlatformOptions<K extends PlatformKind> = K extends 'vercel' ? VercelOptions : EcsOptions;

export async function createPlatform<K extends PlatformKind>(kind: K, options: PlatformOptions<K>, hooks: PlatformHooks = {}): Promise<Platform> {
  if (kind === 'vercel') {
    const { createVercelPlatform } = await import('./vercel.js');
    return createVercelPlatform(options as VercelOptions, hooks);
  }
  const { createEcsPlatform } = await import('./ecs.js');
  // The ECS platform logs its own progress (lifecycle stages, weights, alarms) through shared/log.
  return createEcsPlatform(options as EcsOptions);
}
