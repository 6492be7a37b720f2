/** The run() wrapper reports an action's failure to Sentry when `sentry-dsn` is given — to a local DSN. */
import { createServer, type IncomingMessage } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findSecretLeaks, runAction } from '../harness/action.js';

const envelopes: Array<{ path: string; body: string }> = [];
const server = createServer(async (req: IncomingMessage, res) => {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const raw = Buffer.concat(chunks);
  const body = req.headers['content-encoding'] === 'gzip' ? gunzipSync(raw).toString() : raw.toString();
  envelopes.push({ path: req.url ?? '', body });
  res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
});
let dsn = '';

beforeAll(async () => {
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  dsn = `http://0123456789abcdef0123456789abcdef@127.0.0.1:${(server.address() as { port: number }).port}/42`;
});
afterAll(() => server.close());

describe('Sentry reporting', () => {
  it('sends the failure to the DSN and flushes before exit', async () => {
    const result = await runAction('smoke-test', { inputs: { url: 'not a url', 'sentry-dsn': dsn } });
    expect(result.code).toBe(1);
    expect(result.log).toContain('Reported to Sentry.');
    const event = envelopes.find((e) => e.path.startsWith('/api/42/envelope/'));
    expect(event, 'an envelope reached the DSN').toBeDefined();
    expect(event!.body).toContain("Input 'url'");
    expect(event!.body).toContain('"action":"smoke-test"');
    expect(findSecretLeaks(result, ['0123456789abcdef0123456789abcdef'])).toEqual([]);
  });

  it('loads nothing of Sentry without a DSN', async () => {
    envelopes.length = 0;
    const result = await runAction('smoke-test', { inputs: { url: 'not a url' } });
    expect(result.code).toBe(1);
    expect(result.log).not.toContain('Sentry');
    expect(envelopes).toHaveLength(0);
  });
});
