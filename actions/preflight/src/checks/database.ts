/** Database: connects within the check's timeout, the server version, and a pg_dump of that major (the backup's rule). */
import { errorMessage } from '../../../../shared/core/errors.js';
import { connect, describeUrl, serverInfo } from '../../../../shared/postgres/connect.js';
import { findPgTools, toolVersion } from '../../../../shared/postgres/dump.js';
import type { Check } from './types.js';

export function databaseCheck(url: string | undefined, timeoutMs: number): Check {
  return {
    id: 'database',
    title: 'Database',
    skip: url ? undefined : 'no database-url given',
    timeoutMs,
    run: async ({ signal, deadline }) => {
      const where = describeUrl(url!);
      let server;
      try {
        const client = await connect(url!, { signal, attempts: 2, connectTimeoutMs: Math.max(100, deadline - Date.now()), applicationName: 'gantry-preflight' });
        try {
          server = await serverInfo(client);
        } finally {
          await client.end().catch(() => undefined);
        }
      } catch (error) {
        if (signal.aborted) throw error;
        return { status: 'fail', found: `cannot connect to ${where}: ${errorMessage(error)}`, fix: 'check database-url (host, port, user, password, database) and that the runner can reach the server' };
      }
      const data = { server: where, version: server.version, major: server.major };
      let tools;
      try {
        tools = findPgTools(server.major, { need: ['pg_dump'] });
      } catch (error) {
        return { status: 'fail', found: `PostgreSQL ${server.version} at ${where}; no pg_dump for it`, fix: errorMessage(error).replace(/^No pg_dump[^.]*\. /, ''), data };
      }
      const version = await toolVersion(tools.pgDump).catch((e: unknown) => `unusable: ${errorMessage(e)}`);
      const matching = tools.major === server.major ? '' : ` (newer than the server: it can dump it)`;
      return { status: 'pass', found: `PostgreSQL ${server.version} at ${where}; ${version}${matching}`, data: { ...data, pgDump: tools.pgDump, pgDumpVersion: version } };
    },
  };
}
