/**
 * Reads a health endpoint's answer. Understands:
 * - `application/health+json` (draft-inadarei-api-health-check): `status` pass|ok|up / warn /
 *   fail|error|down, and a `checks` map of `"component:measurement": [{status, output, …}]`;
 * - the common `{status: healthy|degraded|unhealthy}` (ASP.NET `entries`, Spring `components`
 *   with UP/DOWN/OUT_OF_SERVICE, and `checks`/`details` maps of components with a `status`).
 * Degraded/warn is a warning; fail/unhealthy/down is a failure, and the failing components
 * are named.
 */
export type HealthLevel = 'pass' | 'warn' | 'fail';

export interface HealthReading {
  status: HealthLevel;
  /** The status exactly as the endpoint said it. */
  said?: string;
  /** Components that fail, with their output when given: `db (connection refused)`. */
  failing: string[];
  /** Components that warn. */
  warning: string[];
  /** Set when the answer could not be read as a health document. */
  problem?: string;
}

export function healthLevel(status: unknown): HealthLevel | undefined {
  if (typeof status === 'boolean') return status ? 'pass' : 'fail';
  if (typeof status !== 'string') return undefined;
  const s = status.trim().toLowerCase().replace(/[\s-]+/g, '_');
  if (['pass', 'ok', 'up', 'healthy', 'green', 'available', 'ready', 'serving'].includes(s)) return 'pass';
  if (['warn', 'warning', 'degraded', 'yellow', 'partial'].includes(s)) return 'warn';
  if (['fail', 'error', 'down', 'unhealthy', 'red', 'out_of_service', 'unavailable', 'not_serving', 'critical'].includes(s)) return 'fail';
  return undefined;
}

const worst = (a: HealthLevel, b: HealthLevel): HealthLevel => (a === 'fail' || b === 'fail' ? 'fail' : a === 'warn' || b === 'warn' ? 'warn' : 'pass');

function describe(name: string, entry: Record<string, unknown>): string {
  const detail = entry.output ?? entry.description ?? entry.error ?? entry.message ?? entry.exception;
  const text = typeof detail === 'string' ? detail : detail && typeof detail === 'object' ? JSON.stringify(detail) : undefined;
  return text ? `${name} (${text.length > 120 ? `${text.slice(0, 119)}…` : text})` : name;
}

/** Components from `checks` / `components` / `entries` / `details` maps. */
function components(doc: Record<string, unknown>): Array<{ name: string; level: HealthLevel; label: string }> {
  const out: Array<{ name: string; level: HealthLevel; label: string }> = [];
  for (const key of ['checks', 'components', 'entries', 'details', 'services', 'dependencies']) {
    const map = doc[key];
    if (!map || typeof map !== 'object') continue;
    const entries: Array<[string, unknown]> = Array.isArray(map)
      ? map.map((e, i) => [String((e as Record<string, unknown>)?.name ?? (e as Record<string, unknown>)?.componentId ?? i), e])
      : Object.entries(map);
    for (const [name, value] of entries) {
      // health+json: each key holds an array of measurements (one per component instance).
      const items = Array.isArray(value) ? value : [value];
      for (const item of items) {
        if (!item || typeof item !== 'object') {
          const level = healthLevel(item);
          if (level) out.push({ name, level, label: name });
          continue;
        }
        const entry = item as Record<string, unknown>;
        const level = healthLevel(entry.status ?? entry.state ?? entry.healthy);
        if (!level) continue;
        const id = typeof entry.componentId === 'string' && items.length > 1 ? `${name}[${entry.componentId}]` : name;
        out.push({ name: id, level, label: describe(id, entry) });
      }
    }
  }
  return out;
}

export function readHealth(body: string): HealthReading {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    const plain = healthLevel(body.trim().slice(0, 40));
    if (plain) return { status: plain, said: body.trim(), failing: [], warning: [] };
    return { status: 'fail', failing: [], warning: [], problem: `the health answer is not JSON (starts with ${JSON.stringify(body.slice(0, 60))})` };
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) {
    return { status: 'fail', failing: [], warning: [], problem: 'the health answer is not a JSON object with a status' };
  }
  const d = doc as Record<string, unknown>;
  const said = d.status ?? d.state ?? d.health ?? d.healthy;
  const top = healthLevel(said);
  const parts = components(d);
  const failing = parts.filter((p) => p.level === 'fail').map((p) => p.label);
  const warning = parts.filter((p) => p.level === 'warn').map((p) => p.label);
  if (!top && parts.length === 0) {
    return { status: 'fail', failing, warning, problem: `the health answer has no status this check understands (got ${JSON.stringify(said ?? null)})` };
  }
  // The top-level status is authoritative; a failing component under a passing service is
  // reported as a warning (it may be a non-critical dependency).
  let status: HealthLevel = top ?? parts.reduce<HealthLevel>((acc, p) => worst(acc, p.level), 'pass');
  if (status === 'pass' && (failing.length || warning.length)) status = 'warn';
  return { status, said: typeof said === 'string' ? said : said === undefined ? undefined : String(said), failing, warning };
}
