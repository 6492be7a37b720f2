/** Every check, built from the inputs and where the action runs. */
import type { RunContext } from '../../../../shared/core/context.js';
import type { PreflightInputs } from '../inputs.js';
import { backupCheck } from './backup.js';
import { ciCheck } from './ci.js';
import { concurrencyCheck } from './concurrency.js';
import { configCheck } from './config.js';
import { databaseCheck } from './database.js';
import { freezeCheck } from './freeze.js';
import { migrationsCheck } from './migrations.js';
import { platformCheck } from './platform.js';
import { refCheck } from './ref.js';
import type { Check } from './types.js';
import { urlsCheck } from './urls.js';

export function buildChecks(i: PreflightInputs, run: RunContext, env: NodeJS.ProcessEnv = process.env): Check[] {
  const t = i.timeout;
  const github = { token: i.githubToken, apiUrl: run.apiUrl, repository: run.repository, runId: run.runId };
  return [
    configCheck(i.requiredEnv, env, t),
    databaseCheck(i.databaseUrl, t),
    migrationsCheck(i.databaseUrl, i.migrationsPath, i.workspace, t),
    platformCheck(i.target, t),
    ciCheck({ ...github, sha: run.sha, ref: run.ref, required: i.requiredChecks, waitMs: i.waitForChecks, timeoutMs: t }),
    refCheck(run.ref, i.allowedRefs, t),
    concurrencyCheck({ ...github, environment: i.environment, serverUrl: run.serverUrl, block: i.blockConcurrent, timeoutMs: t }),
    freezeCheck(i.freeze, i.freezeOverride, t),
    urlsCheck(i.urls, i.tlsMinDays, t),
    backupCheck({ destination: i.backup, s3: { region: i.s3Region, endpoint: i.s3Endpoint, forcePathStyle: i.s3ForcePathStyle }, runId: run.runId, timeoutMs: t }),
  ];
}
