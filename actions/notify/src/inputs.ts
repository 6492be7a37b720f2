/** notify's inputs: parsed and cross-checked in one pass, then turned into the channels to send to. */
import { commonInputs } from '../../../shared/core/common-inputs.js';
import { ConfigurationError } from '../../../shared/core/errors.js';
import { InvalidValue, input, readInputs, shown, type InputDef } from '../../../shared/core/inputs.js';
import { getInput } from '../../../shared/core/runner.js';
import type { Channel } from '../../../shared/notify/channel.js';
import { discord } from '../../../shared/notify/discord.js';
import { email } from '../../../shared/notify/email.js';
import { githubDeployment, type GithubOptions } from '../../../shared/notify/github.js';
import { pagerduty } from '../../../shared/notify/pagerduty.js';
import { PLACEHOLDERS, STATUSES, unknownPlaceholders, type ReleaseInput } from '../../../shared/notify/release.js';
import { badSentryVersion, sentry } from '../../../shared/notify/sentry.js';
import { slackApi, slackWebhook } from '../../../shared/notify/slack.js';
import { teams } from '../../../shared/notify/teams.js';
import { standardKey, webhook } from '../../../shared/notify/webhook.js';

const given = (name: string) => getInput(name) !== '';

const template: InputDef<string | undefined> = {
  parse(raw) {
    const unknown = unknownPlaceholders(raw);
    if (unknown.length) throw new InvalidValue(`uses {${unknown[0]}}, which is not a placeholder: use ${PLACEHOLDERS.map((p) => `{${p}}`).join(' ')}`);
    return raw || undefined;
  },
};

const version: InputDef<string | undefined> = {
  parse(raw) {
    const bad = raw && given('sentry-auth-token') ? badSentryVersion(raw) : undefined;
    if (bad) throw new InvalidValue(`is ${shown(raw)}, which Sentry refuses as a release version (it ${bad}): use e.g. a tag or the commit SHA`);
    return raw || undefined;
  },
};

const webhookSecret: InputDef<string | undefined> = {
  secret: true,
  parse(raw) {
    const style = getInput('webhook-signature-style').toLowerCase() || 'standard';
    if (raw && style === 'standard' && !standardKey(raw)) {
      throw new InvalidValue(`(a secret of ${raw.length} characters, not shown) is not a Standard Webhooks secret: use whsec_ followed by the base64 of 24 to 64 random bytes (e.g. "whsec_$(openssl rand -base64 32)"), or set webhook-signature-style: github for a plain shared secret`);
    }
    return raw || undefined;
  },
};

const address = (s: string) => {
  if (!/^([^<>@]*<[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+\.[^\s<>@]+)$/.test(s)) throw new InvalidValue('is not an email address: use name@example.com or "Name <name@example.com>"');
  return s;
};

const secretUrl = (protocols?: string[]) => input.url({ secret: true, protocols });

export const definitions = {
  status: input.choice(STATUSES, { required: true }),
  environment: input.string({ required: true, hint: 'name the environment, e.g. production' }),
  version,
  url: input.url(),
  message: template,
  'slack-webhook-url': secretUrl(),
  'slack-token': input.secret({ pattern: /^xox[a-z]-[A-Za-z0-9-]+$/, hint: 'use a Slack bot token (xoxb-…) from a secret' }),
  'slack-channel': input.string({ pattern: /^#?[a-z0-9][a-z0-9_.-]{0,79}$|^[CGD][A-Z0-9]{6,}$/, hint: 'use a channel id (C0123ABCDEF) or name (#deploys)' }),
  'slack-api-url': input.url({ default: 'https://slack.com' }),
  'webhook-url': secretUrl(),
  'webhook-secret': webhookSecret,
  'webhook-signature-style': input.choice(['standard', 'github'] as const, { default: 'standard' }),
  'pagerduty-routing-key': input.secret({ pattern: /^[A-Za-z0-9]{32}$/, hint: 'use the 32-character integration key of an Events API v2 integration' }),
  'pagerduty-url': input.url({ default: 'https://events.pagerduty.com' }),
  'sentry-auth-token': input.secret({ pattern: /^\S+$/, hint: 'use a Sentry auth token with project:releases scope' }),
  'sentry-org': input.string({ pattern: /^[a-z0-9][a-z0-9_-]*$/i, hint: "use the organization's slug, e.g. acme" }),
  'sentry-project': input.string({ pattern: /^[a-z0-9][a-z0-9_-]*$/i, hint: "use the project's slug, e.g. shop-web" }),
  'sentry-url': input.url({ default: 'https://sentry.io' }),
  'smtp-url': secretUrl(['smtp:', 'smtps:']),
  'email-from': input.string({ pattern: /@/, hint: 'use an address such as "Releases <releases@example.com>"' }),
  'email-to': input.list({ item: address }),
  'teams-webhook-url': secretUrl(['https:', 'http:']),
  'discord-webhook-url': secretUrl(),
  'github-deployment-id': input.integer({ min: 1 }),
  'environment-url': input.url(),
  'github-token': input.secret(),
  timeout: input.duration({ default: '20s', min: 100, max: 120_000 }),
  'fail-on-error': input.boolean(false),
  'sentry-dsn': commonInputs.sentryDsn(),
};

/** Inputs that only make sense together: [when this is given, these are needed too, and why]. */
const TOGETHER: Array<[string, string[], string]> = [
  ['slack-token', ['slack-channel'], 'the channel the release message goes to'],
  ['slack-channel', ['slack-token'], 'a bot token to post with (an incoming webhook has its own channel)'],
  ['webhook-secret', ['webhook-url'], 'the URL to send signed events to'],
  ['sentry-auth-token', ['sentry-org', 'sentry-project'], 'where the release belongs'],
  ['sentry-org', ['sentry-auth-token', 'sentry-project'], 'the token and project for Sentry releases'],
  ['sentry-project', ['sentry-auth-token', 'sentry-org'], 'the token and organization for Sentry releases'],
  ['smtp-url', ['email-from', 'email-to'], 'the sender and recipients'],
  ['email-to', ['smtp-url', 'email-from'], 'the SMTP server and sender'],
  ['email-from', ['smtp-url', 'email-to'], 'the SMTP server and recipients'],
  ['github-deployment-id', ['github-token'], 'a token with deployments: write'],
];

export interface Config {
  release: ReleaseInput;
  channels: Channel[];
  github?: GithubOptions;
  timeoutMs: number;
  failOnError: boolean;
}

export function readConfig(repository: string): Config {
  const problems: string[] = [];
  for (const [name, needs, why] of TOGETHER) {
    const missing = given(name) ? needs.filter((n) => !given(n)) : [];
    if (missing.length) problems.push(`Input '${missing[0]}' is required when '${name}' is given: ${missing.map((m) => `'${m}'`).join(' and ')} — ${why}`);
  }
  if (given('slack-webhook-url') && given('slack-token')) problems.push("Input 'slack-token' cannot be combined with 'slack-webhook-url': give a webhook URL, or a bot token and channel (which updates one message per release)");
  let i: ReturnType<typeof readInputs<typeof definitions>> | undefined;
  try {
    i = readInputs(definitions);
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    problems.unshift(...error.message.split('\n'));
  }
  if (problems.length || !i) throw new ConfigurationError([...new Set(problems)].join('\n'), { input: /'([^']+)'/.exec(problems[0] ?? '')?.[1] });

  const channels: Channel[] = [];
  if (i.slackWebhookUrl) channels.push(slackWebhook(i.slackWebhookUrl));
  if (i.slackToken) channels.push(slackApi({ token: i.slackToken, channel: i.slackChannel, apiUrl: i.slackApiUrl }));
  if (i.webhookUrl) channels.push(webhook({ url: i.webhookUrl, secret: i.webhookSecret, style: i.webhookSignatureStyle }));
  if (i.pagerdutyRoutingKey) channels.push(pagerduty({ routingKey: i.pagerdutyRoutingKey, url: i.pagerdutyUrl }));
  if (i.sentryAuthToken) channels.push(sentry({ token: i.sentryAuthToken, org: i.sentryOrg, project: i.sentryProject, url: i.sentryUrl }));
  if (i.smtpUrl) channels.push(email({ smtpUrl: i.smtpUrl, from: i.emailFrom, to: i.emailTo }));
  if (i.teamsWebhookUrl) channels.push(teams(i.teamsWebhookUrl));
  if (i.discordWebhookUrl) channels.push(discord(i.discordWebhookUrl));
  const github = i.githubDeploymentId ? { token: i.githubToken!, deploymentId: i.githubDeploymentId, environmentUrl: i.environmentUrl ?? i.url, repository } : undefined;
  if (github) channels.push(githubDeployment(github));
  return {
    release: { status: i.status, environment: i.environment, version: i.version, url: i.url ?? i.environmentUrl, message: i.message },
    channels,
    github,
    timeoutMs: i.timeout,
    failOnError: i.failOnError,
  };
}
