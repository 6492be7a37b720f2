/**
 * The TLS identity of the stand-ins' HTTPS servers: a certificate for 127.0.0.1/localhost issued
 * by the shared test CA (test/harness/https.ts). Give `certFile` as NODE_EXTRA_CA_CERTS.
 */
import { existsSync } from 'node:fs';
import { issueCert, testCa } from './https.js';

export interface TlsIdentity {
  key: string;
  cert: string;
  /** The CA to trust: pass as NODE_EXTRA_CA_CERTS. */
  certFile: string;
}

let cached: TlsIdentity | undefined;

export function tlsIdentity(): TlsIdentity {
  if (cached && existsSync(cached.certFile)) return cached;
  const { cert, key } = issueCert({ days: 30 });
  cached = { key, cert, certFile: testCa().caFile };
  return cached;
}
