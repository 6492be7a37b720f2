/** migrate: inputs → a locked session → the sql engine or an external tool → outputs and summary. */
import type { ActionContext } from '../../../shared/core/run.js';
import { describeUrl } from '../../../shared/postgres/connect.js';
import type { ExternalOutcome } from './external-engine.js';
import { runMeta } from './history.js';
import { readMigrateInputs } from './inputs.js';
import { logPlan, writeOutputs, writeSummary } from './report.js';
import { withSession } from './session.js';
import type { SqlOutcome } from './sql-engine.js';

export async function main({ signal }: ActionContext): Promise<void> {
  const i = readMigrateInputs();
  const started = Date.now();
  let outcome: SqlOutcome | undefined;
  let external: ExternalOutcome | undefined;
  let failure: unknown;
  try {
    await withSession(i, signal, async ({ client, server, signal: runSignal, exec }) => {
      // Each engine is loaded when chosen: the sql engine's PostgreSQL parser (a 2 MB wasm) is no
      // start-up cost of runs that stop at their inputs or use prisma or a command.
      if (i.engine === 'sql') {
        const { runSqlEngine } = await import('./sql-engine.js');
        const { operation, files, target, lint, allowDrift } = i;
        outcome = await runSqlEngine(client, { operation, files, target, lint, allowDrift, meta: runMeta(i.backupId), serverVersionNum: server.versionNum, exec });
      } else {
        const { runExternal } = await import('./external-engine.js');
        external = await runExternal(client, {
          engine: i.engine,
          operation: i.operation,
          argv: i.command,
          cwd: i.cwd,
          migrationsDir: i.dir,
          databaseUrl: i.databaseUrl,
          lockTimeoutMs: i.lockTimeout,
          statementTimeoutMs: i.statementTimeout,
          signal: runSignal,
        });
      }
    });
  } catch (error) {
    // What did happen before the failure still belongs in the outputs and summary.
    failure = error;
    outcome ??= (error as { outcome?: SqlOutcome }).outcome;
    external ??= (error as { external?: ExternalOutcome }).external;
  }
  const result = writeOutputs(outcome, external);
  logPlan(i.operation, outcome);
  const target = describeUrl(i.databaseUrl);
  await writeSummary({ operation: i.operation, engine: i.engine, target, outcome, external, result, failure, elapsedMs: Date.now() - started, lint: i.lint });
  // run() annotates the failure, on the migration's file and line when the error knows them.
  if (failure) throw failure;
}
