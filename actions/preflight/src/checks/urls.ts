/** URLs: each host resolves (DNS), its certificate is trusted and valid for tls-min-days, and it answers 2xx (the smoke engine). */
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { errorMessage } from '../../../../shared/core/errors.js';
import type { Check } from './types.js';

interface UrlResult {
  url: string;
  state: 'pass' | 'warn' | 'fail';
  detail: string;
}

async function resolves(host: string, signal: AbortSignal): Promise<string | undefined> {
  const bare = host.replace(/^\[|\]$/g, '');
  if (isIP(bare)) return undefined;
  try {
    const aborted = new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(new Error('no answer in time')), { once: true }));
    await Promise.race([lookup(bare), aborted]);
    return undefined;
  } catch (error) {
    return `DNS: ${bare} does not resolve (${(error as { code?: string }).code ?? errorMessage(error)})`;
  }
}

export function urlsCheck(urls: string[], tlsMinDays: number, timeoutMs: number): Check {
  return {
    id: 'urls',
    title: 'URLs',
    skip: urls.length ? undefined : 'no urls given',
    timeoutMs,
    run: async ({ signal, deadline }) => {
      const { runSmokeChecks } = await import('../../../../shared/smoke/index.js');
      const results = await Promise.all(
        urls.map(async (url): Promise<UrlResult> => {
          const shown = new URL(url);
          shown.username = '';
          shown.password = '';
          const label = shown.toString();
          const dns = await resolves(new URL(url).hostname, signal);
          if (dns) return { url: label, state: 'fail', detail: dns };
          const report = await runSmokeChecks([{ name: label, url, method: 'GET', headers: {}, expectStatus: { text: '2xx', ranges: [[200, 299]] }, health: false }], {
            timeoutMs: Math.max(100, deadline - Date.now() - 50),
            attempts: 1,
            deadlineMs: Math.max(0, deadline - Date.now() - 100),
            retryDelayMs: 250,
            tlsMinDays,
            securityHeaders: 'off',
            signal,
          });
          const check = report.checks[0]!;
          const tls = report.tls[0];
          const answer = check.httpStatus !== undefined ? `${check.httpStatus} in ${Math.round(check.latencyMs ?? 0)} ms` : '';
          const cert = tls?.daysLeft !== undefined ? `certificate valid ${tls.daysLeft} more days` : '';
          if (check.status === 'fail' || check.status === 'cancelled') return { url: label, state: 'fail', detail: [answer, ...check.problems].filter(Boolean).join('; ') };
          if (tls?.status === 'fail') return { url: label, state: 'fail', detail: `${answer}; certificate ${tls.problem}` };
          if (tls?.status === 'warn') return { url: label, state: 'warn', detail: `${answer}; certificate ${tls.problem}` };
          return { url: label, state: 'pass', detail: [answer, cert].filter(Boolean).join('; ') };
        }),
      );
      const details = results.map((r) => `${r.state === 'pass' ? '✅' : r.state === 'warn' ? '⚠️' : '❌'} ${r.url}: ${r.detail}`);
      const failed = results.filter((r) => r.state === 'fail');
      const warned = results.filter((r) => r.state === 'warn');
      const data = { urls: results };
      if (failed.length) return { status: 'fail', found: failed.map((r) => `${r.url}: ${r.detail}`).join('; '), fix: 'check the URL, its DNS record and its certificate; a site that is down now is not a place to release to', details, data };
      if (warned.length) return { status: 'warn', found: warned.map((r) => `${r.url}: ${r.detail}`).join('; '), fix: `renew the certificate (tls-min-days is ${tlsMinDays})`, details, data };
      return { status: 'pass', found: `${results.length} answered: ${results.map((r) => `${r.url} ${r.detail}`).join('; ')}`, details, data };
    },
  };
}
