/**
 * The release being announced, as data. Every channel renders this one object into its own
 * format and serialises it once (JSON.stringify, nodemailer): text is never pasted into JSON.
 */
import { formatDuration } from '../core/duration.js';
import type { RunContext } from '../core/context.js';

export const STATUSES = ['started', 'success', 'failure', 'cancelled', 'rolled-back'] as const;
export type Status = (typeof STATUSES)[number];

/** Placeholders a `message` template may use. */
export const PLACEHOLDERS = ['environment', 'version', 'status', 'url', 'run_url', 'actor', 'duration', 'repository', 'sha'] as const;
type Placeholder = (typeof PLACEHOLDERS)[number];

export interface Release {
  status: Status;
  environment: string;
  /** As given, or the commit SHA. */
  version: string;
  /** The version as people read it (a SHA shortened to 7). */
  shortVersion: string;
  /** The application's URL, when given. */
  url?: string;
  /** The rendered message: the user's template or the default sentence. */
  text: string;
  /** A one-line title, e.g. "✅ acme/shop: deployed abc1234 to production". */
  title: string;
  repository: string;
  sha: string;
  ref: string;
  actor: string;
  runUrl?: string;
  runId: string;
  commitUrl?: string;
  /** Link to the repository's workflows, where a rollback is started. */
  rollbackUrl?: string;
  durationMs?: number;
  /** Compare link from the environment's previous release to this commit. */
  diffUrl?: string;
  approvedBy: string[];
  /** Stable for one release of one version to one environment: keys the Slack message, the webhook id, PagerDuty's dedup_key. */
  key: string;
}

export const STATUS_WORDS: Record<Status, { icon: string; past: string; colour: string }> = {
  started: { icon: '🚀', past: 'started', colour: '#2f81f7' },
  success: { icon: '✅', past: 'succeeded', colour: '#1a7f37' },
  failure: { icon: '❌', past: 'failed', colour: '#cf222e' },
  cancelled: { icon: '⏹️', past: 'was cancelled', colour: '#6e7781' },
  'rolled-back': { icon: '↩️', past: 'was rolled back', colour: '#bf8700' },
};

const DEFAULT_TEMPLATES: Record<Status, string> = {
  started: 'Deploying {version} to {environment}…',
  success: 'Deployed {version} to {environment} in {duration}.',
  failure: 'Deploying {version} to {environment} failed.',
  cancelled: 'Deploying {version} to {environment} was cancelled.',
  'rolled-back': '{environment} was rolled back from {version}.',
};

/** The placeholders in a template that are not known (for input validation). */
export function unknownPlaceholders(template: string): string[] {
  return [...template.matchAll(/\{([a-z_]+)\}/g)].map((m) => m[1]!).filter((p) => !(PLACEHOLDERS as readonly string[]).includes(p));
}

export function renderTemplate(template: string, values: Record<Placeholder, string>): string {
  return template.replace(/\{([a-z_]+)\}/g, (whole, name: string) => (name in values ? values[name as Placeholder] : whole));
}

export interface ReleaseInput {
  status: Status;
  environment: string;
  version?: string;
  url?: string;
  message?: string;
  durationMs?: number;
  previousSha?: string;
  approvedBy?: string[];
}

export function describeRelease(input: ReleaseInput, ctx: RunContext): Release {
  const version = input.version || ctx.sha || 'unknown';
  const shortVersion = /^[0-9a-f]{40}$/.test(version) ? version.slice(0, 7) : version;
  const repoUrl = ctx.repository ? `${ctx.serverUrl}/${ctx.repository}` : undefined;
  const values: Record<Placeholder, string> = {
    environment: input.environment,
    version: shortVersion,
    status: input.status,
    url: input.url ?? '',
    run_url: ctx.runUrl ?? '',
    actor: ctx.actor,
    duration: input.durationMs === undefined ? 'an unknown time' : formatDuration(input.durationMs),
    repository: ctx.repository,
    sha: ctx.sha,
  };
  let text = renderTemplate(input.message || DEFAULT_TEMPLATES[input.status], values);
  if (!input.message && input.durationMs === undefined) text = text.replace(' in an unknown time', '');
  const words = STATUS_WORDS[input.status];
  const subject = ctx.repository ? `${ctx.repository} ${shortVersion}` : shortVersion;
  return {
    status: input.status,
    environment: input.environment,
    version,
    shortVersion,
    url: input.url,
    text,
    title: `${words.icon} ${subject} → ${input.environment}: ${input.status === 'started' ? 'deploying' : words.past}`,
    repository: ctx.repository,
    sha: ctx.sha,
    ref: ctx.ref,
    actor: ctx.actor,
    runUrl: ctx.runUrl,
    runId: ctx.runId,
    commitUrl: repoUrl && ctx.sha ? `${repoUrl}/commit/${ctx.sha}` : undefined,
    rollbackUrl: repoUrl ? `${repoUrl}/actions` : undefined,
    durationMs: input.durationMs,
    diffUrl: repoUrl && ctx.sha && input.previousSha ? `${repoUrl}/compare/${input.previousSha}...${ctx.sha}` : undefined,
    approvedBy: input.approvedBy ?? [],
    key: `${ctx.repository || 'local'}:${input.environment}:${version}`,
  };
}

/** Facts every rich channel shows, in order. */
export function releaseFacts(r: Release): Array<{ name: string; value: string; url?: string }> {
  const facts: Array<{ name: string; value: string; url?: string }> = [
    { name: 'Environment', value: r.environment, url: r.url },
    { name: 'Version', value: r.shortVersion },
    { name: 'Status', value: `${STATUS_WORDS[r.status].icon} ${r.status}` },
  ];
  if (r.sha) facts.push({ name: 'Commit', value: r.sha.slice(0, 7), url: r.commitUrl });
  if (r.diffUrl) facts.push({ name: 'Changes', value: 'since the last release', url: r.diffUrl });
  if (r.actor) facts.push({ name: 'Triggered by', value: r.actor });
  if (r.approvedBy.length) facts.push({ name: 'Approved by', value: r.approvedBy.join(', ') });
  if (r.durationMs !== undefined) facts.push({ name: 'Duration', value: formatDuration(r.durationMs) });
  if (r.runUrl) facts.push({ name: 'Run', value: `#${r.runId}`, url: r.runUrl });
  return facts;
}

/** How to undo this release, in words, for failure and success messages. */
export function rollbackHint(r: Release): string | undefined {
  if (r.status !== 'success' && r.status !== 'failure') return undefined;
  return `To roll back, run the rollback workflow for ${r.environment}${r.rollbackUrl ? ` (${r.rollbackUrl})` : ''}.`;
}
