/** smoke-test inputs through the bundle: every bad value fails before any request; checks-file; defaults. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorsOf, findSecretLeaks, runAction, warningsOf } from '../harness/action.js';
import { startTestServer, type TestServer } from '../harness/https.js';
import { demoApp } from '../harness/smoke-app.js';
import { report } from './support.js';

let server: TestServer;
let workspace: string;
beforeAll(async () => {
  server = await startTestServer({ handler: demoApp().handler });
  workspace = mkdtempSync(join(tmpdir(), 'smoke-ws-'));
  mkdirSync(join(workspace, '.github'));
  writeFileSync(
    join(workspace, '.github', 'smoke.yml'),
    ['# smoke checks for the shop', '- name: home', '  path: /', '- name: version', '  path: /api/version', '  expect-json:', '    version: 9.9.9', ''].join('\n'),
  );
  writeFileSync(join(workspace, '.github', 'broken.yml'), ['- name: home', '  path: /', '- name: health', '  path: /api/health', '  expect-status: 2xx', '  helth: true', ''].join('\n'));
});
afterAll(async () => {
  await server.close();
  rmSync(workspace, { recursive: true, force: true });
});

describe('smoke-test inputs (bundle)', () => {
  const secret = 'bad-input-secret-header-4411';
  const bad: Array<[string, string]> = [
    ['url', 'not a url'],
    ['url', 'ftp://example.com'],
    ['checks', '- name: home\n  path: /\n  expect-status: 7xx'],
    ['checks', '- name: [unclosed'],
    ['checks-file', '.github/nope.yml'],
    ['headers', 'this line has no colon'],
    ['timeout', 'fast'],
    ['timeout', '0'],
    ['attempts', '0'],
    ['attempts', 'three'],
    ['retry-delay', 'soon'],
    ['deadline', '-1'],
    ['concurrency', '0'],
    ['concurrency', '1000'],
    ['tls-min-days', '-3'],
    ['security-headers', 'strict'],
    ['fail-on-warning', 'maybe'],
    ['sentry-dsn', 'not-a-dsn'],
    ['sentry-dsn', 'https://sentry.example.com/42'], // a URL, but no key: the shared DSN shape refuses it
  ];
  it.each(bad)('%s = %j fails with one error naming the input, before any request', async (name, value) => {
    const before = server.requests.length;
    const r = await runAction('smoke-test', {
      inputs: { url: server.url, headers: `x-api-key: ${secret}`, [name]: value },
      cwd: workspace,
    });
    expect(r.code).toBe(1);
    const errs = errorsOf(r);
    expect(errs).toHaveLength(1);
    expect(errs[0]!.message).toContain(`'${name}'`);
    expect(server.requests.length).toBe(before);
    expect(r.outputs).toEqual({});
    expect(findSecretLeaks(r, [secret])).toEqual([]);
  });

  it('a malformed headers input never echoes the value', async () => {
    const r = await runAction('smoke-test', { inputs: { url: server.url, headers: 'x-ok: fine-value-1234\nTOKEN-hunter2-no-colon' } });
    expect(r.code).toBe(1);
    expect(errorsOf(r)[0]!.message).toMatch(/Input 'headers' line 2 is not `Name: value`/);
    expect(r.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n')).not.toContain('hunter2');
  });

  it('annotates a mistake in checks-file at its file and line, before any request', async () => {
    const before = server.requests.length;
    const r = await runAction('smoke-test', { inputs: { url: server.url, 'checks-file': '.github/broken.yml' }, cwd: workspace });
    expect(r.code).toBe(1);
    expect(errorsOf(r)).toHaveLength(1);
    expect(errorsOf(r)[0]!.properties).toMatchObject({ file: '.github/broken.yml', line: '6' });
    expect(errorsOf(r)[0]!.message).toMatch(/checks-file.*helth/);
    expect(server.requests.length).toBe(before);
  });

  it('runs checks from checks-file and annotates a failing check at its line', async () => {
    const r = await runAction('smoke-test', { inputs: { url: server.url, 'checks-file': '.github/smoke.yml', attempts: 1 }, cwd: workspace });
    expect(r.code).toBe(1);
    expect(report(r).checks.map((c) => [c.name, c.status])).toEqual([
      ['home', 'pass'],
      ['version', 'fail'],
    ]);
    expect(errorsOf(r)[0]).toMatchObject({ message: expect.stringContaining('JSON version is "1.4.2", expected "9.9.9"'), properties: { file: '.github/smoke.yml', line: '4', title: 'smoke-test: version' } });
  });

  it('combines checks-file and inline checks', async () => {
    const r = await runAction('smoke-test', { inputs: { url: server.url, 'checks-file': '.github/smoke.yml', checks: '- /api/health', attempts: 1 }, cwd: workspace });
    expect(report(r).checks.map((c) => c.name)).toEqual(['home', 'version', 'GET /api/health']);
  });

  it('without checks: GET / expecting 2xx', async () => {
    const before = server.requests.length;
    const r = await runAction('smoke-test', { inputs: { url: `${server.url}/` } });
    expect(r.code).toBe(0);
    expect(server.requests.slice(before).map((q) => `${q.method} ${q.path}`)).toEqual(['GET /']);
    expect(report(r).checks).toMatchObject([{ name: 'GET /', status: 'pass', http_status: 200 }]);
  });

  it('url is required for path checks, not when every check has a full url', async () => {
    const missing = await runAction('smoke-test', { inputs: { checks: '- /\n- /api/health' } });
    expect(missing.code).toBe(1);
    expect(errorsOf(missing)).toHaveLength(1);
    expect(errorsOf(missing)[0]!.message).toMatch(/^Input 'url' is required/);
    const full = await runAction('smoke-test', { inputs: { checks: `- ${server.url}/\n- url: ${server.url}/api/version\n  expect-json: { version: 1.4.2 }` } });
    expect(full.code).toBe(0);
    expect(report(full).checks.map((c) => c.status)).toEqual(['pass', 'pass']);
  });

  it('joins paths to a base url with a path prefix', async () => {
    const s = await startTestServer({ handler: (q, res) => res.end(q.url) });
    try {
      const r = await runAction('smoke-test', { inputs: { url: `${s.url}/shop/`, checks: '- path: /cart?x=1\n  expect-body: /shop/cart?x=1' } });
      expect(r.code).toBe(0);
      expect(s.requests.map((q) => q.path)).toEqual(['/shop/cart?x=1']);
    } finally {
      await s.close();
    }
  });
});
