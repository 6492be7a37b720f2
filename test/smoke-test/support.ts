/** What the smoke-test tests share: local servers that close when the test file ends, and the report output read back. */
import { afterAll } from 'vitest';
import type { ActionResult } from '../harness/action.js';
import { startTestServer, type TestServer } from '../harness/https.js';

/** Call at the top of a test file: returns `serve`, whose servers are all closed after the file's tests. */
export function serversForThisFile(): (options: Parameters<typeof startTestServer>[0]) => Promise<TestServer> {
  const servers: TestServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });
  return async (options) => {
    const s = await startTestServer(options);
    servers.push(s);
    return s;
  };
}

export type SmokeReport = { checks: Array<Record<string, unknown>>; tls: Array<Record<string, unknown>> } & Record<string, unknown>;

/** The action's `report` output, parsed. */
export const report = (r: ActionResult) => JSON.parse(r.outputs.report!) as SmokeReport;
