/**
 * A local runner for `workflow_call` / `workflow_dispatch` workflows, built on GitHub's own parser
 * (@actions/workflow-parser) and expression engine (@actions/expressions). A test tool: what it
 * does not emulate is listed in README.md beside this file.
 */
import { convertWorkflowTemplate, NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import type { Job, WorkflowJob } from '@actions/workflow-parser/model/workflow-template';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { asString, evaluateToken, field, keys, type Contexts, type Json, type Status } from './expressions.js';
import { runJobSteps } from './steps.js';
import type { Environment, JobRecord, Result, RunnerOptions, RunRecord } from './types.js';

export type * from './types.js';

export interface Trigger {
  /** `workflow_dispatch`, `workflow_call` (the test is the caller), or any other event name. */
  event: string;
  inputs?: Record<string, string | boolean | number>;
  /** For workflow_call: the secrets the caller passes. */
  secrets?: Record<string, string>;
  /** For workflow_call: `secrets: inherit` (repository secrets, and environment secrets in jobs that name one). */
  inheritSecrets?: boolean;
}

/** Where a workflow file lives: `repo` is a key of options.repositories. */
export interface WorkflowRef {
  repo: string;
  path: string;
}

interface Scope {
  file: WorkflowRef;
  inputs: Record<string, Json>;
  /** The `secrets` context before environments. */
  secrets: Record<string, string>;
  /** Whether jobs that name an environment also get its secrets. */
  environmentSecrets: boolean;
  github: Record<string, Json>;
  path: string;
  /** How GitHub prefixes this workflow's check runs: `caller job name / ` inside a reusable workflow. */
  checkPrefix: string;
  depth: number;
}

export class WorkflowRunner {
  private readonly locks = new Map<string, Promise<void>>();
  private runCounter = 0;

  constructor(readonly options: RunnerOptions) {}

  async run(file: WorkflowRef, trigger: Trigger): Promise<RunRecord> {
    const started = Date.now();
    // Unique, as GitHub's are: actions find their own earlier work by run id (a re-run continues a
    // rollout), so two runs sharing one made a release "continue" another's finished one.
    const runId = String(100_000 + ++this.runCounter * 1000 + Math.floor(Math.random() * 1000));
    const repo = this.repo(file.repo);
    const github: Record<string, Json> = {
      event_name: trigger.event,
      repository: this.options.repository,
      repository_owner: this.options.repository.split('/')[0]!,
      sha: this.repo(this.options.repository).sha,
      ref: this.options.github.ref ?? 'refs/heads/main',
      ref_name: (this.options.github.ref ?? 'refs/heads/main').replace(/^refs\/(heads|tags)\//, ''),
      actor: this.options.github.actor ?? 'octocat',
      triggering_actor: this.options.github.actor ?? 'octocat',
      run_id: runId,
      run_number: String(this.runCounter),
      run_attempt: '1',
      server_url: this.options.github.serverUrl ?? 'https://github.com',
      api_url: this.options.github.apiUrl,
      token: this.options.github.token,
      workflow: file.path,
      workflow_ref: `${file.repo}/${file.path}@${github_ref(this.options.github.ref)}`,
      workflow_sha: repo.sha,
      event: { inputs: (trigger.inputs ?? {}) as Json },
    };
    const secrets = trigger.event === 'workflow_call' && !trigger.inheritSecrets ? { ...trigger.secrets } : { ...this.options.secrets };
    const scope: Scope = {
      file,
      inputs: {},
      secrets,
      environmentSecrets: trigger.event !== 'workflow_call' || !!trigger.inheritSecrets,
      github,
      path: '',
      checkPrefix: '',
      depth: 0,
    };
    const seen = new Set<string>([this.options.github.token, ...Object.values(secrets), ...this.allEnvironmentSecrets()]);
    const registry = this.options.github.runs;
    registry?.startRun({ id: runId, name: file.path, path: file.path, headSha: asString(github.sha), headBranch: asString(github.ref_name), event: trigger.event });
    let outcome: Awaited<ReturnType<WorkflowRunner['runWorkflow']>>;
    try {
      outcome = await this.runWorkflow(scope, trigger.inputs ?? {}, trigger.event, trigger.secrets ?? {});
    } catch (error) {
      registry?.endRun(runId, 'failure');
      throw error;
    }
    const { jobs, outputs, result } = outcome;
    registry?.endRun(runId, result);
    return { workflow: file.path, runId, result, jobs, outputs, durationMs: Date.now() - started, secrets: [...seen].filter(Boolean) };
  }

  private repo(name: string) {
    const repo = this.options.repositories[name];
    if (!repo) throw new Error(`repository ${name} is not known to the runner (options.repositories)`);
    return repo;
  }

  private allEnvironmentSecrets(): string[] {
    return Object.values(this.options.environments ?? {}).flatMap((e) => Object.values(e.secrets ?? {}));
  }

  private async load(file: WorkflowRef) {
    const dir = this.repo(file.repo).dir;
    const content = readFileSync(join(dir, file.path), 'utf8');
    const parsed = parseWorkflow({ name: file.path, content }, new NoOperationTraceWriter());
    if (!parsed.value || parsed.context.errors.count > 0) {
      throw new Error(`${file.path} does not parse: ${parsed.context.errors.getErrors().map((e) => e.message).join('; ')}`);
    }
    const template = await convertWorkflowTemplate(parsed.context, parsed.value);
    if (template.errors?.length) throw new Error(`${file.path}: ${template.errors.map((e) => e.Message).join('; ')}`);
    return { root: parsed.value, template };
  }

  private async runWorkflow(scope: Scope, given: Record<string, string | boolean | number>, event: string, passedSecrets: Record<string, string>) {
    const { root, template } = await this.load(scope.file);
    const on = field(root, 'on');
    const trigger = field(on, event);
    const onValue = evaluateToken(on, {});
    const events = typeof onValue === 'string' ? [onValue] : Array.isArray(onValue) ? onValue.map(String) : keys(on);
    if (!events.includes(event)) throw new Error(`${scope.file.path} has no '${event}' trigger`);
    // Inputs: declared ones only, typed, defaults applied, required ones present.
    const declared = field(trigger, 'inputs');
    for (const name of Object.keys(given)) if (!keys(declared).includes(name)) throw new Error(`${scope.file.path}: input '${name}' is not defined`);
    const inputs: Record<string, Json> = {};
    for (const name of keys(declared)) {
      const def = field(declared, name);
      const type = asString(evaluateToken(field(def, 'type'), {})) || 'string';
      const required = evaluateToken(field(def, 'required'), {}) === true;
      let value: Json | undefined = given[name];
      if (value === undefined) {
        if (required) throw new Error(`${scope.file.path}: required input '${name}' was not given`);
        value = evaluateToken(field(def, 'default'), { github: scope.github }) ?? (type === 'boolean' ? false : type === 'number' ? 0 : '');
      }
      if (type === 'boolean') {
        if (typeof value === 'string' && !['true', 'false'].includes(value)) throw new Error(`${scope.file.path}: input '${name}' must be true or false`);
        value = value === true || value === 'true';
      } else if (type === 'number') value = Number(value);
      else if (type === 'choice') {
        const options = (evaluateToken(field(def, 'options'), {}) as string[]) ?? [];
        if (!options.includes(String(value))) throw new Error(`${scope.file.path}: input '${name}' must be one of ${options.join(', ')}`);
        value = String(value);
      } else value = asString(value);
      inputs[name] = value;
    }
    scope.inputs = inputs;
    if (event === 'workflow_call') {
      const secretDefs = field(trigger, 'secrets');
      if (!scope.environmentSecrets) {
        for (const name of Object.keys(passedSecrets)) if (!keys(secretDefs).includes(name)) throw new Error(`${scope.file.path}: secret '${name}' is not defined`);
      }
      for (const name of keys(secretDefs)) {
        if (evaluateToken(field(field(secretDefs, name), 'required'), {}) === true && !scope.secrets[name]) throw new Error(`${scope.file.path}: required secret '${name}' was not given`);
      }
    }

    const workflowEnv = (evaluateToken(field(root, 'env'), { github: scope.github, inputs, vars: this.options.vars ?? {}, secrets: scope.secrets }) ?? {}) as Record<string, Json>;
    const rawJobs = field(root, 'jobs');
    const records = new Map<string, JobRecord>();
    const pending = new Map(template.jobs.map((j) => [j.id.value, j]));
    while (pending.size) {
      const ready = [...pending.values()].filter((j) => (j.needs ?? []).every((n) => records.has(n.value)));
      if (!ready.length) throw new Error(`${scope.file.path}: jobs ${[...pending.keys()].join(', ')} wait on each other`);
      for (const j of ready) pending.delete(j.id.value);
      const done = await Promise.all(ready.map((job) => this.runJob(scope, job, field(rawJobs, job.id.value)!, root, records, workflowEnv)));
      for (const record of done) records.set(record.path.split('/').pop()!, record);
    }
    const jobs = [...records.values()];
    const jobsContext = Object.fromEntries(jobs.map((j) => [j.path.split('/').pop()!, { result: j.result, outputs: j.outputs }]));
    const outputDefs = field(trigger, 'outputs');
    const outputs: Record<string, string> = {};
    for (const name of keys(outputDefs)) outputs[name] = asString(evaluateToken(field(field(outputDefs, name), 'value'), { github: scope.github, inputs, jobs: jobsContext }));
    const result: Result = jobs.some((j) => j.result === 'failure') ? 'failure' : jobs.some((j) => j.result === 'cancelled') ? 'cancelled' : 'success';
    return { jobs, outputs, result };
  }

  private ancestors(job: WorkflowJob, all: Map<string, JobRecord>, template: Map<string, string[]>): JobRecord[] {
    const out = new Set<string>();
    const visit = (id: string) => {
      for (const n of template.get(id) ?? []) if (!out.has(n)) (out.add(n), visit(n));
    };
    visit(job.id.value);
    return [...out].map((id) => all.get(id)!).filter(Boolean);
  }

  private async runJob(scope: Scope, job: WorkflowJob, raw: TemplateToken, root: TemplateToken, records: Map<string, JobRecord>, workflowEnv: Record<string, Json>): Promise<JobRecord> {
    const started = Date.now();
    const id = job.id.value;
    const path = scope.path ? `${scope.path}/${id}` : id;
    const needsGraph = new Map<string, string[]>(keys(field(root, 'jobs')).map((k) => [k, needsOf(field(field(root, 'jobs'), k))]));
    const ancestors = this.ancestors(job, records, needsGraph);
    const needs = Object.fromEntries((job.needs ?? []).map((n) => [n.value, { result: records.get(n.value)!.result, outputs: records.get(n.value)!.outputs }]));
    const vars = { ...this.options.vars };
    const base: Contexts = { github: scope.github, inputs: scope.inputs, vars, needs };
    const record: JobRecord = { path, name: asString(evaluateToken(job.name, base)) || id, result: 'skipped', outputs: {}, steps: [], jobs: [], durationMs: 0, queuedMs: 0, startedAt: started, endedAt: started };
    const status = {
      failed: ancestors.some((a) => a.result === 'failure'),
      cancelled: ancestors.some((a) => a.result === 'cancelled'),
      succeeded: ancestors.every((a) => a.result === 'success'),
    };
    const condition = evaluateToken(job.if, base, status);
    const registry = this.options.github.runs;
    const runId = asString(scope.github.run_id);
    if (!condition) {
      if (registry && job.type !== 'reusableWorkflowJob') registry.endJob(registry.startJob(runId, scope.checkPrefix + record.name), 'skipped');
      record.durationMs = Date.now() - started;
      return record;
    }

    if (job.type === 'reusableWorkflowJob') {
      const ref = asString(evaluateToken(field(raw, 'uses'), base));
      const target = this.resolveWorkflow(ref, scope.file);
      const withValues = (evaluateToken(field(raw, 'with'), { ...base, secrets: scope.secrets }) ?? {}) as Record<string, string | boolean | number>;
      const secretsToken = field(raw, 'secrets');
      const inherit = secretsToken !== undefined && evaluateToken(secretsToken, {}) === 'inherit';
      const passed = inherit ? {} : ((evaluateToken(secretsToken, { ...base, secrets: scope.secrets }) ?? {}) as Record<string, Json>);
      const child: Scope = {
        file: target,
        inputs: {},
        secrets: inherit ? { ...scope.secrets } : Object.fromEntries(Object.entries(passed).map(([k, v]) => [k, asString(v)]).filter(([, v]) => v)),
        environmentSecrets: inherit && scope.environmentSecrets,
        github: scope.github,
        path,
        checkPrefix: `${scope.checkPrefix}${record.name} / `,
        depth: scope.depth + 1,
      };
      if (child.depth > 4) throw new Error(`${path}: reusable workflows nest deeper than GitHub allows`);
      try {
        const out = await this.runWorkflow(child, withValues, 'workflow_call', child.secrets);
        record.jobs = out.jobs;
        record.outputs = out.outputs;
        record.result = out.result;
      } catch (error) {
        record.result = 'failure';
        record.error = (error as Error).message;
      }
      record.durationMs = Date.now() - started;
      return record;
    }

    // A job on a runner: its check run, environment (approval, secrets, variables), concurrency, steps.
    const checkRun = registry?.startJob(runId, scope.checkPrefix + record.name);
    try {
      return await this.runRunnerJob(scope, raw, root, record, base, vars, status, workflowEnv, job as Job, started);
    } finally {
      if (registry && checkRun !== undefined) registry.endJob(checkRun, record.result);
    }
  }

  private async runRunnerJob(scope: Scope, raw: TemplateToken, root: TemplateToken, record: JobRecord, base: Contexts, vars: Record<string, string>, status: Status, workflowEnv: Record<string, Json>, job: Job, started: number): Promise<JobRecord> {
    const path = record.path;
    const envToken = field(raw, 'environment');
    const envName = asString(typeof evaluateToken(envToken, base) === 'string' ? evaluateToken(envToken, base) : evaluateToken(field(envToken, 'name'), base));
    let environment: Environment = {};
    if (envName) {
      record.environment = envName;
      environment = this.options.environments?.[envName] ?? {};
      if (environment.approve === false) {
        record.result = 'failure';
        record.error = `The deployment to ${envName} was rejected by a reviewer`;
        record.durationMs = Date.now() - started;
        return record;
      }
      Object.assign(vars, environment.vars);
    }
    // GitHub files a deployment for every job that names an environment, unless `deployment: false`.
    const skipDeployment = evaluateToken(field(envToken, 'deployment'), base) === false;
    const githubDeployment = envName && !skipDeployment ? await this.fileDeployment(scope, envName) : undefined;
    const secrets = { ...scope.secrets, ...(envName && scope.environmentSecrets ? environment.secrets : {}), GITHUB_TOKEN: this.options.github.token };
    const concurrency = evaluateToken(field(raw, 'concurrency'), { ...base, vars });
    const group = typeof concurrency === 'string' ? concurrency : asString((concurrency as Record<string, Json> | null)?.group);
    if (concurrency && typeof concurrency === 'object' && (concurrency as Record<string, Json>)['cancel-in-progress'] === true) {
      throw new Error(`${path}: cancel-in-progress: true is not emulated`);
    }
    const release = group ? await this.acquire(group) : () => {};
    record.queuedMs = Date.now() - started;
    record.startedAt = Date.now();
    const temp = mkdtempSync(join(this.options.tempDir ?? tmpdir(), 'gantry-job-'));
    try {
      const permissions = effectivePermissions(evaluateToken(field(root, 'permissions'), {}), evaluateToken(field(raw, 'permissions'), {}));
      const jobEnv = { ...workflowEnv, ...((evaluateToken(field(raw, 'env'), { ...base, vars, secrets, env: workflowEnv }) ?? {}) as Record<string, Json>) };
      const timeoutMinutes = Number(evaluateToken(field(raw, 'timeout-minutes'), { ...base, vars }) ?? 360);
      const steps = await runJobSteps({
        runner: this.options,
        record,
        rawSteps: field(raw, 'steps'),
        steps: job.steps,
        contexts: { ...base, vars, secrets, job: { status: 'success', workflow_repository: scope.file.repo, workflow_sha: this.repo(scope.file.repo).sha, workflow_file_path: scope.file.path } },
        jobEnv,
        permissions,
        temp,
        deadline: started + timeoutMinutes * 60_000,
        status,
      });
      record.result = steps.failed ? 'failure' : 'success';
      const outputsToken = field(raw, 'outputs');
      const outputs = (evaluateToken(outputsToken, { ...base, vars, secrets, steps: steps.context }) ?? {}) as Record<string, Json>;
      record.outputs = Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, asString(v)]));
    } catch (error) {
      record.result = 'failure';
      record.error = (error as Error).message;
    } finally {
      record.endedAt = Date.now();
      if (githubDeployment) await this.deploymentStatus(githubDeployment, record.result === 'success' ? 'success' : 'failure');
      release();
      rmSync(temp, { recursive: true, force: true });
    }
    record.durationMs = Date.now() - started;
    return record;
  }

  /** GitHub's own record of a job that names an environment (best effort, as on GitHub: it never fails the job). */
  private async fileDeployment(scope: Scope, environment: string): Promise<string | undefined> {
    try {
      const res = await fetch(`${this.options.github.apiUrl}/repos/${this.options.repository}/deployments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.options.github.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ ref: asString(scope.github.sha), environment, auto_merge: false, required_contexts: [], description: 'GitHub Actions job', payload: {} }),
        signal: AbortSignal.timeout(5000),
      });
      const body = (await res.json()) as { url?: string };
      return res.status === 201 ? body.url : undefined;
    } catch {
      return undefined;
    }
  }

  private async deploymentStatus(url: string, state: string): Promise<void> {
    try {
      await fetch(`${url}/statuses`, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.options.github.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ state }),
        signal: AbortSignal.timeout(5000),
      });
    } catch {
      // best effort
    }
  }

  /** `./.github/workflows/x.yml` (the calling workflow's repository) or `owner/repo/.github/workflows/x.yml@ref`. */
  private resolveWorkflow(ref: string, from: WorkflowRef): WorkflowRef {
    if (ref.startsWith('./')) return { repo: from.repo, path: relative('.', ref) };
    const m = /^([^/]+\/[^/]+)\/(\.github\/workflows\/[^@]+)@(.+)$/.exec(ref);
    if (!m) throw new Error(`cannot resolve reusable workflow '${ref}'`);
    this.repo(m[1]!);
    return { repo: m[1]!, path: m[2]! };
  }

  /** Serialises jobs of one concurrency group: each waits for the one before it (never cancels it). */
  private async acquire(group: string): Promise<() => void> {
    const before = this.locks.get(group) ?? Promise.resolve();
    let release!: () => void;
    const mine = new Promise<void>((r) => (release = r));
    const chained = before.then(() => mine);
    this.locks.set(group, chained);
    await before;
    return () => {
      release();
      if (this.locks.get(group) === chained) this.locks.delete(group);
    };
  }
}

function github_ref(ref: string | undefined) {
  return ref ?? 'refs/heads/main';
}

function needsOf(job: TemplateToken | undefined): string[] {
  const needs = evaluateToken(field(job, 'needs'), {});
  return needs === undefined || needs === null ? [] : ([needs].flat() as string[]);
}

/** Workflow-level permissions, replaced (not merged) by job-level ones, as GitHub does. */
function effectivePermissions(workflow: Json | undefined, job: Json | undefined): Record<string, string> {
  const chosen = job ?? workflow;
  if (chosen === 'read-all' || chosen === 'write-all') return { '*': chosen.replace('-all', '') };
  return (chosen && typeof chosen === 'object' ? chosen : {}) as Record<string, string>;
}

