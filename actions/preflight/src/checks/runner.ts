/**
 * Runs every check at once, each under its own timeout: the wall time is the slowest check's.
 * A check that throws fails with its message; one that overruns its budget fails by name even if
 * it ignores its signal; a check that cannot run is skipped.
 */
import { errorMessage, TimeoutError } from '../../../../shared/core/errors.js';
import { formatDuration } from '../../../../shared/core/duration.js';
import { abortReason } from '../../../../shared/core/net.js';
import type { Check, CheckResult } from './types.js';

export async function runChecks(checks: Check[], signal: AbortSignal, onDone?: (r: CheckResult) => void): Promise<CheckResult[]> {
  return Promise.all(
    checks.map(async (check): Promise<CheckResult> => {
      const head = { id: check.id, title: check.title };
      if (check.skip !== undefined) {
        const r: CheckResult = { ...head, status: 'skipped', found: check.skip, durationMs: 0 };
        onDone?.(r);
        return r;
      }
      const started = Date.now();
      const budget = new AbortController();
      const timer = setTimeout(() => budget.abort(new TimeoutError(`did not finish within ${formatDuration(check.timeoutMs)}`)), check.timeoutMs);
      const combined = AbortSignal.any([signal, budget.signal]);
      const aborted = new Promise<never>((_, reject) => {
        if (combined.aborted) reject(abortReason(combined));
        combined.addEventListener('abort', () => reject(abortReason(combined)), { once: true });
      });
      let result: CheckResult;
      try {
        const outcome = await Promise.race([check.run({ signal: combined, deadline: started + check.timeoutMs }), aborted]);
        result = { ...head, ...outcome };
      } catch (error) {
        const timedOut = budget.signal.aborted && !signal.aborted;
        result = {
          ...head,
          status: 'fail',
          found: timedOut ? `no answer: did not finish within ${formatDuration(check.timeoutMs)}` : errorMessage(error),
          fix: timedOut ? 'check that the service is reachable from the runner, or raise timeout' : undefined,
        };
      } finally {
        clearTimeout(timer);
      }
      aborted.catch(() => undefined);
      result.durationMs = Date.now() - started;
      onDone?.(result);
      return result;
    }),
  );
}
