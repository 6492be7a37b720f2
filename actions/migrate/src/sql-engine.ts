/** The built-in `sql` engine: plan, lint, apply, rollback and status over the history table. */
import type pg from 'pg';
import { ConfigurationError } from '../../../shared/core/errors.js';
import { log } from '../../../shared/core/log.js';
import { compareVersions, type MigrationFile } from './files.js';
import { ensureHistory, readHistory, recordApplied, removeApplied, type RunMeta } from './history.js';
import { lintContext, lintStatements, type Accepted, type Finding, type LintContext } from './lint.js';
import { databaseLintContext } from './lint-facts.js';
import { byteLineMapper } from './parser.js';
import { prepareFile, runFile, type ExecOptions, type PreparedFile } from './execute.js';
import { transactionControlMessage } from './transaction.js';
import { makePlan, rollbackSteps, type Drift, type Plan } from './plan.js';

export type LintMode = 'warn' | 'error' | 'off';

export interface Step {
  version: string;
  name: string;
  path: string;
  ms: number;
  transactional: boolean;
}

export interface SqlOutcome {
  before: string;
  after: string;
  applied: Step[];
  rolledBack: Step[];
  pending: MigrationFile[];
  /** Would be applied by `apply` (plan). */
  planned: MigrationFile[];
  /** Would be rolled back (plan with rollback is not offered; kept for status). */
  drift: Drift[];
  findings: Array<Finding & { path: string }>;
  /** Findings accepted on purpose with a `gantry-lint: ignore` comment. */
  accepted: Array<Accepted & { path: string }>;
  history: Plan['applied'];
}

export interface SqlEngineOptions {
  operation: 'apply' | 'plan' | 'status' | 'rollback';
  files: MigrationFile[];
  target?: string;
  lint: LintMode;
  allowDrift: boolean;
  meta: RunMeta;
  serverVersionNum: number;
  exec: ExecOptions;
}

/** Findings that block apply (and rollback) whatever `lint` says: the file cannot run as written. */
const ALWAYS_BLOCKS = new Set(['syntax', 'transaction-control']);

/** A file PostgreSQL cannot parse, or one with its own transaction control. */
export function refusals(p: PreparedFile): Array<Finding & { path: string }> {
  const path = p.file.path;
  if (p.syntaxError) return [{ rule: 'syntax', message: `PostgreSQL cannot parse this file: ${p.syntaxError.message}`, line: p.syntaxError.line, path }];
  return p.transactionControl.map(({ keyword, statement }) => ({ rule: 'transaction-control', message: transactionControlMessage(keyword, p.nonTransactional), line: statement.line, path }));
}

/** Lints the files `apply` would run, in order; syntax errors and transaction control are findings too. */
export function lintFiles(files: MigrationFile[], prepared: Map<string, PreparedFile>, mode: LintMode, context: LintContext = lintContext()): Pick<SqlOutcome, 'findings' | 'accepted'> {
  const out: SqlOutcome['findings'] = [];
  const accepted: SqlOutcome['accepted'] = [];
  for (const f of files) {
    const p = prepared.get(f.version)!;
    out.push(...refusals(p));
    if (mode === 'off' || !p.statements) continue;
    context.lineOf = byteLineMapper(f.sql);
    context.outsideTransaction = p.nonTransactional;
    const result = lintStatements(p.statements, context);
    for (const finding of result.findings) out.push({ ...finding, path: f.path });
    for (const a of result.accepted) accepted.push({ ...a, path: f.path });
  }
  return { findings: out, accepted };
}

export async function runSqlEngine(client: pg.Client, o: SqlEngineOptions): Promise<SqlOutcome> {
  const rows = await readHistory(client);
  const plan = makePlan(o.files, rows, o.operation === 'rollback' ? undefined : o.target);
  const outcome: SqlOutcome = {
    before: plan.current,
    after: plan.current,
    applied: [],
    rolledBack: [],
    pending: plan.pending,
    planned: plan.toApply,
    drift: plan.drift,
    findings: [],
    accepted: [],
    history: plan.applied,
  };
  try {
    return await execute(client, o, plan, outcome);
  } catch (error) {
    // What did happen before the failure still belongs in the outputs and summary.
    throw Object.assign(error as object, { outcome });
  }
}

async function execute(client: pg.Client, o: SqlEngineOptions, plan: Plan, outcome: SqlOutcome): Promise<SqlOutcome> {
  if (o.target !== undefined && o.operation !== 'rollback' && plan.current && compareVersions(o.target, plan.current) < 0 && o.operation === 'apply') {
    throw new ConfigurationError(`Input 'target' is "${o.target}", below the current version ${plan.current}: apply only moves forward; use operation: rollback to go back.`, { input: 'target' });
  }

  const changed = plan.drift.filter((d) => d.kind === 'changed');
  for (const d of plan.drift) {
    const text = d.kind === 'changed' ? `Applied migration ${d.path} was changed after it was applied (checksum differs).` : `Applied migration ${d.version} (${d.path}) is no longer in the migrations folder.`;
    if (d.kind === 'changed') log.warning(text, { file: d.path, line: 1, title: 'migrate: drift' });
    else log.warning(text, { title: 'migrate: drift' });
  }
  if (o.operation === 'status') return outcome;

  const guard = (mustRefuse: boolean) => {
    if (changed.length && !o.allowDrift && mustRefuse) {
      throw new Error(
        `Refusing to ${o.operation}: ${changed.length} applied migration(s) changed since they were applied (${changed.map((d) => d.path).join(', ')}). ` +
          `Restore the files as they were applied and put the change in a new migration, or set allow-drift: true if the edit is harmless (e.g. a comment).`,
      );
    }
  };

  if (o.operation === 'rollback') {
    guard(true);
    if (o.target !== undefined && o.target !== '0' && !plan.applied.some((r) => compareVersions(r.version, o.target!) === 0)) {
      throw new ConfigurationError(`Input 'target' is "${o.target}", which is not an applied version (applied: ${plan.applied.map((r) => r.version).join(', ') || 'none'}); give one of them, or 0 to roll back everything.`, { input: 'target' });
    }
    const steps = rollbackSteps(plan, o.files, o.target);
    const missing = steps.filter((s) => !s.file?.down);
    if (missing.length) {
      throw new Error(
        `Refusing to roll back: no down migration for ${missing.map((s) => `${s.row.version}_${s.row.name}`).join(', ')} ` +
          `(expected ${missing.map((s) => `${s.row.version}_${s.row.name}.down.sql`).join(', ')}). Nothing was changed. Restore the backup taken before the migration instead.`,
      );
    }
    // Every down file is parsed and checked before the first one runs.
    const downs = await Promise.all(steps.map((step) => prepareFile(step.file!.down!, o.serverVersionNum)));
    const refused = downs.flatMap(refusals);
    for (const f of refused) log.error(`${f.message} [${f.rule}]`, { file: f.path, line: f.line, title: `migrate: ${f.rule}` });
    if (refused.length) throw new Error(`Refusing to roll back: ${refused.length} problem(s) in down files (${refused.map((f) => `${f.path}:${f.line}`).join(', ')}). Nothing was changed.`);
    for (const [i, step] of steps.entries()) {
      const down = step.file!.down!;
      const prepared = downs[i]!;
      log.info(`Rolling back ${step.row.version}_${step.row.name} with ${down.path}${prepared.nonTransactional ? ` (outside a transaction: ${prepared.nonTransactional})` : ''}…`);
      const ms = await runFile(client, prepared, { version: step.row.version, present: false, write: () => removeApplied(client, step.row.version) }, o.exec);
      outcome.rolledBack.push({ version: step.row.version, name: step.row.name, path: down.path, ms, transactional: !prepared.nonTransactional });
      log.info(`  rolled back ${step.row.version} in ${Math.round(ms)} ms`);
    }
    const after = await readHistory(client);
    const replan = makePlan(o.files, after);
    outcome.after = replan.current;
    outcome.pending = replan.pending;
    outcome.history = replan.applied;
    return outcome;
  }

  // apply / plan
  if (plan.outOfOrder.length) {
    const msg =
      `Pending migration(s) ${plan.outOfOrder.map((f) => f.path).join(', ')} have a version below the highest applied one (${plan.current}). ` +
      `Applying them now would run them in a different order than on other databases: give them a version above ${plan.current} (rename the files).`;
    if (o.operation === 'apply') throw new Error(`Refusing to apply: ${msg}`);
    log.warning(msg, { file: plan.outOfOrder[0]!.path, line: 1, title: 'migrate: out of order' });
  }
  guard(o.operation === 'apply');

  const parseStarted = performance.now();
  const prepared = new Map<string, PreparedFile>();
  for (const f of plan.toApply) prepared.set(f.version, await prepareFile(f, o.serverVersionNum));
  const context = o.lint === 'off' ? undefined : await databaseLintContext(client, o.serverVersionNum);
  Object.assign(outcome, lintFiles(plan.toApply, prepared, o.lint, context));
  for (const a of outcome.accepted) log.info(`${a.path}:${a.line}: ${a.rule} accepted on purpose: ${a.reason}`);
  log.debug(`Parsed and linted ${plan.toApply.length} file(s) in ${Math.round(performance.now() - parseStarted)} ms.`);
  const blocking = outcome.findings.filter((f) => o.lint === 'error' || ALWAYS_BLOCKS.has(f.rule));
  for (const f of outcome.findings) {
    const level = blocking.includes(f) ? 'error' : 'warning';
    log[level](`${f.message} [${f.rule}]`, { file: f.path, line: f.line, title: `migrate lint: ${f.rule}` });
  }
  if (blocking.length) {
    // A plan fails where apply would refuse, so a pull request's check catches it before release.
    const refusing = o.operation === 'plan' ? 'apply would refuse' : 'Refusing to apply';
    const where = (rule: string) => blocking.filter((f) => f.rule === rule).map((f) => `${f.path}:${f.line}`);
    const [syntax, control] = [where('syntax'), where('transaction-control')];
    const lint = blocking.length - syntax.length - control.length;
    const reasons = [
      syntax.length && `${syntax.length} file(s) PostgreSQL cannot parse (${syntax.join(', ')})`,
      control.length && `${control.length} transaction-control statement(s) (${control.join(', ')}): Gantry runs each file in its own transaction, remove them`,
      lint &&
        `lint found ${lint} problem(s) in pending migrations and lint is 'error' (see the annotations): fix them, accept one on purpose with a ` +
          `'-- gantry-lint: ignore <rule> <reason>' comment above the statement, or set lint: warn`,
    ].filter(Boolean);
    throw new Error(`${refusing}: ${reasons.join('; ')}. Nothing was applied.`);
  }
  if (o.operation === 'plan') return outcome;
  if (plan.toApply.length === 0) {
    log.info(`Nothing to apply: the database is at ${plan.current || 'no version'}${plan.pending.length ? ` (${plan.pending.length} pending above target ${o.target})` : ''}.`);
    return outcome;
  }
  await ensureHistory(client);
  try {
    await applyAll(client, o, plan, prepared, outcome);
  } finally {
    outcome.pending = plan.pending.filter((f) => !outcome.applied.some((a) => a.version === f.version));
  }
  outcome.pending = plan.pending.filter((f) => !outcome.applied.some((a) => a.version === f.version));
  return outcome;
}

async function applyAll(client: pg.Client, o: SqlEngineOptions, plan: Plan, prepared: Map<string, PreparedFile>, outcome: SqlOutcome): Promise<void> {
  for (const f of plan.toApply) {
    const p = prepared.get(f.version)!;
    log.info(`Applying ${f.path}${p.nonTransactional ? ` (outside a transaction: ${p.nonTransactional})` : ''}…`);
    const write = (elapsed: number) => recordApplied(client, { version: f.version, name: f.name, checksum: f.checksum, transactional: !p.nonTransactional, executionMs: elapsed }, o.meta);
    const ms = await runFile(client, p, { version: f.version, present: true, write }, o.exec);
    outcome.applied.push({ version: f.version, name: f.name, path: f.path, ms, transactional: !p.nonTransactional });
    outcome.after = f.version;
    log.info(`  applied ${f.version} in ${Math.round(ms)} ms`);
  }
}
