/**
 * What a new user tripped over, through the bundle: a failing inline check annotated `line=1`
 * without a file, YAML mistakes on the wrong line, `GET / — GET /` in the log, and a run that
 * failed on its inputs without a job summary.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorsOf, runAction } from '../harness/action.js';
import { startTestServer, type TestServer } from '../harness/https.js';

let server: TestServer;
let workspace: string;
const WORKFLOW_REF = { GITHUB_WORKFLOW_REF: 'acme/shop/.github/workflows/release.yml@refs/heads/main' };

/** release.yml in the workspace, with the smoke-test step's `checks` as a block value. */
function writeWorkflow(checks: string[]): number {
  const lines = ['on: push', 'jobs:', '  smoke:', '    runs-on: ubuntu-latest', '    steps:', '      - uses: acme/gantry/actions/smoke-test@v1', '        with:', '          url: https://shop.test', '          checks: |'];
  writeFileSync(join(workspace, '.github', 'workflows', 'release.yml'), [...lines, ...checks.map((c) => `            ${c}`), ''].join('\n'));
  return lines.length; // the line of `checks: |`
}

beforeAll(async () => {
  server = await startTestServer({ handler: (req, res) => res.writeHead(req.url === '/missing' ? 404 : 200).end('ok') });
  workspace = mkdtempSync(join(tmpdir(), 'gantry-smoke-newuser-'));
  mkdirSync(join(workspace, '.github', 'workflows'), { recursive: true });
});
afterAll(async () => {
  await server.close();
  rmSync(workspace, { recursive: true, force: true });
});

describe('smoke-test, as a new user meets it (bundle)', () => {
  const checks = ['- name: home', '  path: /', '- name: gone', '  path: /missing', '  expect-status: 200'];

  it('annotates a failing inline check on its line in the workflow file', async () => {
    const key = writeWorkflow(checks);
    const r = await runAction('smoke-test', { cwd: workspace, env: WORKFLOW_REF, inputs: { url: server.url, checks: checks.join('\n'), attempts: 1, deadline: '0', 'security-headers': 'off' } });
    expect(r.code).toBe(1);
    const gone = errorsOf(r).find((e) => e.properties.title === 'smoke-test: gone');
    expect(gone!.properties).toMatchObject({ file: '.github/workflows/release.yml', line: String(key + 3) });
  });

  it('without the workflow file, annotates a failing inline check with no line at all (never a bare line=1)', async () => {
    const r = await runAction('smoke-test', { inputs: { url: server.url, checks: '- /missing', attempts: 1, deadline: '0', 'security-headers': 'off' } });
    expect(r.code).toBe(1);
    const failed = errorsOf(r).find((e) => e.properties.title === 'smoke-test: GET /missing');
    expect(failed!.properties).not.toHaveProperty('line');
    expect(failed!.properties).not.toHaveProperty('file');
  });

  it('annotates a YAML mistake in checks on its workflow line, in plain words', async () => {
    const broken = ['- name: home', '  path: /', '- name: api', '  path: /api', '  name: again'];
    const key = writeWorkflow(broken);
    const r = await runAction('smoke-test', { cwd: workspace, env: WORKFLOW_REF, inputs: { url: server.url, checks: broken.join('\n') } });
    expect(r.code).toBe(1);
    expect(errorsOf(r)).toEqual([
      expect.objectContaining({
        message: "Input 'checks' is not valid YAML (line 5): the same key is given twice in one item",
        properties: expect.objectContaining({ file: '.github/workflows/release.yml', line: String(key + 5) }),
      }),
    ]);
    expect(server.requests.filter((q) => q.path === '/api')).toEqual([]);
  });

  it('a check with only a path does not repeat itself in the log', async () => {
    const r = await runAction('smoke-test', { inputs: { url: server.url, checks: '- /\n- name: home\n  path: /', 'security-headers': 'off' } });
    expect(r.code, r.log).toBe(0);
    expect(r.log).toMatch(/^✓ GET \/ → 200 /m);
    expect(r.log).toMatch(/^✓ home — GET \/ → 200 /m);
    expect(r.log).not.toMatch(/GET \/ — GET \//);
  });

  it('a run refused on its inputs still writes a job summary that says why', async () => {
    const r = await runAction('smoke-test', { inputs: { url: server.url, timeout: 'soon', 'fail-on-warning': 'yes' } });
    expect(r.code).toBe(1);
    expect(r.summary).toMatch(/^## smoke-test failed/);
    expect(r.summary).toMatch(/Nothing was changed: the inputs were refused before anything was contacted\./);
    expect(r.summary).toMatch(/Input 'timeout' is "soon": use a duration/);
    expect(r.summary).toMatch(/Input 'fail-on-warning' is "yes": use true or false/);
  });
});
