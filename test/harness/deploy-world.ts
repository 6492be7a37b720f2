/** Shared fixtures for the deploy-blue-green tests: stand-ins, app folders, and the action's inputs. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runAction, type RunOptions } from './action.js';
import { startGithubStandin, type GithubStandin } from './github.js';
import { startVercelStandin, type VercelStandin, type VercelStandinOptions } from './vercel.js';
import { tlsIdentity } from './tls.js';

export interface World {
  vercel: VercelStandin;
  github: GithubStandin;
  workspace: string;
  close(): Promise<void>;
}

export async function startWorld(options: VercelStandinOptions = {}): Promise<World> {
  const [vercel, github] = await Promise.all([startVercelStandin(options), startGithubStandin()]);
  const workspace = mkdtempSync(join(tmpdir(), 'gantry-deploy-ws-'));
  return {
    vercel,
    github,
    workspace,
    close: async () => {
      await Promise.all([vercel.close(), github.close()]);
      rmSync(workspace, { recursive: true, force: true });
    },
  };
}

export interface AppOptions {
  version: string;
  /** `healthy` (default) or what /api/health says. */
  health?: 'healthy' | 'unhealthy';
  /** Stand-in behaviour, carried by the upload as standin.json. */
  standin?: { buildMs?: number; outcome?: 'READY' | 'ERROR' | 'CANCELED' | 'BLOCKED'; errorMessage?: string; failAfterPromotionMs?: number; answers?: number };
}

/** Writes a tiny static site into the workspace and returns its folder name (relative). */
export function writeApp(world: World, app: AppOptions): string {
  const name = `app-${app.version}-${Math.random().toString(36).slice(2, 7)}`;
  const files: Record<string, string> = {
    'index.html': `<!doctype html><title>shop ${app.version}</title><h1>Shop ${app.version}</h1>`,
    'api/health.json': JSON.stringify({ status: app.health ?? 'healthy', version: app.version }),
    'api/version.json': JSON.stringify({ version: app.version }),
  };
  if (app.standin) files['standin.json'] = JSON.stringify(app.standin);
  for (const [path, content] of Object.entries(files)) {
    const full = join(world.workspace, name, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return name;
}

export const CHECKS = `
- name: health
  path: /api/health
  health: true
- name: home
  path: /
  expect-body: Shop
`;

export function deployInputs(world: World, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    platform: 'vercel',
    environment: 'production',
    'vercel-token': world.vercel.token,
    'vercel-team-id': world.vercel.teamId,
    'vercel-project-id': world.vercel.projectId,
    'vercel-api-url': world.vercel.url,
    'protection-bypass-secret': world.vercel.bypassSecret,
    'github-token': world.github.token,
    'verify-checks': CHECKS,
    watch: '0s',
    timeout: '60s',
    ...extra,
  };
}

let runs = 0;

export function deployEnv(world: World, extra: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  // A new run id per action run, never one seen before in this process (see the workflow runner's).
  const runId = String(100_000 + ++runs * 1000 + Math.floor(Math.random() * 1000));
  return { GITHUB_API_URL: world.github.url, GITHUB_RUN_ID: runId, NODE_EXTRA_CA_CERTS: tlsIdentity().certFile, ...extra };
}

export function deploy(world: World, inputs: Record<string, string | undefined>, options: Omit<RunOptions, 'inputs'> = {}) {
  return runAction('deploy-blue-green', {
    timeoutMs: 60_000,
    ...options,
    cwd: world.workspace,
    inputs: { ...deployInputs(world), ...inputs },
    env: { ...deployEnv(world), ...options.env },
  });
}

export function secretsOf(world: World): string[] {
  return [world.vercel.token, world.github.token, world.vercel.bypassSecret];
}

export async function fetchProduction(world: World, path = '/api/version'): Promise<{ status: number; body: string }> {
  const { request } = await import('node:https');
  const { readFileSync } = await import('node:fs');
  const ca = readFileSync(tlsIdentity().certFile, 'utf8');
  return new Promise((resolve, reject) => {
    const req = request(`${world.vercel.productionUrl}${path}`, { ca }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
