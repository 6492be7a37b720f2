/**
 * A small web app for smoke-test tests, the demo and the benchmark: an HTML home page with good
 * security headers, a JSON API, a health endpoint, and switches to break it.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export const SECURE_HEADERS = {
  'strict-transport-security': 'max-age=63072000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'content-security-policy': "default-src 'self'; frame-ancestors 'none'",
  'x-frame-options': 'DENY',
};

export interface AppState {
  /** health+json status and component statuses. */
  health: 'pass' | 'warn' | 'fail';
  /** Required `x-vercel-protection-bypass` value; requests without it get 401 (like Vercel). */
  bypass?: string;
  /** Version string the API reports. */
  version: string;
  /** Extra latency on every answer. */
  delayMs: number;
}

export function demoApp(state: Partial<AppState> = {}): { state: AppState; handler: (req: IncomingMessage & { body: string }, res: ServerResponse) => void } {
  const s: AppState = { health: 'pass', version: '1.4.2', delayMs: 0, ...state };
  const handler = (req: IncomingMessage & { body: string }, res: ServerResponse) => {
    const send = (status: number, type: string, body: string, extra: Record<string, string> = {}) => {
      const go = () => {
        res.writeHead(status, { 'content-type': type, ...SECURE_HEADERS, ...extra });
        res.end(body);
      };
      if (s.delayMs) setTimeout(go, s.delayMs);
      else go();
    };
    if (s.bypass !== undefined && req.headers['x-vercel-protection-bypass'] !== s.bypass) {
      return send(401, 'text/html', '<h1>Authentication Required</h1>');
    }
    const path = (req.url ?? '/').split('?')[0];
    switch (path) {
      case '/':
        return send(200, 'text/html; charset=utf-8', `<!doctype html><title>Shop</title><h1>Welcome to the shop</h1><footer>v${s.version}</footer>`);
      case '/api/version':
        return send(200, 'application/json', JSON.stringify({ version: s.version, build: { sha: 'abc1234', ok: true } }));
      case '/api/health': {
        const db = s.health === 'fail' ? { status: 'fail', output: 'connection refused' } : { status: 'pass' };
        const cache = s.health === 'warn' ? { status: 'warn', output: 'hit rate 12%' } : { status: 'pass' };
        return send(s.health === 'fail' ? 503 : 200, 'application/health+json', JSON.stringify({ status: s.health, version: s.version, checks: { 'postgres:connections': [db], 'redis:hitRate': [cache] } }));
      }
      case '/api/orders':
        if (req.method !== 'POST') return send(405, 'application/json', '{"error":"method not allowed"}');
        try {
          const order = JSON.parse(req.body) as { sku?: string };
          return send(201, 'application/json', JSON.stringify({ id: 17, status: 'created', items: [{ sku: order.sku }] }));
        } catch {
          return send(400, 'application/json', '{"error":"bad json"}');
        }
      default:
        return send(404, 'text/html', '<h1>Not found</h1>');
    }
  };
  return { state: s, handler };
}
