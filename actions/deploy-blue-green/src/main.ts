/** deploy-blue-green: typed inputs in → the release (release.ts) → outputs, ledger, job summary out. */
import { context } from '../../../shared/core/context.js';
import { log } from '../../../shared/core/log.js';
import type { ActionContext } from '../../../shared/core/run.js';
import { candidateHeaders, openLedger, openBlueGreen } from '../../../shared/platforms/inputs.js';
import { readDeployInputs } from './inputs.js';
import { release } from './release.js';
import { writeResult } from './summary.js';

export async function main({ signal }: ActionContext): Promise<void> {
  const inputs = readDeployInputs();
  const run = context();
  const ledger = openLedger(inputs.githubToken!, signal);
  const platform = await openBlueGreen(inputs, { workspace: inputs.workspace, environment: inputs.environment, timeoutMs: inputs.timeout, hooks: { log: (m) => log.info(`  ${m}`) } });

  log.info(`${inputs.operation} on ${inputs.platform} → ${inputs.environment}`);
  const started = Date.now();
  const outcome = await release({
    operation: inputs.operation,
    environment: inputs.environment,
    platform,
    ledger,
    checks: inputs.verifyChecks,
    greenHeaders: candidateHeaders(inputs),
    promote: inputs.promote,
    watchMs: inputs.watch,
    autoRollback: inputs.autoRollback,
    timeoutMs: inputs.timeout,
    to: inputs.to,
    sha: run.sha,
    ref: run.sha || run.refName || 'main',
    runId: run.runId || undefined,
    backupId: inputs.backupId,
    migrationVersion: inputs.migrationVersion,
    productionUrl: inputs.productionUrl,
    verify: { timeoutMs: 10_000, attempts: 3, retryDelayMs: 1_000, deadlineMs: 120_000 },
    signal,
    log: (m) => log.info(m),
    warn: (m) => log.warning(m),
  });
  await writeResult(inputs, outcome, Date.now() - started);
}
