/**
 * smoke-test: the committed bundle against a local demo shop over HTTPS (a throwaway CA), behind
 * a Vercel-style protection bypass — a healthy release that passes, then a broken one (its
 * database down, a wrong version) that fails with the reasons in the summary.
 */
import type { DemoContext } from '../demo.js';
import { demoApp } from '../../test/harness/smoke-app.js';
import { startTestServer } from '../../test/harness/https.js';

const CHECKS = `
- name: home
  path: /
  expect-body: Welcome to the shop
- name: version
  path: /api/version
  expect-json: { version: 1.4.2 }
- name: health
  path: /api/health
  health: true
- name: create order
  path: /api/orders
  method: POST
  body: { sku: A1 }
  expect-status: 201
  expect-json: { status: created }
  max-latency: 500ms
`;

export async function run(ctx: DemoContext): Promise<void> {
  const bypass = 'demo-protection-bypass-secret-5b1e';
  const app = demoApp({ bypass });
  const server = await startTestServer({ tls: { days: 10 }, handler: app.handler });
  ctx.defer(() => server.close());
  const inputs = { url: server.url, checks: CHECKS, headers: `x-vercel-protection-bypass: ${bypass}`, 'retry-delay': '200ms', deadline: '2s' };
  const env = { NODE_EXTRA_CA_CERTS: server.caFile };

  const healthy = await ctx.runAction('smoke-test', { inputs, env });
  ctx.show('smoke-test · a healthy release (certificate expiring in 10 days → a warning)', healthy);
  if (healthy.code !== 0) throw new Error(`the healthy release should pass, got exit ${healthy.code}`);

  app.state.health = 'fail';
  app.state.version = '1.5.0-rc.1';
  const broken = await ctx.runAction('smoke-test', { inputs, env });
  ctx.show('smoke-test · a broken release (database down, wrong version)', broken);
  if (broken.code !== 1) throw new Error(`the broken release should fail, got exit ${broken.code}`);
}
