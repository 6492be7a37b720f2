/** notify: inputs in → every channel in parallel, each within its timeout → outputs, summary, warnings. */
import { context } from '../../../shared/core/context.js';
import { formatDuration } from '../../../shared/core/duration.js';
import { group, log } from '../../../shared/core/log.js';
import type { ActionContext } from '../../../shared/core/run.js';
import { writeOutput } from '../../../shared/core/runner.js';
import { redact } from '../../../shared/core/secrets.js';
import { deliver } from '../../../shared/notify/channel.js';
import { releaseHistory } from '../../../shared/notify/github.js';
import { describeRelease } from '../../../shared/notify/release.js';
import { readConfig } from './inputs.js';
import { notifySummary, reportJson } from './summary.js';

export async function main({ signal }: ActionContext): Promise<void> {
  const ctx = context();
  const config = readConfig(ctx.repository);
  const history = config.github ? await releaseHistory(config.github, ctx.runId, Math.min(config.timeoutMs / 2, 3000), signal) : undefined;
  if (history?.problem) log.info(`Could not read the release's history from GitHub (${history.problem}): messages leave out what is missing (duration, changes, approvals).`);
  const durationMs = history?.startedAt ? Date.now() - history.startedAt : undefined;
  const release = describeRelease({ ...config.release, durationMs, previousSha: history?.previousSha, approvedBy: history?.approvedBy }, ctx);
  const names = config.channels.map((c) => c.name);
  if (!names.length) log.warning('No channel is configured: give slack-webhook-url, slack-token, webhook-url, pagerduty-routing-key, sentry-auth-token, smtp-url, teams-webhook-url, discord-webhook-url or github-deployment-id.', { title: 'notify' });
  else log.info(`${release.title} — notifying ${names.join(', ')} (timeout ${formatDuration(config.timeoutMs)} each)`);

  const reports = await deliver(config.channels, release, { timeoutMs: config.timeoutMs, signal });
  for (const r of reports) {
    await group(`${r.channel}: ${r.result} — ${r.detail} (${r.requests} request${r.requests === 1 ? '' : 's'}, ${formatDuration(r.durationMs)})`, async () => r.log.forEach((l) => log.info(l)));
  }
  const failed = reports.filter((r) => r.result === 'failed');
  writeOutput('delivered', reports.filter((r) => r.result === 'delivered').map((r) => r.channel).join(','));
  writeOutput('failed', failed.map((r) => r.channel).join(','));
  writeOutput('report', redact(reportJson(release, reports)));
  await notifySummary(release, reports).write();

  if (signal.aborted) throw signal.reason;
  for (const r of failed) (config.failOnError ? log.error : log.warning)(`${r.channel} was not notified: ${r.detail}`, { title: `notify: ${r.channel} failed` });
  if (failed.length && config.failOnError) process.exitCode = 1;
  else if (failed.length) log.info(`${failed.length} channel${failed.length === 1 ? '' : 's'} failed; fail-on-error is false, so the step passes.`);
}
