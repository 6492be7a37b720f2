/** What a person reads: a line per check in the log, annotations where each check is written, the job summary. */
import { log } from '../../../shared/core/log.js';
import { whereInput } from '../../../shared/core/run.js';
import { Summary } from '../../../shared/core/summary.js';
import { formatMs, type CheckResult, type SmokeReport } from '../../../shared/smoke/engine.js';
import { checkTitle, renderSmokeSummary, requestLabel } from '../../../shared/smoke/report.js';

/** `✓ home — GET / → 200 12ms`. */
export function logLine(r: CheckResult, baseUrl: string | undefined): string {
  const icon = r.status === 'pass' ? '✓' : r.status === 'warn' ? '!' : r.status === 'cancelled' ? '-' : '✗';
  const timing = r.latencyMs !== undefined ? ` ${formatMs(r.latencyMs)}` : '';
  const detail = [...r.problems, ...r.warnings].join('; ');
  return `${icon} ${checkTitle(r, baseUrl)} → ${r.httpStatus ?? 'no answer'}${timing}${r.attempts > 1 ? ` (attempt ${r.attempts})` : ''}${detail ? ` — ${detail}` : ''}`;
}

/**
 * Where a check is written: its line in the checks file, or in the workflow file under the
 * `checks` input when the workflow is checked out — otherwise no location (never a bare line).
 */
function whereCheck(r: CheckResult): { file?: string; line?: number } {
  if (r.file) return { file: r.file, line: r.line };
  if (r.line === undefined) return {};
  const at = whereInput('checks', r.line);
  return at.line !== undefined ? at : {};
}

/** One annotation per failing or warning check; security-header findings once per origin; TLS. */
export function annotate(report: SmokeReport, baseUrl: string | undefined): void {
  const headerFindings = new Map<string, { findings: Set<string>; checks: string[] }>();
  for (const r of report.checks) {
    const at = { title: `smoke-test: ${r.name}`, ...whereCheck(r) };
    const warnings = r.warnings.filter((w) => !w.startsWith('security headers:'));
    if (r.status === 'fail') log.error(`${requestLabel(r, baseUrl)}: ${r.problems.join('; ')}${r.attempts > 1 ? ` (after ${r.attempts} attempts)` : ''}`, at);
    else if (r.status === 'warn' && warnings.length) log.warning(`${requestLabel(r, baseUrl)}: ${warnings.join('; ')}`, at);
    if (r.securityHeaders?.length && r.status !== 'fail') {
      const origin = new URL(r.url).origin;
      const entry = headerFindings.get(origin) ?? { findings: new Set<string>(), checks: [] };
      r.securityHeaders.forEach((f) => entry.findings.add(f));
      entry.checks.push(r.name);
      headerFindings.set(origin, entry);
    }
  }
  for (const [origin, { findings, checks: names }] of headerFindings) {
    const more = names.length > 5 ? ` and ${names.length - 5} more` : '';
    log.warning(`${origin}: ${[...findings].join(', ')} (on ${names.slice(0, 5).join(', ')}${more})`, { title: 'smoke-test: security headers' });
  }
  for (const t of report.tls) {
    if (t.status === 'warn') log.warning(`TLS certificate of ${t.origin} ${t.problem}`, { title: 'smoke-test: TLS certificate' });
    if (t.status === 'fail') log.error(`TLS certificate of ${t.origin} is ${t.problem}`, { title: 'smoke-test: TLS certificate' });
  }
}

/** The last line of the log: passed, or why it failed. */
export function verdict(report: SmokeReport): { passed: boolean; line: string } {
  const tail = `${report.passedCount}/${report.total} passed, ${report.warningCount} warning${report.warningCount === 1 ? '' : 's'}, p95 ${report.p95Ms === undefined ? '—' : formatMs(report.p95Ms)}, ${formatMs(report.durationMs)}`;
  if (report.passed) return { passed: true, line: `Smoke test passed: ${tail}.` };
  const why = report.failedCount ? `${report.failedCount} of ${report.total} checks failed` : report.tls.some((t) => t.status === 'fail') ? 'a TLS certificate is not trusted' : 'there are warnings and fail-on-warning is true';
  return { passed: false, line: `Smoke test failed: ${why} (${tail}).` };
}

export async function writeSummary(report: SmokeReport): Promise<void> {
  await renderSmokeSummary(report, new Summary()).write();
}
