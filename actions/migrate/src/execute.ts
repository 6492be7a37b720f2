/**
 * Running migration files: one transaction per file (with its history row inside it), or —
 * when a statement cannot run in a transaction — statement by statement, recorded only when
 * every statement succeeded. After each file, what was recorded is checked from the database.
 * Lock timeouts (SQLSTATE 55P03) are retried a bounded number of times; everything else stops
 * the run with the file and line of the failing statement.
 */
import type pg from 'pg';
import { CancelledError } from '../../../shared/core/errors.js';
import { log } from '../../../shared/core/log.js';
import { backoffDelay, sleep } from '../../../shared/core/net.js';
import { formatDuration } from '../../../shared/core/duration.js';
import type { SqlFile } from './files.js';
import { checkRecorded } from './history.js';
import { cannotRunInTransaction, transactionControl } from './transaction.js';
import { LocatedSyntaxError, splitStatements, type Statement } from './parser.js';

export interface PreparedFile {
  file: SqlFile;
  /** undefined when the parser could not read the file (then it runs as one query). */
  statements?: Statement[];
  syntaxError?: LocatedSyntaxError;
  /** Why the file runs outside a transaction (undefined: in one). */
  nonTransactional?: string;
  /** BEGIN, COMMIT, SAVEPOINT… in the file: refused before anything runs. */
  transactionControl: Array<{ keyword: string; statement: Statement }>;
}

export async function prepareFile(file: SqlFile, serverVersionNum?: number): Promise<PreparedFile> {
  try {
    const statements = await splitStatements(file.sql);
    const reasons = statements.map((s) => cannotRunInTransaction(s, serverVersionNum)).filter(Boolean);
    const control = statements.flatMap((statement) => {
      const keyword = transactionControl(statement);
      return keyword ? [{ keyword, statement }] : [];
    });
    return { file, statements, nonTransactional: reasons[0], transactionControl: control };
  } catch (error) {
    if (error instanceof LocatedSyntaxError) return { file, syntaxError: error, transactionControl: [] };
    throw error;
  }
}

/** A statement failed: where, and what PostgreSQL said. */
export class MigrationError extends Error {
  override name = 'MigrationError';
  constructor(
    message: string,
    readonly path: string,
    readonly line: number | undefined,
    readonly code: string | undefined,
  ) {
    super(message);
  }

  /** Where run() annotates the failure. */
  get location(): { file: string; line?: number } {
    return { file: this.path, line: this.line };
  }
}

interface PgError {
  code?: string;
  message: string;
  position?: string;
  detail?: string;
  hint?: string;
}

function lineInStatement(s: Statement | undefined, position: string | undefined): number | undefined {
  if (!s) return undefined;
  const pos = Number(position);
  if (!pos) return s.line;
  return s.line + (s.text.slice(0, pos - 1).match(/\n/g)?.length ?? 0);
}

function describe(error: unknown): PgError {
  const e = error as PgError;
  return { code: e.code, message: e.message ?? String(error), position: e.position, detail: e.detail, hint: e.hint };
}

export interface ExecOptions {
  signal: AbortSignal;
  /** Bounded retries of a file (or statement) on lock timeout. */
  lockRetries: number;
  lockRetryBaseMs: number;
  /** Re-applies the session settings after each file (a file may SET things). */
  resetSession: () => Promise<void>;
}

/** The history row a file writes (apply) or deletes (rollback). */
export interface HistoryChange {
  version: string;
  /** Writes the change; returns the id of the transaction it ran in (undefined: no row changed). */
  write(ms: number): Promise<string | undefined>;
  /** Whether the row is there once the file is done. */
  present: boolean;
}

/**
 * Runs one file and its history change — inside the transaction when there is one — then checks
 * from the database that the transaction committed and the history row is as it should be: a file
 * is never reported applied when it is not. Returns how long it took.
 */
export async function runFile(client: pg.Client, prepared: PreparedFile, history: HistoryChange, options: ExecOptions): Promise<number> {
  const { file } = prepared;
  const statements = prepared.statements;
  for (let attempt = 1; ; attempt++) {
    options.signal.throwIfAborted();
    const started = performance.now();
    let current: Statement | undefined;
    let xid: string | undefined;
    try {
      if (prepared.nonTransactional && statements) {
        // Statement by statement; a lock timeout retries only the statement that hit it.
        for (const [i, s] of statements.entries()) {
          current = s;
          await runWithLockRetry(client, s, options, file.path, i, statements.length);
        }
        current = undefined;
        xid = await history.write(performance.now() - started);
      } else {
        await client.query('BEGIN');
        if (statements) {
          for (const s of statements) {
            current = s;
            options.signal.throwIfAborted();
            await client.query(s.text);
          }
        } else {
          await client.query(file.sql);
        }
        current = undefined;
        xid = await history.write(performance.now() - started);
        await client.query('COMMIT');
      }
      const problem = await checkRecorded(client, xid, history.version, history.present);
      if (problem) {
        throw new MigrationError(
          `${file.path}: ran, but ${problem}. Its changes may not be in the database as recorded: check the database and the history table before running again.`,
          file.path,
          undefined,
          undefined,
        );
      }
      const ms = performance.now() - started;
      await options.resetSession();
      return ms;
    } catch (error) {
      // Also outside a transaction: a block left open by the file must not swallow what follows.
      await client.query('ROLLBACK').catch(() => undefined);
      await options.resetSession().catch(() => undefined);
      if (options.signal.aborted) throw options.signal.reason instanceof Error ? options.signal.reason : new CancelledError();
      if (error instanceof MigrationError) throw error;
      const pgError = describe(error);
      if (pgError.code === '55P03' && !prepared.nonTransactional && attempt <= options.lockRetries) {
        const delay = backoffDelay(attempt, options.lockRetryBaseMs, 30_000);
        log.warning(`${file.path}: lock timeout (attempt ${attempt} of ${options.lockRetries + 1}); rolled back, retrying in ${formatDuration(delay)}.`, { file: file.path, line: current?.line });
        await sleep(delay, options.signal);
        continue;
      }
      throw failure(file.path, current, pgError, prepared.nonTransactional ? undefined : 'the whole file was rolled back; nothing of it is applied');
    }
  }
}

async function runWithLockRetry(client: pg.Client, s: Statement, options: ExecOptions, path: string, index: number, count: number): Promise<void> {
  // A failed CREATE INDEX CONCURRENTLY can leave an INVALID index behind; do not retry it blindly.
  const retryable = !(s.kind === 'IndexStmt' || s.kind === 'ReindexStmt');
  for (let attempt = 1; ; attempt++) {
    options.signal.throwIfAborted();
    try {
      await client.query(s.text);
      return;
    } catch (error) {
      const e = describe(error);
      if (options.signal.aborted) throw error;
      if (e.code === '55P03' && retryable && attempt <= options.lockRetries) {
        const delay = backoffDelay(attempt, options.lockRetryBaseMs, 30_000);
        log.warning(`${path}: lock timeout (attempt ${attempt} of ${options.lockRetries + 1}); retrying the statement in ${formatDuration(delay)}.`, { file: path, line: s.line });
        await sleep(delay, options.signal);
        continue;
      }
      const done = index === 0 ? 'no statement of this file had run' : `${index} of ${count} statements of this file had already run and stay applied (it runs outside a transaction); the file is not recorded as applied`;
      const invalid = s.kind === 'IndexStmt' && s.node.concurrent ? '; a failed CREATE INDEX CONCURRENTLY leaves an INVALID index: DROP INDEX CONCURRENTLY it before retrying' : '';
      throw failure(path, s, e, done + invalid);
    }
  }
}

function failure(path: string, s: Statement | undefined, e: PgError, consequence: string | undefined): MigrationError {
  const line = lineInStatement(s, e.position);
  const what = e.code === '55P03' ? 'lock timeout (raise lock-timeout or run when the table is quieter)' : e.code === '57014' ? 'statement timeout or cancelled' : undefined;
  const parts = [`${path}${line ? `:${line}` : ''}: ${e.message}${e.code ? ` (SQLSTATE ${e.code}${what ? `, ${what}` : ''})` : ''}`];
  if (e.detail) parts.push(`Detail: ${e.detail}`);
  if (e.hint) parts.push(`Hint: ${e.hint}`);
  if (consequence) parts.push(`— ${consequence}.`);
  return new MigrationError(parts.join(' '), path, line, e.code);
}
