/**
 * The platform inputs, named and checked as deploy-blue-green's action.yml names them (platform,
 * vercel-token, vercel-team-id, vercel-project-id, vercel-api-url, aws-region, cluster, service).
 * Kept in this one module so it can switch to the shared definitions when they land in shared/.
 */
import { input } from '../../../shared/core/inputs.js';
import type { EcsOptions } from '../../../shared/platforms/ecs.js';
import type { VercelOptions } from '../../../shared/platforms/vercel.js';

export const platformInputs = {
  platform: input.choice(['vercel', 'ecs'] as const),
  'vercel-token': input.secret({ pattern: /^[A-Za-z0-9_-]{8,}$/, hint: 'pass a Vercel access token from a secret, e.g. ${{ secrets.VERCEL_TOKEN }}' }),
  'vercel-team-id': input.string({ pattern: /^team_[A-Za-z0-9_-]+$/, hint: 'use the team id, team_…, from the team settings' }),
  'vercel-project-id': input.string({ pattern: /^(prj_[A-Za-z0-9_-]+|[a-z0-9][a-z0-9._-]{0,99})$/, hint: 'use the project id (prj_…) or name' }),
  'vercel-api-url': input.url({ default: 'https://api.vercel.com' }),
  'aws-region': input.string({ pattern: /^[a-z]{2}(-[a-z]+)+-\d$/, hint: 'use an AWS region such as eu-central-1' }),
  cluster: input.string({ pattern: /^(arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:cluster\/)?[A-Za-z0-9_-]{1,255}$/, hint: 'use a cluster name or ARN' }),
  service: input.string({ pattern: /^(arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:service\/[A-Za-z0-9_-]+\/)?[A-Za-z0-9_-]{1,255}$/, hint: 'use a service name or ARN' }),
};

interface PlatformValues {
  platform?: 'vercel' | 'ecs';
  vercelToken?: string;
  vercelTeamId?: string;
  vercelProjectId?: string;
  vercelApiUrl: string;
  awsRegion?: string;
  cluster?: string;
  service?: string;
}

export type PlatformTarget = { kind: 'vercel'; options: Omit<VercelOptions, 'workingDirectory'> } | { kind: 'ecs'; options: EcsOptions };

/** Cross-field rules: the inputs a platform needs. Returns the problems as [input, message]. */
export function platformProblems(i: PlatformValues, env: NodeJS.ProcessEnv = process.env): Array<[string, string]> {
  const problems: Array<[string, string]> = [];
  const need = (name: string, value: unknown, why: string) => {
    if (!value) problems.push([name, `Input '${name}' is required with platform: ${i.platform}: ${why}`]);
  };
  if (i.platform === 'vercel') {
    need('vercel-token', i.vercelToken, 'pass ${{ secrets.VERCEL_TOKEN }}');
    need('vercel-project-id', i.vercelProjectId, 'the project id (prj_…) from the project settings');
  } else if (i.platform === 'ecs') {
    need('aws-region', i.awsRegion || env.AWS_REGION || env.AWS_DEFAULT_REGION, 'an AWS region such as eu-central-1 (or set AWS_REGION)');
    need('cluster', i.cluster, 'the ECS cluster name or ARN');
    need('service', i.service, 'the ECS service name or ARN');
  }
  return problems;
}

export function platformTarget(i: PlatformValues, env: NodeJS.ProcessEnv = process.env): PlatformTarget | undefined {
  if (i.platform === 'vercel') {
    return { kind: 'vercel', options: { token: i.vercelToken!, teamId: i.vercelTeamId, projectId: i.vercelProjectId!, apiUrl: i.vercelApiUrl } };
  }
  if (i.platform === 'ecs') {
    return { kind: 'ecs', options: { region: (i.awsRegion || env.AWS_REGION || env.AWS_DEFAULT_REGION)!, cluster: i.cluster!, service: i.service! } };
  }
  return undefined;
}
