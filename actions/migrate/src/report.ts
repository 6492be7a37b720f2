/** The outputs and the job summary: what was applied (and how long each took), what is pending, lint and drift. */
import { formatDuration } from '../../../shared/core/duration.js';
import { errorMessage } from '../../../shared/core/errors.js';
import { writeOutput } from '../../../shared/core/runner.js';
import { mark, Summary } from '../../../shared/core/summary.js';
import { log } from '../../../shared/core/log.js';
import { DatabaseUnreachable } from '../../../shared/postgres/connect.js';
import type { ExternalOutcome } from './external-engine.js';
import type { SqlOutcome } from './sql-engine.js';

export interface ReportInput {
  operation: string;
  engine: string;
  target: string;
  lint: string;
  outcome?: SqlOutcome;
  external?: ExternalOutcome;
  result: Results;
  failure?: unknown;
  elapsedMs: number;
}

export async function writeSummary(r: ReportInput): Promise<void> {
  const s = new Summary();
  const status = r.failure ? `${mark.fail} failed` : mark.pass;
  s.heading(`migrate · ${r.operation} ${status}`);
  // Without an answer from the database its version is unknown, not "(none)".
  const unreachable = r.failure instanceof DatabaseUnreachable;
  const known = r.outcome !== undefined || r.external !== undefined;
  const facts: Array<[string, unknown]> = [
    ['Database', unreachable ? `${r.target} — ${mark.fail} could not be reached` : r.target],
    ['Engine', r.engine],
    ['Version', !known ? 'unknown (not read from the database)' : r.result.previousVersion === r.result.version ? r.result.version || '(none)' : `${r.result.previousVersion || '(none)'} → ${r.result.version || '(none)'}`],
  ];
  if (r.result.pendingCount !== undefined) facts.push(['Pending', r.result.pendingCount]);
  if (r.outcome) facts.push(['Drift', r.result.drift ? `${mark.warn} yes` : 'none']);
  facts.push(['Took', formatDuration(r.elapsedMs)]);
  s.facts(facts);
  if (r.failure) s.text(`**Failure:** ${errorMessage(r.failure).replace(/\n/g, ' ')}`);

  const o = r.outcome;
  if (o) {
    if (o.applied.length) {
      s.heading('Applied', 3).table(
        ['Version', 'Name', 'Took', 'Transaction'],
        o.applied.map((a) => [a.version, a.name, formatDuration(a.ms), a.transactional ? 'yes' : 'no (statement by statement)']),
        ['left', 'left', 'right', 'left'],
      );
    }
    if (o.rolledBack.length) {
      s.heading('Rolled back', 3).table(['Version', 'Name', 'Down file', 'Took'], o.rolledBack.map((a) => [a.version, a.name, a.path, formatDuration(a.ms)]), ['left', 'left', 'left', 'right']);
    }
    if (r.operation === 'plan') {
      s.heading('Would apply', 3);
      if (o.planned.length) s.table(['Version', 'Name', 'File', 'Down file'], o.planned.map((f) => [f.version, f.name, f.path, f.down ? f.down.path : '—']));
      else s.text('Nothing: the database is up to date.');
    }
    if (o.pending.length && r.operation !== 'plan') {
      s.heading('Pending', 3).table(['Version', 'Name', 'File'], o.pending.map((f) => [f.version, f.name, f.path]));
    }
    if (r.operation === 'status' && o.history.length) {
      s.heading('Applied history', 3).table(
        ['Version', 'Name', 'Applied at', 'By', 'Commit', 'Took'],
        o.history.map((h) => [h.version, h.name, h.appliedAt?.toISOString() ?? '', h.appliedBy ?? '', h.commitSha?.slice(0, 7) ?? '', h.executionMs === undefined ? '' : formatDuration(h.executionMs)]),
      );
    }
    if (o.findings.length) {
      s.heading(`Lint (${r.lint})`, 3).table(['File', 'Line', 'Rule', 'Finding'], o.findings.map((f) => [f.path, f.line, f.rule, f.message]));
    }
    if (o.accepted.length) {
      s.heading('Lint findings accepted on purpose', 3).table(['File', 'Line', 'Rule', 'Reason (gantry-lint: ignore)'], o.accepted.map((a) => [a.path, a.line, a.rule, a.reason]));
    }
    if (o.drift.length) {
      s.heading('Drift', 3).table(['Version', 'File', 'Problem'], o.drift.map((d) => [d.version, d.path, d.kind === 'changed' ? 'changed since applied' : 'file missing']));
    }
  }
  const e = r.external;
  if (e) {
    s.heading('Command', 3).facts([
      ['Ran', `\`${e.command}\``],
      ['Exit code', e.code],
      ['Took', formatDuration(e.ms)],
    ]);
    if (e.applied.length) s.heading('Applied', 3).list(e.applied.map((a) => `\`${a}\``));
    if (e.pending.length) s.heading('Pending', 3).list(e.pending.map((a) => `\`${a}\``));
  }
  await s.write();
}

export interface Results {
  applied: string[];
  rolledBack: string[];
  pendingCount: number | undefined;
  version: string;
  previousVersion: string;
  drift: boolean;
}

/** The step's outputs, from whichever engine ran (also after a failure: what did happen). */
export function writeOutputs(o: SqlOutcome | undefined, e: ExternalOutcome | undefined): Results {
  const r: Results = {
    applied: o ? o.applied.map((a) => a.version) : (e?.applied ?? []),
    rolledBack: o ? o.rolledBack.map((a) => a.version) : [],
    pendingCount: o ? o.pending.length : e?.pendingCount,
    version: o ? o.after : (e?.version ?? ''),
    previousVersion: o ? o.before : (e?.previousVersion ?? ''),
    drift: o ? o.drift.some((d) => d.kind === 'changed') : false,
  };
  writeOutput('applied', JSON.stringify(r.applied));
  writeOutput('rolled-back', JSON.stringify(r.rolledBack));
  writeOutput('pending-count', r.pendingCount === undefined ? '' : String(r.pendingCount));
  writeOutput('version', r.version);
  writeOutput('previous-version', r.previousVersion);
  writeOutput('drift', String(r.drift));
  return r;
}

/** plan and status: the plan in the log too, not only in the summary (lint and drift are annotated already). */
export function logPlan(operation: string, o: SqlOutcome | undefined): void {
  if (!o || (operation !== 'plan' && operation !== 'status')) return;
  const files = operation === 'plan' ? o.planned : o.pending;
  const what = operation === 'plan' ? 'Would apply' : 'Pending';
  log.info(`Current version: ${o.before || '(none)'}.`);
  if (files.length === 0) log.info(`${what}: nothing — the database is up to date.`);
  else {
    log.info(`${what} (${files.length}):`);
    for (const f of files) log.info(`  ${f.version}  ${f.name}  (${f.path})`);
  }
}
