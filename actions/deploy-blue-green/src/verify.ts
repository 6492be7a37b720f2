/**
 * Verification of green (before the switch) and production (during the watch) through the
 * smoke-test engine (shared/smoke): the same check language and semantics as the smoke-test
 * action, reduced to what the release needs to decide and report.
 */
import type { Check } from '../../../shared/smoke/checks.js';
import { runSmokeChecks } from '../../../shared/smoke/engine.js';

/**
 * The rule (README, "Warming up or broken"): an answer that says the release is still coming up is
 * retried until the deadline — connection refused or reset, no answer in time, DNS not there yet,
 * 404 (the route or alias is not live yet), 408, 425, 429, 502, 503 and 504 (a proxy with no
 * healthy upstream yet). An answer from a release that is up and wrong fails within `attempts`
 * tries — 500, 501 and other 5xx, 401 and 403, any other status, a wrong body, an unhealthy health
 * document; an untrusted or expired certificate fails at once.
 */
export function warmingUp(status: number): boolean {
  return [404, 408, 425, 429, 502, 503, 504].includes(status);
}

export interface CheckResult {
  name: string;
  passed: boolean;
  status?: number;
  latencyMs?: number;
  attempts: number;
  /** Why it failed (the deciding attempt). */
  problem?: string;
}

export interface VerifyReport {
  passed: boolean;
  results: CheckResult[];
  durationMs: number;
}

export interface VerifyOptions {
  /** Sent on every check (e.g. the protection-bypass header); masked as secrets by the caller. */
  headers?: Record<string, string>;
  timeoutMs: number;
  attempts: number;
  retryDelayMs: number;
  /** No attempt starts after this long ("not ready yet" answers are retried until then). */
  deadlineMs: number;
  signal: AbortSignal;
}

export async function runChecks(base: string, checks: Check[], options: VerifyOptions): Promise<VerifyReport> {
  const report = await runSmokeChecks(checks, {
    baseUrl: base,
    headers: options.headers,
    timeoutMs: options.timeoutMs,
    attempts: options.attempts,
    retryDelayMs: options.retryDelayMs,
    deadlineMs: options.deadlineMs,
    // The release decides on the checks themselves; certificates and security headers are smoke-test's job.
    tlsMinDays: 0,
    securityHeaders: 'off',
    signal: options.signal,
    notReady: warmingUp,
  });
  if (report.cancelled && options.signal.aborted) throw options.signal.reason;
  return {
    passed: report.passed,
    durationMs: report.durationMs,
    results: report.checks.map((c) => ({
      name: c.name,
      passed: c.status === 'pass' || c.status === 'warn',
      status: c.httpStatus,
      latencyMs: c.latencyMs,
      attempts: c.attempts,
      problem: c.problems.length ? c.problems.join('; ') : undefined,
    })),
  };
}
