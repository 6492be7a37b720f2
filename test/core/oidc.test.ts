/** core.getIDToken still works with its OIDC client loaded on first call (scripts/build.mjs makes that import lazy). */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { getIDToken } from '@actions/core';

const seen: IncomingMessage[] = [];
const server = createServer((req, res) => {
  seen.push(req);
  res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ value: 'id-token-from-stand-in' }));
});
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.env.ACTIONS_ID_TOKEN_REQUEST_URL = `http://127.0.0.1:${(server.address() as AddressInfo).port}/token?api-version=2.0`;
  process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = 'request-token-4711';
});
afterAll(async () => {
  delete process.env.ACTIONS_ID_TOKEN_REQUEST_URL;
  delete process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN;
  await new Promise((resolve) => server.close(resolve));
});

it('asks the runner for an ID token with the request token and the audience', async () => {
  await expect(getIDToken('sts.amazonaws.com')).resolves.toBe('id-token-from-stand-in');
  expect(seen).toHaveLength(1);
  expect(seen[0]!.url).toBe('/token?api-version=2.0&audience=sts.amazonaws.com');
  expect(seen[0]!.headers.authorization).toBe('Bearer request-token-4711');
});
