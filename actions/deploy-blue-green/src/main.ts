/** deploy-blue-green: typed inputs in → the release (release.ts) → outputs, ledger, job summary out. */
import { existsSync, statSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { ConfigurationError } from '../../../shared/core/errors.js';
import { input, InvalidValue, readInputs, type InputDef } from '../../../shared/core/inputs.js';
import { Ledger } from '../../../shared/ledger.js';
import { log } from '../../../shared/core/log.js';
import { createPlatform, type EcsOptions } from '../../../shared/platforms/index.js';
import type { VercelOptions } from '../../../shared/platforms/vercel.js';
import type { ActionContext } from '../../../shared/core/run.js';
import { writeOutput } from '../../../shared/core/runner.js';
import { registerSecret } from '../../../shared/core/secrets.js';
import { defaultCheck, parseChecks, type Check } from '../../../shared/smoke/index.js';
import { release } from './release.js';
import { writeSummary } from './summary.js';
import { context } from '../../../shared/core/context.js';

const checksInput: InputDef<Check[]> = {
  parse: (raw) => (raw ? parseChecks(raw) : [defaultCheck()]),
};

const ARN = /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/[A-Za-z0-9_-]+(:\d+)?$/;

export function readDeployInputs() {
  const inputs = readInputs({
    platform: input.choice(['vercel', 'ecs'] as const, { required: true }),
    operation: input.choice(['deploy', 'promote', 'rollback'] as const, { default: 'deploy' }),
    environment: input.string({ default: 'production', pattern: /^[A-Za-z0-9][A-Za-z0-9 ._/-]{0,254}$/, hint: 'use an environment name such as production or staging' }),
    'verify-checks': checksInput,
    promote: input.boolean(true),
    watch: input.duration({ default: '2m', min: 0, max: 6 * 3600_000 }),
    'auto-rollback': input.boolean(true),
    timeout: input.duration({ default: '30m', min: 1000, max: 6 * 3600_000 }),
    to: input.string({ pattern: /^[A-Za-z0-9][A-Za-z0-9_:/.-]{2,2047}$/, hint: 'use a platform deployment id (Vercel dpl_…, an ECS task definition ARN)' }),
    'backup-id': input.string({ pattern: /^[^\s]{1,255}$/, hint: 'use the backup-id output of the backup action' }),
    'migration-version': input.string({ pattern: /^[^\s]{1,255}$/, hint: 'use the version output of the migrate action' }),
    'github-token': input.secret({ required: true, hint: 'pass ${{ github.token }} (needs permissions: deployments: write)' }),
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
    'task-definition': input.string({ hint: 'use a task definition JSON file or an ARN' }),
    'container-name': input.string({ pattern: /^[A-Za-z0-9_-]{1,255}$/, hint: 'use the container name from the task definition' }),
    image: input.string({ pattern: /^[^\s]+$/, hint: 'use an image reference such as 123456789012.dkr.ecr.eu-central-1.amazonaws.com/shop:1.2.3' }),
    'test-url': input.url(),
    'production-url': input.url(),
    'bake-time': input.duration({ min: 0, max: 24 * 3600_000 }),
  });
  const problems: Array<[string, string]> = [];
  const need = (name: string, value: unknown, why: string) => {
    if (value === undefined || value === '') problems.push([name, `Input '${name}' is required ${why}`]);
  };
  const workspace = context().workspace;
  const workingDirectory = isAbsolute(inputs.workingDirectory) ? inputs.workingDirectory : resolve(workspace, inputs.workingDirectory);
  if (inputs.platform === 'vercel') {
    need('vercel-token', inputs.vercelToken, 'with platform: vercel: pass ${{ secrets.VERCEL_TOKEN }}');
    need('vercel-project-id', inputs.vercelProjectId, 'with platform: vercel: the project id (prj_…) from the project settings');
    if (inputs.operation === 'deploy') {
      if (!existsSync(workingDirectory) || !statSync(workingDirectory).isDirectory()) {
        problems.push(['working-directory', `Input 'working-directory' is ${JSON.stringify(inputs.workingDirectory)}, which is not a directory: give the folder to deploy (relative to the workspace)`]);
      } else if (inputs.prebuilt && !existsSync(join(workingDirectory, '.vercel', 'output'))) {
        problems.push(['prebuilt', `Input 'prebuilt' is true but ${inputs.workingDirectory}/.vercel/output does not exist: run 'vercel build' first, or set prebuilt: false`]);
      }
    }
  } else {
    const region = inputs.awsRegion || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION;
    need('aws-region', region, 'with platform: ecs (or set AWS_REGION)');
    need('cluster', inputs.cluster, 'with platform: ecs');
    need('service', inputs.service, 'with platform: ecs');
    if (inputs.operation === 'deploy') {
      const td = inputs.taskDefinition;
      if (td && !ARN.test(td) && !existsSync(resolve(workspace, td))) {
        problems.push(['task-definition', `Input 'task-definition' is ${JSON.stringify(td)}: give an existing JSON file (relative to the workspace) or a task definition ARN`]);
      }
      if (!td && !(inputs.containerName && inputs.image)) {
        problems.push(['task-definition', "Input 'task-definition' is required with platform: ecs, unless 'container-name' and 'image' patch the current one"]);
      }
      // ECS's native blue/green moves production itself before its bake: a staged-only release
      // would need a lifecycle hook that holds it, which Gantry does not install.
      if (!inputs.promote) {
        problems.push(['promote', "Input 'promote' is false, but ECS shifts production by itself during its deployment: remove it (green is verified while ECS bakes and rolled back on failure), or stage with platform: vercel"]);
      }
      if (!!inputs.containerName !== !!inputs.image) {
        const missing = inputs.containerName ? 'image' : 'container-name';
        problems.push([missing, `Input '${missing}' is required together with '${missing === 'image' ? 'container-name' : 'image'}'`]);
      }
    }
  }
  if (problems.length) throw new ConfigurationError(problems.map((p) => p[1]).join('\n'), { input: problems[0]![0] });
  return { ...inputs, workingDirectory, workspace };
}

export async function main({ signal }: ActionContext): Promise<void> {
  let inputs: ReturnType<typeof readDeployInputs>;
  try {
    inputs = readDeployInputs();
  } catch (error) {
    if (error instanceof InvalidValue) throw new ConfigurationError(error.message);
    throw error;
  }
  const run = context();
  const { repository, sha } = run;
  if (!/^[^/\s]+\/[^/\s]+$/.test(repository)) throw new ConfigurationError('GITHUB_REPOSITORY is not set: run this action inside a GitHub workflow.');
  const ref = sha || run.refName || 'main';

  const hooks = { log: (m: string) => log.info(`  ${m}`) };
  const platform =
    inputs.platform === 'vercel'
      ? await createPlatform('vercel', {
          token: inputs.vercelToken!,
          teamId: inputs.vercelTeamId,
          projectId: inputs.vercelProjectId!,
          workingDirectory: inputs.workingDirectory,
          prebuilt: inputs.prebuilt,
          apiUrl: inputs.vercelApiUrl,
          productionUrl: inputs.productionUrl,
          meta: { githubCommitSha: sha, githubRepo: repository, gantryEnvironment: inputs.environment },
        } satisfies VercelOptions, hooks)
      : await createPlatform('ecs', {
          region: (inputs.awsRegion || process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION)!,
          cluster: inputs.cluster!,
          service: inputs.service!,
          taskDefinition: inputs.taskDefinition && !ARN.test(inputs.taskDefinition) ? resolve(inputs.workspace, inputs.taskDefinition) : inputs.taskDefinition,
          containerName: inputs.containerName,
          image: inputs.image,
          testUrl: inputs.testUrl,
          productionUrl: inputs.productionUrl,
          bakeTimeMs: inputs.bakeTime,
        } satisfies EcsOptions, hooks);

  const greenHeaders: Record<string, string> = {};
  if (inputs.protectionBypassSecret) {
    greenHeaders['x-vercel-protection-bypass'] = inputs.protectionBypassSecret;
    registerSecret(inputs.protectionBypassSecret);
  }
  const ledger = new Ledger({ token: inputs.githubToken!, apiUrl: run.apiUrl, repository, signal, logUrl: run.runUrl });

  log.info(`${inputs.operation} on ${inputs.platform} → ${inputs.environment}`);
  const started = Date.now();
  const outcome = await release({
    operation: inputs.operation,
    environment: inputs.environment,
    platform,
    ledger,
    checks: inputs.verifyChecks,
    greenHeaders,
    promote: inputs.promote,
    watchMs: inputs.watch,
    autoRollback: inputs.autoRollback,
    timeoutMs: inputs.timeout,
    to: inputs.to,
    sha,
    ref,
    runId: run.runId || undefined,
    backupId: inputs.backupId,
    migrationVersion: inputs.migrationVersion,
    productionUrl: inputs.productionUrl,
    verify: { timeoutMs: 10_000, attempts: 3, retryDelayMs: 1_000, deadlineMs: 120_000 },
    signal,
    log: (m) => log.info(m),
    warn: (m) => log.warning(m),
  });

  writeOutput('deployment-id', outcome.deployment?.id ?? '');
  writeOutput('deployment-url', outcome.deployment?.url ?? '');
  writeOutput('previous-deployment-id', outcome.previous?.id ?? '');
  writeOutput('production-url', outcome.productionUrl ?? '');
  writeOutput('github-deployment-id', outcome.githubDeploymentId ? String(outcome.githubDeploymentId) : '');
  writeOutput('result', outcome.result ?? '');
  await writeSummary(inputs.operation, inputs.platform, inputs.environment, outcome, Date.now() - started);
  if (outcome.error) throw outcome.error;
  if (outcome.result === 'rolled-back' && inputs.operation !== 'rollback') throw new Error('the release was rolled back');
  log.notice(
    outcome.result === 'staged'
      ? `Staged ${outcome.deployment?.id} for ${inputs.environment}; production unchanged.`
      : outcome.result === 'rolled-back'
        ? `${inputs.environment} rolled back to ${outcome.liveAfter}.`
        : `${inputs.environment} is live on ${outcome.deployment?.id}.`,
    { title: 'deploy-blue-green' },
  );
}
