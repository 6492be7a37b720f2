/** The checklist a release manager reads in five seconds, the JSON report, and annotations within GitHub's caps. */
import { log } from '../../../shared/core/log.js';
import { mark, Summary } from '../../../shared/core/summary.js';
import { formatDuration } from '../../../shared/core/duration.js';
import type { CheckResult } from './checks/types.js';

/** GitHub shows at most 10 error and 10 warning annotations per step; one error is kept for the step's own failure. */
export const ANNOTATION_CAP = { error: 9, warning: 10 };

export interface Verdict {
  ready: boolean;
  failed: string[];
  warnings: string[];
}

export function verdict(results: CheckResult[]): Verdict {
  return {
    ready: !results.some((r) => r.status === 'fail'),
    failed: results.filter((r) => r.status === 'fail').map((r) => r.id),
    warnings: results.filter((r) => r.status === 'warn').map((r) => r.id),
  };
}

export function reportJson(results: CheckResult[], v: Verdict, extra: Record<string, unknown>): string {
  return JSON.stringify({ ready: v.ready, failed: v.failed, warnings: v.warnings, ...extra, checks: results });
}

/** Annotates failures and warnings up to the caps; returns how many of each did not fit. */
export function annotate(results: CheckResult[]): { error: number; warning: number } {
  const over = { error: 0, warning: 0 };
  const shown = { error: 0, warning: 0 };
  for (const r of results) {
    if (r.status !== 'fail' && r.status !== 'warn') continue;
    const kind = r.status === 'fail' ? 'error' : 'warning';
    if (shown[kind] >= ANNOTATION_CAP[kind]) {
      over[kind]++;
      continue;
    }
    shown[kind]++;
    log[kind](`${r.found}${r.fix ? ` — fix: ${r.fix}` : ''}`, { title: `preflight: ${r.title}` });
  }
  return over;
}

const ICON = { pass: mark.pass, warn: mark.warn, fail: mark.fail, skipped: mark.skip } as const;

export function renderSummary(results: CheckResult[], v: Verdict, o: { environment?: string; sha: string; elapsedMs: number; override?: string; overflow: { error: number; warning: number } }): Summary {
  const s = new Summary();
  const where = `${o.environment ? ` to ${o.environment}` : ''}${o.sha ? ` (${o.sha.slice(0, 7)})` : ''}`;
  const counts = `${results.filter((r) => r.status === 'pass').length} passed, ${v.warnings.length} warning${v.warnings.length === 1 ? '' : 's'}, ${v.failed.length} failed, ${results.filter((r) => r.status === 'skipped').length} skipped in ${formatDuration(o.elapsedMs)}`;
  s.heading(v.ready ? `${mark.pass} Ready to ship${where}` : `${mark.fail} Not ready to ship${where}`);
  s.text(v.ready ? counts : `**Blocked by:** ${results.filter((r) => r.status === 'fail').map((r) => r.title).join(', ')} — ${counts}`);
  if (o.override && results.some((r) => r.id === 'freeze' && r.status === 'warn')) s.text(`${mark.warn} **Freeze overridden:** ${o.override}`);
  const order = { fail: 0, warn: 1, pass: 2, skipped: 3 };
  const sorted = [...results].sort((a, b) => order[a.status] - order[b.status]);
  s.table(
    ['', 'Check', 'Found', 'Fix'],
    sorted.map((r) => [ICON[r.status], r.title, r.found, r.status === 'pass' || r.status === 'skipped' ? '' : (r.fix ?? '')]),
  );
  if (o.overflow.error || o.overflow.warning) {
    s.text(`_GitHub shows 10 annotations of a kind per step: ${[o.overflow.error ? `${o.overflow.error} more failure(s)` : '', o.overflow.warning ? `${o.overflow.warning} more warning(s)` : ''].filter(Boolean).join(' and ')} are only in this table._`);
  }
  for (const r of sorted) {
    if (r.details?.length) s.details(`${ICON[r.status]} ${r.title}: details`, r.details.map((d) => `- ${d.replace(/\r?\n/g, ' ')}`).join('\n'));
  }
  return s;
}
