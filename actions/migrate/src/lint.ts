/**
 * Lint of pending migrations on the real parse tree: changes that destroy data, take a table
 * lock for a long time, or break the release that is still serving traffic. Each finding points
 * at the file and line. `-- gantry-lint: ignore <rule>[, <rule>]` (or `ignore all`) in the
 * comments just before a statement silences it for that statement.
 */
import type { Statement } from './parser.js';

export interface Finding {
  rule: string;
  message: string;
  line: number;
}

type Node = Record<string, unknown>;

const obj = (v: unknown): Node => (v && typeof v === 'object' ? (v as Node) : {});
const arr = (v: unknown): Node[] => (Array.isArray(v) ? (v as Node[]) : []);

function relName(relation: unknown): string {
  const r = obj(relation);
  return [r.schemaname, r.relname].filter(Boolean).join('.') || '?';
}

function relKey(relation: unknown): string {
  const r = obj(relation);
  return String(r.relname ?? '').toLowerCase();
}

function nameList(list: unknown): string {
  return arr(list)
    .map((n) => String(obj(n.String).sval ?? ''))
    .join('.');
}

function ignored(s: Statement): Set<string> {
  const out = new Set<string>();
  for (const m of s.leading.matchAll(/gantry-lint:\s*ignore\s+([\w\-, ]+)/gi)) {
    for (const r of m[1]!.split(/[\s,]+/)) if (r) out.add(r.toLowerCase());
  }
  return out;
}

export interface LintContext {
  /** Tables created earlier in the pending migrations (lower-case names): new, empty, unused. */
  createdTables: Set<string>;
  /** Maps a byte `location` in the file to a 1-based line. */
  lineOf(location: unknown): number | undefined;
}

/** Lints one file's statements. `context.createdTables` is updated as CREATE TABLE is seen. */
export function lintStatements(statements: Statement[], context: LintContext): Finding[] {
  const findings: Finding[] = [];
  for (const s of statements) {
    const skip = ignored(s);
    const add = (rule: string, _level: 'error' | 'warning', message: string, location?: unknown) => {
      if (skip.has(rule) || skip.has('all')) return;
      findings.push({ rule, message, line: context.lineOf(location) ?? s.line });
    };
    const n = s.node;
    const isNew = (relation: unknown) => context.createdTables.has(relKey(relation));
    switch (s.kind) {
      case 'CreateStmt':
      case 'CreateTableAsStmt': {
        const rel = s.kind === 'CreateStmt' ? n.relation : obj(n.into).rel;
        context.createdTables.add(relKey(rel));
        break;
      }
      case 'DropStmt': {
        const type = String(n.removeType);
        const names = arr(n.objects).map((o) => nameList(obj(o.List).items) || '?').join(', ');
        if (type === 'OBJECT_TABLE') add('drop-table', 'error', `DROP TABLE ${names} deletes the table and its data; the release still running reads it. Drop it in a later release, after a backup.`);
        else if (type === 'OBJECT_SCHEMA') add('drop-schema', 'error', `DROP SCHEMA ${names} deletes everything in it.`);
        else if (type === 'OBJECT_INDEX' && !n.concurrent) add('drop-index-not-concurrent', 'warning', `DROP INDEX ${names} takes an ACCESS EXCLUSIVE lock on the table; use DROP INDEX CONCURRENTLY.`);
        break;
      }
      case 'TruncateStmt':
        add('truncate', 'error', `TRUNCATE ${arr(n.relations).map((r) => relName(r.RangeVar)).join(', ')} deletes every row.`);
        break;
      case 'DeleteStmt':
        if (!n.whereClause) add('delete-without-where', 'warning', `DELETE FROM ${relName(n.relation)} without WHERE deletes every row.`, obj(n.relation).location);
        break;
      case 'UpdateStmt':
        if (!n.whereClause) add('update-without-where', 'warning', `UPDATE ${relName(n.relation)} without WHERE rewrites every row under a lock; batch it.`, obj(n.relation).location);
        break;
      case 'RenameStmt': {
        const type = String(n.renameType).replace('OBJECT_', '').toLowerCase();
        const what = n.subname ? `${relName(n.relation)}.${String(n.subname)}` : relName(n.relation);
        if (['table', 'column', 'view', 'materialized_view'].includes(type) && !isNew(n.relation)) {
          add('rename', 'warning', `Renaming ${type} ${what} to ${String(n.newname)} breaks the release still running (blue-green/canary); add the new name, migrate, drop the old one later.`, obj(n.relation).location);
        }
        break;
      }
      case 'IndexStmt':
        if (!n.concurrent && !isNew(n.relation)) {
          add('index-not-concurrent', 'warning', `CREATE INDEX ${String(n.idxname ?? '')} on ${relName(n.relation)} blocks writes to the table while it builds; use CREATE INDEX CONCURRENTLY (in its own migration).`.replace('  ', ' '), obj(n.relation).location);
        }
        break;
      case 'VacuumStmt':
        if (arr(n.options).some((o) => obj(o.DefElem).defname === 'full')) add('vacuum-full', 'warning', 'VACUUM FULL rewrites the table under an ACCESS EXCLUSIVE lock.');
        break;
      case 'ClusterStmt':
        add('cluster', 'warning', 'CLUSTER rewrites the table under an ACCESS EXCLUSIVE lock.');
        break;
      case 'AlterTableStmt': {
        const table = relName(n.relation);
        const fresh = isNew(n.relation);
        for (const c of arr(n.cmds)) {
          const cmd = obj(c.AlterTableCmd);
          const def = obj(cmd.def);
          const col = String(cmd.name ?? '');
          switch (cmd.subtype) {
            case 'AT_DropColumn':
              add('drop-column', 'error', `DROP COLUMN ${table}.${col} deletes data and breaks the release still running; stop using the column first, drop it in a later release.`);
              break;
            case 'AT_AlterColumnType':
              if (!fresh) add('column-type-change', 'warning', `Changing the type of ${table}.${col} may rewrite the table under an ACCESS EXCLUSIVE lock; add a new column and backfill instead.`, obj(def.ColumnDef).location);
              break;
            case 'AT_SetNotNull':
              if (!fresh) add('set-not-null', 'warning', `SET NOT NULL on ${table}.${col} scans the whole table under an ACCESS EXCLUSIVE lock; add CHECK (${col} IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL.`);
              break;
            case 'AT_AddColumn': {
              const cd = obj(def.ColumnDef);
              const cons = arr(cd.constraints).map((x) => obj(x.Constraint));
              const notNull = cons.some((x) => x.contype === 'CONSTR_NOTNULL' || x.contype === 'CONSTR_PRIMARY');
              const dflt = cons.find((x) => x.contype === 'CONSTR_DEFAULT');
              if (notNull && !dflt && !fresh) add('add-column-not-null', 'error', `ADD COLUMN ${table}.${String(cd.colname)} NOT NULL without a DEFAULT fails on a table with rows and breaks inserts of the release still running; add a DEFAULT.`, cd.location);
              if (dflt && isVolatile(dflt.raw_expr) && !fresh) add('add-column-volatile-default', 'warning', `ADD COLUMN ${table}.${String(cd.colname)} with a volatile DEFAULT rewrites the table under an ACCESS EXCLUSIVE lock.`, cd.location);
              for (const x of cons) if (x.contype === 'CONSTR_FOREIGN' && !fresh) add('foreign-key-not-valid', 'warning', `A foreign key on ${table}.${String(cd.colname)} validates every row while locking both tables; add it with NOT VALID, then VALIDATE CONSTRAINT in a later migration.`, x.location);
              break;
            }
            case 'AT_AddConstraint': {
              const con = obj(def.Constraint);
              if (fresh) break;
              if (con.contype === 'CONSTR_FOREIGN' && !con.skip_validation) {
                add('foreign-key-not-valid', 'warning', `FOREIGN KEY ${String(con.conname ?? '')} on ${table} validates every row while locking both tables; add it NOT VALID, then VALIDATE CONSTRAINT in a later migration.`.replace('  ', ' '), con.location);
              } else if (con.contype === 'CONSTR_CHECK' && !con.skip_validation) {
                add('check-not-valid', 'warning', `CHECK ${String(con.conname ?? '')} on ${table} scans the table under an ACCESS EXCLUSIVE lock; add it NOT VALID, then VALIDATE CONSTRAINT.`.replace('  ', ' '), con.location);
              } else if ((con.contype === 'CONSTR_PRIMARY' || con.contype === 'CONSTR_UNIQUE') && !con.indexname) {
                add('constraint-builds-index', 'warning', `Adding a ${con.contype === 'CONSTR_PRIMARY' ? 'PRIMARY KEY' : 'UNIQUE constraint'} on ${table} builds an index while blocking writes; CREATE UNIQUE INDEX CONCURRENTLY first, then ADD CONSTRAINT … USING INDEX.`, con.location);
              }
              break;
            }
            default:
              break;
          }
        }
        break;
      }
      default:
        break;
    }
  }
  return findings;
}

const VOLATILE = new Set(['random', 'gen_random_uuid', 'uuid_generate_v4', 'clock_timestamp', 'timeofday', 'nextval', 'uuidv7', 'uuidv4']);

function isVolatile(expr: unknown): boolean {
  const call = obj(obj(expr).FuncCall);
  if (!call.funcname) return false;
  const names = arr(call.funcname).map((n) => String(obj(n.String).sval ?? '').toLowerCase());
  return VOLATILE.has(names[names.length - 1] ?? '');
}
