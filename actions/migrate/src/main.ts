import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import type pg from 'pg';
import { ConfigurationError, TimeoutError, errorMessage } from '../../../shared/core/errors.js';
import { formatDuration } from '../../../shared/core/duration.js';
import { input, InvalidValue, readInputs } from '../../../shared/core/inputs.js';
import { log } from '../../../shared/core/log.js';
import { connect, describeUrl, serverInfo } from '../../../shared/postgres/connect.js';
import { acquireAdvisoryLock, describeHolder, lockKey, type AdvisoryLock } from '../../../shared/postgres/lock.js';
import type { ActionContext } from '../../../shared/core/run.js';
import { writeOutput } from '../../../shared/core/runner.js';
import { parseArgv } from '../../../shared/argv.js';
import { compareVersions, readMigrations } from './files.js';
import { runExternal, type ExternalOutcome } from './external-engine.js';
import { runSqlEngine, type SqlOutcome } from './sql-engine.js';
import { writeSummary } from './report.js';
import { context } from '../../../shared/core/context.js';

export const inputs = {
  operation: input.choice(['apply', 'plan', 'status', 'rollback'] as const, { default: 'apply' }),
  'database-url': input.url({ required: true, secret: true, protocols: ['postgres:', 'postgresql:'] }),
  engine: input.choice(['sql', 'prisma', 'command'] as const, { default: 'sql' }),
  'migrations-dir': input.string(),
  command: {
    parse: (raw: string) => {
      if (raw === '') return undefined;
      try {
        const argv = parseArgv(raw);
        if (argv.length === 0) throw new InvalidValue('is empty: give a program and its arguments, e.g. npx knex migrate:latest');
        return argv;
      } catch (error) {
        if (error instanceof InvalidValue) throw error;
        throw new InvalidValue(`${(error as Error).message}: it is split into arguments like a shell would (quotes group words) but never run by a shell`);
      }
    },
  },
  target: input.string({ pattern: /^\d+$/, hint: 'give a migration version (the digits before the first _ in its file name), or 0 with rollback for "before the first"' }),
  lint: input.choice(['warn', 'error', 'off'] as const, { default: 'warn' }),
  'lock-timeout': input.duration({ default: '5s', min: 0, max: 3_600_000 }),
  'statement-timeout': input.duration({ default: '0', min: 0 }),
  'wait-for-lock': input.duration({ default: '2m', min: 0, max: 6 * 3_600_000 }),
  timeout: input.duration({ default: '30m', min: 1000, max: 6 * 3_600_000 }),
  'backup-id': input.string({ pattern: /^[^\r\n]+$/, hint: 'give the backup action\'s backup-id output on one line' }),
  'require-backup': input.boolean(false),
  'allow-drift': input.boolean(false),
  'working-directory': input.string({ default: '.' }),
};

const APP = 'gantry-migrate';

export async function main({ signal }: ActionContext): Promise<void> {
  const i = readInputs(inputs);
  const workspace = context().workspace;
  const cwd = resolve(workspace, i.workingDirectory);
  if (!existsSync(cwd) || !statSync(cwd).isDirectory()) {
    throw new ConfigurationError(`Input 'working-directory' is ${JSON.stringify(i.workingDirectory)}: no such directory in the workspace; check out the repository first or fix the path.`, { input: 'working-directory' });
  }
  if (i.engine === 'command' && !i.command) throw new ConfigurationError(`Input 'command' is required with engine: command: give the program and its arguments, e.g. npx knex migrate:latest.`, { input: 'command' });
  if (i.engine !== 'command' && i.command) throw new ConfigurationError(`Input 'command' is only used with engine: command (engine is ${i.engine}): remove it or set engine: command.`, { input: 'command' });
  if (i.engine === 'command' && i.operation !== 'apply') throw new ConfigurationError(`Input 'operation' is "${i.operation}": engine: command only runs the command (operation: apply); plan, status and rollback need engine: sql or prisma.`, { input: 'operation' });
  if (i.engine === 'prisma' && i.operation === 'rollback') throw new ConfigurationError(`Input 'operation' is "rollback": Prisma has no down migrations; restore the backup taken before the migration (the backup action's restore) or use engine: sql.`, { input: 'operation' });
  if (i.engine !== 'sql' && i.target !== undefined) throw new ConfigurationError(`Input 'target' is only supported with engine: sql.`, { input: 'target' });
  if (i.requireBackup && (i.operation === 'apply' || i.operation === 'rollback') && !i.backupId) {
    throw new ConfigurationError(`Input 'backup-id' is required because require-backup is true: run the backup action first and pass its output, e.g. backup-id: \${{ steps.backup.outputs.backup-id }}.`, { input: 'backup-id' });
  }
  const dirInput = i.migrationsDir ?? (i.engine === 'prisma' ? 'prisma/migrations' : 'migrations');
  const dir = resolve(cwd, dirInput);
  const files = i.engine === 'sql' ? readMigrations(dir, workspace) : [];
  if (i.engine === 'sql' && files.length === 0) log.warning(`No migrations (<version>_<name>.sql) in ${dirInput}.`);
  if (i.engine === 'sql' && i.target !== undefined && i.operation !== 'rollback' && !files.some((f) => compareVersions(f.version, i.target!) === 0)) {
    throw new ConfigurationError(`Input 'target' is "${i.target}", which is not the version of any file in ${dirInput}${files.length ? ` (${files[0]!.version} … ${files.at(-1)!.version})` : ''}: give the digits before the first _ of a migration's file name.`, { input: 'target' });
  }

  // A deadline for the whole run, on top of cancellation.
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  const deadline = setTimeout(
    () => controller.abort(new TimeoutError(`migrate ran longer than timeout (${formatDuration(i.timeout)}): stopped; the file in progress was rolled back (if it ran in a transaction).`)),
    i.timeout,
  );
  const runSignal = controller.signal;

  const target = describeUrl(i.databaseUrl);
  const appName = `${APP} ${context().repository} run ${context().runId || 'local'}`.replace(/\s+/g, ' ').slice(0, 63);
  let client: pg.Client | undefined;
  let lock: AdvisoryLock | undefined;
  let outcome: SqlOutcome | undefined;
  let external: ExternalOutcome | undefined;
  let failure: unknown;
  const started = Date.now();
  const stopCancel = () => undefined;
  let cancelQuery = stopCancel;
  try {
    client = await connect(i.databaseUrl, { signal: runSignal, applicationName: appName });
    const server = await serverInfo(client);
    log.info(`Connected to ${target} (PostgreSQL ${server.version}); ${i.operation} with engine ${i.engine}.`);
    const c = client;
    cancelQuery = () => void cancelBackend(i.databaseUrl, (c as unknown as { processID?: number }).processID);
    runSignal.addEventListener('abort', cancelQuery, { once: true });
    const readOnly = i.operation === 'plan' || i.operation === 'status';
    await applySession(client, i.lockTimeout, i.statementTimeout, readOnly);

    if (!readOnly || i.engine !== 'sql') {
      if (!readOnly) {
        lock = await acquireAdvisoryLock(client, lockKey('gantry:migrate'), {
          what: 'migration',
          waitMs: i.waitForLock,
          signal: runSignal,
          waitInput: 'wait-for-lock',
          onWait: (holder) => log.info(`Another migration is running (${describeHolder(holder)}); waiting up to ${formatDuration(i.waitForLock)} for it…`),
        });
        if (lock.waitedMs > 250) log.info(`Got the migration lock after ${formatDuration(lock.waitedMs)}.`);
      }
    }
    const meta = {
      actor: context().actor || undefined,
      commitSha: context().sha || undefined,
      runUrl: context().runUrl,
      backupId: i.backupId,
    };
    if (i.engine === 'sql') {
      const session = client;
      outcome = await runSqlEngine(client, {
        operation: i.operation,
        files,
        target: i.target,
        lint: i.lint,
        allowDrift: i.allowDrift,
        meta,
        serverVersionNum: server.versionNum,
        exec: {
          signal: runSignal,
          lockRetries: 3,
          lockRetryBaseMs: 500,
          resetSession: () => applySession(session, i.lockTimeout, i.statementTimeout, readOnly),
        },
      });
    } else {
      external = await runExternal(client, {
        engine: i.engine,
        operation: i.operation,
        argv: i.command,
        cwd,
        migrationsDir: dir,
        databaseUrl: i.databaseUrl,
        lockTimeoutMs: i.lockTimeout,
        statementTimeoutMs: i.statementTimeout,
        signal: runSignal,
      });
    }
  } catch (error) {
    failure = error;
    outcome ??= (error as { outcome?: SqlOutcome }).outcome;
    external ??= (error as { external?: ExternalOutcome }).external;
  } finally {
    clearTimeout(deadline);
    signal.removeEventListener('abort', onAbort);
    runSignal.removeEventListener('abort', cancelQuery);
    if (lock) await lock.release().catch((e: unknown) => log.warning(`Could not release the migration lock cleanly (${errorMessage(e)}); it goes with the connection, which is closing now.`));
    await client?.end().catch(() => undefined);
    log.debug(`Finished in ${Date.now() - started} ms (connection closed).`);
  }

  const result = writeResults(i.operation, outcome, external);
  await writeSummary({ operation: i.operation, engine: i.engine, target, outcome, external, result, failure, elapsedMs: Date.now() - started, lint: i.lint });
  if (failure) {
    // run() annotates it, on the migration's file and line when the error knows them.
    throw failure;
  }
}

async function applySession(client: pg.Client, lockTimeoutMs: number, statementTimeoutMs: number, readOnly: boolean): Promise<void> {
  await client.query(
    `RESET ALL; SET lock_timeout = ${Math.round(lockTimeoutMs)}; SET statement_timeout = ${Math.round(statementTimeoutMs)};` +
      (readOnly ? ' SET default_transaction_read_only = on;' : ''),
  );
}

/** Cancels the statement running on our session (cancellation or the deadline): it rolls back. */
async function cancelBackend(url: string, pid: number | undefined): Promise<void> {
  if (!pid) return;
  try {
    const other = await connect(url, { attempts: 1, connectTimeoutMs: 5000, applicationName: `${APP} cancel` });
    try {
      await other.query('SELECT pg_cancel_backend($1)', [pid]);
    } finally {
      await other.end();
    }
  } catch (error) {
    log.warning(`Could not cancel the running statement: ${errorMessage(error)}`);
  }
}

export interface Results {
  applied: string[];
  rolledBack: string[];
  pendingCount: number | undefined;
  version: string;
  previousVersion: string;
  drift: boolean;
}

function writeResults(operation: string, o: SqlOutcome | undefined, e: ExternalOutcome | undefined): Results {
  const r: Results = {
    applied: o ? o.applied.map((a) => a.version) : (e?.applied ?? []),
    rolledBack: o ? o.rolledBack.map((a) => a.version) : [],
    pendingCount: o ? (operation === 'plan' ? o.pending.length : o.pending.length) : e?.pendingCount,
    version: o ? o.after : (e?.version ?? ''),
    previousVersion: o ? o.before : (e?.previousVersion ?? ''),
    drift: o ? o.drift.some((d) => d.kind === 'changed') : false,
  };
  writeOutput('applied', JSON.stringify(r.applied));
  writeOutput('rolled-back', JSON.stringify(r.rolledBack));
  writeOutput('pending-count', r.pendingCount === undefined ? '' : String(r.pendingCount));
  writeOutput('version', r.version);
  writeOutput('previous-version', r.previousVersion);
  writeOutput('drift', String(r.drift));
  return r;
}
