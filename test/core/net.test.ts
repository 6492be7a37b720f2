import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { CancelledError, TimeoutError } from '../../shared/core/errors.js';
import { backoffDelay, fetchWithTimeout, HttpError, parseRetryAfter, pollUntil, retry, sleep } from '../../shared/core/net.js';

let server: Server | undefined;
afterEach(() => server?.close());

function listen(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler);
  return new Promise((resolve) => server!.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server!.address() as { port: number }).port}`)));
}

describe('retry', () => {
  it('backs off exponentially with jitter inside [ceiling/2, ceiling]', () => {
    expect(backoffDelay(1, 100, 10_000, () => 0)).toBe(50);
    expect(backoffDelay(3, 100, 10_000, () => 1)).toBe(400);
    expect(backoffDelay(20, 100, 1000, () => 1)).toBe(1000);
  });

  it('honours Retry-After from a 429 and then succeeds', async () => {
    let calls = 0;
    const times: number[] = [];
    const url = await listen((_, res) => {
      calls++;
      times.push(Date.now());
      if (calls === 1) res.writeHead(429, { 'retry-after': '1' }).end();
      else res.end('ok');
    });
    const body = await retry(
      async () => {
        const res = await fetchWithTimeout(url, { timeoutMs: 2000 });
        if (!res.ok) throw new HttpError(`HTTP ${res.status}`, res.status, parseRetryAfter(res.headers.get('retry-after')));
        return res.text();
      },
      { attempts: 3, baseDelayMs: 10 },
    );
    expect(body).toBe('ok');
    expect(calls).toBe(2);
    expect(times[1]! - times[0]!).toBeGreaterThanOrEqual(950);
  });

  it('does not retry what is not transient', async () => {
    let calls = 0;
    await expect(retry(async () => { calls++; throw new HttpError('bad request', 400); }, { attempts: 5, baseDelayMs: 1 })).rejects.toThrow('bad request');
    expect(calls).toBe(1);
  });

  it('gives up after the last attempt', async () => {
    let calls = 0;
    await expect(retry(async () => { calls++; throw new HttpError('busy', 503); }, { attempts: 3, baseDelayMs: 1 })).rejects.toThrow('busy');
    expect(calls).toBe(3);
  });

  it('parses Retry-After dates', () => {
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:05 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(5000);
    expect(parseRetryAfter('nonsense')).toBeUndefined();
  });
});

describe('fetchWithTimeout', () => {
  it('times out a server that never answers', async () => {
    const url = await listen(() => undefined);
    const started = Date.now();
    await expect(fetchWithTimeout(url, { timeoutMs: 200 })).rejects.toBeInstanceOf(TimeoutError);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('ends on cancellation with a CancelledError', async () => {
    const url = await listen(() => undefined);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new CancelledError()), 50);
    await expect(fetchWithTimeout(url, { timeoutMs: 5000, signal: controller.signal })).rejects.toBeInstanceOf(CancelledError);
  });
});

describe('pollUntil', () => {
  it('returns the first defined value', async () => {
    let n = 0;
    await expect(pollUntil(async () => (++n >= 3 ? n : undefined), { timeoutMs: 5000, intervalMs: 10, what: 'n' })).resolves.toBe(3);
  });

  it('ends at the deadline with what it waited for', async () => {
    await expect(pollUntil(async () => undefined, { timeoutMs: 100, intervalMs: 20, what: 'the deployment' })).rejects.toThrow(
      /timed out after 100ms waiting for the deployment/,
    );
  });

  it('stops when cancelled', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(new CancelledError()), 30);
    await expect(pollUntil(async () => undefined, { timeoutMs: 10_000, intervalMs: 1000, signal: controller.signal, what: 'x' })).rejects.toBeInstanceOf(
      CancelledError,
    );
  });

  it('sleep rejects immediately when already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new CancelledError());
    await expect(sleep(1000, controller.signal)).rejects.toBeInstanceOf(CancelledError);
  });
});
