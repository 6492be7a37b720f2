/**
 * The database session a run works in: a deadline for the whole run on top of cancellation, a
 * cancel that reaches the statement running on the server, the same session settings for every
 * file, the migration lock (not for plan and status), and everything released at the end.
 */
import type pg from 'pg';
import { context } from '../../../shared/core/context.js';
import { errorMessage, TimeoutError } from '../../../shared/core/errors.js';
import { formatDuration } from '../../../shared/core/duration.js';
import { log } from '../../../shared/core/log.js';
import { connect, describeUrl, serverInfo, type ServerInfo } from '../../../shared/postgres/connect.js';
import { acquireAdvisoryLock, describeHolder, lockKey, type AdvisoryLock } from '../../../shared/postgres/lock.js';
import type { ExecOptions } from './execute.js';
import type { MigrateInputs } from './inputs.js';

const APP = 'gantry-migrate';

export interface Session {
  client: pg.Client;
  server: ServerInfo;
  /** Aborted on cancellation or at the deadline. */
  signal: AbortSignal;
  exec: ExecOptions;
}

export async function withSession<T>(i: MigrateInputs, signal: AbortSignal, work: (session: Session) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onAbort = () => controller.abort(signal.reason);
  signal.addEventListener('abort', onAbort, { once: true });
  const deadline = setTimeout(
    () => controller.abort(new TimeoutError(`migrate ran longer than timeout (${formatDuration(i.timeout)}): stopped; the file in progress was rolled back (if it ran in a transaction).`)),
    i.timeout,
  );
  const runSignal = controller.signal;
  const appName = `${APP} ${context().repository} run ${context().runId || 'local'}`.replace(/\s+/g, ' ').slice(0, 63);
  const readOnly = i.operation === 'plan' || i.operation === 'status';
  let client: pg.Client | undefined;
  let lock: AdvisoryLock | undefined;
  let cancelQuery = () => undefined as void;
  const started = Date.now();
  try {
    client = await connect(i.databaseUrl, { signal: runSignal, applicationName: appName });
    const c = client;
    const server = await serverInfo(c);
    log.info(`Connected to ${describeUrl(i.databaseUrl)} (PostgreSQL ${server.version}); ${i.operation} with engine ${i.engine}.`);
    cancelQuery = () => void cancelBackend(i.databaseUrl, (c as unknown as { processID?: number }).processID);
    runSignal.addEventListener('abort', cancelQuery, { once: true });
    const resetSession = () => applySession(c, i.lockTimeout, i.statementTimeout, readOnly);
    await resetSession();
    if (!readOnly) {
      lock = await acquireAdvisoryLock(c, lockKey('gantry:migrate'), {
        what: 'migration',
        waitMs: i.waitForLock,
        signal: runSignal,
        waitInput: 'wait-for-lock',
        onWait: (holder) => log.info(`Another migration is running (${describeHolder(holder)}); waiting up to ${formatDuration(i.waitForLock)} for it…`),
      });
      if (lock.waitedMs > 250) log.info(`Got the migration lock after ${formatDuration(lock.waitedMs)}.`);
    }
    return await work({ client: c, server, signal: runSignal, exec: { signal: runSignal, lockRetries: 3, lockRetryBaseMs: 500, resetSession } });
  } finally {
    clearTimeout(deadline);
    signal.removeEventListener('abort', onAbort);
    runSignal.removeEventListener('abort', cancelQuery);
    if (lock) await lock.release().catch((e: unknown) => log.warning(`Could not release the migration lock cleanly (${errorMessage(e)}); it goes with the connection, which is closing now.`));
    await client?.end().catch(() => undefined);
    log.debug(`Finished in ${Date.now() - started} ms (connection closed).`);
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
