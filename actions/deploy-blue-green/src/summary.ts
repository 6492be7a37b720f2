/** The job summary: what was live, what is live now, verification, timings. */
import { formatDuration } from '../../../shared/core/duration.js';
import { Summary, mark } from '../../../shared/core/summary.js';
import { errorMessage } from '../../../shared/core/errors.js';
import { log } from '../../../shared/core/log.js';
import { writeOutput } from '../../../shared/core/runner.js';
import type { ReleaseOutcome } from './release.js';

/** Outputs, the job summary and the closing notice; throws when the release failed (the step fails). */
export async function writeResult(inputs: { operation: string; platform: string; environment: string }, outcome: ReleaseOutcome, totalMs: number): Promise<void> {
  writeOutput('deployment-id', outcome.deployment?.id ?? '');
  writeOutput('deployment-url', outcome.deployment?.url ?? '');
  writeOutput('previous-deployment-id', outcome.previous?.id ?? '');
  writeOutput('production-url', outcome.productionUrl ?? '');
  writeOutput('github-deployment-id', outcome.githubDeploymentId ? String(outcome.githubDeploymentId) : '');
  writeOutput('result', outcome.result ?? '');
  await writeSummary(inputs.operation, inputs.platform, inputs.environment, outcome, totalMs);
  if (outcome.error) throw outcome.error;
  if (outcome.result === 'rolled-back' && inputs.operation !== 'rollback') throw new Error('the release was rolled back');
  log.notice(
    outcome.result === 'staged'
      ? `Staged ${outcome.deployment?.id} for ${inputs.environment}; production unchanged.`
      : outcome.result === 'rolled-back'
        ? `${inputs.environment} rolled back to ${outcome.liveAfter}.`
        : `${inputs.environment} is live on ${outcome.deployment?.id}.`,
    { title: 'deploy-blue-green' },
  );
}

export async function writeSummary(operation: string, platform: string, environment: string, outcome: ReleaseOutcome, totalMs: number): Promise<void> {
  const s = new Summary();
  const verdict = outcome.error
    ? outcome.result === 'rolled-back'
      ? `${mark.warn} rolled back`
      : `${mark.fail} failed`
    : outcome.result === 'staged'
      ? `${mark.skip} staged`
      : outcome.result === 'rolled-back'
        ? `${mark.pass} rolled back`
        : `${mark.pass} promoted`;
  s.heading(`Blue-green ${operation}: ${environment} — ${verdict}`);
  s.facts([
    ['Platform', platform],
    ['Was live', outcome.previous?.id ?? '— (first release)'],
    ['Live now', outcome.liveAfter ?? '—'],
    ['Green', outcome.deployment ? `${outcome.deployment.id}${outcome.deployment.url ? ` (${outcome.deployment.url})` : ''}` : '—'],
    ['Production URL', outcome.productionUrl ?? '—'],
    ['GitHub deployment', outcome.githubDeploymentId ?? '—'],
    ['Result', outcome.result ?? 'failed'],
    ...(outcome.error ? ([['Why', errorMessage(outcome.error)]] as Array<[string, unknown]>) : []),
  ]);
  const rows: unknown[][] = [];
  for (const [where, report] of [['green', outcome.verification], ['production', outcome.watch?.last]] as const) {
    for (const r of report?.results ?? []) {
      rows.push([where, r.name, r.passed ? mark.pass : mark.fail, r.status ?? '—', r.latencyMs !== undefined ? `${r.latencyMs} ms` : '—', r.attempts, r.problem ?? '']);
    }
  }
  if (rows.length) {
    s.heading('Verification', 3);
    s.table(['Where', 'Check', 'Result', 'Status', 'Latency', 'Attempts', 'Problem'], rows, ['left', 'left', 'center', 'right', 'right', 'right', 'left']);
    if (outcome.watch) s.text(`Production watched for ${outcome.watch.rounds} round(s).`);
  }
  s.heading('Timings', 3);
  s.table(
    ['Step', 'Took', 'Result'],
    [...outcome.phases.map((p) => [p.name, formatDuration(p.ms), p.ok ? mark.pass : mark.fail]), ['**Total**', `**${formatDuration(totalMs)}**`, '']],
    ['left', 'right', 'center'],
  );
  if (outcome.notes.length) s.list(outcome.notes);
  await s.write();
}
