/**
 * A run leaves nothing behind in the temp folder: not the runner files of the harness, not the
 * test CA and its key, not anything the actions make. Each run here gets a fresh TMPDIR (the
 * harness hands it to the action too) that must be empty afterwards.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { ROOT, runAction } from '../harness/action.js';
import { actionNames } from '../harness/contracts.js';
import { startTestServer, testCa } from '../harness/https.js';

const realTmp = tmpdir();
let fresh: string;
let before: string | undefined;
beforeAll(() => void testCa()); // this process's CA lives outside the folders checked here
beforeEach(() => {
  before = process.env.TMPDIR;
  fresh = mkdtempSync(join(realTmp, 'gantry-tmpcheck-'));
  process.env.TMPDIR = fresh;
});
afterEach(() => {
  if (before === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = before;
  rmSync(fresh, { recursive: true, force: true });
});

describe('the temp folder after a run', () => {
  it.each(actionNames())('%s (refused on its inputs) leaves nothing', async (name) => {
    const r = await runAction(name, { inputs: { timeout: 'never' } });
    expect(r.code).toBe(1);
    expect(readdirSync(fresh)).toEqual([]);
  });

  it('smoke-test over HTTPS leaves nothing', async () => {
    const server = await startTestServer({ tls: true, handler: (_, res) => res.end('ok') });
    try {
      const r = await runAction('smoke-test', { inputs: { url: server.url, 'security-headers': 'off' }, env: { NODE_EXTRA_CA_CERTS: server.caFile } });
      expect(r.code, r.log).toBe(0);
    } finally {
      await server.close();
    }
    expect(readdirSync(fresh)).toEqual([]);
  });

  it('migrate and backup against a real database leave nothing', async () => {
    const ws = mkdtempSync(join(realTmp, 'gantry-tmpcheck-ws-')); // the test's own workspace, outside the folder checked
    try {
      mkdirSync(join(ws, 'migrations'));
      writeFileSync(join(ws, 'migrations', '1_a.sql'), 'SELECT 1;\n');
      const url = inject('postgresUrl');
      const migrate = await runAction('migrate', { cwd: ws, inputs: { 'database-url': url, operation: 'status' } });
      expect(migrate.code, migrate.log).toBe(0);
      const backup = await runAction('backup', { cwd: ws, inputs: { 'database-url': url, destination: join(ws, 'backups'), 'encryption-passphrase': 'correct horse battery staple 42' } });
      expect(backup.code, backup.log).toBe(0);
    } finally {
      rmSync(ws, { recursive: true, force: true });
    }
    expect(readdirSync(fresh)).toEqual([]);
  });

  it('the test CA and its key go when the process that made them exits', () => {
    const script = "import('./test/harness/https.ts').then(async ({ startTestServer }) => { const s = await startTestServer({ tls: true, handler: (_, res) => res.end() }); await s.close(); console.log('served'); })";
    const child = spawnSync(join(ROOT, 'node_modules', '.bin', 'tsx'), ['--eval', script], { cwd: ROOT, env: { ...process.env, TMPDIR: fresh }, encoding: 'utf8' });
    expect(child.stdout, child.stderr).toBe('served\n');
    // tsx keeps its compile cache there (tsx-<uid>): that is the tool's, not ours.
    expect(readdirSync(fresh).filter((name) => !/^tsx-\d+$/.test(name))).toEqual([]);
  });
});
