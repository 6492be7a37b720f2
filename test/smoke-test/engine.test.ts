/** The engine in-process, against real local servers (the bundle is covered by e2e tests). */
import { describe, expect, it } from 'vitest';
import { parseChecks, type Check } from '../../shared/smoke/checks.js';
import { checkUrl, percentile, runSmokeChecks, securityHeaderFindings } from '../../shared/smoke/engine.js';
import { renderSmokeSummary, reportJson } from '../../shared/smoke/report.js';
import { closedPort, fault } from '../harness/https.js';
import { serversForThisFile } from './support.js';

const serve = serversForThisFile();
const server = (handler: Parameters<typeof serve>[0]['handler'], tls = false) => serve({ handler, tls });
const fast = { retryDelayMs: 20, securityHeaders: 'off' as const, tlsMinDays: 0 };

describe('checkUrl', () => {
  const c = (path: string): Check => parseChecks(`- ${JSON.stringify(path)}`)[0]!;
  it('joins paths to a base with a path prefix and keeps queries', () => {
    expect(checkUrl(c('/health'), 'https://x.example/app/').toString()).toBe('https://x.example/app/health');
    expect(checkUrl(c('/a?b=1'), 'https://x.example').toString()).toBe('https://x.example/a?b=1');
    expect(checkUrl(c('/'), 'https://x.example/?_vercel_share=t').toString()).toBe('https://x.example/?_vercel_share=t');
    expect(checkUrl(c('https://other.example/p'), 'https://x.example').toString()).toBe('https://other.example/p');
  });
});

describe('percentile', () => {
  it('is nearest-rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 95)).toBe(95);
    expect(percentile([5], 95)).toBe(5);
    expect(percentile([1, 2, 3, 4, 100], 95)).toBe(100);
    expect(percentile([], 95)).toBeUndefined();
  });
});

describe('securityHeaderFindings', () => {
  it('checks HSTS on https, nosniff everywhere, CSP and framing on HTML', () => {
    const none = new Headers();
    expect(securityHeaderFindings(none, true, true)).toHaveLength(4);
    expect(securityHeaderFindings(none, false, false)).toEqual(['no X-Content-Type-Options']);
    const good = new Headers({
      'strict-transport-security': 'max-age=31536000; includeSubDomains',
      'x-content-type-options': 'nosniff',
      'content-security-policy': "default-src 'self'; frame-ancestors 'none'",
    });
    expect(securityHeaderFindings(good, true, true)).toEqual([]);
    const weak = new Headers({ 'strict-transport-security': 'max-age=300', 'x-content-type-options': 'sniff', 'content-security-policy': "default-src 'self'", 'x-frame-options': 'ALLOW-FROM x' });
    expect(securityHeaderFindings(weak, true, true)).toEqual([
      'Strict-Transport-Security max-age 300s is under 180 days',
      'X-Content-Type-Options is "sniff", not nosniff',
      'X-Frame-Options is "ALLOW-FROM x", not DENY or SAMEORIGIN',
    ]);
  });
});

describe('runSmokeChecks', () => {
  it('retries not-ready answers until the deadline with growing waits, wrong answers only `attempts` times', async () => {
    const s = await server((req, res, { pathCount }) => {
      if (req.url === '/warm') {
        res.writeHead(pathCount <= 4 ? 503 : 200);
        return res.end(pathCount <= 4 ? 'warming up' : 'ok');
      }
      res.end('wrong body');
    });
    const report = await runSmokeChecks(parseChecks('- /warm\n- path: /body\n  expect-body: right\n'), { ...fast, baseUrl: s.url, attempts: 2, deadlineMs: 10_000 });
    expect(report.checks.map((c) => [c.status, c.attempts])).toEqual([
      ['pass', 5],
      ['fail', 2],
    ]);
    const warm = s.requests.filter((r) => r.path === '/warm').map((r) => r.at);
    const gaps = warm.slice(1).map((t, i) => t - warm[i]!);
    expect(gaps[3]!).toBeGreaterThan(gaps[0]!); // 20ms × 1.5³ ≈ 68ms vs ≈ 20ms
    expect(report.passed).toBe(false);
    expect(report.failedCount).toBe(1);
  });

  it('stops at the deadline and says so', async () => {
    const s = await server((_req, res) => {
      res.writeHead(502);
      res.end('bad gateway');
    });
    const started = Date.now();
    const report = await runSmokeChecks(parseChecks('- /'), { ...fast, baseUrl: s.url, deadlineMs: 300 });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(report.checks[0]!.problems.join(' ')).toMatch(/HTTP 502, expected 2xx.*still not ready at the deadline/);
  });

  it('retries connection refused and resets', async () => {
    const port = await closedPort();
    const refused = await runSmokeChecks(parseChecks('- /'), { ...fast, baseUrl: `http://127.0.0.1:${port}`, deadlineMs: 150 });
    expect(refused.checks[0]!.problems[0]).toBe('connection refused');
    expect(refused.checks[0]!.attempts).toBeGreaterThan(1);
    const s = await server((req, res, { count }) => (count <= 2 ? fault.reset(req) : res.end('ok')));
    const reset = await runSmokeChecks(parseChecks('- /'), { ...fast, baseUrl: s.url, deadlineMs: 5000 });
    expect(reset.checks[0]).toMatchObject({ status: 'pass', attempts: 3 });
  });

  it('runs at most `concurrency` checks at once', async () => {
    let inFlight = 0;
    let peak = 0;
    const s = await server((_req, res) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      setTimeout(() => {
        inFlight--;
        res.end('ok');
      }, 40);
    });
    const checks = parseChecks(Array.from({ length: 12 }, (_, i) => `- /p${i}`).join('\n'));
    const report = await runSmokeChecks(checks, { ...fast, baseUrl: s.url, concurrency: 3 });
    expect(report.passedCount).toBe(12);
    expect(peak).toBe(3);
  });

  it('ends promptly on abort and marks checks cancelled', async () => {
    const s = await server((_req, res) => {
      res.writeHead(503);
      res.end();
    });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 200);
    const started = Date.now();
    const report = await runSmokeChecks(parseChecks('- /a\n- /b'), { ...fast, retryDelayMs: 1000, baseUrl: s.url, signal: controller.signal });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(report.cancelled).toBe(true);
    expect(report.passed).toBe(false);
    expect(report.checks.every((c) => c.status === 'cancelled')).toBe(true);
  });

  it("honours a 429's Retry-After, within the deadline", async () => {
    const s = await server((_req, res, { count }) => {
      if (count === 1) {
        res.writeHead(429, { 'retry-after': '1' });
        return res.end('slow down');
      }
      res.end('ok');
    });
    const report = await runSmokeChecks(parseChecks('- /'), { ...fast, baseUrl: s.url, deadlineMs: 10_000 });
    expect(report.checks[0]).toMatchObject({ status: 'pass', attempts: 2 });
    expect(s.requests[1]!.at - s.requests[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('aborts a request in flight when cancelled', async () => {
    const s = await server(() => fault.hang());
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 150);
    const started = Date.now();
    const report = await runSmokeChecks(parseChecks('- /'), { ...fast, baseUrl: s.url, timeoutMs: 30_000, signal: controller.signal });
    expect(Date.now() - started).toBeLessThan(1000);
    expect(report.checks[0]).toMatchObject({ status: 'cancelled', attempts: 1 });
  });

  it('keeps a large summary readable: failures first, 100 rows, the 25 slowest in the chart', async () => {
    const s = await server((req, res) => {
      res.writeHead(req.url === '/p7' ? 500 : 200);
      res.end('ok');
    });
    const checks = parseChecks(Array.from({ length: 150 }, (_, i) => `- /p${i}`).join('\n'));
    const report = await runSmokeChecks(checks, { ...fast, baseUrl: s.url, deadlineMs: 0, concurrency: 16 });
    const md = renderSmokeSummary(report).toString();
    const rows = md.split('\n').filter((l) => /^\| (✅|❌) \|/.test(l));
    expect(rows).toHaveLength(100);
    expect(rows[0]).toMatch(/^\| ❌ \| GET \/p7 \|/);
    expect(md).toContain('…and 50 more passing checks');
    expect(md).toMatch(/Slowest 25 checks/);
    expect(JSON.parse(reportJson(report)).checks).toHaveLength(150);
  });

  it('renders a summary and a JSON report', async () => {
    const s = await server((req, res) => {
      res.writeHead(req.url === '/bad' ? 500 : 200);
      res.end('ok');
    });
    const report = await runSmokeChecks(parseChecks('- name: home\n  path: /\n- name: broken\n  path: /bad\n'), { ...fast, baseUrl: s.url, deadlineMs: 0 });
    const md = renderSmokeSummary(report).toString();
    expect(md).toMatch(/Smoke test failed: 1 of 2 checks failed/);
    expect(md.indexOf('broken')).toBeLessThan(md.indexOf('| home'));
    expect(md).toMatch(/\| ❌ \| broken \| `GET \/bad` \| 500 \|/);
    expect(md).toContain('xychart-beta');
    const json = JSON.parse(reportJson(report));
    expect(json).toMatchObject({ passed: false, failed_count: 1, total: 2 });
    expect(json.checks[1]).toMatchObject({ name: 'broken', http_status: 500, status: 'fail' });
  });
});
