/**
 * Every secret is masked before anything can print it, in each form it may take on the way
 * out: URL- and form-encoded, base64 / base64url (also when embedded in a longer encoded
 * string, e.g. `Basic user:pass`), hex, JSON-escaped, and the password inside a URL.
 * The runner masks only the exact strings it is told; `redact()` is applied by us to every
 * log line, output, summary and error, so nothing depends on the runner's masker.
 */
import { mask } from './runner.js';

const known = new Set<string>();
let ordered: string[] = [];

/** Forms shorter than this are not masked on their own: masking `ab` everywhere would garble logs. */
const MIN_FRAGMENT = 6;

function base64Forms(bytes: Buffer): string[] {
  const forms: string[] = [];
  for (const shift of [0, 1, 2]) {
    // The secret's bytes at each of the three alignments; drop the characters that mix in
    // neighbouring bytes so the core is what appears inside any longer base64 text.
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64').replace(/=+$/, '');
    const head = shift === 0 ? 0 : 4;
    const tailBytes = (shift + bytes.length) % 3;
    const core = encoded.slice(head, tailBytes === 0 ? undefined : -(tailBytes + 1));
    forms.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  const full = bytes.toString('base64');
  forms.push(full, full.replace(/=+$/, ''), bytes.toString('base64url'));
  return forms;
}

export function derivedForms(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const forms = [
    value,
    encodeURIComponent(value),
    encodeURIComponent(value).replace(/%20/g, '+'),
    encodeURI(value),
    JSON.stringify(value).slice(1, -1),
    bytes.toString('hex'),
    bytes.toString('hex').toUpperCase(),
    ...base64Forms(bytes),
  ];
  return forms;
}

/** Registers a secret (and its derived forms) with the runner's masker and with `redact()`. */
export function registerSecret(value: string | undefined): void {
  if (!value) return;
  const forms = new Set<string>([value]);
  for (const form of derivedForms(value)) if (form.length >= MIN_FRAGMENT) forms.add(form);
  // A URL carrying credentials: the password (raw and decoded) and the userinfo as Basic auth.
  for (const password of urlPasswords(value)) {
    for (const form of derivedForms(password)) if (form.length >= MIN_FRAGMENT || form === password) forms.add(form);
  }
  for (const form of forms) {
    if (known.has(form) || form.trim() === '') continue;
    known.add(form);
    mask(form);
  }
  ordered = [...known].sort((a, b) => b.length - a.length);
}

function urlPasswords(value: string): string[] {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) return [];
  try {
    const url = new URL(value);
    if (!url.password) return [];
    const decoded = decodeURIComponent(url.password);
    const user = decodeURIComponent(url.username);
    return [...new Set([url.password, decoded, `${user}:${decoded}`])];
  } catch {
    return [];
  }
}

export function redact(text: string): string {
  if (!text || ordered.length === 0) return text;
  let out = text;
  for (const secret of ordered) if (out.includes(secret)) out = out.split(secret).join('***');
  return out;
}

/** For tests: forget every registered secret. */
export function clearSecrets(): void {
  known.clear();
  ordered = [];
}
