/**
 * The platform and ledger inputs, in one place for every action that deploys or looks at a
 * deployment (deploy-blue-green now; canary-shift, preflight and the rollback next): their
 * definitions, the cross-checks between them (as an input-schema check, so every problem is
 * reported at once), and opening the platform and the ledger they describe.
 */
import { isAbsolute, join, resolve } from 'node:path';
import { statSync } from 'node:fs';
import { context } from '../core/context.js';
import { ConfigurationError } from '../core/errors.js';
import { input, type InputProblem } from '../core/inputs.js';
import { registerSecret } from '../core/secrets.js';
import { Ledger } from '../ledger.js';
import { createTrafficPlatform, type TrafficHooks, type TrafficPlatform } from './traffic.js';
import type { EcsOptions } from './ecs.js';
import type { VercelOptions } from './vercel.js';
import { resolveTaskDefinition } from './task-definition.js';

export const platformInputs = {
  'vercel-token': input.secret({ pattern: /^[A-Za-z0-9_-]{8,}$/, hint: 'pass a Vercel access token from a secret, e.g. ${{ secrets.VERCEL_TOKEN }}' }),
  'vercel-team-id': input.string({ pattern: /^team_[A-Za-z0-9_-]+$/, hint: 'use the team id, team_…, from the team settings' }),
  'vercel-project-id': input.string({ pattern: /^(prj_[A-Za-z0-9_-]+|[a-z0-9][a-z0-9._-]{0,99})$/, hint: 'use the project id (prj_…) or name' }),
  'working-directory': input.string({ default: '.' }),
  prebuilt: input.boolean(false),
  'vercel-api-url': input.url({ default: 'https://api.vercel.com' }),
  'protection-bypass-secret': input.secret({ pattern: /^[A-Za-z0-9_-]{8,}$/, hint: 'pass the project\'s "Protection Bypass for Automation" secret' }),
  'aws-region': input.string({ pattern: /^[a-z]{2}(-[a-z]+)+-\d$/, hint: 'use an AWS region such as eu-central-1' }),
  cluster: input.string({ pattern: /^(arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:cluster\/)?[A-Za-z0-9_-]{1,255}$/, hint: 'use a cluster name or ARN' }),
  service: input.string({ pattern: /^(arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:service\/[A-Za-z0-9_-]+\/)?[A-Za-z0-9_-]{1,255}$/, hint: 'use a service name or ARN' }),
  'task-definition': input.string({ hint: 'use a task definition JSON file, family, family:revision or ARN' }),
  'container-name': input.string({ pattern: /^[A-Za-z0-9_-]{1,255}$/, hint: 'use the container name from the task definition' }),
  image: input.string({ pattern: /^[^\s]+$/, hint: 'use an image reference such as 123456789012.dkr.ecr.eu-central-1.amazonaws.com/shop:1.2.3' }),
  'test-url': input.url(),
  'production-url': input.url(),
  'bake-time': input.duration({ min: 0, max: 24 * 3600_000 }),
};

/** The parsed platform inputs (camelCase), plus which platform. */
export interface PlatformValues {
  platform: 'vercel' | 'ecs';
  vercelToken?: string;
  vercelTeamId?: string;
  vercelProjectId?: string;
  workingDirectory: string;
  prebuilt: boolean;
  vercelApiUrl: string;
  protectionBypassSecret?: string;
  awsRegion?: string;
  cluster?: string;
  service?: string;
  taskDefinition?: string;
  containerName?: string;
  image?: string;
  testUrl?: string;
  productionUrl?: string;
  bakeTime?: number;
}

const regionOf = (v: PlatformValues) => v.awsRegion || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION;
const absolute = (dir: string, workspace: string) => (isAbsolute(dir) ? dir : resolve(workspace, dir));
const isDirectory = (path: string) => {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
};

/**
 * Cross-checks of the platform inputs. `creates`: the operation makes a new candidate (uploads,
 * registers), so what it is made from must be there; promote and rollback need only the target.
 */
export function checkPlatformInputs(v: PlatformValues, { creates, workspace, malformed = new Set() }: { creates: boolean; workspace: string; malformed?: ReadonlySet<string> }): InputProblem[] {
  const problems: InputProblem[] = [];
  // An unknown platform is already reported: nothing to cross-check it against.
  if (v.platform !== 'vercel' && v.platform !== 'ecs') return problems;
  const need = (name: string, value: unknown, why: string) => {
    if (value === undefined || value === '') problems.push({ input: name, message: `Input '${name}' is required ${why}` });
  };
  if (v.platform === 'vercel') {
    need('vercel-token', v.vercelToken, 'with platform: vercel: pass ${{ secrets.VERCEL_TOKEN }}');
    need('vercel-project-id', v.vercelProjectId, 'with platform: vercel: the project id (prj_…) from the project settings');
    if (creates && v.workingDirectory !== undefined) {
      const dir = absolute(v.workingDirectory, workspace);
      if (!isDirectory(dir)) {
        problems.push({ input: 'working-directory', message: `Input 'working-directory' is ${JSON.stringify(v.workingDirectory)}, which is not a directory: give the folder to deploy (relative to the workspace)` });
      } else if (v.prebuilt && !isDirectory(join(dir, '.vercel', 'output'))) {
        problems.push({ input: 'prebuilt', message: `Input 'prebuilt' is true but ${v.workingDirectory}/.vercel/output does not exist: run 'vercel build' first, or set prebuilt: false` });
      }
    }
    return problems;
  }
  need('aws-region', regionOf(v), 'with platform: ecs (or set AWS_REGION)');
  need('cluster', v.cluster, 'with platform: ecs');
  need('service', v.service, 'with platform: ecs');
  if (!creates) return problems;
  if (v.taskDefinition) {
    try {
      resolveTaskDefinition(v.taskDefinition, workspace);
    } catch (error) {
      if (!(error instanceof ConfigurationError)) throw error;
      problems.push({ input: 'task-definition', message: error.message });
    }
  } else if (!v.containerName && !v.image && !malformed.has('container-name') && !malformed.has('image')) {
    problems.push({ input: 'task-definition', message: "Input 'task-definition' is required with platform: ecs, unless 'container-name' and 'image' patch the current one" });
  }
  if (!!v.containerName !== !!v.image && !malformed.has('container-name') && !malformed.has('image')) {
    const missing = v.containerName ? 'image' : 'container-name';
    problems.push({ input: missing, message: `Input '${missing}' is required together with '${missing === 'image' ? 'container-name' : 'image'}'` });
  }
  return problems;
}

/** The Vercel platform's options from the (checked) Vercel inputs. */
export function vercelOptions(v: Omit<PlatformValues, 'platform'>, options: { workspace: string; environment: string }): VercelOptions {
  const { repository, sha } = context();
  return {
    token: v.vercelToken!,
    teamId: v.vercelTeamId,
    projectId: v.vercelProjectId!,
    workingDirectory: absolute(v.workingDirectory, options.workspace),
    prebuilt: v.prebuilt,
    apiUrl: v.vercelApiUrl,
    productionUrl: v.productionUrl,
    meta: { githubCommitSha: sha, githubRepo: repository, gantryEnvironment: options.environment },
  };
}

/**
 * Opens the blue-green platform (`vercel-blue-green`, `ecs-blue-green`) the (checked) inputs
 * describe. Loads only that platform's SDK. `timeoutMs`: the operation's bound, also how long ECS
 * holds a deployment at Gantry's PAUSE hook before rolling back on its own.
 */
export async function openBlueGreen(v: PlatformValues, options: { workspace: string; environment: string; hooks?: TrafficHooks; timeoutMs?: number }): Promise<TrafficPlatform> {
  if (v.platform === 'vercel') return createTrafficPlatform<VercelOptions>('vercel-blue-green', vercelOptions(v, options), options.hooks);
  return createTrafficPlatform<EcsOptions>(
    'ecs-blue-green',
    {
      region: regionOf(v)!,
      cluster: v.cluster!,
      service: v.service!,
      taskDefinition: v.taskDefinition,
      workspace: options.workspace,
      containerName: v.containerName,
      image: v.image,
      testUrl: v.testUrl,
      productionUrl: v.productionUrl,
      bakeTimeMs: v.bakeTime,
      hookTimeoutMs: options.timeoutMs,
    },
    options.hooks,
  );
}

/** Headers for reaching a candidate at its own (protected) URL; their values are masked. */
export function candidateHeaders(v: Pick<PlatformValues, 'protectionBypassSecret'>): Record<string, string> {
  if (!v.protectionBypassSecret) return {};
  registerSecret(v.protectionBypassSecret);
  return { 'x-vercel-protection-bypass': v.protectionBypassSecret };
}

/** The release ledger of this repository (GitHub Deployments), or a configuration error outside a workflow. */
export function openLedger(token: string, signal: AbortSignal): Ledger {
  const run = context();
  if (!/^[^/\s]+\/[^/\s]+$/.test(run.repository)) throw new ConfigurationError('GITHUB_REPOSITORY is not set: run this action inside a GitHub workflow.');
  return new Ledger({ token, apiUrl: run.apiUrl, repository: run.repository, signal, logUrl: run.runUrl });
}
