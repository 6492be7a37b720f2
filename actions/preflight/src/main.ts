/** preflight: inputs in → every check at once, each under its own timeout → outputs, annotations, the checklist out. */
import { context } from '../../../shared/core/context.js';
import { log } from '../../../shared/core/log.js';
import { abortReason } from '../../../shared/core/net.js';
import type { ActionContext } from '../../../shared/core/run.js';
import { writeOutput } from '../../../shared/core/runner.js';
import { buildChecks } from './checks/index.js';
import { runChecks } from './checks/runner.js';
import { readPreflightInputs } from './inputs.js';
import { annotate, renderSummary, reportJson, verdict } from './summary.js';

const LINE = { pass: 'pass', warn: 'WARN', fail: 'FAIL', skipped: 'skip' } as const;

export async function main({ signal }: ActionContext): Promise<void> {
  const inputs = readPreflightInputs();
  const run = context();
  const checks = buildChecks(inputs, run);
  const started = Date.now();
  log.info(`Preflight${inputs.environment ? ` for ${inputs.environment}` : ''}: ${checks.filter((c) => !c.skip).length} checks at once.`);

  const results = await runChecks(checks, signal, (r) => log.info(`${LINE[r.status]}  ${r.title}: ${r.found}${r.durationMs ? ` (${r.durationMs} ms)` : ''}`));
  const elapsedMs = Date.now() - started;
  const v = verdict(results);

  writeOutput('ready', String(v.ready));
  writeOutput('failed', JSON.stringify(v.failed));
  writeOutput('warnings', JSON.stringify(v.warnings));
  const override = v.warnings.includes('freeze') ? inputs.freezeOverride : undefined;
  writeOutput('report', reportJson(results, v, { environment: inputs.environment ?? null, sha: run.sha, ref: run.ref, freezeOverride: override ?? null, elapsedMs }));

  const overflow = annotate(results);
  await renderSummary(results, v, { environment: inputs.environment, sha: run.sha, elapsedMs, override, overflow }).write();

  if (signal.aborted) throw abortReason(signal);
  if (!v.ready && inputs.failOnNotReady) {
    throw new Error(`not ready to ship: ${v.failed.join(', ')} failed (set fail-on-not-ready: false to branch on the ready output instead)`);
  }
  if (!v.ready) log.info(`Not ready (${v.failed.join(', ')}); fail-on-not-ready is false, so the step passes with ready=false.`);
}
