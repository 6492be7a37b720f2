/** Turns a SmokeReport into what a person reads: a job summary section, and a compact JSON. */
import { Summary, mark } from '../core/summary.js';
import { formatMs, type CheckResult, type SmokeReport } from './engine.js';

const MAX_ROWS = 100;
const MAX_BARS = 25;

const statusMark = (s: CheckResult['status']) => (s === 'pass' ? mark.pass : s === 'warn' ? mark.warn : s === 'cancelled' ? mark.skip : mark.fail);

/** `GET /health` when the check is on the base URL's origin, else the full URL. */
export function requestLabel(result: CheckResult, baseUrl?: string): string {
  let target = result.url;
  if (baseUrl) {
    const base = new URL(baseUrl);
    const url = new URL(result.url);
    if (url.origin === base.origin) target = `${url.pathname}${url.search}`;
  }
  return `${result.method} ${target}`;
}

/** A check as a person reads it: `home — GET /`, or just `GET /` when that is all its name says. */
export function checkTitle(result: CheckResult, baseUrl?: string): string {
  const request = requestLabel(result, baseUrl);
  return result.name === request ? request : `${result.name} — ${request}`;
}

export function headline(report: SmokeReport): string {
  if (report.cancelled) return `${mark.skip} Smoke test cancelled`;
  if (report.passed) return `${report.warningCount ? mark.warn : mark.pass} Smoke test passed${report.warningCount ? ` with ${report.warningCount} warning${report.warningCount === 1 ? '' : 's'}` : ''}`;
  if (report.failedCount === 0) return `${mark.fail} Smoke test failed: warnings count as failures (fail-on-warning)`;
  return `${mark.fail} Smoke test failed: ${report.failedCount} of ${report.total} check${report.total === 1 ? '' : 's'} failed`;
}

export function renderSmokeSummary(report: SmokeReport, summary = new Summary(), title?: string): Summary {
  summary.heading(title ? `${title}: ${headline(report).replace(/^(\S+) Smoke test /, '$1 ')}` : headline(report));
  const counts = [
    `**${report.passedCount}** of ${report.total} passed`,
    report.warningCount ? `**${report.warningCount}** warning${report.warningCount === 1 ? '' : 's'}` : undefined,
    report.failedCount ? `**${report.failedCount}** failed` : undefined,
    report.p95Ms !== undefined ? `p95 **${formatMs(report.p95Ms)}**` : undefined,
    `took ${formatMs(report.durationMs)}`,
  ].filter(Boolean);
  summary.text(`${report.baseUrl ? `Against \`${report.baseUrl}\` · ` : ''}${counts.join(' · ')}`);

  // Failures and warnings first: that is what a person opens the summary for.
  const order = { fail: 0, cancelled: 1, warn: 2, pass: 3 } as const;
  const sorted = report.checks.map((c, i) => ({ c, i })).sort((a, b) => order[a.c.status] - order[b.c.status] || a.i - b.i).map((x) => x.c);
  const shown = sorted.slice(0, MAX_ROWS);
  summary.table(
    ['', 'Check', 'Request', 'HTTP', 'Latency', 'Attempts', 'Problems'],
    shown.map((c) => [
      statusMark(c.status),
      c.name,
      `\`${requestLabel(c, report.baseUrl)}\``,
      c.httpStatus ?? '—',
      c.latencyMs !== undefined ? formatMs(c.latencyMs) : '—',
      c.attempts,
      [...c.problems, ...c.warnings].join('\n') || '',
    ]),
    ['center', 'left', 'left', 'right', 'right', 'right', 'left'],
  );
  if (sorted.length > shown.length) summary.text(`…and ${sorted.length - shown.length} more passing checks (all are in the \`report\` output).`);

  if (report.tls.length) {
    summary.heading('TLS certificates', 3);
    summary.table(
      ['', 'Origin', 'Expires', 'Days left', 'Issuer', 'Note'],
      report.tls.map((t) => [
        t.status === 'pass' ? mark.pass : t.status === 'warn' ? mark.warn : mark.fail,
        t.origin,
        t.validTo?.slice(0, 10) ?? '—',
        t.daysLeft ?? '—',
        t.issuer ?? '—',
        t.problem ?? '',
      ]),
      ['center', 'left', 'left', 'right', 'left', 'left'],
    );
  }

  const timed = report.checks.filter((c) => c.latencyMs !== undefined);
  if (timed.length >= 2) {
    const bars = timed.length > MAX_BARS ? [...timed].sort((a, b) => b.latencyMs! - a.latencyMs!).slice(0, MAX_BARS) : timed;
    summary.barChart(timed.length > MAX_BARS ? `Slowest ${MAX_BARS} checks (ms)` : 'Latency per check (ms)', bars.map((c) => c.name), bars.map((c) => c.latencyMs!), 'ms');
  }
  const o = report.options;
  summary.details(
    'Settings',
    `timeout ${formatMs(o.timeoutMs)} · attempts ${o.attempts} · retry-delay ${formatMs(o.retryDelayMs)} (×1.5) · deadline ${formatMs(o.deadlineMs)} · concurrency ${o.concurrency} · tls-min-days ${o.tlsMinDays} · security-headers ${o.securityHeaders} · fail-on-warning ${o.failOnWarning}`,
  );
  return summary;
}

/** The report as the `report` output: stable, compact JSON (no undefined fields). */
export function reportJson(report: SmokeReport): string {
  return JSON.stringify({
    passed: report.passed,
    cancelled: report.cancelled,
    total: report.total,
    passed_count: report.passedCount,
    warning_count: report.warningCount,
    failed_count: report.failedCount,
    p50_ms: report.p50Ms,
    p95_ms: report.p95Ms,
    max_ms: report.maxMs,
    duration_ms: report.durationMs,
    base_url: report.baseUrl,
    checks: report.checks.map((c) => ({
      name: c.name,
      method: c.method,
      url: c.url,
      status: c.status,
      http_status: c.httpStatus,
      latency_ms: c.latencyMs,
      attempts: c.attempts,
      problems: c.problems,
      warnings: c.warnings,
      health: c.health ? { status: c.health.status, said: c.health.said, failing: c.health.failing, warning: c.health.warning } : undefined,
      security_headers: c.securityHeaders,
      final_url: c.finalUrl,
    })),
    tls: report.tls.map((t) => ({ origin: t.origin, status: t.status, valid_to: t.validTo, days_left: t.daysLeft, issuer: t.issuer, problem: t.problem })),
  });
}
