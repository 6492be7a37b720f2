/** What lint needs from the database: its version, the NOT NULL checks already proven, and which functions are volatile. */
import type pg from 'pg';
import { lintContext, type LintContext } from './lint.js';

export async function databaseLintContext(client: pg.Client, serverVersionNum: number): Promise<LintContext> {
  // A validated single-column CHECK (col IS NOT NULL): SET NOT NULL on col then needs no scan (PostgreSQL 12+).
  const checks = await client.query<{ key: string }>(`
    SELECT lower(c.relname) || '.' || lower(a.attname) AS key
    FROM pg_constraint k
    JOIN pg_class c ON c.oid = k.conrelid
    JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
    WHERE k.contype = 'c' AND k.convalidated AND cardinality(k.conkey) = 1
      AND pg_get_constraintdef(k.oid) = format('CHECK ((%s IS NOT NULL))', quote_ident(a.attname))`);
  // Names whose every overload is volatile: a DEFAULT calling one rewrites the table.
  const volatile = await client.query<{ name: string }>(`SELECT lower(proname) AS name FROM pg_proc GROUP BY 1 HAVING bool_and(provolatile = 'v')`);
  return lintContext({ serverVersionNum, notNullChecks: checks.rows.map((r) => r.key), volatileFunctions: volatile.rows.map((r) => r.name) });
}
