/** Connecting to PostgreSQL with a bounded wait, and what the server is. */
import type pg from 'pg';
import { errorMessage } from '../core/errors.js';
import { retry } from '../core/net.js';
import { hostAndPort } from './url.js';

export interface ConnectOptions {
  signal?: AbortSignal;
  /** Per attempt. */
  connectTimeoutMs?: number;
  attempts?: number;
  applicationName?: string;
}

/**
 * The database could not be reached at all (refused, unknown host, no route, no answer): says
 * where it tried — host and port, never the user or password — and what usually fixes it.
 */
export class DatabaseUnreachable extends Error {
  override name = 'DatabaseUnreachable';
  constructor(
    readonly host: string,
    readonly port: number,
    readonly reason: string,
    attempts: number,
  ) {
    super(
      `The database could not be reached at ${host}:${port} (${reason}${attempts > 1 ? `; tried ${attempts} times` : ''}). ` +
        'Check the host and port in database-url, that the server is running and accepts TCP connections there, ' +
        'and that this runner can reach it: a database on a private network (or on localhost of another machine) is not reachable ' +
        'from GitHub-hosted runners — use a self-hosted runner in that network, a tunnel, or allow the runner in the firewall.',
    );
  }
}

const UNREACHABLE: Record<string, string> = {
  ECONNREFUSED: 'connection refused: nothing is listening on that port',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name could not be resolved (DNS did not answer)',
  EHOSTUNREACH: 'no route to the host',
  ENETUNREACH: 'the network is unreachable',
  ETIMEDOUT: 'the connection timed out',
};

/** Why a connection attempt never reached a server, or undefined for other errors (authentication, …). */
function unreachableReason(error: unknown, timeoutMs: number): string | undefined {
  const code = (error as { code?: string }).code;
  if (code && UNREACHABLE[code]) return UNREACHABLE[code];
  if (/connection timeout|timeout expired/i.test(errorMessage(error))) return `no answer within ${timeoutMs / 1000}s`;
  return undefined;
}

/** A connected client; retries connection faults (not authentication errors). */
export async function connect(url: string, options: ConnectOptions = {}): Promise<pg.Client> {
  const { connectTimeoutMs = 10_000, attempts = 3 } = options;
  try {
    return await connectWithRetries(url, options);
  } catch (error) {
    const reason = unreachableReason(error, connectTimeoutMs);
    if (!reason) throw error;
    const { host, port } = hostAndPort(url);
    throw new DatabaseUnreachable(host, port, reason, (error as { code?: string }).code === 'ENOTFOUND' ? 1 : attempts);
  }
}

async function connectWithRetries(url: string, options: ConnectOptions): Promise<pg.Client> {
  const { signal, connectTimeoutMs = 10_000, attempts = 3, applicationName = 'gantry' } = options;
  // pg is loaded on the first connection, not at start-up: runs that stop at their inputs (and
  // preflight without a database-url) never pay for it.
  const { Client } = (await import('pg')).default;
  return retry(
    async () => {
      const client = new Client({ connectionString: url, connectionTimeoutMillis: connectTimeoutMs, application_name: applicationName });
      client.on('error', () => undefined); // a dropped connection surfaces on the next query instead of crashing
      try {
        await client.connect();
        return client;
      } catch (error) {
        await client.end().catch(() => undefined);
        throw error;
      }
    },
    {
      attempts,
      baseDelayMs: 500,
      signal,
      // An unknown host will not appear within seconds; a refused port or a starting server may.
      retryable: (e) =>
        (e as { code?: string }).code !== 'ENOTFOUND' &&
        (/^(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EAI_AGAIN|EHOSTUNREACH)$/.test((e as { code?: string }).code ?? '') ||
          /ECONNREFUSED|ECONNRESET|timeout|the database system is starting up/i.test(errorMessage(e))),
    },
  );
}

export interface ServerInfo {
  /** e.g. 150018 */
  versionNum: number;
  major: number;
  version: string;
}

export async function serverInfo(client: pg.Client): Promise<ServerInfo> {
  const { rows } = await client.query<{ num: string; version: string }>(
    "SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS version",
  );
  const versionNum = Number(rows[0]!.num);
  return { versionNum, major: Math.floor(versionNum / 10000), version: rows[0]!.version };
}

/** The database URL without its password, for logs and summaries. */
export function describeUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  } catch {
    return '(unparseable URL)';
  }
}
