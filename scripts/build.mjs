// Bundles every action (and post step) with ncc into dist/<name>/ and runs each bundle once:
// ncc can exit 0 and still emit a bundle that fails at load time.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

// @actions/core imports its OIDC client statically (oidc-utils → @actions/http-client → undici,
// ~500 kB that every bundle then compiles and runs at start-up, actions/toolkit#1697), although
// only core.getIDToken uses it and no Gantry action does. Its package `exports` offer no entry
// without it, and ncc takes no webpack alias (its one hook, tsconfig `paths`, would also swap
// http-client under @actions/github), so the build makes that one import lazy in the installed
// copy: getIDToken still works (test/core/oidc.test.ts), from a chunk loaded on its first call.
// Idempotent, and it fails the build if a new @actions/core no longer has the lines it rewrites.
function lazyOidcClient() {
  const file = join('node_modules', '@actions', 'core', 'lib', 'core.js');
  const eager = "import { OidcClient } from './oidc-utils.js';\n";
  const call = '        return yield OidcClient.getIDToken(aud);';
  const lazy = "        const { OidcClient } = yield import('./oidc-utils.js');\n" + call;
  const source = readFileSync(file, 'utf8');
  if (source.includes(lazy) && !source.includes(eager)) return;
  if (!source.includes(eager) || source.split(call).length !== 2) {
    throw new Error(`${file} changed: review lazyOidcClient() in scripts/build.mjs`);
  }
  writeFileSync(file, source.replace(eager, '').replace(call, lazy));
}

const only = process.argv.slice(2);
const entries = [];
for (const name of readdirSync('actions')) {
  if (only.length && !only.includes(name)) continue;
  for (const [file, out] of [['index.ts', name], ['post.ts', `${name}-post`]]) {
    const entry = join('actions', name, 'src', file);
    if (existsSync(entry)) entries.push({ entry, out: join('dist', out) });
  }
}

const ncc = join('node_modules', '.bin', 'ncc');
const build = ({ entry, out }) =>
  new Promise((resolve, reject) => {
    rmSync(out, { recursive: true, force: true });
    const child = spawn(ncc, ['build', entry, '-o', out, '--minify', '--target', 'es2023', '--license', 'licenses.txt', '--quiet'], { stdio: 'inherit' });
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`ncc failed for ${entry}`))));
  });

async function buildAndProbe(e) {
  await build(e);
  // Load the bundle with no inputs: it must start, and fail only as an action would (exit 1 with ::error).
  const probe = spawnSync(process.execPath, [join(e.out, 'index.js')], {
    env: { PATH: process.env.PATH },
    encoding: 'utf8',
    timeout: 20_000,
  });
  if (/SyntaxError|ERR_REQUIRE_ESM|Cannot find module|ReferenceError/.test(probe.stderr)) {
    console.error(probe.stderr);
    throw new Error(`${e.out}/index.js does not load`);
  }
  console.log(`built ${e.out}`);
}

lazyOidcClient();
// One ncc per core: each spends much of its time on one thread (the full build took 3–4 min one at a time on 2 cores).
const queue = [...entries];
const builder = async () => {
  for (let e = queue.shift(); e; e = queue.shift()) await buildAndProbe(e);
};
await Promise.all(Array.from({ length: Math.min(availableParallelism(), entries.length) }, builder));
execFileSync('git', ['status', '--short', 'dist'], { stdio: 'inherit' });
