/** The one JSON REST client: retries what is transient, never what is not, and says what the API said. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpError, requestJson } from '../../shared/core/net.js';

let server: Server;
let url: string;
const answers: Array<[number, string, Record<string, string>?]> = [];
const seen: Array<{ method: string; body: string; auth?: string }> = [];
beforeAll(async () => {
  server = createServer(async (req, res) => {
    let body = '';
    for await (const c of req) body += c;
    seen.push({ method: req.method!, body, auth: req.headers.authorization });
    const [status, text, headers] = answers.shift() ?? [200, '{"ok":true}'];
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(text);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/x`;
});
afterAll(() => new Promise((r) => server.close(r)));

describe('requestJson', () => {
  it('retries 503 and 429 (after Retry-After), then returns the JSON', async () => {
    seen.length = 0;
    answers.push([503, '{}'], [429, '{}', { 'retry-after': '0' }], [200, '{"id":7}']);
    const got = await requestJson<{ id: number }>(url, { method: 'POST', body: { a: 1 }, headers: { authorization: 'Bearer t' }, timeoutMs: 2000, attempts: 4, baseDelayMs: 10 });
    expect(got).toEqual({ id: 7 });
    expect(seen.map((s) => [s.method, s.body, s.auth])).toEqual(Array(3).fill(['POST', '{"a":1}', 'Bearer t']));
  });

  it('does not retry a 404, and describes it as told', async () => {
    seen.length = 0;
    answers.push([404, '{"error":{"code":"not_found"}}']);
    const error = await requestJson(url, { method: 'GET', timeoutMs: 2000, attempts: 4, baseDelayMs: 10, describe: (status, text) => `API ${status}: ${JSON.parse(text).error.code}` }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).message).toBe('API 404: not_found');
    expect(seen).toHaveLength(1);
  });

  it('attempts: 1 sends once, even on a 503', async () => {
    seen.length = 0;
    answers.push([503, '{}']);
    await expect(requestJson(url, { method: 'POST', body: {}, timeoutMs: 2000, attempts: 1 })).rejects.toMatchObject({ status: 503 });
    expect(seen).toHaveLength(1);
  });
});
