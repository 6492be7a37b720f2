/**
 * migrate's wall time and peak memory through the committed bundle, on a real PostgreSQL:
 * `status` (no SQL parser), `plan` (parse + lint 20 pending files, writes nothing) and `apply`
 * (the same 20 files) into a fresh database each run. Median of 5. Figures, not assertions.
 *
 *   npx tsx scripts/bench-migrate.ts
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction } from '../test/harness/action.js';
import { createDatabase, startPostgres } from '../test/harness/postgres.js';

const RUNS = 5;
const FILES = 20;

const root = mkdtempSync(join(tmpdir(), 'gantry-bench-migrate-'));
mkdirSync(join(root, 'migrations'));
for (let i = 1; i <= FILES; i++) {
  const v = String(i).padStart(3, '0');
  writeFileSync(
    join(root, 'migrations', `${v}_table_${i}.sql`),
    `CREATE TABLE t${i} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL DEFAULT '', data jsonb, created timestamptz NOT NULL DEFAULT now());\n` +
      `CREATE INDEX t${i}_created ON t${i} (created);\n` +
      (i > 1 ? `ALTER TABLE t${i} ADD COLUMN parent bigint;\nALTER TABLE t${i} ADD CONSTRAINT t${i}_parent FOREIGN KEY (parent) REFERENCES t${i - 1} (id) NOT VALID;\n` : '') +
      `COMMENT ON TABLE t${i} IS 'bench table ${i}';\n`,
  );
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const server = await startPostgres();
try {
  const rows: string[] = [];
  for (const operation of ['status', 'plan', 'apply'] as const) {
    const ms: number[] = [];
    const peaks: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const url = await createDatabase(server, `bench_${operation}_${run}`);
      const r = await runAction('migrate', { cwd: root, inputs: { 'database-url': url, operation }, measureMemory: true });
      if (r.code !== 0) throw new Error(`migrate ${operation} failed:\n${r.log.slice(-2000)}`);
      if (operation === 'apply' && r.outputs['pending-count'] !== '0') throw new Error(`apply left ${r.outputs['pending-count']} pending`);
      ms.push(r.durationMs);
      peaks.push(r.peakMiB!);
    }
    rows.push(`| ${operation} | ${median(ms)} ms | ${Math.min(...ms)}–${Math.max(...ms)} ms | ${median(peaks).toFixed(0)} MiB |`);
  }
  console.log(`\nmigrate through the bundle (${FILES} files, median of ${RUNS}, wall time includes the process start)\n`);
  console.log('| operation | wall time | range | peak RSS |');
  console.log('| :-- | --: | --: | --: |');
  for (const row of rows) console.log(row);
} finally {
  await server.stop();
  rmSync(root, { recursive: true, force: true });
}
