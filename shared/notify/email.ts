/**
 * Email over SMTP with nodemailer: `smtps://` is TLS from the first byte; `smtp://` upgrades with
 * STARTTLS when the server offers it, and *requires* it when a user and password are given, so a
 * password never crosses the wire in clear. A plain-text and an HTML part, built from the same data.
 * Transient SMTP answers (4xx) and connection faults are retried; 5xx and authentication failures are final.
 */
import { releaseFacts, rollbackHint, type Release } from './release.js';
import { withRetries, type Channel } from './channel.js';
import { HttpError } from '../core/net.js';

export interface EmailOptions {
  smtpUrl: string;
  from: string;
  to: string[];
}

const html = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

export function emailBodies(r: Release): { subject: string; text: string; html: string } {
  const facts = releaseFacts(r);
  const hint = rollbackHint(r);
  const text = [r.title, '', r.text, '', ...facts.map((f) => `${f.name}: ${f.value}${f.url ? ` <${f.url}>` : ''}`), ...(hint ? ['', hint] : [])].join('\n');
  const rows = facts
    .map((f) => `<tr><th align="left">${html(f.name)}</th><td>${f.url ? `<a href="${html(f.url)}">${html(f.value)}</a>` : html(f.value)}</td></tr>`)
    .join('');
  const body = `<!doctype html><html><body><h2>${html(r.title)}</h2><p style="white-space:pre-wrap">${html(r.text)}</p><table>${rows}</table>${hint ? `<p>${html(hint)}</p>` : ''}</body></html>`;
  return { subject: r.title.replace(/[\r\n]+/g, ' '), text, html: body };
}

export function email(o: EmailOptions): Channel {
  return {
    name: 'email',
    async send(r, ctx) {
      const { createTransport } = await import('nodemailer');
      const url = new URL(o.smtpUrl);
      const secure = url.protocol === 'smtps:';
      const user = decodeURIComponent(url.username);
      const limit = () => Math.max(1, ctx.remaining());
      const bodies = emailBodies(r);
      const info = await withRetries(ctx, 'SMTP', async () => {
        const transport = createTransport({
          host: url.hostname,
          port: Number(url.port) || (secure ? 465 : 587),
          secure,
          requireTLS: !secure && Boolean(user),
          auth: user ? { user, pass: decodeURIComponent(url.password) } : undefined,
          connectionTimeout: limit(),
          greetingTimeout: limit(),
          socketTimeout: limit(),
        });
        try {
          return await transport.sendMail({ from: o.from, to: o.to, ...bodies });
        } catch (error) {
          throw smtpError(error);
        } finally {
          transport.close();
        }
      });
      ctx.note(`Sent to ${o.to.length} recipient${o.to.length === 1 ? '' : 's'}: ${String(info.response ?? '').slice(0, 120)}`);
      return { result: 'delivered', detail: `sent to ${o.to.join(', ')}` };
    },
  };
}

/** nodemailer's errors as the retry rules understand them: 4xx replies and connection faults are transient. */
function smtpError(error: unknown): Error {
  const e = error as { code?: string; responseCode?: number; response?: string; message?: string };
  const said = (e.response ?? e.message ?? String(error)).replace(/\s+/g, ' ').slice(0, 160);
  if (e.responseCode && e.responseCode >= 400 && e.responseCode < 500) return new HttpError(`SMTP ${e.responseCode} (${said})`, 503);
  if (e.code === 'EAUTH') return new HttpError(`SMTP authentication failed (${said}): check the user and password in smtp-url`, 401);
  if (e.responseCode) return new HttpError(`SMTP ${e.responseCode} (${said})`, 400);
  if (e.code === 'ECONNECTION' || e.code === 'ETIMEDOUT' || e.code === 'ESOCKET' || e.code === 'EDNS') {
    return Object.assign(new Error(`SMTP ${e.code === 'EDNS' ? 'DNS lookup failed' : 'connection failed'} (${said})`), { code: e.code === 'EDNS' ? 'ENOTFOUND' : 'ECONNRESET' });
  }
  return error instanceof Error ? error : new Error(said);
}
