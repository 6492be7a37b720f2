/**
 * The HTTP plumbing the AWS stand-ins share (ECS over awsJson1_1, ELBv2 over the Query protocol):
 * a loopback server on a free port, the request body read, every Authorization header kept (so a
 * test can check the secret key never travels), hung requests released on close.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export abstract class AwsStandInServer {
  url = '';
  /** Every request's Authorization header. */
  readonly authorizations: string[] = [];
  private server?: Server;
  private readonly hung = new Set<ServerResponse>();

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.receive(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    for (const res of this.hung) res.destroy();
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** Leaves a request unanswered (a hung endpoint) until the client gives up or the stand-in closes. */
  protected hang(res: ServerResponse): void {
    this.hung.add(res);
    res.on('close', () => this.hung.delete(res));
  }

  /** Answers one request; `body` is the raw request body. */
  protected abstract handle(req: IncomingMessage, body: string, res: ServerResponse): void | Promise<void>;

  private async receive(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    if (req.headers.authorization) this.authorizations.push(String(req.headers.authorization));
    await this.handle(req, Buffer.concat(chunks).toString('utf8'), res);
  }
}
