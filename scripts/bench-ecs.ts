/**
 * `npx tsx scripts/bench-ecs.ts [runs]` — ECS readiness-detection lag, measured through the
 * committed deploy-blue-green bundle (Node 24, as the runner runs it) against the ECS stand-in:
 * the stand-in's service deployment turns SUCCESSFUL → the action moves on (its first watch
 * request to the production URL). Bakes of different lengths put SUCCESSFUL at every phase of the
 * poll clock. Target ≤ 1 s median (the ECS action users have today polls every 15 s).
 * Also prints the size of what the bundle loads for platform: ecs.
 */
import { statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { startEcsStandIn } from '../test/harness/ecs.js';
import { startGithubStandin } from '../test/harness/github.js';
import { ROOT, runAction } from '../test/harness/action.js';

const runs = Number(process.argv[2] ?? 8);
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const [ecs, github] = await Promise.all([startEcsStandIn({ stageMs: 40 }), startGithubStandin()]);
const hits: number[] = [];
const server = createServer((_req, res) => {
  hits.push(Date.now());
  res.writeHead(200, { 'content-type': 'application/health+json' });
  res.end('{"status":"healthy"}');
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

try {
  const lags: number[] = [];
  for (let i = 0; i < runs; i++) {
    ecs.bakeMs = 300 + Math.round((i / Math.max(1, runs - 1)) * 2700);
    const service = `bench-${i}`;
    ecs.addService({ cluster: 'prod', service });
    hits.length = 0;
    const r = await runAction('deploy-blue-green', {
      timeoutMs: 120_000,
      inputs: {
        platform: 'ecs', 'aws-region': 'eu-west-1', cluster: 'prod', service, 'container-name': 'web', image: `ghcr.io/acme/shop:r${i}`,
        'test-url': `${url}/green`, 'production-url': url, 'verify-checks': '- name: health\n  path: /health\n  health: true\n',
        watch: '1s', 'github-token': github.token,
      },
      env: {
        GITHUB_API_URL: github.url, AWS_ENDPOINT_URL_ECS: ecs.url, AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: 'bench-secret-key-0123456789',
        AWS_EC2_METADATA_DISABLED: 'true', AWS_CONFIG_FILE: '/nonexistent', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
      },
    });
    if (r.code !== 0) throw new Error(`release ${i} failed:\n${r.log}\n${r.stderr}`);
    const d = ecs.deploymentsOf('prod', service).at(-1)!;
    // Green's verification hits this server too (before SUCCESSFUL): take the first hit after it.
    const successful = ecs.reachedAt(d.serviceDeploymentArn, 'SUCCESSFUL')!;
    const lag = hits.find((t) => t >= successful)! - successful;
    lags.push(lag);
    process.stdout.write(`  bake ${ecs.bakeMs} ms → lag ${lag} ms\n`);
  }
  console.log(`ECS readiness-detection lag (SUCCESSFUL → action moves on): median ${Math.round(median(lags))} ms, max ${Math.max(...lags)} ms (n=${lags.length})`);
  const dist = join(ROOT, 'dist', 'deploy-blue-green');
  const loaded = ['index.js', ...new Set([...(await import('node:fs')).readFileSync(join(dist, 'index.js'), 'utf8').matchAll(/\.e\((\d+)\)/g)].map((m) => `${m[1]}.index.js`))];
  const sizes = Object.fromEntries(loaded.map((f) => [f, statSync(join(dist, f)).size]));
  console.log(`deploy-blue-green chunks reachable from index.js (bytes): ${JSON.stringify(sizes)}`);
} finally {
  server.close();
  await Promise.all([ecs.close(), github.close()]);
}
