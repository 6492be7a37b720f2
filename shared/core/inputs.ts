/**
 * Typed inputs. Each action declares its inputs once; `readInputs` masks secrets, parses every
 * value and fails with one error that names each bad input and says how to fix it — before the
 * action touches anything. Secret values are never echoed, only their shape.
 */
import type { z } from 'zod';
import { ConfigurationError, InvalidValue } from './errors.js';
import { parseDuration } from './duration.js';
import { getInput } from './runner.js';
import { registerSecret } from './secrets.js';

import { parseYamlWith, YamlProblem } from './yaml.js';

export { InvalidValue, parseYamlWith, YamlProblem };

export interface InputDef<T> {
  parse(raw: string): T;
  secret?: boolean;
}

type Camel<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<Camel<T>>}` : S;
export type Inputs<D extends Record<string, InputDef<unknown>>> = {
  [K in keyof D as Camel<K & string>]: D[K] extends InputDef<infer T> ? T : never;
};

const camel = (s: string) => s.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** The URL, or undefined when the text is not one. */
export function tryParseUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

export function shown(raw: string): string {
  return JSON.stringify(raw.length > 80 ? `${raw.slice(0, 77)}...` : raw);
}

/** A cross-field problem: the input to annotate, and a whole sentence ("Input 'x' is required with …"). */
export interface InputProblem {
  input: string;
  message: string;
}

/**
 * Reads every input of the schema. `check` adds cross-field checks in the same pass: it gets the
 * values that parsed and the names of those that did not (undefined in `values`, already reported:
 * a check that needs one of them should say nothing), and every problem, per input and
 * cross-field, is reported at once in one error.
 */
export function readInputs<D extends Record<string, InputDef<unknown>>>(
  defs: D,
  check?: (values: Inputs<D>, malformed: ReadonlySet<string>) => InputProblem[],
): Inputs<D> {
  for (const [name, def] of Object.entries(defs)) if (def.secret) registerSecret(getInput(name));
  const values: Record<string, unknown> = {};
  const problems: Array<{ input: string; message: string; line?: number }> = [];
  for (const [name, def] of Object.entries(defs)) {
    try {
      values[camel(name)] = def.parse(getInput(name));
    } catch (error) {
      if (!(error instanceof InvalidValue)) throw error;
      const line = error instanceof YamlProblem ? error.line : undefined;
      const where = line !== undefined && !/\(lines? \d/.test(error.message) ? ` (line ${line} of the value)` : '';
      problems.push({ input: name, message: `Input '${name}' ${error.message}${where}`, line });
    }
  }
  if (check) {
    const reported = new Set(problems.map((p) => p.input));
    problems.push(...check(values as Inputs<D>, reported).filter((p) => !reported.has(p.input)));
  }
  if (problems.length) {
    throw new ConfigurationError(problems.map((p) => p.message).join('\n'), { input: problems[0]!.input, inputLine: problems[0]!.line });
  }
  return values as Inputs<D>;
}

interface Common<T> {
  default?: T;
  required?: boolean;
}

function withDefault<T>(raw: string, o: Common<T>, fallbackHint: string, parse: (raw: string) => T): T {
  if (raw === '') {
    if (o.default !== undefined) return o.default;
    if (o.required) throw new InvalidValue(`is required: ${fallbackHint}`);
    return undefined as T;
  }
  return parse(raw);
}

export const input = {
  string(o: Common<string> & { pattern?: RegExp; hint?: string } = {}): InputDef<string> {
    const hint = o.hint ?? 'give a value';
    return {
      parse: (raw) =>
        withDefault(raw, o, hint, (v) => {
          if (o.pattern && !o.pattern.test(v)) throw new InvalidValue(`is ${shown(v)}: ${hint}`);
          return v;
        }),
    };
  },

  secret(o: { required?: boolean; hint?: string; pattern?: RegExp } = {}): InputDef<string | undefined> {
    const hint = o.hint ?? 'pass it from a secret, e.g. ${{ secrets.NAME }}';
    return {
      secret: true,
      parse: (raw) =>
        withDefault(raw, o, hint, (v) => {
          if (o.pattern && !o.pattern.test(v)) throw new InvalidValue(`(a secret of ${v.length} characters, not shown) is malformed: ${hint}`);
          return v;
        }),
    };
  },

  /** The toolkit's booleans (core.getBooleanInput): true, True, TRUE, false, False, FALSE — nothing else. */
  boolean(defaultValue: boolean): InputDef<boolean> {
    return {
      parse: (raw) => {
        if (raw === '') return defaultValue;
        if (['true', 'True', 'TRUE'].includes(raw)) return true;
        if (['false', 'False', 'FALSE'].includes(raw)) return false;
        const yamlish = /^(yes|no|on|off|y|n|1|0)$/i.test(raw);
        throw new InvalidValue(`is ${shown(raw)}: use true or false${yamlish ? ` (${raw} is not read as a boolean, as in GitHub's own actions)` : ''}`);
      },
    };
  },

  /** Milliseconds. */
  duration(o: Common<string> & { min?: number; max?: number } = {}): InputDef<number> {
    const hint = 'use a duration such as 250ms, 90s, 5m or 1h (a bare number is seconds)';
    return {
      parse: (raw) => {
        const text = raw === '' ? o.default : raw;
        if (text === undefined) {
          if (o.required) throw new InvalidValue(`is required: ${hint}`);
          return undefined as unknown as number;
        }
        const ms = parseDuration(text);
        if (ms === undefined) throw new InvalidValue(`is ${shown(raw)}: ${hint}`);
        if (o.min !== undefined && ms < o.min) throw new InvalidValue(`is ${shown(raw)}: use at least ${o.min}ms`);
        if (o.max !== undefined && ms > o.max) throw new InvalidValue(`is ${shown(raw)}: use at most ${o.max / 1000}s`);
        return ms;
      },
    };
  },

  integer(o: Common<number> & { min?: number; max?: number } = {}): InputDef<number> {
    const range = `a whole number${o.min !== undefined ? ` from ${o.min}` : ''}${o.max !== undefined ? ` to ${o.max}` : ''}`;
    return {
      parse: (raw) =>
        withDefault(raw, o, `use ${range}`, (v) => {
          const n = Number(v);
          if (!/^-?\d+$/.test(v) || (o.min !== undefined && n < o.min) || (o.max !== undefined && n > o.max)) {
            throw new InvalidValue(`is ${shown(v)}: use ${range}`);
          }
          return n;
        }),
    };
  },

  /** A fraction: `5%` or `0.05`. */
  percent(o: Common<number> = {}): InputDef<number> {
    const hint = 'use a percentage such as 5% (or a fraction such as 0.05)';
    return {
      parse: (raw) =>
        withDefault(raw, o, hint, (v) => {
          const m = /^(\d+(?:\.\d+)?)\s*(%?)$/.exec(v);
          const n = m ? Number(m[1]) / (m[2] ? 100 : 1) : NaN;
          if (!(n >= 0 && n <= 1)) throw new InvalidValue(`is ${shown(v)}: ${hint}`);
          return n;
        }),
    };
  },

  choice<const C extends string>(choices: readonly C[], o: Common<C> = {}): InputDef<C> {
    const hint = `use one of ${choices.join(', ')}`;
    return {
      parse: (raw) =>
        withDefault(raw, o, hint, (v) => {
          const found = choices.find((c) => c.toLowerCase() === v.toLowerCase());
          if (!found) throw new InvalidValue(`is ${shown(v)}: ${hint}`);
          return found;
        }),
    };
  },

  url(o: Common<string> & { protocols?: string[]; secret?: boolean } = {}): InputDef<string> {
    const protocols = o.protocols ?? ['http:', 'https:'];
    const hint = `use an absolute ${protocols.map((p) => p.replace(':', '')).join(' or ')} URL`;
    return {
      secret: o.secret,
      parse: (raw) =>
        withDefault(raw, o, hint, (v) => {
          const url = tryParseUrl(v);
          if (!url || !protocols.includes(url.protocol)) {
            const what = o.secret ? `(a secret value, not shown)` : shown(v);
            throw new InvalidValue(`is ${what}: ${hint}`);
          }
          return v;
        }),
    };
  },

  /** One item per line; commas also separate. Empty lines and `#` comments are ignored. */
  list<T = string>(o: Common<T[]> & { item?: (s: string) => T; hint?: string } = {}): InputDef<T[]> {
    return {
      parse: (raw) =>
        withDefault(raw, o, o.hint ?? 'give one value per line', (v) => {
          const items = v
            .split(/\r?\n/)
            .map((l) => l.replace(/\s+#.*$/, '').trim())
            .filter((l) => l && !l.startsWith('#'))
            .flatMap((l) => l.split(','))
            .map((s) => s.trim())
            .filter(Boolean);
          return items.map((s) => {
            if (!o.item) return s as T;
            try {
              return o.item(s);
            } catch (error) {
              if (error instanceof InvalidValue) throw new InvalidValue(`has ${shown(s)}: ${error.message}`);
              throw error;
            }
          });
        }),
    };
  },

  /** Structured YAML validated by a zod schema: give a function that builds it to build it only when the input is given. */
  yaml<S extends z.ZodType>(schema: S | (() => S), o: Common<z.output<S>> & { hint?: string } = {}): InputDef<z.output<S>> {
    return {
      parse: (raw) =>
        withDefault(raw, o, o.hint ?? 'give YAML', (v) => parseYamlWith(typeof schema === 'function' ? schema() : schema, v).value),
    };
  },
};
