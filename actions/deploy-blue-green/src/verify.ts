/**
 * Verification of green (before the switch) and production (during the watch), written against
 * the smoke-test check language (shared/smoke/checks.ts). This is a small adapter: it runs each
 * check with retries until a deadline and reports pass/fail per check. When the smoke-test
 * engine's runner lands in shared/smoke, `runChecks` becomes a call into it.
 */
import { fetchWithTimeout, sleep } from '../../../shared/net.js';
import { errorMessage } from '../../../shared/errors.js';
import { matchJson, statusMatches, textMatches, type Check } from '../../../shared/smoke/checks.js';
import { readHealth } from '../../../shared/smoke/health.js';

export interface CheckResult {
  name: string;
  passed: boolean;
  status?: number;
  latencyMs?: number;
  attempts: number;
  /** Why it failed (last attempt). */
  problem?: string;
}

export interface VerifyReport {
  passed: boolean;
  results: CheckResult[];
  durationMs: number;
}

export interface VerifyOptions {
  /** Sent on every check (e.g. the protection-bypass header). */
  headers?: Record<string, string>;
  timeoutMs: number;
  attempts: number;
  retryDelayMs: number;
  signal: AbortSignal;
}

async function once(base: string, check: Check, options: VerifyOptions): Promise<Omit<CheckResult, 'attempts' | 'name'>> {
  const url = check.url ?? new URL(check.path ?? '/', base.endsWith('/') ? base : `${base}/`).toString().replace(/(?<!:)\/\/+/g, '/');
  const started = performance.now();
  try {
    const res = await fetchWithTimeout(url, {
      method: check.method,
      headers: { 'user-agent': 'gantry-deploy-verify', ...options.headers, ...check.headers },
      body: check.body,
      redirect: 'manual',
      timeoutMs: check.timeoutMs ?? options.timeoutMs,
      signal: options.signal,
    });
    const body = await res.text();
    const latencyMs = Math.round(performance.now() - started);
    const problems: string[] = [];
    if (!statusMatches(check.expectStatus, res.status)) problems.push(`status ${res.status}, expected ${check.expectStatus.text}`);
    if (check.expectBody && !textMatches(check.expectBody, body)) problems.push(`body does not contain ${check.expectBody.text}`);
    if (check.expectJson) {
      try {
        problems.push(...matchJson(JSON.parse(body), check.expectJson));
      } catch {
        problems.push('body is not JSON');
      }
    }
    if (check.health) {
      const h = readHealth(body);
      if (h.status === 'fail') problems.push(h.problem ?? `health is ${h.said ?? 'failing'}${h.failing.length ? ` (${h.failing.join(', ')})` : ''}`);
    }
    if (check.maxLatencyMs !== undefined && latencyMs > check.maxLatencyMs) problems.push(`took ${latencyMs} ms, budget ${check.maxLatencyMs} ms`);
    return { passed: problems.length === 0, status: res.status, latencyMs, problem: problems.join('; ') || undefined };
  } catch (error) {
    if (options.signal.aborted) throw error;
    return { passed: false, latencyMs: Math.round(performance.now() - started), problem: errorMessage(error) };
  }
}

/** Runs every check (in parallel), each retried until it passes or its attempts are used up. */
export async function runChecks(base: string, checks: Check[], options: VerifyOptions): Promise<VerifyReport> {
  const started = Date.now();
  const results = await Promise.all(
    checks.map(async (check) => {
      let last: Omit<CheckResult, 'attempts' | 'name'> = { passed: false };
      for (let attempt = 1; attempt <= options.attempts; attempt++) {
        last = await once(base, check, options);
        if (last.passed) return { name: check.name, attempts: attempt, ...last };
        if (attempt < options.attempts) await sleep(options.retryDelayMs * attempt, options.signal);
      }
      return { name: check.name, attempts: options.attempts, ...last };
    }),
  );
  return { passed: results.every((r) => r.passed), results, durationMs: Date.now() - started };
}
