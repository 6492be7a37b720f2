/** smoke-test end to end: the committed bundle, run as the runner runs it, against local servers. */
import { describe, expect, it } from 'vitest';
import { errorsOf, findSecretLeaks, runAction, warningsOf } from '../harness/action.js';
import { demoApp } from '../harness/smoke-app.js';
import { report, serversForThisFile } from './support.js';

const serve = serversForThisFile();

const CHECKS = `
- name: home
  path: /
  expect-body: Welcome to the shop
- name: version
  path: /api/version
  expect-json:
    $.version: /^1\\.4\\./
    build.ok: true
- name: health
  path: /api/health
  health: true
- name: create order
  path: /api/orders
  method: POST
  body: { sku: A1 }
  expect-status: [201, 202]
  expect-json: { status: created, "items[0].sku": A1 }
- name: missing page
  path: /nope
  expect-status: 404
  expect-body: /not\\s+found/i
`;

describe('smoke-test (bundle)', () => {
  it('passes a healthy release behind Vercel protection and never shows the bypass secret', async () => {
    const bypass = 'vErCeL-bypass-Secret-2f9a7c';
    const app = demoApp({ bypass });
    const s = await serve({ tls: true, handler: app.handler });
    const r = await runAction('smoke-test', {
      inputs: { url: s.url, checks: CHECKS, headers: `x-vercel-protection-bypass: ${bypass}\nx-vercel-set-bypass-cookie: true` },
      env: { NODE_EXTRA_CA_CERTS: s.caFile },
    });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.outputs).toMatchObject({ passed: 'true', 'failed-count': '0' });
    expect(Number(r.outputs['p95-ms'])).toBeGreaterThanOrEqual(0);
    const rep = report(r);
    expect(rep.checks.map((c) => [c.name, c.status, c.http_status])).toEqual([
      ['home', 'pass', 200],
      ['version', 'pass', 200],
      ['health', 'pass', 200],
      ['create order', 'pass', 201],
      ['missing page', 'pass', 404],
    ]);
    expect(rep.tls).toMatchObject([{ status: 'pass', issuer: 'Gantry Test CA' }]);
    // Every request carried the header; the POST carried its JSON body.
    expect(s.requests).toHaveLength(5);
    expect(s.requests.every((q) => q.headers['x-vercel-protection-bypass'] === bypass)).toBe(true);
    expect(s.requests.find((q) => q.method === 'POST')).toMatchObject({ body: '{"sku":"A1"}', headers: { 'content-type': 'application/json' } });
    // A table a person can read.
    expect(r.summary).toMatch(/## ✅ Smoke test passed/);
    expect(r.summary).toMatch(/\| ✅ \| create order \| `POST \/api\/orders` \| 201 \| \d+ms \| 1 \|/);
    expect(r.summary).toContain('### TLS certificates');
    expect(r.masks).toContain(bypass);
    expect(findSecretLeaks(r, [bypass])).toEqual([]);
    expect(errorsOf(r)).toEqual([]);
  });

  it('fails with a clear reason per check, annotations, and counts', async () => {
    const app = demoApp({ version: '2.0.0' });
    const s = await serve({ handler: app.handler });
    const r = await runAction('smoke-test', {
      inputs: {
        url: s.url,
        checks: `${CHECKS}
- name: admin
  path: /admin
  expect-status: 200-299
`,
        'retry-delay': '50ms',
        deadline: '400ms',
        attempts: 2,
      },
    });
    expect(r.code).toBe(1);
    expect(r.outputs).toMatchObject({ passed: 'false', 'failed-count': '2' });
    const rep = report(r);
    const byName = Object.fromEntries(rep.checks.map((c) => [c.name, c]));
    expect(byName.version).toMatchObject({ status: 'fail', attempts: 2, problems: ['JSON $.version is "2.0.0", which does not match /^1\\.4\\./'] });
    expect(byName.admin!.status).toBe('fail');
    expect((byName.admin!.problems as string[]).join(' ')).toMatch(/HTTP 404, expected 200-299.*still not ready at the deadline/);
    expect((byName.admin!.attempts as number)).toBeGreaterThan(2); // 404 = not ready yet: retried until the deadline
    expect(errorsOf(r).map((a) => a.properties.title)).toEqual(['smoke-test: version', 'smoke-test: admin', 'smoke-test']);
    expect(errorsOf(r).at(-1)!.message).toMatch(/2 of 6 checks failed/);
    // Failures first in the summary.
    expect(r.summary).toMatch(/Smoke test failed: 2 of 6 checks failed/);
    expect(r.summary.indexOf('| ❌ | version')).toBeLessThan(r.summary.indexOf('| ✅ | home'));
  });

  it('reads health documents: a failing component is named; degraded is a warning unless fail-on-warning', async () => {
    const app = demoApp({ health: 'fail' });
    const s = await serve({ handler: app.handler });
    const run = (extra: Record<string, string> = {}) =>
      runAction('smoke-test', { inputs: { url: s.url, checks: '- name: health\n  path: /api/health\n  health: true\n', attempts: 1, deadline: '0', ...extra } });

    const failing = await run();
    expect(failing.code).toBe(1);
    const check = report(failing).checks[0]!;
    expect(check).toMatchObject({ status: 'fail', http_status: 503, health: { status: 'fail', failing: ['postgres:connections (connection refused)'] } });
    expect(errorsOf(failing)[0]!.message).toContain('failing postgres:connections (connection refused)');
    expect(failing.summary).toContain('postgres:connections (connection refused)');

    app.state.health = 'warn';
    const degraded = await run();
    expect(degraded.code).toBe(0);
    expect(degraded.outputs.passed).toBe('true');
    expect(report(degraded).checks[0]).toMatchObject({ status: 'warn', warnings: ['degraded (status "warn"): redis:hitRate (hit rate 12%)'] });
    expect(warningsOf(degraded).map((a) => a.message)).toEqual(['GET /api/health: degraded (status "warn"): redis:hitRate (hit rate 12%)']);

    const strict = await run({ 'fail-on-warning': 'true' });
    expect(strict.code).toBe(1);
    expect(strict.outputs).toMatchObject({ passed: 'false', 'failed-count': '0' });
    expect(errorsOf(strict).at(-1)!.message).toMatch(/fail-on-warning/);
  });

  it('understands {status: healthy|degraded|unhealthy}', async () => {
    let status = 'healthy';
    const s = await serve({ handler: (_q, res) => res.end(JSON.stringify({ status, entries: { db: { status: status === 'unhealthy' ? 'Unhealthy' : 'Healthy', description: 'timeout' } } })) });
    const run = () => runAction('smoke-test', { inputs: { url: s.url, checks: '- path: /healthz\n  health: true', attempts: 1 } });
    expect((await run()).outputs.passed).toBe('true');
    status = 'degraded';
    const degraded = await run();
    expect(report(degraded).checks[0]!.status).toBe('warn');
    status = 'unhealthy';
    const unhealthy = await run();
    expect(unhealthy.code).toBe(1);
    expect(report(unhealthy).checks[0]!.problems).toEqual(['unhealthy (status "unhealthy"): failing db (timeout)']);
  });

  it('checks latency budgets', async () => {
    const app = demoApp({ delayMs: 250 });
    const s = await serve({ handler: app.handler });
    const r = await runAction('smoke-test', {
      inputs: { url: s.url, checks: '- name: slow home\n  path: /\n  max-latency: 100ms\n- name: relaxed\n  path: /\n  max-latency: 5s\n', attempts: 1 },
    });
    expect(r.code).toBe(1);
    const [slow, relaxed] = report(r).checks;
    expect(slow!.problems).toEqual([expect.stringMatching(/^took \d+ms, over the 100ms budget$/)]);
    expect(relaxed!.status).toBe('pass');
    expect(Number(r.outputs['p95-ms'])).toBeGreaterThanOrEqual(250);
  });

  it('security headers: warn by default, error fails the check, off ignores them', async () => {
    const s = await serve({ tls: true, handler: (_q, res) => {
      res.writeHead(200, { 'content-type': 'text/html', 'x-content-type-options': 'nosniff' });
      res.end('<h1>hi</h1>');
    } });
    const run = (mode?: string) =>
      runAction('smoke-test', { inputs: { url: s.url, checks: '- /\n- /about', 'security-headers': mode, attempts: 1 }, env: { NODE_EXTRA_CA_CERTS: s.caFile } });
    const warn = await run();
    expect(warn.code).toBe(0);
    expect(report(warn).checks[0]).toMatchObject({ status: 'warn', security_headers: ['no Strict-Transport-Security', 'no Content-Security-Policy', 'no X-Frame-Options (nor CSP frame-ancestors)'] });
    // One annotation for the origin, not one per check.
    const headerWarnings = warningsOf(warn).filter((a) => a.properties.title === 'smoke-test: security headers');
    expect(headerWarnings).toHaveLength(1);
    expect(headerWarnings[0]!.message).toMatch(/no Strict-Transport-Security.*\(on GET \/, GET \/about\)/);

    const error = await run('error');
    expect(error.code).toBe(1);
    expect(error.outputs['failed-count']).toBe('2');
    expect(report(error).checks[0]!.attempts).toBe(1); // retrying does not add headers

    const off = await run('off');
    expect(off.code).toBe(0);
    expect(report(off).checks.every((c) => c.status === 'pass')).toBe(true);
    expect(warningsOf(off)).toEqual([]);
  });

  it('runs checks concurrently up to `concurrency`', async () => {
    let inFlight = 0;
    let peak = 0;
    const s = await serve({ handler: (_q, res) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      setTimeout(() => {
        inFlight--;
        res.end('ok');
      }, 150);
    } });
    const checks = Array.from({ length: 8 }, (_, i) => `- /page/${i}`).join('\n');
    const four = await runAction('smoke-test', { inputs: { url: s.url, checks, concurrency: 4 } });
    expect(four.code).toBe(0);
    expect(peak).toBe(4);
    peak = 0;
    const one = await runAction('smoke-test', { inputs: { url: s.url, checks, concurrency: 1 } });
    expect(one.code).toBe(0);
    expect(peak).toBe(1);
    expect(one.durationMs - four.durationMs).toBeGreaterThan(500); // 8×150ms serial vs 2×150ms
  });

  it('sends the secret headers only to the url\'s host, not across a redirect to another host', async () => {
    const secret = 'bypass-token-do-not-forward-77';
    const other = await serve({ handler: (_q, res) => res.end('landed') });
    const s = await serve({ handler: (q, res) => {
      if (q.url === '/go') {
        res.writeHead(302, { location: `${other.url}/landing` });
        return res.end();
      }
      if (q.url === '/local') {
        res.writeHead(301, { location: '/go' });
        return res.end();
      }
      res.end('?');
    } });
    const r = await runAction('smoke-test', { inputs: { url: s.url, checks: '- path: /local\n  expect-body: landed', headers: `x-vercel-protection-bypass: ${secret}` } });
    expect(r.code).toBe(0);
    expect(s.requests.map((q) => [q.path, q.headers['x-vercel-protection-bypass']])).toEqual([
      ['/local', secret],
      ['/go', secret],
    ]);
    expect(other.requests[0]!.headers['x-vercel-protection-bypass']).toBeUndefined();
    expect(report(r).checks[0]!.final_url).toBe(`${other.url}/landing`);
    expect(findSecretLeaks(r, [secret])).toEqual([]);

    // A check on another host does not get them either; every check gets them when there is no base url.
    const before = other.requests.length;
    const mixed = await runAction('smoke-test', { inputs: { url: s.url, checks: `- url: ${other.url}/status\n  expect-body: landed`, headers: `x-vercel-protection-bypass: ${secret}` } });
    expect(mixed.code).toBe(0);
    expect(other.requests[before]!.headers['x-vercel-protection-bypass']).toBeUndefined();
    const noBase = await runAction('smoke-test', { inputs: { checks: `- url: ${other.url}/status\n  expect-body: landed`, headers: `x-vercel-protection-bypass: ${secret}` } });
    expect(noBase.code).toBe(0);
    expect(other.requests.at(-1)!.headers['x-vercel-protection-bypass']).toBe(secret);
  });

  it('masks secrets the server echoes back, and a password in the url', async () => {
    const secret = 'Echoed-Secret-Value-9f8e7d';
    const password = 'pa ss/w:rd-123';
    const s = await serve({ handler: (q, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      // A misbehaving app that reflects request headers (and so the secrets) into its body.
      res.end(`you sent ${q.headers['x-api-key']} as ${Buffer.from(String(q.headers['x-api-key'])).toString('base64')} with ${q.headers.authorization}`);
    } });
    const url = s.url.replace('http://', `http://deploy:${encodeURIComponent(password)}@`);
    const r = await runAction('smoke-test', { inputs: { url, checks: '- path: /\n  expect-body: nothing-like-this', headers: `X-Api-Key: ${secret}`, attempts: 1 } });
    expect(r.code).toBe(1);
    expect(s.requests[0]!.headers.authorization).toBe(`Basic ${Buffer.from(`deploy:${password}`).toString('base64')}`);
    expect(report(r).checks[0]!.problems).toEqual([expect.stringContaining('you sent ***')]);
    expect(findSecretLeaks(r, [secret, password, `deploy:${password}`])).toEqual([]);
  });
});
