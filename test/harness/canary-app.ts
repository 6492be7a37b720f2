/** A canary or stable app for canary-shift tests: a local HTTP server whose error rate and latency the test sets. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type CanaryApp = { url: string; server: Server; errorEvery: number; delayMs: number; hits: number };

/** `errorEvery: n` answers every n-th request 500 (10 = 10 % errors); `delayMs` delays every answer. */
export async function startCanaryApp(): Promise<CanaryApp> {
  const a: CanaryApp = { url: '', server: undefined as unknown as Server, errorEvery: 0, delayMs: 0, hits: 0 };
  a.server = createServer((_req, res) => {
    a.hits++;
    const fail = a.errorEvery > 0 && a.hits % a.errorEvery === 0;
    setTimeout(() => {
      res.writeHead(fail ? 500 : 200, { 'content-type': 'text/plain' });
      res.end(fail ? 'boom' : 'ok');
    }, a.delayMs);
  });
  await new Promise<void>((r) => a.server.listen(0, '127.0.0.1', r));
  a.url = `http://127.0.0.1:${(a.server.address() as AddressInfo).port}`;
  return a;
}
