/**
 * How a file may run: Gantry wraps each file in its own transaction (with its history row), so
 * a file must not control transactions itself; a few statements cannot run inside one at all,
 * and then the file runs statement by statement.
 */
import type { Statement } from './parser.js';

const arr = (v: unknown): Array<Record<string, Record<string, unknown>>> => (Array.isArray(v) ? v : []);

/** Statements that PostgreSQL refuses to run inside a transaction block. */
export function cannotRunInTransaction(s: Statement, serverVersionNum = 170000): string | undefined {
  const n = s.node;
  switch (s.kind) {
    case 'IndexStmt':
      return n.concurrent ? 'CREATE INDEX CONCURRENTLY' : undefined;
    case 'DropStmt':
      return n.concurrent ? 'DROP INDEX CONCURRENTLY' : undefined;
    case 'ReindexStmt':
      if (n.kind === 'REINDEX_OBJECT_SYSTEM' || n.kind === 'REINDEX_OBJECT_DATABASE') return 'REINDEX SYSTEM/DATABASE';
      return arr(n.params).some((p) => p.DefElem?.defname === 'concurrently') ? 'REINDEX CONCURRENTLY' : undefined;
    case 'VacuumStmt':
      return n.is_vacuumcmd ? 'VACUUM' : undefined;
    case 'CreatedbStmt':
      return 'CREATE DATABASE';
    case 'DropdbStmt':
      return 'DROP DATABASE';
    case 'CreateTableSpaceStmt':
      return 'CREATE TABLESPACE';
    case 'DropTableSpaceStmt':
      return 'DROP TABLESPACE';
    case 'AlterSystemStmt':
      return 'ALTER SYSTEM';
    case 'AlterEnumStmt':
      // Before PostgreSQL 12, ALTER TYPE … ADD VALUE cannot run in a transaction block.
      return n.newVal !== undefined && n.oldVal === undefined && serverVersionNum < 120000 ? 'ALTER TYPE … ADD VALUE (PostgreSQL < 12)' : undefined;
    case 'AlterTableStmt':
      return arr(n.cmds).some((c) => (c.AlterTableCmd?.def as { PartitionCmd?: { concurrent?: boolean } } | undefined)?.PartitionCmd?.concurrent)
        ? 'DETACH PARTITION CONCURRENTLY'
        : undefined;
    case 'CreateSubscriptionStmt':
      return 'CREATE SUBSCRIPTION';
    default:
      return undefined;
  }
}

const CONTROL: Record<string, string> = {
  TRANS_STMT_BEGIN: 'BEGIN',
  TRANS_STMT_START: 'START TRANSACTION',
  TRANS_STMT_SAVEPOINT: 'SAVEPOINT',
  TRANS_STMT_RELEASE: 'RELEASE SAVEPOINT',
  TRANS_STMT_ROLLBACK_TO: 'ROLLBACK TO SAVEPOINT',
  TRANS_STMT_PREPARE: 'PREPARE TRANSACTION',
  TRANS_STMT_COMMIT_PREPARED: 'COMMIT PREPARED',
  TRANS_STMT_ROLLBACK_PREPARED: 'ROLLBACK PREPARED',
};

/**
 * BEGIN, COMMIT/END, ROLLBACK/ABORT, SAVEPOINT, RELEASE, PREPARE TRANSACTION, SET TRANSACTION…:
 * the statement's keyword, or undefined for any other statement.
 */
export function transactionControl(s: Statement): string | undefined {
  if (s.kind === 'TransactionStmt') {
    const kind = String(s.node.kind);
    // COMMIT and ROLLBACK have aliases (END, ABORT): name the one the file uses.
    return CONTROL[kind] ?? (/^\w+/.exec(s.text)?.[0] ?? kind).toUpperCase();
  }
  if (s.kind === 'VariableSetStmt' && /^TRANSACTION\b/.test(String(s.node.name ?? ''))) return `SET ${String(s.node.name)}`;
  return undefined;
}

/** What to do instead; `outside` is why the file must run outside a transaction, if it must. */
export function transactionControlMessage(keyword: string, outside: string | undefined): string {
  const why =
    `${keyword} in a migration file: Gantry runs each migration file in its own transaction and records it in the same transaction, ` +
    `so a file that opens, ends or splits a transaction would be reported applied while its work is not committed (or half of it is). Remove the ${keyword}.`;
  return outside
    ? `${why} ${outside} cannot run inside a transaction: put it in a file of its own, without BEGIN/COMMIT; Gantry sees it and runs that file outside a transaction, statement by statement.`
    : `${why} A statement that cannot run inside a transaction (CREATE INDEX CONCURRENTLY, VACUUM, …) goes in a file of its own: Gantry runs such a file outside a transaction by itself.`;
}
