/**
 * The wiring of the reusable workflows, checked the way actionlint cannot (it does not read our
 * local actions): every `with:` key exists, required inputs are given, referenced outputs exist,
 * and the workflow rules hold (least privilege, explicit secrets, no expressions inside `run:`).
 * GitHub's own language service checks the same files in languageservice.test.ts.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from '../harness/action.js';
import { actionNames, readManifest } from '../harness/contracts.js';
import { readmeExamples } from '../harness/workflow-check.js';
import { PENDING_CONTRACTS } from './pending-contracts.js';

type Doc = Record<string, any>;
const dir = join(ROOT, '.github', 'workflows');
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
const workflows = Object.fromEntries(files.map((f) => [f, parse(readFileSync(join(dir, f), 'utf8')) as Doc]));
const landed = new Set(actionNames());
const ours = new Set([...landed, ...Object.keys(PENDING_CONTRACTS)]);

/** An action's contract: its action.yml, or DESIGN.md's names while the action is being built. */
function contract(action: string): { inputs: Record<string, { required?: boolean; default?: string }>; outputs: Record<string, unknown> } {
  if (landed.has(action)) return readManifest(action);
  const pending = PENDING_CONTRACTS[action]!;
  return { inputs: Object.fromEntries(pending.inputs.map((i) => [i, {}])), outputs: Object.fromEntries(pending.outputs.map((o) => [o, {}])) };
}

/** Which of our actions a `uses:` points at, in any of the forms a workflow can use. */
function ourAction(uses: string): string | undefined {
  const m = /(?:^\.\/(?:\.gantry\/)?|\/gantry\/)actions\/([a-z-]+)(?:@|$)/.exec(uses);
  if (m) expect(ours, `${uses} names an action that does not exist`).toContain(m[1]);
  return m?.[1];
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(strings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(strings);
  return [];
}

const refs = (text: string, re: RegExp) => [...text.matchAll(re)].map((m) => m.slice(1));

function triggerInputs(doc: Doc): Set<string> {
  const on = doc.on ?? doc[true as unknown as string] ?? {};
  return new Set([...Object.keys(on.workflow_call?.inputs ?? {}), ...Object.keys(on.workflow_dispatch?.inputs ?? {})]);
}

describe.each(files)('workflow %s', (file) => {
  const doc = workflows[file]!;
  const jobs = Object.entries(doc.jobs as Record<string, Doc>);

  it('grants least privilege: an explicit permissions block', () => {
    expect(doc.permissions, 'top-level permissions').toBeDefined();
    for (const [name, job] of jobs) {
      for (const [scope, level] of Object.entries({ ...doc.permissions, ...job.permissions })) {
        expect(['read', 'none', 'write'], `${name}.${scope}`).toContain(level);
        // contents: write only for Gantry's own release (it pushes tags); never in what users call.
        const writable = ['deployments', 'statuses', 'checks', 'issues', 'pull-requests', 'id-token', ...(file === 'release.yml' ? ['contents'] : [])];
        if (level === 'write') expect(writable, `${name} writes ${scope}`).toContain(scope);
      }
      // id-token: write (an OIDC token) only on jobs that exchange it for cloud credentials.
      const oidc = (job.steps ?? []).some((s: Doc) => /^aws-actions\/configure-aws-credentials@/.test(s.uses ?? '') && s.with?.['role-to-assume']);
      expect(job.permissions?.['id-token'] === 'write', `${name}: id-token: write ${oidc ? 'is needed' : 'is not needed'}`).toBe(oidc);
    }
  });

  it('passes secrets explicitly and keeps expressions out of run: scripts', () => {
    for (const [name, job] of jobs) {
      expect(job.secrets, `${name} uses secrets: inherit`).not.toBe('inherit');
      for (const step of job.steps ?? []) if (step.run) expect(step.run, `${name}: ${step.name}`).not.toMatch(/\$\{\{/);
    }
  });

  it('pins third-party actions to a commit', () => {
    for (const [, job] of jobs) for (const step of job.steps ?? []) {
      if (step.uses && !step.uses.startsWith('./')) expect(step.uses).toMatch(/@[0-9a-f]{40}$/);
    }
  });

  it('never cancels a running release', () => {
    for (const [name, job] of jobs) if (job.concurrency && file !== 'ci.yml') expect(job.concurrency['cancel-in-progress'], name).toBe(false);
  });

  it('wires our actions: known inputs, required inputs given, outputs that exist', () => {
    const inputs = triggerInputs(doc);
    const allText = strings(doc).join('\n');
    for (const [input] of refs(allText, /\binputs\.([a-z0-9-]+)/g)) expect(inputs.has(input!), `inputs.${input} is not declared`).toBe(true);
    for (const [name, job] of jobs) {
      const stepsById = new Map<string, Doc>((job.steps ?? []).filter((s: Doc) => s.id).map((s: Doc) => [s.id, s]));
      for (const step of job.steps ?? []) {
        const action = step.uses && ourAction(step.uses);
        if (!action) continue;
        const manifest = contract(action);
        const given = Object.keys(step.with ?? {});
        for (const key of given) expect(Object.keys(manifest.inputs), `${name}/${step.name}: '${key}' is not an input of ${action}`).toContain(key);
        for (const [key, def] of Object.entries(manifest.inputs)) {
          if (def.required && def.default === undefined) expect(given, `${name}/${step.name}: required '${key}' of ${action}`).toContain(key);
        }
      }
      for (const [id, output] of refs(strings(job).join('\n'), /\bsteps\.([a-z0-9_-]+)\.outputs\.([a-z0-9-]+)/g)) {
        const step = stepsById.get(id!);
        expect(step, `${name}: no step with id '${id}'`).toBeDefined();
        const action = step!.uses && ourAction(step!.uses);
        if (action) expect(Object.keys(contract(action).outputs), `${name}: ${action} has no output '${output}'`).toContain(output);
      }
      for (const [needed, output] of refs(strings(job).join('\n'), /\bneeds\.([a-z0-9_-]+)\.outputs\.([a-z0-9-]+)/g)) {
        expect([job.needs].flat(), `${name} must need '${needed}'`).toContain(needed);
        expect(Object.keys(doc.jobs[needed!]?.outputs ?? {}), `${needed} has no output '${output}'`).toContain(output);
      }
      if (typeof job.uses === 'string' && job.uses.startsWith('./.github/workflows/')) {
        const called = workflows[job.uses.split('/').pop()!]!;
        const call = (called.on ?? called[true as unknown as string]).workflow_call;
        for (const key of Object.keys(job.with ?? {})) expect(Object.keys(call.inputs ?? {}), `${name}: '${key}'`).toContain(key);
        for (const [key, def] of Object.entries(call.inputs ?? {}) as Array<[string, Doc]>) {
          if (def.required) expect(Object.keys(job.with ?? {}), `${name}: required '${key}'`).toContain(key);
        }
        for (const key of Object.keys(job.secrets ?? {})) expect(Object.keys(call.secrets ?? {}), `${name}: secret '${key}'`).toContain(key);
      }
    }
    for (const [jobName, output] of refs(allText, /\bjobs\.([a-z0-9_-]+)\.outputs\.([a-z0-9-]+)/g)) {
      const job = doc.jobs[jobName!];
      expect(job, `no job '${jobName}'`).toBeDefined();
      if (job.uses) {
        const called = workflows[job.uses.split('/').pop()!]!;
        expect(Object.keys((called.on ?? called[true as unknown as string]).workflow_call.outputs ?? {})).toContain(output);
      } else expect(Object.keys(job.outputs ?? {}), `job ${jobName} has no output ${output}`).toContain(output);
    }
  });
});

describe('README caller examples', () => {
  const readmes = ['README.md', ...actionNames().map((name) => `actions/${name}/README.md`)];
  it.each(readmes.flatMap(readmeExamples).map((e) => [e.where, e] as const))('%s keeps expressions out of run: scripts', (_, example) => {
    const doc = parse(example.workflow) as Doc;
    for (const job of Object.values(doc.jobs as Record<string, Doc>)) {
      for (const step of job.steps ?? []) if (step.run) expect(step.run).not.toMatch(/\$\{\{/);
    }
  });
});
