/**
 * A tiny HTTP proxy in front of s3rver that speaks nothing itself: it forwards every request
 * unchanged (so SigV4 signatures stay valid) and can hold or fail multipart part uploads.
 */
import { createServer, request, type IncomingMessage, type Server } from 'node:http';

export interface ProxyControls {
  endpoint: string;
  /** Requests seen, as "METHOD kind" (kind: create, part, complete, abort, put, get, list, delete, other). */
  seen: string[];
  /** Fail (HTTP 500) every UploadPart after this many have succeeded. */
  failPartsAfter?: number;
  /** Fail (HTTP 500) the first request for each of these part numbers: a transient fault. */
  failPartsOnce?: number[];
  /** Hold every UploadPart whose part number is > this until release() is called. */
  holdPartsAfter?: number;
  release(): void;
  close(): Promise<void>;
}

function kind(req: IncomingMessage): string {
  const url = new URL(req.url ?? '/', 'http://x');
  const q = url.searchParams;
  if (req.method === 'POST' && q.has('uploads')) return 'create';
  if (req.method === 'PUT' && q.has('uploadId')) return 'part';
  if (req.method === 'POST' && q.has('uploadId')) return 'complete';
  if (req.method === 'DELETE' && q.has('uploadId')) return 'abort';
  if (req.method === 'POST' && q.has('delete')) return 'delete';
  if (req.method === 'PUT') return 'put';
  if (req.method === 'GET' && (q.has('list-type') || url.pathname.split('/').filter(Boolean).length <= 1)) return 'list';
  if (req.method === 'GET') return 'get';
  return 'other';
}

export async function startS3Proxy(target: string): Promise<ProxyControls> {
  const upstream = new URL(target);
  let parts = 0;
  const failedOnce = new Set<number>();
  let releaseHeld: () => void = () => undefined;
  let held = new Promise<void>((r) => (releaseHeld = r));
  const controls: ProxyControls = {
    endpoint: '',
    seen: [],
    // Let the held parts go; the next hold is a fresh one (it used to start released, so a later
    // test's parts were never held at all).
    release: () => {
      releaseHeld();
      held = new Promise<void>((r) => (releaseHeld = r));
    },
    close: () => new Promise((r) => { server.closeAllConnections(); server.close(() => r()); }),
  };
  const server: Server = createServer(async (req, res) => {
    const k = kind(req);
    controls.seen.push(`${req.method} ${k}`);
    if (k === 'part') {
      parts++;
      const n = parts;
      const partNumber = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('partNumber'));
      const once = controls.failPartsOnce?.includes(partNumber) && !failedOnce.has(partNumber);
      if (once) failedOnce.add(partNumber);
      if (once || (controls.failPartsAfter !== undefined && n > controls.failPartsAfter)) {
        // Read the part in full first, as S3 does, so the client sees the 500 and not a reset.
        req.resume();
        await new Promise((r) => req.once('end', r));
        res.writeHead(500, { 'content-type': 'application/xml' });
        res.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code><Message>injected by the test proxy</Message></Error>');
        return;
      }
      if (controls.holdPartsAfter !== undefined && partNumber > controls.holdPartsAfter) await held;
    }
    const forward = request(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      },
    );
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  controls.endpoint = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return controls;
}
