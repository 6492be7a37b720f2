/**
 * A generic webhook: a documented JSON payload (README "Webhook payload"), signed per Standard
 * Webhooks 1.0 (`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256 of
 * "id.timestamp.body">` keyed with the base64-decoded `whsec_` secret) or GitHub's
 * `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body>`.
 *
 * Idempotency: `webhook-id` is derived from the release key, the status and the run id, so a
 * retry and a re-run of the same job send the same id and a receiver can drop the duplicate.
 */
import { createHash, createHmac } from 'node:crypto';
import { request, withRetries, type Channel } from './channel.js';
import type { Release } from './release.js';

export type SignatureStyle = 'standard' | 'github';

/** The secret's key bytes for Standard Webhooks: base64 after an optional `whsec_` prefix; undefined when malformed. */
export function standardKey(secret: string): Buffer | undefined {
  const b64 = secret.startsWith('whsec_') ? secret.slice(6) : secret;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(b64) || b64.length % 4 !== 0) return undefined;
  const key = Buffer.from(b64, 'base64');
  return key.length >= 16 ? key : undefined;
}

export function webhookId(r: Release): string {
  return `msg_${createHash('sha256').update(`${r.key}\n${r.status}\n${r.runId}`).digest('hex').slice(0, 32)}`;
}

/** The documented payload: `{type, timestamp, data}` as Standard Webhooks recommends. */
export function webhookPayload(r: Release, now = new Date()) {
  return {
    type: `release.${r.status}`,
    timestamp: now.toISOString(),
    data: {
      status: r.status,
      environment: r.environment,
      version: r.version,
      url: r.url ?? null,
      message: r.text,
      repository: r.repository,
      sha: r.sha,
      ref: r.ref,
      actor: r.actor,
      run_url: r.runUrl ?? null,
      duration_ms: r.durationMs ?? null,
      release_key: r.key,
    },
  };
}

export function signatureHeaders(body: string, id: string, timestamp: number, secret: string | undefined, style: SignatureStyle): Record<string, string> {
  const headers: Record<string, string> = { 'webhook-id': id, 'webhook-timestamp': String(timestamp) };
  if (!secret) return headers;
  if (style === 'github') {
    headers['x-hub-signature-256'] = `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
  } else {
    headers['webhook-signature'] = `v1,${createHmac('sha256', standardKey(secret)!).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
  }
  return headers;
}

export function webhook(o: { url: string; secret?: string; style: SignatureStyle }): Channel {
  return {
    name: 'webhook',
    async send(r, ctx) {
      const id = webhookId(r);
      const body = JSON.stringify(webhookPayload(r));
      const timestamp = Math.floor(Date.now() / 1000);
      const headers = { ...signatureHeaders(body, id, timestamp, o.secret, o.style), 'x-gantry-event': `release.${r.status}` };
      const answer = await withRetries(ctx, 'Webhook', () => request(ctx, { url: o.url, body, headers }));
      const how = o.secret ? (o.style === 'github' ? 'signed X-Hub-Signature-256' : 'signed per Standard Webhooks') : 'unsigned';
      ctx.note(`Delivered ${id} (${how}): HTTP ${answer.status}.`);
      return { result: 'delivered', detail: `${id}, ${how}, HTTP ${answer.status}` };
    },
  };
}
