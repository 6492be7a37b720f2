/**
 * One job's steps: `run:` scripts under bash, local node actions (`uses: ./…`) run from their
 * action.yml exactly as the runner runs them (through runAction), actions/checkout as a copy, and
 * the third-party stand-ins the runner was given.
 */
import type { Step } from '@actions/workflow-parser/model/workflow-template';
import { isSequence } from '@actions/workflow-parser';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, isAbsolute, join, relative, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { parseFileCommands, parseWorkflowCommands, runAction, type Annotation } from '../action.js';
import { asString, evaluateToken, field, interpolate, type Contexts, type Json, type Status } from './expressions.js';
import type { JobRecord, Repository, Result, RunnerOptions, StandIn, StepRecord } from './types.js';

export interface JobRun {
  runner: RunnerOptions;
  record: JobRecord;
  rawSteps: TemplateToken | undefined;
  steps: Step[];
  contexts: Contexts;
  jobEnv: Record<string, Json>;
  permissions: Record<string, string>;
  temp: string;
  deadline: number;
  status: Status;
}

interface Outcome {
  code: number;
  outputs: Record<string, string>;
  exported: Record<string, string>;
  log: string;
  summary: string;
  annotations: Annotation[];
  masks: string[];
}

export async function runJobSteps(run: JobRun): Promise<{ failed: boolean; context: Record<string, Json> }> {
  const workspace = join(run.temp, 'workspace');
  mkdirSync(workspace);
  const stepsContext: Record<string, Json> = {};
  const exported: Record<string, string> = {};
  const masks = new Set<string>(Object.values(run.contexts.secrets as Record<string, string>).filter((s) => s && s.length >= 3));
  const mask = (text: string) => [...masks].sort((a, b) => b.length - a.length).reduce((t, s) => t.split(s).join('***'), text);
  const rawList = run.rawSteps && isSequence(run.rawSteps) ? [...run.rawSteps] : [];
  let failed = false;
  const github = run.contexts.github as Record<string, Json>;

  for (const [index, step] of run.steps.entries()) {
    const raw = rawList[index];
    const started = Date.now();
    const env = { ...run.jobEnv, ...exported };
    const contexts: Contexts = { ...run.contexts, env, steps: stepsContext, job: { ...(run.contexts.job as object), status: failed ? 'failure' : 'success' }, runner: { temp: run.temp, os: 'Linux', arch: 'X64', name: 'gantry-local' } };
    const uses = asString(evaluateToken(field(raw, 'uses'), contexts));
    const script = field(raw, 'run');
    const name = asString(evaluateToken(field(raw, 'name'), contexts)) || (uses ? uses : `Run ${asString(evaluateToken(script, {})).split('\n')[0]}`);
    const record: StepRecord = { id: step.id, name, what: uses || 'run', outcome: 'skipped', conclusion: 'skipped', outputs: {}, log: '', summary: '', annotations: [], durationMs: 0 };
    const condition = evaluateToken(step.if, contexts, { failed, cancelled: false });
    if (condition) {
      let outcome: Outcome;
      try {
        const stepEnv = { ...env, ...((evaluateToken(field(raw, 'env'), contexts) ?? {}) as Record<string, Json>) };
        const timeoutMinutes = evaluateToken(field(raw, 'timeout-minutes'), contexts);
        const timeoutMs = Math.max(1000, Math.min(run.deadline - Date.now(), timeoutMinutes ? Number(timeoutMinutes) * 60_000 : (run.runner.stepTimeoutMs ?? 180_000)));
        const processEnv = stepProcessEnv(run, workspace, github, stepEnv);
        if (script) {
          const shell = asString(evaluateToken(field(raw, 'shell'), contexts)) || 'bash';
          if (shell !== 'bash') throw new Error(`shell '${shell}' is not emulated (bash only)`);
          const wd = asString(evaluateToken(field(raw, 'working-directory'), contexts));
          outcome = await runScript(asString(evaluateToken(script, contexts)), processEnv, wd ? resolve(workspace, wd) : workspace, run.temp, timeoutMs);
        } else if (uses.startsWith('./')) {
          const withValues = (evaluateToken(field(raw, 'with'), contexts) ?? {}) as Record<string, Json>;
          outcome = await runLocalAction(join(workspace, uses), withValues, contexts, processEnv, workspace, run.temp, timeoutMs);
        } else {
          const withValues = (evaluateToken(field(raw, 'with'), contexts) ?? {}) as Record<string, Json>;
          outcome = await runStandIn(run, uses, withValues, workspace, github);
        }
      } catch (error) {
        outcome = { code: 1, outputs: {}, exported: {}, log: '', summary: '', annotations: [{ level: 'error', message: (error as Error).message, properties: {} }], masks: [] };
      }
      for (const m of outcome.masks) if (m.length >= 3) masks.add(m);
      Object.assign(exported, outcome.exported);
      const continueOnError = evaluateToken(field(raw, 'continue-on-error'), contexts) === true;
      record.outcome = outcome.code === 0 ? 'success' : 'failure';
      record.conclusion = outcome.code !== 0 && !continueOnError ? 'failure' : 'success';
      record.outputs = outcome.outputs;
      record.log = mask(outcome.log);
      record.summary = mask(outcome.summary);
      record.annotations = outcome.annotations.map((a) => ({ ...a, message: mask(a.message) }));
      if (record.conclusion === 'failure') failed = true;
    }
    record.durationMs = Date.now() - started;
    stepsContext[step.id] = { outputs: record.outputs, outcome: record.outcome, conclusion: record.conclusion };
    run.record.steps.push(record);
    run.runner.onStep?.(run.record, record);
  }
  return { failed, context: stepsContext };
}

/** The environment every step's process gets: the runner's own variables, then the step's env. */
function stepProcessEnv(run: JobRun, workspace: string, github: Record<string, Json>, stepEnv: Record<string, Json>): Record<string, string> {
  const env: Record<string, string> = {
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_REPOSITORY: asString(github.repository),
    GITHUB_REPOSITORY_OWNER: asString(github.repository_owner),
    GITHUB_SHA: asString(github.sha),
    GITHUB_REF: asString(github.ref),
    GITHUB_REF_NAME: asString(github.ref_name),
    GITHUB_RUN_ID: asString(github.run_id),
    GITHUB_RUN_NUMBER: asString(github.run_number),
    GITHUB_RUN_ATTEMPT: asString(github.run_attempt),
    GITHUB_ACTOR: asString(github.actor),
    GITHUB_WORKFLOW: asString(github.workflow),
    GITHUB_EVENT_NAME: asString(github.event_name),
    GITHUB_SERVER_URL: asString(github.server_url),
    GITHUB_API_URL: asString(github.api_url),
    GITHUB_JOB: run.record.path.split('/').pop()!,
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    ...run.runner.env,
  };
  for (const [k, v] of Object.entries(stepEnv)) env[k] = asString(v);
  return env;
}

async function runScript(script: string, env: Record<string, string>, cwd: string, temp: string, timeoutMs: number): Promise<Outcome> {
  const dir = mkdtempSync(join(temp, 'run-'));
  const files = { GITHUB_OUTPUT: 'output', GITHUB_ENV: 'env', GITHUB_STEP_SUMMARY: 'summary', GITHUB_PATH: 'path', GITHUB_STATE: 'state' };
  const full: Record<string, string> = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? dir, RUNNER_TEMP: temp, ...env };
  for (const [k, f] of Object.entries(files)) writeFileSync((full[k] = join(dir, f)), '');
  writeFileSync(join(dir, 'script.sh'), script);
  const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', join(dir, 'script.sh')], { cwd, env: full, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stdout += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const code = await new Promise<number>((r) => child.on('close', (c) => r(c ?? 1)));
  clearTimeout(timer);
  const commands = parseWorkflowCommands(stdout);
  return {
    code,
    outputs: parseFileCommands(readFileSync(full.GITHUB_OUTPUT!, 'utf8')),
    exported: parseFileCommands(readFileSync(full.GITHUB_ENV!, 'utf8')),
    summary: readFileSync(full.GITHUB_STEP_SUMMARY!, 'utf8'),
    ...commands,
  };
}

interface ActionManifest {
  inputs?: Record<string, { default?: string; required?: boolean }>;
  runs: { using: string; main: string; post?: string };
}

async function runLocalAction(dir: string, withValues: Record<string, Json>, contexts: Contexts, env: Record<string, string>, workspace: string, temp: string, timeoutMs: number): Promise<Outcome> {
  const file = ['action.yml', 'action.yaml'].map((f) => join(dir, f)).find(existsSync);
  if (!file) throw new Error(`Can't find 'action.yml' under '${relative(workspace, dir)}'. Did you forget to run actions/checkout before running your local action?`);
  const manifest = parseYaml(readFileSync(file, 'utf8')) as ActionManifest;
  if (!/^node(20|24)$/.test(manifest.runs.using)) throw new Error(`runs.using '${manifest.runs.using}' is not emulated (node actions only)`);
  if (manifest.runs.post) throw new Error('post steps are not emulated');
  const script = resolve(dir, manifest.runs.main);
  if (!existsSync(script)) throw new Error(`${relative(workspace, script)} does not exist: the action's bundle has not been built`);
  const declared = manifest.inputs ?? {};
  const inputs: Record<string, string> = {};
  const annotations: Annotation[] = [];
  const unexpected = Object.keys(withValues).filter((k) => !(k in declared));
  if (unexpected.length) annotations.push({ level: 'warning', message: `Unexpected input(s) '${unexpected.join("', '")}', valid inputs are ['${Object.keys(declared).join("', '")}']`, properties: {} });
  for (const [name, def] of Object.entries(declared)) {
    if (name in withValues) inputs[name] = asString(withValues[name]);
    else if (def.default !== undefined) inputs[name] = interpolate(String(def.default), contexts);
  }
  const result = await runAction(basename(dir), { script, inputs, env, cwd: workspace, tempDir: temp, timeoutMs });
  return { code: result.code ?? 1, outputs: result.outputs, exported: result.exported, log: result.log + (result.stderr ? `\n${result.stderr}` : ''), summary: result.summary, annotations: [...annotations, ...result.annotations], masks: result.masks };
}

async function runStandIn(run: JobRun, uses: string, withValues: Record<string, Json>, workspace: string, github: Record<string, Json>): Promise<Outcome> {
  const m = /^([^/@]+\/[^/@]+)(?:\/[^@]*)?@(.+)$/.exec(uses);
  if (!m) throw new Error(`'${uses}' is not an action reference the runner understands`);
  const standIn: StandIn | undefined = m[1] === 'actions/checkout' ? checkout : run.runner.actions?.[m[1]!];
  if (!standIn) throw new Error(`${m[1]} is not emulated: give the runner a stand-in for it`);
  const result = await standIn({
    inputs: Object.fromEntries(Object.entries(withValues).map(([k, v]) => [k, asString(v)])),
    permissions: run.permissions,
    workspace,
    repositories: run.runner.repositories,
    github: Object.fromEntries(Object.entries(github).map(([k, v]) => [k, asString(v)])),
  });
  const annotations: Annotation[] = result.error ? [{ level: 'error', message: result.error, properties: {} }] : [];
  return { code: result.error ? 1 : 0, outputs: result.outputs ?? {}, exported: result.env ?? {}, log: result.log ?? '', summary: '', annotations, masks: result.secrets ?? [] };
}

/** actions/checkout: a copy of the repository the runner knows, at the commit it stands for. */
const checkout: StandIn = ({ inputs, workspace, repositories, github }) => {
  const name = inputs.repository || github.repository!;
  const repo: Repository | undefined = repositories[name];
  if (!repo) return { error: `Not found: ${name} (the runner knows ${Object.keys(repositories).join(', ')})` };
  const ref = inputs.ref ?? '';
  if (/^[0-9a-f]{40}$/.test(ref) && ref !== repo.sha) return { error: `${name} has no commit ${ref}` };
  const path = inputs.path || '.';
  if (isAbsolute(path) || relative(workspace, resolve(workspace, path)).startsWith('..')) return { error: `path '${path}' is outside the workspace` };
  const target = resolve(workspace, path);
  mkdirSync(target, { recursive: true });
  const entries = repo.include ?? readdirSync(repo.dir).filter((e) => e !== '.git' && e !== 'node_modules');
  for (const entry of entries) cpSync(join(repo.dir, entry), join(target, entry), { recursive: true });
  return { log: `Copied ${name}@${repo.sha.slice(0, 7)} (${entries.length} entries) into ${path}` };
};
