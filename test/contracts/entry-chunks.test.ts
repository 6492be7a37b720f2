/**
 * What every run pays at start-up is its bundle's entry chunk (dist/<action>/index.js): code that
 * only some paths need sits in lazy chunks beside it. Each marker is a string that only that code
 * carries and minification keeps.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../harness/action.js';

const LAZY: Array<[what: string, marker: string, bundles?: string[]]> = [
  ["@actions/core's OIDC client (loaded by getIDToken; see scripts/build.mjs)", 'actions/oidc-client'],
  ['undici (behind the OIDC client and Octokit)', 'llhttp'],
  ['pg (loaded on the first connection)', 'SCRAM-SERVER-FIRST-MESSAGE'],
  ["migrate's PostgreSQL parser (loaded with the sql engine)", 'launchql/libpg-query-node'],
  // Loads node:tls and node:net; the actions that probe import the smoke engine, not the barrel that carries it.
  ['the TLS certificate check (shared/smoke/tls.ts, loaded by the engine for https origins)', 'the server presented no certificate', ['canary-shift', 'deploy-blue-green', 'preflight', 'smoke-test']],
];

const bundles = readdirSync(join(ROOT, 'dist')).filter((d) => existsSync(join(ROOT, 'dist', d, 'index.js')));

describe('entry chunks leave out what only some paths need', () => {
  it.each(bundles)('%s', (bundle) => {
    const entry = readFileSync(join(ROOT, 'dist', bundle, 'index.js'), 'utf8');
    const applies = LAZY.filter(([, , only]) => !only || only.includes(bundle));
    expect(applies.filter(([, marker]) => entry.includes(marker)).map(([what]) => what)).toEqual([]);
  });
});
