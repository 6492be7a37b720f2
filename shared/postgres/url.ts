/**
 * The `database-url` input of every action that talks to PostgreSQL. A malformed value is
 * refused with what is wrong with it (the scheme, a missing host, a bad port, a password that
 * needs percent-encoding) — never with the value, which holds a password.
 */
import { InvalidValue, type InputDef } from '../core/inputs.js';

const EXAMPLE = 'postgres://user:password@host:5432/database';
const SECRET = '(a secret, not shown)';

/** What is wrong with a PostgreSQL URL, or undefined when it is usable. */
export function databaseUrlProblem(raw: string, o: { requireDatabase?: boolean } = {}): string | undefined {
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(raw)?.[1];
  if (!scheme) {
    if (/^\s*\w+\s*=/.test(raw)) return `${SECRET} is a key=value connection string: use the URL form ${EXAMPLE}`;
    return `${SECRET} is not a URL (no scheme such as postgres://): use ${EXAMPLE}`;
  }
  if (!/^postgres(ql)?$/i.test(scheme)) return `${SECRET} uses the scheme ${scheme}:// — use postgres:// or postgresql://, e.g. ${EXAMPLE}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return `${SECRET} cannot be read as a URL: ${unreadable(raw.slice(scheme.length + 3))}`;
  }
  if (!url.hostname && !url.searchParams.get('host')) return `${SECRET} has no host: use ${EXAMPLE}`;
  if (o.requireDatabase && (url.pathname === '' || url.pathname === '/')) return `${SECRET} names no database: add /<database> after the host, e.g. ${EXAMPLE}`;
  return undefined;
}

/** Why the part after `postgres://` is not a URL. */
function unreadable(rest: string): string {
  const host = rest.slice(rest.lastIndexOf('@') + 1).split(/[/?#]/)[0]!;
  if (host === '' || host.startsWith(':')) return `it has no host; use ${EXAMPLE}`;
  const port = /:([^:\]]*)$/.exec(host)?.[1];
  if (port !== undefined && !(/^\d+$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)) return 'the port is not a number from 1 to 65535';
  return 'characters such as # ? / % @ or spaces in the user name or password must be percent-encoded (e.g. # as %23, / as %2F)';
}

/** The `database-url` input: a secret, checked for shape; undefined when not given (unless required). */
export function databaseUrlInput(o: { required: true; requireDatabase?: boolean }): InputDef<string>;
export function databaseUrlInput(o?: { required?: false; requireDatabase?: boolean }): InputDef<string | undefined>;
export function databaseUrlInput(o: { required?: boolean; requireDatabase?: boolean } = {}): InputDef<string | undefined> {
  return {
    secret: true,
    parse: (raw) => {
      if (raw === '') {
        if (o.required) throw new InvalidValue(`is required: pass it from a secret, e.g. \${{ secrets.DATABASE_URL }} (${EXAMPLE})`);
        return undefined;
      }
      const problem = databaseUrlProblem(raw, o);
      if (problem) throw new InvalidValue(problem);
      return raw;
    },
  };
}

/** Host and port a URL points at (never the user or password), for messages. */
export function hostAndPort(url: string): { host: string; port: number } {
  try {
    const u = new URL(url);
    const host = u.hostname || u.searchParams.get('host') || 'localhost';
    return { host, port: Number(u.port || u.searchParams.get('port') || 5432) };
  } catch {
    return { host: '(unparseable URL)', port: 5432 };
  }
}
