/**
 * Platform: the credentials work and the target exists (Vercel project; ECS cluster and service
 * ACTIVE), what is live now, and that nothing is already rolling out — through the platform's own
 * client (the blue-green traffic platform's `live`).
 */
import { errorMessage } from '../../../../shared/core/errors.js';
import { createTrafficPlatform } from '../../../../shared/platforms/traffic.js';
import type { EcsOptions } from '../../../../shared/platforms/ecs.js';
import type { VercelOptions } from '../../../../shared/platforms/vercel.js';
import type { PlatformTarget } from '../platform-inputs.js';
import type { Check } from './types.js';

export function platformCheck(target: PlatformTarget | undefined, timeoutMs: number): Check {
  return {
    id: 'platform',
    title: 'Platform',
    skip: target ? undefined : 'no platform given',
    timeoutMs,
    run: async ({ signal, deadline }) => {
      const t = target!;
      const platform =
        t.kind === 'vercel'
          ? await createTrafficPlatform<VercelOptions>('vercel-blue-green', { ...t.options, workingDirectory: '/', requestTimeoutMs: timeoutMs })
          : await createTrafficPlatform<EcsOptions>('ecs-blue-green', { ...t.options, requestTimeoutMs: timeoutMs, maxAttempts: 3 });
      const what = t.kind === 'vercel' ? `Vercel project ${t.options.projectId}` : `ECS service ${t.options.service} in ${t.options.cluster} (${t.options.region})`;
      let state;
      try {
        state = await platform.live!({ signal, deadline });
      } catch (error) {
        if (signal.aborted) throw error;
        const fix = t.kind === 'vercel' ? 'check vercel-token (its scope must include the team) and vercel-project-id' : 'check the AWS credentials (configure-aws-credentials), aws-region, cluster and service';
        return { status: 'fail', found: `${what}: ${errorMessage(error)}`, fix };
      }
      const live = state.live ? `live: ${state.live.details?.taskDefinition ?? state.live.id}` : 'nothing live yet (first release)';
      const data = { live: state.live?.id ?? null, candidate: state.candidate?.id ?? null, candidateWeight: state.candidateWeight, inProgress: state.inProgress ?? null, productionUrl: state.productionUrl ?? null };
      if (state.inProgress) {
        return {
          status: 'fail',
          found: `${what}: ${live}; already rolling out: ${state.inProgress}${state.candidate ? ` (${state.candidateWeight}% of production on ${state.candidate.details?.taskDefinition ?? state.candidate.id.split('/').pop()})` : ''}`,
          fix: 'wait for the rollout in flight to finish (or stop it) before releasing',
          data,
        };
      }
      return { status: 'pass', found: `${what}: ${live}; nothing rolling out`, data };
    },
  };
}
