/**
 * Backup and restore throughput, size and peak memory: the backup bundle (pg_dump -Fc -Z0 → zstd
 * → age → SHA-256 → store, with verification: pg_restore reads the archive as it streams, then
 * the stored object is re-read, checksummed and decrypted) against
 *   - bare `pg_dump -Fc -Z0 > /dev/null` (the ceiling: extraction itself),
 *   - `pg_dump -Fc > file` (pg_dump's own zlib: the old ceiling, and the size to beat),
 *   - the seeds' shell pipeline (`pg_dump | gzip | gpg --symmetric > file`, no verification),
 * and its restore (decrypt → decompress → pg_restore, checked first) against `pg_restore` of the
 * plain `pg_dump -Fc` file; on pgbench databases and a mixed one (text, jsonb, bytea, indexes).
 *
 *   npx tsx scripts/bench-backup.ts [sizesInMB…]     default: 100 1000 (add 10000 for 10 GB)
 *   BENCH_DATABASES=pgbench,pgbench-md5,mixed    which databases (default all three)
 *   BENCH_PIPELINES=z0,dir,…         only some, in order: z0 fc shell native dir zstd3 none gzip passphrase
 *                                    plain s3 core restore (after dir) restore-fc (after fc) restore-native (after native),
 *                                    dir-old, restore-old and s3-old (the BENCH_OLD_BUNDLE's, for A/B)
 *   BENCH_OLD_BUNDLE=/path/index.js  another backup bundle (e.g. main's) for the -old pipelines
 *   BENCH_CPU_PROF=/dir              write a V8 CPU profile of each action run there (node --cpu-prof)
 *   BENCH_NODE_OPTIONS='--import …'  more node options for each action run (a memory watcher, V8 flags)
 *
 * Needs pgbench, gzip and gpg (apt-get install -y gnupg); native and restore-native need zstd and age. Peak memory is the node process's
 * VmHWM (peak resident set), read from /proc while it runs, with the sum of its children's
 * (pg_dump, pg_restore) beside it; a shell command's is the sum of its processes' peaks from
 * /usr/bin/time -v.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { NODE, runAction } from '../test/harness/action.js';
import { postgresBinDir, startPostgres } from '../test/harness/postgres.js';
import { startS3 } from '../test/harness/s3.js';

const sizesMB = process.argv.slice(2).map(Number).filter((n) => n > 0);
if (!sizesMB.length) sizesMB.push(100, 1000);
const databases = (process.env.BENCH_DATABASES ?? 'pgbench,pgbench-md5,mixed').split(',').filter(Boolean);
for (const d of databases) if (!['pgbench', 'pgbench-md5', 'mixed'].includes(d)) throw new Error(`BENCH_DATABASES: unknown database ${d} (known: pgbench, pgbench-md5, mixed)`);

const bin = postgresBinDir();
const work = mkdtempSync(join(tmpdir(), 'gantry-bench-'));
const passphrase = 'bench-passphrase-not-secret-123';
const { generateIdentity, identityToRecipient } = await import('age-encryption');
const identity = await generateIdentity();
const recipient = await identityToRecipient(identity);
writeFileSync(join(work, 'pass'), passphrase);
writeFileSync(join(work, 'key'), identity + '\n');

const gnupgHomes: string[] = [];

interface Measure {
  what: string;
  seconds: number;
  /** The node process (ours) or the whole command (a shell's). */
  peakMiB: number;
  /** Ours: the peaks of pg_dump and pg_restore, which run beside it. */
  childrenMiB?: number;
  /** What was written (the stored object, the file); absent for /dev/null and restores. */
  sizeMiB?: number;
  restore?: boolean;
  /** Ours: CPU seconds by process (see cpuSampler). */
  cpu?: Record<string, number>;
}

/** Per database: what a later pipeline needs from an earlier one (restore needs a backup). */
interface Db {
  name: string;
  url: string;
  admin: string;
  gantryStore?: string;
  fcFile?: string;
  z0File?: string;
  nativeFile?: string;
}

const nodeOptions = [process.env.BENCH_CPU_PROF && `--cpu-prof --cpu-prof-dir=${process.env.BENCH_CPU_PROF}`, process.env.BENCH_NODE_OPTIONS].filter(Boolean).join(' ');
const cpuProfile = nodeOptions ? { NODE_OPTIONS: nodeOptions } : {};

async function runGantry(inputs: Record<string, string>, env: Record<string, string> = {}, script?: string): Promise<Omit<Measure, 'what'>> {
  const cpu = cpuSampler();
  const r = await runAction('backup', { inputs, env: { ...cpuProfile, ...env }, script, measureMemory: true, timeoutMs: 3 * 3600_000, onSpawn: cpu.start });
  if (r.code !== 0) throw new Error(`backup ${inputs.operation ?? 'backup'} failed (${r.code}):\n${r.log.slice(-3000)}`);
  settle();
  return { seconds: r.durationMs / 1000, peakMiB: r.peakMiB!, childrenMiB: r.childrenPeakMiB!, sizeMiB: inputs.operation ? undefined : Number(r.outputs['size-bytes']) / 2 ** 20, cpu: cpu.stop() };
}

let postmasterPid = 0;
/** A backend's CPU reaches the postmaster's count when it has exited and been reaped: give it a moment. */
const settle = () => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300);
const ticks = (stat: string) => {
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { own: Number(f[11]) + Number(f[12]), reaped: Number(f[13]) + Number(f[14]) }; // utime+stime, cutime+cstime
};
const readStat = (pid: number, of?: number) => {
  try {
    const stat = readFileSync(of ? `/proc/${of}/task/${pid}/stat` : `/proc/${pid}/stat`, 'utf8');
    return { comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), ...ticks(stat) };
  } catch {
    return undefined; // gone
  }
};
const threadsOf = (pid: number): number[] => {
  try {
    return readdirSync(`/proc/${pid}/task`).map(Number);
  } catch {
    return [];
  }
};
const childrenOf = (pid: number): number[] => {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number).flatMap((c) => [c, ...childrenOf(c)]);
  } catch {
    return [];
  }
};

/**
 * CPU seconds by process while an action runs, from /proc sampled every 20 ms: the node process
 * (all its threads: zstd runs on libuv's pool), pg_dump, pg_restore, and the server's backends
 * (what the postmaster reaped meanwhile). A process's last sample is up to 20 ms before it exits.
 */
function cpuSampler() {
  const last = new Map<number, { comm: string; own: number }>();
  const threads = new Map<number, { comm: string; own: number }>();
  const serverBefore = postmasterPid ? readStat(postmasterPid)!.reaped : 0;
  let timer: NodeJS.Timeout | undefined;
  let root = 0;
  return {
    start(pid: number) {
      root = pid;
      const sample = () => {
        for (const p of [pid, ...childrenOf(pid)]) {
          const s = readStat(p);
          if (s) last.set(p, s);
        }
        for (const t of threadsOf(pid)) {
          const s = readStat(t, pid);
          if (s) threads.set(t, s);
        }
      };
      sample();
      timer = setInterval(sample, 20);
    },
    stop(): Record<string, number> {
      clearInterval(timer);
      const bySeconds: Record<string, number> = {};
      for (const [p, { comm, own }] of last) {
        const name = p === root ? 'node (all threads)' : comm; // node names its main thread "MainThread"
        bySeconds[name] = (bySeconds[name] ?? 0) + own / 100;
      }
      if (postmasterPid) bySeconds['postgres (server)'] = (readStat(postmasterPid)!.reaped - serverBefore) / 100;
      // node's threads by name: its main thread, libuv's pool (zstd, crypto), V8's (GC, compiler).
      for (const { comm, own } of threads.values()) {
        const name = `  node ${comm}`;
        bySeconds[name] = (bySeconds[name] ?? 0) + own / 100;
      }
      return bySeconds;
    },
  };
}

/** A shell pipeline, each stage under /usr/bin/time -v (`T` in the script) for its peak RSS. */
function shell(what: string, script: string, env: Record<string, string>, output?: string): Measure {
  let n = 0;
  const timed = script.replace(/\bT /g, () => `/usr/bin/time -v -o ${join(work, `time.${++n}`)} `);
  const serverBefore = postmasterPid ? readStat(postmasterPid)!.reaped : 0;
  const started = process.hrtime.bigint();
  execFileSync('bash', ['-c', `set -o pipefail\n${timed}`], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  let peakKiB = 0;
  const cpu: Record<string, number> = {};
  for (let i = 1; i <= n; i++) {
    const report = readFileSync(join(work, `time.${i}`), 'utf8');
    peakKiB += Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(report)?.[1] ?? 0);
    const command = /Command being timed: "([^\s"]+)/.exec(report)?.[1]?.split('/').pop() ?? `stage ${i}`;
    cpu[command] = (cpu[command] ?? 0) + Number(/User time \(seconds\): ([\d.]+)/.exec(report)?.[1] ?? 0) + Number(/System time \(seconds\): ([\d.]+)/.exec(report)?.[1] ?? 0);
  }
  settle();
  if (postmasterPid) cpu['postgres (server)'] = (readStat(postmasterPid)!.reaped - serverBefore) / 100;
  return { what, seconds, peakMiB: peakKiB / 1024, sizeMiB: output ? statSync(output).size / 2 ** 20 : undefined, cpu };
}

async function sql(url: string, text: string, values: unknown[] = []): Promise<pg.QueryResult> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await c.query(text, values);
  } finally {
    await c.end();
  }
}

async function databaseSize(url: string): Promise<number> {
  return Number((await sql(url, 'SELECT pg_database_size(current_database())::text AS s')).rows[0].s);
}

/** An empty database to restore into. */
async function scratch(db: Db): Promise<string> {
  const name = `${db.name}_restore_${Math.random().toString(36).slice(2, 8)}`;
  await sql(db.admin, `CREATE DATABASE ${name}`);
  return db.url.replace(/\/[^/]*$/, '/' + name);
}
const dropUrl = (db: Db, url: string) => sql(db.admin, `DROP DATABASE ${url.split('/').pop()} WITH (FORCE)`);

type S3 = Awaited<ReturnType<typeof startS3>>;
const dumpBase = `${bin}/pg_dump --format=custom --no-password`;

/** What is measured on each database, in this order; BENCH_PIPELINES=z0,dir (say) runs only those. */
const pipelines: Record<string, (db: Db, s3?: S3) => Promise<Measure>> = {
  z0: async (db) => shell('`pg_dump -Fc -Z0 > /dev/null` (extraction itself: the ceiling)', `T ${dumpBase} -Z0 "$URL" > /dev/null`, { URL: db.url }),
  fc: async (db) => {
    db.fcFile = join(work, `${db.name}.fc.dump`);
    return shell('`pg_dump -Fc > file` (pg_dump\'s own zlib, level 6)', `T ${dumpBase} "$URL" > ${db.fcFile}`, { URL: db.url }, db.fcFile);
  },
  shell: async (db) => {
    const file = join(work, `${db.name}.sql.gz.gpg`);
    const home = mkdtempSync(join(work, 'gnupg-'));
    gnupgHomes.push(home);
    const m = shell(
      'the seeds\' `pg_dump | gzip | gpg --symmetric > file` (no verification)',
      `T ${bin}/pg_dump "$URL" | T gzip | T gpg --batch --yes --pinentry-mode loopback --passphrase-file ${join(work, 'pass')} --symmetric -o ${file}`,
      { URL: db.url, GNUPGHOME: home },
      file,
    );
    rmSync(file, { force: true });
    return m;
  },
  /** The backup's work done by native CLIs instead: how far the two cores get without node in the path. */
  native: async (db) => {
    db.nativeFile = join(work, `${db.name}.dump.zst.age`);
    const check = join(work, 'check.fifo');
    return shell(
      'the same work by native CLIs: `pg_dump -Z0 | tee fifo | zstd -1 | age | tee file | sha256sum` (pg_restore -f /dev/null reading the fifo), then `sha256sum file`',
      `rm -f ${check}; mkfifo ${check}; T ${bin}/pg_restore -f /dev/null < ${check} & restore=$!
       T ${dumpBase} -Z0 "$URL" | T tee ${check} | T zstd -q -1 | T age -r "$R" | T tee ${db.nativeFile} | T sha256sum > /dev/null && wait $restore && T sha256sum ${db.nativeFile} > /dev/null`,
      { URL: db.url, R: recipient },
      db.nativeFile,
    );
  },
  dir: async (db) => {
    rmSync(join(work, `store-${db.name}`), { recursive: true, force: true });
    db.gantryStore = join(work, `store-${db.name}`);
    const m = await runGantry({ 'database-url': db.url, destination: db.gantryStore, 'encryption-recipients': recipient, 'decryption-identity': identity, name: db.name });
    return { what: 'gantry → directory, zstd 1 (default), age recipient, verify', ...m };
  },
  'dir-old': async (db) => {
    const store = join(work, `store-old-${db.name}`);
    rmSync(store, { recursive: true, force: true });
    const m = await runGantry({ 'database-url': db.url, destination: store, 'encryption-recipients': recipient, 'decryption-identity': identity, name: db.name }, {}, oldBundle());
    return { what: 'OLD bundle: gantry → directory, zstd 1 (default), age recipient, verify', ...m };
  },
  zstd3: async (db) => {
    const dir = join(work, `zstd3-${db.name}`);
    const m = await runGantry({ 'database-url': db.url, destination: dir, 'encryption-recipients': recipient, 'decryption-identity': identity, name: db.name, 'compression-level': '3' });
    rmSync(dir, { recursive: true, force: true });
    return { what: 'gantry → directory, zstd 3, age recipient, verify', ...m };
  },
  none: async (db) => {
    const dir = join(work, `none-${db.name}`);
    const m = await runGantry({ 'database-url': db.url, destination: dir, 'encryption-recipients': recipient, 'decryption-identity': identity, name: db.name, compression: 'none' });
    rmSync(dir, { recursive: true, force: true });
    return { what: 'gantry → directory, compression none (-Z0), age recipient, verify', ...m };
  },
  gzip: async (db) => {
    const dir = join(work, `gzip-${db.name}`);
    const m = await runGantry({ 'database-url': db.url, destination: dir, 'encryption-recipients': recipient, 'decryption-identity': identity, name: db.name, compression: 'gzip' });
    rmSync(dir, { recursive: true, force: true });
    return { what: 'gantry → directory, gzip 6, age recipient, verify', ...m };
  },
  passphrase: async (db) => {
    const dir = join(work, `pass-${db.name}`);
    const m = await runGantry({ 'database-url': db.url, destination: dir, 'encryption-passphrase': passphrase, name: db.name });
    rmSync(dir, { recursive: true, force: true });
    return { what: 'gantry → directory, zstd 1, age passphrase (scrypt: 256 MiB by design), verify', ...m };
  },
  plain: async (db) => {
    const dir = join(work, `plain-${db.name}`);
    const m = await runGantry({ 'database-url': db.url, destination: dir, name: db.name, verify: 'false' });
    rmSync(dir, { recursive: true, force: true });
    return { what: 'gantry → directory, zstd 1, no encryption, verify: false', ...m };
  },
  s3: async (db, s3) => ({ what: 'gantry → s3rver (5 MiB parts × 2), zstd 1, age recipient, verify', ...(await backupToS3(db, s3!)) }),
  's3-old': async (db, s3) => ({ what: 'OLD bundle: gantry → s3rver', ...(await backupToS3(db, s3!, oldBundle())) }),
  /** One core of Node 24's zstd on the real -Z0 archive (from a file): can it keep up with pg_dump? */
  core: async (db) => {
    db.z0File = join(work, `${db.name}.z0.dump`);
    execFileSync('bash', ['-c', `${dumpBase} -Z0 "$URL" > ${db.z0File}`], { env: { ...process.env, URL: db.url } });
    const script = `const z = require('zlib'), fs = require('fs'); const t = process.hrtime.bigint();
      fs.createReadStream(process.argv[1]).pipe(z.createZstdCompress({ params: { [z.constants.ZSTD_c_compressionLevel]: 3, [z.constants.ZSTD_c_checksumFlag]: 1 } })).pipe(fs.createWriteStream('/dev/null'))
        .on('close', () => console.log(Number(process.hrtime.bigint() - t) / 1e9));`;
    const started = process.hrtime.bigint();
    execFileSync(NODE, ['-e', script, db.z0File]);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const archiveMiB = statSync(db.z0File).size / 2 ** 20;
    rmSync(db.z0File);
    return { what: `Node 24 zstd 3 alone, one core, on the ${archiveMiB.toFixed(0)} MiB -Z0 archive from a file (${(archiveMiB / seconds).toFixed(0)} MiB/s of archive)`, seconds, peakMiB: 0 };
  },
  restore: async (db) => {
    if (!db.gantryStore) throw new Error('restore needs the dir pipeline first');
    const target = await scratch(db);
    const m = await runGantry({ operation: 'restore', destination: db.gantryStore, name: db.name, 'restore-database-url': target, 'decryption-identity': identity });
    await dropUrl(db, target);
    rmSync(db.gantryStore, { recursive: true, force: true });
    return { what: 'gantry restore (check pass, then decrypt → zstd -d → pg_restore --single-transaction)', ...m, restore: true };
  },
  'restore-old': async (db) => {
    const store = join(work, `store-old-${db.name}`);
    const target = await scratch(db);
    const m = await runGantry({ operation: 'restore', destination: store, name: db.name, 'restore-database-url': target, 'decryption-identity': identity }, {}, oldBundle());
    await dropUrl(db, target);
    rmSync(store, { recursive: true, force: true });
    return { what: 'OLD bundle: gantry restore of its own backup', ...m, restore: true };
  },
  'restore-native': async (db) => {
    if (!db.nativeFile) throw new Error('restore-native needs the native pipeline first');
    const target = await scratch(db);
    const m = shell('native CLIs: `age -d | zstd -d | pg_restore --single-transaction` (no checksum)', `T age -d -i ${join(work, 'key')} ${db.nativeFile} | T zstd -q -dc | T ${bin}/pg_restore --no-password --clean --if-exists --single-transaction --exit-on-error -d "$URL"`, { URL: target });
    await dropUrl(db, target);
    rmSync(db.nativeFile, { force: true });
    return { ...m, restore: true };
  },
  'restore-fc': async (db) => {
    if (!db.fcFile) throw new Error('restore-fc needs the fc pipeline first');
    const target = await scratch(db);
    const m = shell('`pg_restore --single-transaction` of the plain `pg_dump -Fc` file', `T ${bin}/pg_restore --no-password --clean --if-exists --single-transaction --exit-on-error -d "$URL" ${db.fcFile}`, { URL: target });
    await dropUrl(db, target);
    rmSync(db.fcFile, { force: true });
    return { ...m, sizeMiB: undefined, restore: true };
  },
};
function backupToS3(db: Db, s3: S3, script?: string) {
  return runGantry(
    { 'database-url': db.url, destination: `s3://bench/${db.name}`, 'encryption-recipients': recipient, 'decryption-identity': identity, name: db.name, 's3-endpoint': s3.endpoint, 's3-force-path-style': 'true' },
    { AWS_ACCESS_KEY_ID: s3.accessKeyId, AWS_SECRET_ACCESS_KEY: s3.secretAccessKey, AWS_REGION: 'us-east-1' },
    script,
  );
}
function oldBundle(): string {
  if (!process.env.BENCH_OLD_BUNDLE) throw new Error('dir-old, restore-old and s3-old need BENCH_OLD_BUNDLE=/path/to/dist/backup/index.js');
  return process.env.BENCH_OLD_BUNDLE;
}
const chosen = (process.env.BENCH_PIPELINES ?? 'z0,fc,shell,dir,zstd3,none,core,restore,restore-fc').split(',').filter(Boolean);
for (const name of chosen) if (!pipelines[name]) throw new Error(`BENCH_PIPELINES: unknown pipeline ${name} (known: ${Object.keys(pipelines).join(', ')})`);

/**
 * pgbench at ~15 MB per scale unit: its data as pgbench writes it (blank filler, which every codec
 * squeezes), or with md5 text in the filler (`pgbench-md5`: hex that no codec gets below ~half).
 */
async function seedPgbench(url: string, sizeMB: number, md5Filler: boolean): Promise<void> {
  execFileSync(join(bin, 'pgbench'), ['-i', '-q', '-s', String(Math.max(1, Math.round(sizeMB / 15))), '--unlogged-tables', url], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (!md5Filler) return;
  await sql(url, `UPDATE pgbench_accounts SET filler = md5(aid::text) || md5((aid * 7)::text) || ' ' || aid`);
  await sql(url, 'VACUUM FULL pgbench_accounts');
}

/**
 * A mixed database of ~sizeMB: documents with prose-like text, jsonb, timestamps and bytea (a
 * quarter of it random, i.e. already-compressed attachments), btree and GIN indexes.
 */
async function seedMixed(url: string, sizeMB: number): Promise<void> {
  const rows = Math.round(sizeMB * 700); // ≈1.5 KB per row with its indexes
  await sql(url, `
    CREATE TABLE words AS SELECT array_agg(w) AS w FROM (SELECT w FROM regexp_split_to_table(
      'the a of and to in is that for it as was with be by on not he this are or his from at which but have an they you were her she there one all we their been has when who will more no if out so said what up its about into than them can only other new some could time these two may then do first any my now such like our over man me even most made after also did many before must through back years where much your way well down should because each just those people how too little state good very make world still own see men work long here get both between life being under never day same another know while last might us great old year off come since against go came right used take three', ' ') w) s;
    CREATE TABLE docs (id bigserial PRIMARY KEY, title text NOT NULL, body text, meta jsonb, created timestamptz, attachment bytea);
    CREATE TABLE events (id bigserial PRIMARY KEY, doc_id bigint, kind text, at timestamptz, payload jsonb);`);
  const batch = 20_000;
  for (let from = 0; from < rows; from += batch) {
    const to = Math.min(rows, from + batch) - 1;
    await sql(url, `
      INSERT INTO docs (title, body, meta, created, attachment)
      SELECT initcap(array_to_string((SELECT array_agg(w[1 + (abs(hashint8(i * 31 + k)) % 180)]) FROM generate_series(1, 6) k), ' ')),
             array_to_string((SELECT array_agg(w[1 + (abs(hashint8(i * 131 + k)) % 180)]) FROM generate_series(1, 60 + i % 40) k), ' ') || '.',
             jsonb_build_object('author', 'user' || (i % 5000), 'tags', jsonb_build_array('t' || (i % 7), 't' || (i % 13)), 'score', (i % 1000) / 10.0,
                                'address', jsonb_build_object('city', 'city' || (i % 300), 'zip', lpad((i % 99991)::text, 5, '0')), 'draft', i % 3 = 0),
             timestamptz '2020-01-01' + make_interval(secs => i * 37),
             CASE WHEN i % 4 = 0 THEN (SELECT decode(string_agg(md5(i::text || g), ''), 'hex') FROM generate_series(1, 64) g) ELSE decode(md5(i::text), 'hex') END
      FROM words, generate_series($1::bigint, $2::bigint) i`, [from, to]);
    await sql(url, `
      INSERT INTO events (doc_id, kind, at, payload)
      SELECT 1 + i % ${rows}, (ARRAY['view','edit','share','comment'])[1 + i % 4], timestamptz '2024-01-01' + make_interval(secs => i * 11),
             jsonb_build_object('ip', '10.' || (i % 256) || '.' || (i / 256 % 256) || '.1', 'agent', 'Mozilla/5.0 build ' || (i % 97))
      FROM generate_series($1::bigint, $2::bigint) i`, [from, to]);
  }
  await sql(url, `CREATE INDEX docs_title ON docs (title); CREATE INDEX docs_created ON docs (created);
    CREATE INDEX docs_meta ON docs USING gin (meta jsonb_path_ops); CREATE INDEX events_doc ON events (doc_id, at); ANALYZE`);
}

async function main(): Promise<void> {
  const server = await startPostgres();
  // The postmaster is the parent of a backend (read while that backend lives); 0 when not visible here.
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  const backend = Number((await client.query('SELECT pg_backend_pid() AS p')).rows[0].p);
  postmasterPid = Number(/^PPid:\s+(\d+)/m.exec(readStat(backend) ? readFileSync(`/proc/${backend}/status`, 'utf8') : '')?.[1] ?? 0);
  await client.end();
  const s3 = chosen.some((p) => p.startsWith('s3')) ? await startS3(['bench']) : undefined;
  const results: Array<{ label: string; dbMiB: number; rows: Measure[] }> = [];
  try {
    for (const sizeMB of sizesMB) {
      for (const kind of databases) {
        const name = `bench_${kind.replace("-", "_")}_${sizeMB}`;
        await sql(server.url, `CREATE DATABASE ${name}`);
        const db: Db = { name, url: server.urlFor(name), admin: server.url };
        process.stderr.write(`\n[${name}] generating…\n`);
        const t0 = Date.now();
        if (kind === 'mixed') await seedMixed(db.url, sizeMB);
        else await seedPgbench(db.url, sizeMB, kind === 'pgbench-md5');
        const dbBytes = await databaseSize(db.url);
        process.stderr.write(`[${name}] database is ${(dbBytes / 2 ** 20).toFixed(0)} MiB (generated in ${((Date.now() - t0) / 1000).toFixed(0)} s)\n`);
        const rows: Measure[] = [];
        for (const p of chosen) {
          const m = await pipelines[p]!(db, s3);
          rows.push(m);
          process.stderr.write(`[${name}] ${p}: ${m.seconds.toFixed(1)} s, ${(dbBytes / 2 ** 20 / m.seconds).toFixed(1)} MiB/s, peak ${m.peakMiB.toFixed(0)} MiB${m.childrenMiB === undefined ? '' : ` (+${m.childrenMiB.toFixed(0)} MiB children)`}${m.sizeMiB === undefined ? '' : `, ${m.sizeMiB.toFixed(1)} MiB`}\n`);
          if (m.cpu) process.stderr.write(`[${name}] ${p}: CPU s per GiB of database: ${Object.entries(m.cpu).map(([k, v]) => `${k} ${((v * 1024) / (dbBytes / 2 ** 20)).toFixed(1)}`).join(', ')}\n`);
        }
        results.push({ label: kind, dbMiB: dbBytes / 2 ** 20, rows });
        await sql(server.url, `DROP DATABASE ${name} WITH (FORCE)`);
      }
    }
    const os = await import('node:os');
    console.log(`\nBackup benchmark (${new Date().toISOString()}, ${os.cpus().length} CPUs, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}, Node ${execFileSync(NODE, ['--version'], { encoding: 'utf8' }).trim()} for the action)\n`);
    console.log('| database | what | time | DB MiB/s | peak RSS | + pg_dump, pg_restore | output |');
    console.log('| :-- | :-- | --: | --: | --: | --: | --: |');
    for (const r of results) {
      for (const m of r.rows) {
        const memory = m.peakMiB ? `${m.peakMiB.toFixed(0)} MiB` : '';
        const children = m.childrenMiB === undefined ? '' : `${m.childrenMiB.toFixed(0)} MiB`;
        console.log(`| ${r.label} ${r.dbMiB.toFixed(0)} MiB | ${m.what} | ${m.seconds.toFixed(1)} s | ${(r.dbMiB / m.seconds).toFixed(1)} | ${memory} | ${children} | ${m.sizeMiB === undefined ? '' : `${m.sizeMiB.toFixed(1)} MiB`} |`);
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
