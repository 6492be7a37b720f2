/**
 * Session-level PostgreSQL advisory locks: wait up to a deadline (polling `pg_try_advisory_lock`,
 * so the wait honours cancellation and never blocks inside the server), name the holder when the
 * wait runs out, and always release. A session lock also dies with its connection, so a killed
 * runner cannot leave it behind.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { TimeoutError } from '../core/errors.js';
import { sleep } from '../core/net.js';
import { formatDuration } from '../core/duration.js';

export interface LockKey {
  /** Two int4 keys (pg_locks: classid, objid with objsubid = 2). */
  k1: number;
  k2: number;
}

/** A stable key from a name, e.g. `gantry:migrate`. */
export function lockKey(name: string): LockKey {
  const digest = createHash('sha256').update(name).digest();
  return { k1: digest.readInt32BE(0), k2: digest.readInt32BE(4) };
}

export interface LockHolder {
  pid: number;
  applicationName: string;
  user: string;
  clientAddr: string | null;
  since: Date | null;
  state: string | null;
}

/** Who holds the lock in this database right now (undefined when nobody). */
export async function lockHolder(client: pg.Client, key: LockKey): Promise<LockHolder | undefined> {
  const { rows } = await client.query<{ pid: number; application_name: string | null; usename: string | null; client_addr: string | null; backend_start: Date | null; state: string | null }>(
    `SELECT l.pid, a.application_name, a.usename, a.client_addr::text AS client_addr, a.backend_start, a.state
       FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 2
        AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND l.classid::bigint = $1 AND l.objid::bigint = $2
      LIMIT 1`,
    [key.k1 >>> 0, key.k2 >>> 0],
  );
  const r = rows[0];
  if (!r) return undefined;
  return { pid: r.pid, applicationName: r.application_name ?? '', user: r.usename ?? '', clientAddr: r.client_addr, since: r.backend_start, state: r.state };
}

export function describeHolder(h: LockHolder | undefined): string {
  if (!h) return 'the holder is no longer visible';
  const since = h.since ? `, connected ${formatDuration(Date.now() - h.since.getTime())} ago` : '';
  return `held by pid ${h.pid}${h.applicationName ? ` ('${h.applicationName}')` : ''}${h.user ? ` as ${h.user}` : ''}${h.clientAddr ? ` from ${h.clientAddr}` : ''}${since}`;
}

export interface AcquireOptions {
  /** What the lock protects, for messages. */
  what: string;
  /** How long to wait for another holder; 0 = try once. */
  waitMs: number;
  signal?: AbortSignal;
  /** Called once when we start waiting, with the holder. */
  onWait?: (holder: LockHolder | undefined) => void;
  /** Names the input to raise in the timeout message. */
  waitInput?: string;
}

export interface AdvisoryLock {
  key: LockKey;
  waitedMs: number;
  release(): Promise<void>;
}

export async function acquireAdvisoryLock(client: pg.Client, key: LockKey, options: AcquireOptions): Promise<AdvisoryLock> {
  const started = Date.now();
  const deadline = started + options.waitMs;
  let delay = 100;
  let announced = false;
  for (;;) {
    options.signal?.throwIfAborted();
    const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1, $2) AS ok', [key.k1, key.k2]);
    if (rows[0]!.ok) {
      let released = false;
      return {
        key,
        waitedMs: Date.now() - started,
        release: async () => {
          if (released) return;
          released = true;
          await client.query('SELECT pg_advisory_unlock($1, $2)', [key.k1, key.k2]);
        },
      };
    }
    if (!announced) {
      announced = true;
      options.onWait?.(await lockHolder(client, key).catch(() => undefined));
    }
    const left = deadline - Date.now();
    if (left <= 0) {
      const holder = await lockHolder(client, key).catch(() => undefined);
      throw new TimeoutError(
        `Waited ${formatDuration(Date.now() - started)} for the ${options.what} lock, ${describeHolder(holder)}. ` +
          `Another run is still working; wait for it, or raise ${options.waitInput ? `'${options.waitInput}'` : 'the wait'} if it is expected to take longer.`,
      );
    }
    await sleep(Math.min(delay, left), options.signal);
    delay = Math.min(delay * 2, 1000);
  }
}
