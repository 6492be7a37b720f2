/** The `headers` input: `Name: value` per line (or a JSON object). Values are secrets: never echoed. */
import { InvalidValue } from '../core/inputs.js';
import { registerSecret } from '../core/secrets.js';

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Parses and registers every value as a secret. Throws InvalidValue without showing any value. */
export function parseHeaderLines(raw: string): Record<string, string> {
  const headers: Record<string, string> = {};
  if (raw.trim() === '') return headers;
  if (raw.trim().startsWith('{')) {
    let doc: unknown;
    try {
      doc = JSON.parse(raw);
    } catch {
      throw new InvalidValue('looks like JSON but does not parse (values not shown): use one `Name: value` per line, or a JSON object of strings');
    }
    if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new InvalidValue('must be a JSON object of header names to values');
    for (const [name, value] of Object.entries(doc)) {
      if (typeof value !== 'string' && typeof value !== 'number') throw new InvalidValue(`header "${name.slice(0, 60)}" must have a string value`);
      maskValue(String(value));
      add(headers, name, String(value), undefined);
    }
    return headers;
  }
  raw.split(/\r?\n/).forEach((line, i) => {
    const text = line.trim();
    if (!text || text.startsWith('#')) return;
    const colon = text.indexOf(':');
    if (colon <= 0) throw new InvalidValue(`line ${i + 1} is not \`Name: value\` (content not shown): write one header per line, e.g. x-vercel-protection-bypass: \${{ secrets.VERCEL_BYPASS }}`);
    const value = text.slice(colon + 1).trim();
    maskValue(value);
    add(headers, text.slice(0, colon).trim(), value, i + 1);
  });
  return headers;
}

function add(headers: Record<string, string>, name: string, value: string, line: number | undefined): void {
  const where = line ? `line ${line}: ` : '';
  if (!HEADER_NAME.test(name)) throw new InvalidValue(`${where}"${name.slice(0, 60)}" is not a valid header name: use letters, digits and dashes, e.g. x-vercel-protection-bypass`);
  if (value === '') throw new InvalidValue(`${where}header ${name} has an empty value: is the secret set in this repository/environment?`);
  if (/[\r\n\0]/.test(value)) throw new InvalidValue(`${where}header ${name} has a control character in its value`);
  headers[name.toLowerCase()] = value;
}

/**
 * Masks a header value. Flags such as `x-vercel-set-bypass-cookie: true` are not secrets, and
 * masking `true` or `1` would garble every log line, so those few words are left alone.
 */
function maskValue(value: string): void {
  if (/^(true|false|yes|no|on|off|samesitenone|\d{1,3})$/i.test(value)) return;
  registerSecret(value);
}
