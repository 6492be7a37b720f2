/** The certificate an HTTPS origin presents: who issued it, when it expires, whether it is trusted. */
import { connect, type PeerCertificate } from 'node:tls';
import { isIP } from 'node:net';

export interface CertificateInfo {
  origin: string;
  subject?: string;
  issuer?: string;
  validTo?: string;
  daysLeft?: number;
  /** Why the certificate is not trusted, when it is not. */
  untrusted?: string;
  /** Set when the handshake itself failed. */
  error?: string;
}

export function inspectCertificate(origin: string, options: { timeoutMs: number; signal?: AbortSignal; now?: number }): Promise<CertificateInfo> {
  const url = new URL(origin);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const port = Number(url.port || 443);
  return new Promise((resolve) => {
    let done = false;
    const finish = (info: CertificateInfo) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(info);
    };
    // Not verifying here is deliberate: we want the dates even from a certificate that is not
    // trusted; `authorizationError` says whether it is.
    const socket = connect({ host, port, servername: isIP(host) ? undefined : host, rejectUnauthorized: false, ALPNProtocols: ['http/1.1'] }, () => {
      const cert: PeerCertificate = socket.getPeerCertificate();
      if (!cert || !cert.valid_to) return finish({ origin, error: 'the server presented no certificate' });
      const validTo = new Date(cert.valid_to);
      finish({
        origin,
        subject: first(cert.subject?.CN) ?? cert.subjectaltname,
        issuer: first(cert.issuer?.CN) ?? first(cert.issuer?.O),
        validTo: validTo.toISOString(),
        daysLeft: Math.floor((validTo.getTime() - (options.now ?? Date.now())) / 86_400_000),
        untrusted: socket.authorized ? undefined : String(socket.authorizationError ?? 'not trusted'),
      });
    });
    socket.on('error', (error) => finish({ origin, error: error.message }));
    const timer = setTimeout(() => finish({ origin, error: `no TLS handshake within ${options.timeoutMs}ms` }), options.timeoutMs);
    const onAbort = () => finish({ origin, error: 'cancelled' });
    options.signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const first = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);
