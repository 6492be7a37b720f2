/**
 * Bad inputs: each refused by name with the fix, in one error, before anything is contacted — the
 * GitHub stand-in, the database port and the URL see no request, and no secret value is echoed.
 */
import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startGithubStandin, type GithubStandin } from '../harness/github.js';
import { errors, preflight } from './support.js';

let github: GithubStandin;
let tcp: Server;
let connections = 0;
let port = 0;

beforeAll(async () => {
  github = await startGithubStandin();
  tcp = createServer((s) => {
    connections++;
    s.destroy();
  });
  await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', () => r()));
  port = (tcp.address() as { port: number }).port;
});
afterAll(async () => {
  await github.close();
  await new Promise((r) => tcp.close(r));
});

const SECRET = 'pw-Zk8q-never-shown-77';
const valid = () => ({
  environment: 'production',
  'database-url': `postgres://app:${SECRET}@127.0.0.1:${port}/shop`,
  urls: `http://127.0.0.1:${port}/health`,
  'github-token': github.token,
  'required-checks': 'all',
});
const env = () => ({ GITHUB_API_URL: github.url });

async function refused(inputs: Record<string, string>) {
  const before = { requests: github.requests.length, connections };
  const r = await preflight({ ...valid(), ...inputs }, { env: env(), secrets: [SECRET, github.token] });
  expect(r.code).toBe(1);
  expect(github.requests.length, 'GitHub was contacted').toBe(before.requests);
  expect(connections, 'the database or a URL was contacted').toBe(before.connections);
  expect(r.outputs.ready).toBeUndefined();
  return r;
}

describe('preflight refuses bad inputs before contacting anything', () => {
  it('an invalid cron field, by name and line', async () => {
    const r = await refused({ freeze: 'Fri 16:00 - Mon 08:00 Europe/Berlin\n0 18 * * 8 for 62h Europe/Berlin' });
    expect(errors(r)[0]!.message).toMatch(/^Input 'freeze' line 2 .*invalid cron schedule "0 18 \* \* 8".*expected range 0-7/);
    expect(r.summary).toMatch(/preflight failed[\s\S]*inputs were refused before anything was contacted/);
  });

  it('an unknown time zone', async () => {
    const r = await refused({ freeze: 'Fri 16:00 - Mon 08:00 Europe/Frankfurt' });
    expect(errors(r)[0]!.message).toMatch(/Input 'freeze' line 1 .*unknown time zone "Europe\/Frankfurt": use an IANA name/);
  });

  it('a reversed date range', async () => {
    const r = await refused({ freeze: '2027-01-04 - 2026-12-20 Europe/Berlin' });
    expect(errors(r)[0]!.message).toMatch(/Input 'freeze' line 1 .*reversed date range.*put the earlier date first/);
  });

  it('every other bad value at once, each named with its fix, no secret echoed', async () => {
    const r = await refused({
      'database-url': `mysql://app:${SECRET}@db/shop`,
      'required-env': 'STRIPE_KEY\nSESSION-SECRET',
      urls: 'ftp://files.example.com',
      'tls-min-days': '-3',
      'backup-destination': 'gs://bucket/x',
      'freeze-override': 'true',
      'required-checks': 'all\nbuild',
      'wait-for-checks': 'soon',
      'allowed-refs': 'main, release /*',
      'block-concurrent': 'maybe',
      timeout: '10ms',
      platform: 'heroku',
    });
    const text = errors(r).map((e) => e.message).join('\n');
    for (const [name, fix] of [
      ['database-url', /uses the scheme mysql:\/\/ — use postgres:\/\/ or postgresql:\/\//],
      ['required-env', /"SESSION-SECRET".*letters, digits and _/],
      ['urls', /"ftp:\/\/files.example.com".*http\(s\) URL/],
      ['tls-min-days', /from 0 to 3650/],
      ['backup-destination', /s3:\/\/bucket\/prefix or a local directory/],
      ['freeze-override', /give the reason on one line/],
      ['required-checks', /mixes "all" with check names/],
      ['wait-for-checks', /duration such as 250ms/],
      ['allowed-refs', /"release \/\*".*globs such as main/],
      ['block-concurrent', /use true or false/],
      ['timeout', /at least 100ms/],
      ['platform', /use one of vercel, ecs/],
    ] as const) {
      expect(text, name).toMatch(new RegExp(`Input '${name}' [^\\n]*${fix.source}`));
    }
    expect(text).not.toContain(SECRET);
  });

  it('cross-field rules: platform inputs, migrations without a database, s3 options without an s3 destination', async () => {
    const r = await refused({
      'database-url': '',
      platform: 'vercel',
      'migrations-dir': 'no/such/dir',
      's3-endpoint': 'http://127.0.0.1:9',
    });
    const text = errors(r).map((e) => e.message).join('\n');
    expect(text).toMatch(/Input 'vercel-token' is required with platform: vercel/);
    expect(text).toMatch(/Input 'vercel-project-id' is required with platform: vercel/);
    expect(text).toMatch(/Input 'migrations-dir' needs 'database-url'/);
    expect(text).toMatch(/Input 'migrations-dir' is "no\/such\/dir": no such directory/);
    expect(text).toMatch(/Input 's3-endpoint' applies only to an s3:\/\/ backup-destination/);
  });
});
