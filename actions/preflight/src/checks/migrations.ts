/**
 * Migrations: migrate's own plan, read-only — pending files, lint findings and drift — through
 * migrate's public functions (files, history, plan, lint), on a read-only session.
 */
import { errorMessage } from '../../../../shared/core/errors.js';
import { connect } from '../../../../shared/postgres/connect.js';
import type { Check } from './types.js';

export function migrationsCheck(url: string | undefined, dir: string | undefined, workspace: string, timeoutMs: number): Check {
  return {
    id: 'migrations',
    title: 'Migrations',
    skip: dir === undefined ? 'no migrations-dir given' : undefined,
    timeoutMs,
    run: async ({ signal, deadline }) => {
      const [{ readMigrations }, { readHistory }, { makePlan }, { prepareFile }, { lintFiles, refusals }, { databaseLintContext }] = await Promise.all([
        import('../../../migrate/src/files.js'),
        import('../../../migrate/src/history.js'),
        import('../../../migrate/src/plan.js'),
        import('../../../migrate/src/execute.js'),
        import('../../../migrate/src/sql-engine.js'),
        import('../../../migrate/src/lint-facts.js'),
      ]);
      let files;
      try {
        files = readMigrations(dir!, workspace);
      } catch (error) {
        return { status: 'fail', found: errorMessage(error), fix: 'name each file <version>_<name>.sql (and <version>_<name>.down.sql)' };
      }
      const client = await connect(url!, { signal, attempts: 2, connectTimeoutMs: Math.max(100, deadline - Date.now()), applicationName: 'gantry-preflight' });
      let rows;
      let serverVersionNum: number;
      let context;
      try {
        await client.query('SET default_transaction_read_only = on');
        rows = await readHistory(client);
        serverVersionNum = Number((await client.query<{ n: string }>("SELECT current_setting('server_version_num') AS n")).rows[0]!.n);
        context = await databaseLintContext(client, serverVersionNum);
      } finally {
        await client.end().catch(() => undefined);
      }
      const plan = makePlan(files, rows);
      const prepared = new Map<string, Awaited<ReturnType<typeof prepareFile>>>();
      for (const f of plan.pending) prepared.set(f.version, await prepareFile(f, serverVersionNum));
      const { findings } = lintFiles(plan.pending, prepared, 'warn', context);
      // What migrate refuses to run whatever its lint setting: files it cannot parse, or with their own transaction control.
      const refused = plan.pending.flatMap((f) => refusals(prepared.get(f.version)!));
      const changed = plan.drift.filter((d) => d.kind === 'changed');
      const missing = plan.drift.filter((d) => d.kind === 'missing');
      const details = [
        ...findings.map((f) => `${f.path}:${f.line} [${f.rule}] ${f.message}`),
        ...changed.map((d) => `${d.path}: changed after it was applied (checksum differs)`),
        ...missing.map((d) => `${d.version}: applied, but no longer in the folder`),
        ...plan.outOfOrder.map((f) => `${f.path}: pending below the applied version ${plan.current}`),
      ];
      const data = {
        current: plan.current,
        pending: plan.pending.map((f) => f.path),
        findings: findings.map((f) => ({ path: f.path, line: f.line, rule: f.rule })),
        drift: plan.drift,
      };
      const summary = `at ${plan.current || 'no version'}; ${plan.pending.length} pending; ${findings.length} lint finding${findings.length === 1 ? '' : 's'}; ${plan.drift.length ? `drift in ${plan.drift.length}` : 'no drift'}`;
      if (refused.length || changed.length || plan.outOfOrder.length) {
        const why = refused.length ? `${refused.length} problem(s) it cannot run past (${[...new Set(refused.map((f) => f.rule))].join(', ')})` : changed.length ? 'applied migrations were edited' : 'pending migrations are out of order';
        return {
          status: 'fail',
          found: `${summary} — migrate would refuse: ${why}`,
          fix: refused.length ? 'fix the files named in the details' : changed.length ? 'restore the applied files and put the change in a new migration (or set allow-drift on migrate)' : `give the pending files versions above ${plan.current}`,
          details,
          data,
        };
      }
      if (findings.length || missing.length) {
        return { status: 'warn', found: summary, fix: 'review the lint findings (see details) before applying', details, data };
      }
      return { status: 'pass', found: summary, details, data };
    },
  };
}
