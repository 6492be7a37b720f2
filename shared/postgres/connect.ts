/** Connecting to PostgreSQL with a bounded wait, and what the server is. */
import pg from 'pg';
import { errorMessage } from '../core/errors.js';
import { retry } from '../core/net.js';

export interface ConnectOptions {
  signal?: AbortSignal;
  /** Per attempt. */
  connectTimeoutMs?: number;
  attempts?: number;
  applicationName?: string;
}

/** A connected client; retries connection faults (not authentication errors). */
export async function connect(url: string, options: ConnectOptions = {}): Promise<pg.Client> {
  const { signal, connectTimeoutMs = 10_000, attempts = 3, applicationName = 'gantry' } = options;
  return retry(
    async () => {
      const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: connectTimeoutMs, application_name: applicationName });
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
      retryable: (e) => /ECONNREFUSED|ECONNRESET|timeout|the database system is starting up/i.test(errorMessage(e)),
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
