/** Every service notify talks to, started on loopback, and the inputs that point the bundle at them. */
import { startGithubStandin, type GithubStandin } from '../harness/github.js';
import {
  startDiscord,
  startPagerDuty,
  startSentry,
  startSlack,
  startTeams,
  startWebhookReceiver,
  type CardStandin,
  type PagerDutyStandin,
  type SentryStandin,
  type SlackStandin,
  type WebhookReceiver,
} from '../harness/notify-standins.js';
import { startSmtp, type SmtpStandin } from '../harness/smtp.js';

export const PREVIOUS_SHA = 'fedcba9876543210fedcba9876543210fedcba98';

export interface World {
  slack: SlackStandin;
  webhook: WebhookReceiver;
  pagerduty: PagerDutyStandin;
  sentry: SentryStandin;
  smtp: SmtpStandin;
  teams: CardStandin;
  discord: CardStandin;
  github: GithubStandin;
  deploymentId: number;
  /** Inputs for every channel (Slack through the Web API). */
  inputs: Record<string, string>;
  env: Record<string, string>;
  secrets: string[];
  close(): Promise<void>;
}

export async function startWorld(): Promise<World> {
  const [slack, webhook, pagerduty, sentry, smtp, teams, discord, github] = await Promise.all([
    startSlack(),
    startWebhookReceiver(),
    startPagerDuty(),
    startSentry(),
    startSmtp({ mode: 'starttls' }),
    startTeams(),
    startDiscord(),
    startGithubStandin(),
  ]);
  const api = async (path: string, body: unknown) =>
    (await (await fetch(`${github.url}/repos/acme/shop${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${github.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })).json()) as { id: number };
  // The release before this one (another commit, successful), then this release's deployment.
  const previous = await api('/deployments', { ref: PREVIOUS_SHA, environment: 'production', auto_merge: false, required_contexts: [] });
  await api(`/deployments/${previous.id}/statuses`, { state: 'success' });
  const deploymentId = (await api('/deployments', { ref: 'main', environment: 'production', auto_merge: false, required_contexts: [] })).id;
  github.approvals.set('4242', [{ state: 'approved', comment: 'ship it', user: { login: 'hubot' }, environments: [{ name: 'production' }] }]);
  // The release started a little while ago, so {duration} has something to say.
  github.deployments.at(-1)!.created_at = new Date(Date.now() - 252_000).toISOString();
  const inputs = {
    environment: 'production',
    version: 'v1.4.2',
    url: 'https://shop.example.com',
    'slack-token': slack.token,
    'slack-channel': '#deploys',
    'slack-api-url': slack.url,
    'webhook-url': webhook.hookUrl,
    'webhook-secret': webhook.secret,
    'pagerduty-routing-key': pagerduty.routingKey,
    'pagerduty-url': pagerduty.url,
    'sentry-auth-token': sentry.token,
    'sentry-org': 'acme',
    'sentry-project': 'shop-web',
    'sentry-url': sentry.url,
    'smtp-url': smtp.url,
    'email-from': 'Releases <releases@acme.example>',
    'email-to': 'ops@acme.example, dev@acme.example',
    'teams-webhook-url': teams.hookUrl,
    'discord-webhook-url': discord.hookUrl,
    'github-deployment-id': String(deploymentId),
    'github-token': github.token,
    timeout: '5s',
  };
  return {
    slack,
    webhook,
    pagerduty,
    sentry,
    smtp,
    teams,
    discord,
    github,
    deploymentId,
    inputs,
    env: { GITHUB_API_URL: github.url, NODE_EXTRA_CA_CERTS: smtp.caFile, GANTRY_GITHUB_RETRY_MS: '50' },
    secrets: [slack.token, webhook.hookUrl, webhook.secret, pagerduty.routingKey, sentry.token, smtp.url, smtp.password, teams.hookUrl, discord.hookUrl, github.token, slack.webhookUrl],
    close: async () => {
      await Promise.all([slack, webhook, pagerduty, sentry, smtp, teams, discord, github].map((s) => s.close()));
    },
  };
}
