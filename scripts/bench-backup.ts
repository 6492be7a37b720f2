/**
 * Backup throughput and peak memory: the backup bundle (pg_dump -Fc → age → SHA-256 → store,
 * with verification: pg_restore reads the archive as it streams, then the stored object is
 * re-read, checksummed and decrypted) against the seeds' shell pipeline
 * (`pg_dump | gzip | gpg --symmetric > file`, no verification), on pgbench databases.
 *
 *   npx tsx scripts/bench-backup.ts [sizesInMB…]     default: 100 1000 (add 10000 for 10 GB)
 *   BENCH_PIPELINES=dir,s3 npx tsx scripts/bench-backup.ts …   only some (shell, dir, passphrase, plain, s3)
 *
 * Needs pgbench, gzip and gpg (apt-get install -y gnupg). Peak memory is the node process's
 * VmHWM (peak resident set), read from /proc while it runs, with the sum of its children's
 * (pg_dump, pg_restore) beside it; the shell pipeline's is the sum of its processes' peaks from
 * /usr/bin/time -v.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { NODE, runAction } from '../test/harness/action.js';
import { postgresBinDir, startPostgres } from '../test/harness/postgres.js';
import { startS3 } from '../test/harness/s3.js';

const sizesMB = process.argv.slice(2).map(Number).filter((n) => n > 0);
if (!sizesMB.length) sizesMB.push(100, 1000);

const bin = postgresBinDir();
const work = mkdtempSync(join(tmpdir(), 'gantry-bench-'));
const passphrase = 'bench-passphrase-not-secret-123';
const { generateIdentity, identityToRecipient } = await import('age-encryption');
const identity = await generateIdentity();
const recipient = await identityToRecipient(identity);
writeFileSync(join(work, 'pass'), passphrase);

const gnupgHomes: string[] = [];

interface Measure {
  what: string;
  seconds: number;
  /** The node process (ours) or the whole pipeline (the shell's). */
  peakMiB: number;
  /** Ours: the peaks of pg_dump and pg_restore, which run beside it. */
  childrenMiB?: number;
  sizeMiB: number;
}

async function runBackup(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<Omit<Measure, 'what'>> {
  const r = await runAction('backup', { inputs, env, measureMemory: true, timeoutMs: 3 * 3600_000 });
  if (r.code !== 0) throw new Error(`backup failed (${r.code}):\n${r.log.slice(-3000)}`);
  return { seconds: r.durationMs / 1000, peakMiB: r.peakMiB!, childrenMiB: r.childrenPeakMiB!, sizeMiB: Number(r.outputs['size-bytes']) / 2 ** 20 };
}

function shellPipeline(url: string, file: string): Measure {
  const timeFile = join(work, 'time.txt');
  const started = process.hrtime.bigint();
  // Each stage under /usr/bin/time -v to get its peak RSS; the seeds' exact pipeline otherwise.
  const script = `set -o pipefail
/usr/bin/time -v -o ${timeFile}.1 ${bin}/pg_dump "$URL" \\
 | /usr/bin/time -v -o ${timeFile}.2 gzip \\
 | /usr/bin/time -v -o ${timeFile}.3 gpg --batch --yes --pinentry-mode loopback --passphrase-file ${join(work, 'pass')} --symmetric -o ${file}`;
  const home = mkdtempSync(join(work, 'gnupg-'));
  gnupgHomes.push(home);
  execFileSync('bash', ['-c', script], { env: { ...process.env, URL: url, GNUPGHOME: home }, stdio: ['ignore', 'ignore', 'inherit'] });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  let peakKiB = 0;
  for (const i of [1, 2, 3]) peakKiB += Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(readFileSync(`${timeFile}.${i}`, 'utf8'))?.[1] ?? 0);
  return { what: 'pg_dump | gzip | gpg --symmetric → file (no verification)', seconds, peakMiB: peakKiB / 1024, sizeMiB: statSync(file).size / 2 ** 20 };
}

async function databaseSize(url: string): Promise<number> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    const { rows } = await c.query<{ s: string }>('SELECT pg_database_size(current_database())::text AS s');
    return Number(rows[0]!.s);
  } finally {
    await c.end();
  }
}

type S3 = Awaited<ReturnType<typeof startS3>>;

/** What is measured on each database; BENCH_PIPELINES=dir,s3 (say) runs only those. */
const pipelines: Record<string, (url: string, db: string, s3?: S3) => Promise<Measure>> = {
  shell: async (url, db) => {
    const file = join(work, `${db}.sql.gz.gpg`);
    const m = shellPipeline(url, file);
    rmSync(file, { force: true });
    return m;
  },
  dir: async (url, db) => {
    const dir = join(work, `store-${db}`);
    const m = await runBackup({ 'database-url': url, destination: dir, 'encryption-recipients': recipient, 'decryption-identity': identity, name: db });
    rmSync(dir, { recursive: true, force: true });
    return { what: 'gantry backup → directory (age X25519 recipient, verify: pg_restore full read + re-read checksum + decrypt)', ...m };
  },
  passphrase: async (url, db) => {
    const dir = join(work, `store-${db}`);
    const m = await runBackup({ 'database-url': url, destination: dir, 'encryption-passphrase': passphrase, name: db });
    rmSync(dir, { recursive: true, force: true });
    return { what: 'gantry backup → directory (age passphrase: scrypt N=2^18 costs 256 MiB by design; verify as above)', ...m };
  },
  plain: async (url, db) => {
    const dir = join(work, `plain-${db}`);
    const m = await runBackup({ 'database-url': url, destination: dir, name: db, verify: 'false' });
    rmSync(dir, { recursive: true, force: true });
    return { what: 'gantry backup → directory (no encryption, verify: false)', ...m };
  },
  s3: async (url, db, s3) => {
    const m = await runBackup(
      { 'database-url': url, destination: `s3://bench/${db}`, 'encryption-recipients': recipient, 'decryption-identity': identity, name: db, 's3-endpoint': s3!.endpoint, 's3-force-path-style': 'true' },
      { AWS_ACCESS_KEY_ID: s3!.accessKeyId, AWS_SECRET_ACCESS_KEY: s3!.secretAccessKey, AWS_REGION: 'us-east-1' },
    );
    return { what: 'gantry backup → s3rver (5 MiB parts × 2, age X25519 recipient, verify)', ...m };
  },
};
const chosen = (process.env.BENCH_PIPELINES ?? Object.keys(pipelines).join(',')).split(',').filter(Boolean);
for (const name of chosen) if (!pipelines[name]) throw new Error(`BENCH_PIPELINES: unknown pipeline ${name} (known: ${Object.keys(pipelines).join(', ')})`);

async function main(): Promise<void> {
  const server = await startPostgres();
  const s3 = chosen.includes('s3') ? await startS3(['bench']) : undefined;
  const results: Array<{ sizeMB: number; dbMiB: number; rows: Measure[] }> = [];
  try {
    for (const sizeMB of sizesMB) {
      const db = `bench_${sizeMB}`;
      const admin = new pg.Client({ connectionString: server.url });
      await admin.connect();
      await admin.query(`CREATE DATABASE ${db}`);
      await admin.end();
      const url = server.urlFor(db);
      const scale = Math.max(1, Math.round(sizeMB / 15)); // pgbench: ~15 MB per scale unit
      process.stderr.write(`\n[${sizeMB} MB] pgbench -i -s ${scale} …\n`);
      const t0 = Date.now();
      execFileSync(join(bin, 'pgbench'), ['-i', '-q', '-s', String(scale), '--unlogged-tables', url], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env } });
      // pgbench's filler columns are blank: add some text that compresses like real data does.
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      await c.query(`UPDATE pgbench_accounts SET filler = md5(aid::text) || md5((aid * 7)::text) || ' ' || aid`);
      await c.query('VACUUM FULL pgbench_accounts');
      await c.end();
      const dbBytes = await databaseSize(url);
      process.stderr.write(`[${sizeMB} MB] database is ${(dbBytes / 2 ** 20).toFixed(0)} MiB (generated in ${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
      const rows: Measure[] = [];
      for (const name of chosen) {
        rows.push(await pipelines[name]!(url, db, s3));
        const m = rows.at(-1)!;
        process.stderr.write(`[${sizeMB} MB] ${name}: ${m.seconds.toFixed(1)} s, peak ${m.peakMiB.toFixed(0)} MiB${m.childrenMiB === undefined ? '' : ` (+${m.childrenMiB.toFixed(0)} MiB children)`}\n`);
      }
      results.push({ sizeMB, dbMiB: dbBytes / 2 ** 20, rows });
      const drop = new pg.Client({ connectionString: server.url });
      await drop.connect();
      await drop.query(`DROP DATABASE ${db} WITH (FORCE)`);
      await drop.end();
    }
    console.log(`\nBackup benchmark (${new Date().toISOString()}, ${(await import('node:os')).cpus().length} CPUs, Node ${execFileSync(NODE, ['--version'], { encoding: 'utf8' }).trim()} for the action)\n`);
    console.log('| database | pipeline | time | throughput (DB MiB/s) | peak RSS | + pg_dump, pg_restore | output |');
    console.log('| --: | :-- | --: | --: | --: | --: | --: |');
    for (const r of results) {
      for (const m of r.rows) {
        console.log(`| ${r.dbMiB.toFixed(0)} MiB | ${m.what} | ${m.seconds.toFixed(1)} s | ${(r.dbMiB / m.seconds).toFixed(1)} | ${m.peakMiB.toFixed(0)} MiB | ${m.childrenMiB === undefined ? '(all three)' : `${m.childrenMiB.toFixed(0)} MiB`} | ${m.sizeMiB.toFixed(0)} MiB |`);
      }
    }
  } finally {
    await Promise.race([s3?.stop(), new Promise((r) => setTimeout(r, 5000))]);
    await server.stop();
    for (const home of gnupgHomes) {
      try {
        execFileSync('gpgconf', ['--kill', 'gpg-agent'], { env: { ...process.env, GNUPGHOME: home } });
      } catch {
        /* none left */
      }
    }
    rmSync(work, { recursive: true, force: true });
  }
  
}

await main();
process.exit(0);
