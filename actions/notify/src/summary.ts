/** notify's job summary and report output. */
import { formatDuration } from '../../../shared/core/duration.js';
import { Summary, mark } from '../../../shared/core/summary.js';
import type { ChannelReport } from '../../../shared/notify/channel.js';
import type { Release } from '../../../shared/notify/release.js';

const RESULT_MARK = { delivered: mark.pass, skipped: mark.skip, failed: mark.fail } as const;

export function reportJson(release: Release, reports: ChannelReport[]): string {
  return JSON.stringify({
    status: release.status,
    environment: release.environment,
    version: release.version,
    release_key: release.key,
    delivered: reports.filter((r) => r.result === 'delivered').map((r) => r.channel),
    failed: reports.filter((r) => r.result === 'failed').map((r) => r.channel),
    channels: reports.map((r) => ({ channel: r.channel, result: r.result, detail: r.detail, requests: r.requests, duration_ms: r.durationMs })),
  });
}

export function notifySummary(release: Release, reports: ChannelReport[]): Summary {
  const s = new Summary().heading(`notify: ${release.title}`);
  s.text(release.text.replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]!));
  if (!reports.length) return s.text('No channel was configured, so nothing was sent.');
  s.table(
    ['', 'Channel', 'Result', 'Detail', 'Requests', 'Time'],
    reports.map((r) => [RESULT_MARK[r.result], r.channel, r.result, r.detail, r.requests, formatDuration(r.durationMs)]),
    ['center', 'left', 'left', 'left', 'right', 'right'],
  );
  const failed = reports.filter((r) => r.result === 'failed');
  if (failed.length) s.text(`${failed.length} of ${reports.length} channels failed; the others were still delivered.`);
  return s.facts([
    ['Environment', release.environment],
    ['Version', release.version],
    ['Release key', `\`${release.key}\``],
  ]);
}
