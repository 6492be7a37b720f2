/** smoke-test under faults: warm-up, refused and reset connections, hangs, certificates, cancellation. */
import { createServer } from 'node:http';
import { describe, expect, it } from 'vitest';
import { errorsOf, findSecretLeaks, runAction, warningsOf } from '../harness/action.js';
import { closedPort, fault } from '../harness/https.js';
import { report, serversForThisFile } from './support.js';

const serve = serversForThisFile();

describe('smoke-test under faults (bundle)', () => {
  it('waits through a warm-up of 503s and 404s, with growing delays', async () => {
    const s = await serve({ handler: (_q, res, { count }) => {
      res.writeHead(count <= 2 ? 503 : count <= 4 ? 404 : 200);
      res.end(count <= 4 ? 'warming up' : 'ready');
    } });
    const r = await runAction('smoke-test', { inputs: { url: s.url, 'retry-delay': '100ms', attempts: 1, deadline: '20s', 'security-headers': 'off' } });
    expect(r.code).toBe(0);
    expect(report(r).checks[0]).toMatchObject({ status: 'pass', attempts: 5 });
    const at = s.requests.map((q) => q.at);
    const gaps = at.slice(1).map((t, i) => t - at[i]!);
    expect(gaps[0]!).toBeGreaterThanOrEqual(80);
    expect(gaps[3]!).toBeGreaterThan(gaps[0]! * 2); // 100 → 150 → 225 → 337ms (±10%)
    expect(r.log).toMatch(/HTTP 503, expected 2xx — body: warming up \(attempt 1\); retrying in \d+ms/);
    expect(r.summary).toMatch(/\| ✅ \| GET \/ \| `GET \/` \| 200 \| \d+ms \| 5 \|/);
  });

  it('waits for a server that is not listening yet (connection refused), then passes', async () => {
    const port = await closedPort();
    const late = createServer((_q, res) => res.end('up'));
    // The server comes up once the first attempt was refused: a fixed delay raced the action's start on a busy machine.
    let listening = false;
    const startLate = (stdout: string) => {
      if (listening || !stdout.includes('connection refused (attempt 1)')) return;
      listening = true;
      late.listen(port, '127.0.0.1');
    };
    try {
      const r = await runAction('smoke-test', { inputs: { url: `http://127.0.0.1:${port}`, 'retry-delay': '200ms', deadline: '15s' }, onStdout: startLate });
      expect(r.code).toBe(0);
      const check = report(r).checks[0]!;
      expect(check.attempts as number).toBeGreaterThan(1);
      expect(r.log).toContain('connection refused (attempt 1)');
    } finally {
      if (listening) await new Promise((resolve) => late.close(resolve));
    }
  });

  it('retries connection resets', async () => {
    const s = await serve({ handler: (q, res, { count }) => (count <= 2 ? fault.reset(q) : res.end('ok')) });
    const r = await runAction('smoke-test', { inputs: { url: s.url, 'retry-delay': '50ms', 'security-headers': 'off' } });
    expect(r.code).toBe(0);
    expect(report(r).checks[0]).toMatchObject({ status: 'pass', attempts: 3 });
    expect(r.log).toContain('connection reset before an answer');
  });

  it('gives up on a server that hangs: per-request timeout, then the deadline', async () => {
    const s = await serve({ handler: () => fault.hang() });
    const r = await runAction('smoke-test', { inputs: { url: s.url, timeout: '300ms', 'retry-delay': '100ms', deadline: '1s' } });
    expect(r.code).toBe(1);
    const check = report(r).checks[0]!;
    expect(check.problems).toEqual(['no answer within 300ms', expect.stringMatching(/still not ready at the deadline \(1s\)/)]);
    expect(r.durationMs).toBeLessThan(4000); // deadline + one timeout + start-up
    expect(r.outputs).toMatchObject({ passed: 'false', 'failed-count': '1', 'p95-ms': '' }); // no answer, no latency
    expect(s.requests.length).toBeGreaterThanOrEqual(2);
  });

  it('a check may have its own timeout; a slow answer within it passes', async () => {
    const s = await serve({ handler: (_q, res) => fault.slow(res, 400) });
    const r = await runAction('smoke-test', { inputs: { url: s.url, checks: '- path: /slow\n  timeout: 2s', timeout: '100ms', deadline: '0' } });
    expect(r.code).toBe(0);
    expect(report(r).checks[0]!.latency_ms as number).toBeGreaterThanOrEqual(400);
  });

  it('warns about a certificate that expires within tls-min-days', async () => {
    const s = await serve({ tls: { days: 3 }, handler: (_q, res) => res.end('ok') });
    const run = (days?: string) =>
      runAction('smoke-test', { inputs: { url: s.url, 'tls-min-days': days, 'security-headers': 'off' }, env: { NODE_EXTRA_CA_CERTS: s.caFile } });
    const r = await run();
    expect(r.code).toBe(0);
    expect(r.outputs.passed).toBe('true');
    expect(report(r).tls).toMatchObject([{ status: 'warn', days_left: 2, issuer: 'Gantry Test CA' }]);
    expect(warningsOf(r).map((a) => a.message)).toEqual([expect.stringMatching(/^TLS certificate of https:\/\/127\.0\.0\.1:\d+ expires in 2 days \(\d{4}-\d\d-\d\d\), under the 14-day minimum$/)]);
    expect(r.summary).toMatch(/\| ⚠️ \| https:\/\/127\.0\.0\.1:\d+ \| \d{4}-\d\d-\d\d \| 2 \| Gantry Test CA \|/);
    const off = await run('0');
    expect(report(off).tls).toEqual([]);
    expect(warningsOf(off)).toEqual([]);
    const fine = await run('1');
    expect(report(fine).tls).toMatchObject([{ status: 'pass' }]);
  });

  it('fails at once on an expired or untrusted certificate (no retries, nothing sent)', async () => {
    const expired = await serve({ tls: { notBefore: new Date(Date.now() - 30 * 86_400_000), notAfter: new Date(Date.now() - 86_400_000) }, handler: (_q, res) => res.end('ok') });
    const r = await runAction('smoke-test', { inputs: { url: expired.url }, env: { NODE_EXTRA_CA_CERTS: expired.caFile } });
    expect(r.code).toBe(1);
    expect(report(r).checks[0]).toMatchObject({ status: 'fail', attempts: 1, problems: ['the TLS certificate has expired'] });
    expect(expired.requests).toHaveLength(0);

    const untrusted = await serve({ tls: true, handler: (_q, res) => res.end('ok') });
    const u = await runAction('smoke-test', { inputs: { url: untrusted.url } }); // no NODE_EXTRA_CA_CERTS
    expect(u.code).toBe(1);
    expect((report(u).checks[0]!.problems as string[])[0]).toMatch(/not trusted.*NODE_EXTRA_CA_CERTS/);
  });

  it('ends promptly with a failure when cancelled mid-deadline (SIGTERM)', async () => {
    const secret = 'cancel-secret-bypass-31337';
    const s = await serve({ handler: (_q, res) => {
      res.writeHead(503);
      res.end('warming');
    } });
    const r = await runAction('smoke-test', {
      inputs: { url: s.url, checks: '- /\n- /api', headers: `x-vercel-protection-bypass: ${secret}`, 'retry-delay': '5s', deadline: '2m' },
      cancelWhen: /retrying in/,
      timeoutMs: 20_000,
    });
    expect(r.code).toBe(1);
    expect(r.durationMs).toBeLessThan(3000);
    expect(r.log).toMatch(/Received SIGTERM/);
    expect(errorsOf(r).map((a) => a.message)).toContain('smoke-test was cancelled.');
    expect(r.outputs.passed).toBe('false');
    expect(report(r)).toMatchObject({ cancelled: true });
    expect(r.summary).toMatch(/Smoke test cancelled/);
    expect(findSecretLeaks(r, [secret])).toEqual([]);
  });
});
