/** deploy-blue-green's inputs: one schema (exported for the contract test) and its cross-checks, read in one pass. */
import { context } from '../../../shared/core/context.js';
import { commonInputs } from '../../../shared/core/common-inputs.js';
import { input, readInputs, type InputDef } from '../../../shared/core/inputs.js';
import { checkPlatformInputs, platformInputs } from '../../../shared/platforms/inputs.js';
import { defaultCheck, parseChecks, type Check } from '../../../shared/smoke/checks.js';

const checksInput: InputDef<Check[]> = {
  parse: (raw) => (raw ? parseChecks(raw) : [defaultCheck()]),
};

export const definitions = {
  platform: input.choice(['vercel', 'ecs'] as const, { required: true }),
  operation: input.choice(['deploy', 'promote', 'rollback'] as const, { default: 'deploy' }),
  environment: commonInputs.environment('production'),
  'verify-checks': checksInput,
  promote: input.boolean(true),
  watch: input.duration({ default: '2m', min: 0, max: 6 * 3600_000 }),
  'auto-rollback': input.boolean(true),
  timeout: input.duration({ default: '30m', min: 1000, max: 6 * 3600_000 }),
  to: input.string({ pattern: /^[A-Za-z0-9][A-Za-z0-9_:/.-]{2,2047}$/, hint: 'use a platform deployment id (Vercel dpl_…, an ECS task definition ARN)' }),
  'backup-id': input.string({ pattern: /^[^\s]{1,255}$/, hint: 'use the backup-id output of the backup action' }),
  'migration-version': input.string({ pattern: /^[^\s]{1,255}$/, hint: 'use the version output of the migrate action' }),
  'github-token': commonInputs.githubToken('deployments: write'),
  ...platformInputs,
  'sentry-dsn': commonInputs.sentryDsn(),
};

export function readDeployInputs() {
  const { workspace } = context();
  const inputs = readInputs(definitions, (v, malformed) => checkPlatformInputs(v, { creates: v.operation === 'deploy', workspace, malformed }));
  return { ...inputs, workspace };
}

export type DeployInputs = ReturnType<typeof readDeployInputs>;
