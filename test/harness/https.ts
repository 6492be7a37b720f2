/**
 * Local HTTP and HTTPS servers for tests, with a throwaway certificate authority generated at
 * test time by the `openssl` CLI (no certificates are committed). Hand `ca.caFile` to a bundle
 * as `NODE_EXTRA_CA_CERTS` so it trusts the servers exactly as it trusts a real site.
 *
 *   const server = await startTestServer({ tls: { days: 3 }, handler: (req, res) => res.end('ok') });
 *   await runAction('smoke-test', { inputs: { url: server.url }, env: { NODE_EXTRA_CA_CERTS: server.caFile } });
 *   expect(server.requests.length).toBe(1);
 *   await server.close();
 *
 * Faults: `hang()` never answers, `reset(req)` drops the connection, `slow(ms)` answers late.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCa {
  dir: string;
  /** PEM of the CA certificate: pass as NODE_EXTRA_CA_CERTS. */
  caFile: string;
  caKeyFile: string;
}

let ca: TestCa | undefined;
let serial = 1;

function openssl(args: string[], cwd: string): void {
  try {
    execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (error) {
    throw new Error(`openssl ${args[0]} failed: ${String((error as { stderr?: Buffer }).stderr ?? error)}`);
  }
}

/**
 * The process-wide test CA, created on first use in a temp dir. It goes, key and all, with
 * removeTestCa() — after every test file (test/setup.ts), since a test worker may be stopped
 * without an 'exit' event — or when a script's process exits.
 */
export function testCa(): TestCa {
  if (ca) return ca;
  const dir = mkdtempSync(join(tmpdir(), 'gantry-ca-'));
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem',
    '-days', '30', '-subj', '/CN=Gantry Test CA', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], dir);
  mkdirSync(join(dir, 'issued'));
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(
    join(dir, 'ca.cnf'),
    [
      '[ca]', 'default_ca = test', '[test]', 'dir = .', 'database = index.txt', 'new_certs_dir = issued', 'certificate = ca.pem',
      'private_key = ca.key', 'rand_serial = yes', 'default_md = sha256', 'policy = any', 'unique_subject = no', 'copy_extensions = copy', 'email_in_dn = no',
      '[any]', 'commonName = supplied',
    ].join('\n') + '\n',
  );
  ca = { dir, caFile: join(dir, 'ca.pem'), caKeyFile: join(dir, 'ca.key') };
  return ca;
}

/** Removes the test CA and everything it issued (a later testCa() makes a new one). */
export function removeTestCa(): void {
  if (ca) rmSync(ca.dir, { recursive: true, force: true });
  ca = undefined;
}

/** `YYMMDDHHMMSSZ` as `openssl ca -startdate/-enddate` wants it. */
function asn1Time(date: Date): string {
  return date.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
}

export interface CertOptions {
  /** Valid for this many days from now (default 90). */
  days?: number;
  /** Explicit validity window; an end in the past gives an expired certificate. */
  notBefore?: Date;
  notAfter?: Date;
  hosts?: string[];
}

/** A server certificate for localhost / 127.0.0.1 signed by the test CA. */
export function issueCert(options: CertOptions = {}): { cert: string; key: string; notAfter: Date } {
  const { dir } = testCa();
  const id = `leaf-${process.pid}-${serial++}`;
  const hosts = options.hosts ?? ['localhost', '127.0.0.1'];
  const san = hosts.map((h) => (/^[\d.]+$/.test(h) ? `IP:${h}` : `DNS:${h}`)).join(',');
  openssl(['req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', `${id}.key`, '-out', `${id}.csr`,
    '-subj', `/CN=${hosts[0]}`, '-addext', `subjectAltName=${san}`], dir);
  const notBefore = options.notBefore ?? new Date(Date.now() - 3_600_000);
  const notAfter = options.notAfter ?? new Date(Date.now() + (options.days ?? 90) * 86_400_000);
  openssl(['ca', '-batch', '-config', 'ca.cnf', '-notext', '-in', `${id}.csr`, '-out', `${id}.pem`,
    '-startdate', asn1Time(notBefore), '-enddate', asn1Time(notAfter)], dir);
  return { cert: readFileSync(join(dir, `${id}.pem`), 'utf8'), key: readFileSync(join(dir, `${id}.key`), 'utf8'), notAfter };
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  at: number;
}

export type Handler = (req: IncomingMessage & { body: string }, res: ServerResponse, info: { count: number; pathCount: number }) => unknown;

export interface TestServer {
  /** Base URL without a trailing slash, e.g. `https://127.0.0.1:41234`. */
  url: string;
  port: number;
  /** The CA that signed the certificate (also set for plain HTTP, harmlessly). */
  caFile: string;
  /** Every request that reached the server, in order. */
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export interface ServerOptions {
  /** HTTPS with a certificate from the test CA; `true` = valid 90 days. */
  tls?: boolean | CertOptions;
  handler: Handler;
  host?: string;
}

export async function startTestServer(options: ServerOptions): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const perPath = new Map<string, number>();
  const sockets = new Set<Socket>();
  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '/';
      requests.push({ method: req.method ?? 'GET', path, headers: req.headers, body, at: Date.now() });
      const bare = path.split('?')[0]!;
      perPath.set(bare, (perPath.get(bare) ?? 0) + 1);
      Promise.resolve(options.handler(Object.assign(req, { body }), res, { count: requests.length, pathCount: perPath.get(bare)! })).catch((error) => {
        if (!res.headersSent) res.writeHead(500);
        res.end(String(error));
      });
    });
  };
  const caFile = testCa().caFile;
  const server = options.tls
    ? createHttpsServer(issueCert(options.tls === true ? {} : options.tls), listener)
    : createHttpServer(listener);
  server.keepAliveTimeout = 2000;
  server.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  // A client that gives up on a bad certificate makes the TLS socket error; that is expected.
  server.on('tlsClientError', () => {});
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `${options.tls ? 'https' : 'http'}://${host}:${port}`,
    port,
    caFile,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Fault helpers for handlers. */
export const fault = {
  /** Never answers (the client's timeout has to end it). */
  hang(): void {},
  /** Drops the connection without an answer (ECONNRESET / "socket hang up" for the client). */
  reset(req: IncomingMessage): void {
    req.socket.destroy();
  },
  /** Answers after `ms`. */
  slow(res: ServerResponse, ms: number, status = 200, body = 'ok', headers: Record<string, string> = {}): void {
    setTimeout(() => {
      if (!res.destroyed) {
        res.writeHead(status, headers);
        res.end(body);
      }
    }, ms);
  },
};

/** A port on loopback with nothing listening (connection refused). */
export async function closedPort(): Promise<number> {
  const server = createHttpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
