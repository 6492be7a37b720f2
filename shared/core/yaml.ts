/**
 * Structured inputs and files in YAML: parsed once, validated by a schema, and every problem
 * reported on the line where it is written, in plain words rather than the parser's.
 */
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import type { Document, LineCounter, YAMLError } from 'yaml';
import type { z } from 'zod';
import { InvalidValue } from './errors.js';

let parser: typeof Yaml | undefined;

/**
 * The YAML parser, evaluated on first use: ~9 ms of every cold start that a run without YAML
 * inputs does not need. A synchronous require (ncc bundles it into the same chunk, unevaluated
 * until called) keeps readInputs synchronous; from source (tests, scripts) Node's own require.
 */
export function yaml(): typeof Yaml {
  return (parser ??= (typeof require === 'function' ? require('yaml') : createRequire(import.meta.url)('yaml')) as typeof Yaml);
}

/** A YAML problem: an InvalidValue (for inputs) that also carries the line of the YAML text. */
export class YamlProblem extends InvalidValue {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
  }
}

/** The parser's error codes, in words a person who wrote the YAML understands. */
const PLAIN: Record<string, string> = {
  BLOCK_AS_IMPLICIT_KEY: "two 'key: value' pairs on one line, or a line indented more than the ones around it: give each key its own line, lined up with the others",
  MULTILINE_IMPLICIT_KEY: "a key runs over more than one line: is a ':' missing after a key, or is a line indented differently from the ones around it?",
  MISSING_CHAR: 'a closing quote or bracket is missing',
  BAD_INDENT: 'the indentation is off, or a bracket is not closed: line the items of a list or map up in one column',
  DUPLICATE_KEY: 'the same key is given twice in one item',
  BAD_SCALAR_START: 'a value starts with a character YAML reserves (such as @ or `): put the value in quotes',
  TAB_AS_INDENT: 'a tab is used to indent: use spaces',
  UNEXPECTED_TOKEN: "unexpected text: check the indentation and that each key ends with ':'",
};

/** The first syntax error of a document, as a YamlProblem on its line. */
export function syntaxProblem(errors: YAMLError[], lines: LineCounter): YamlProblem {
  // When both are reported, the multi-line key explains the mistake better than the compact mapping.
  const error = errors.find((e) => e.code === 'MULTILINE_IMPLICIT_KEY') ?? errors[0]!;
  const from = lines.linePos(error.pos[0]).line;
  const to = lines.linePos(error.pos[1]).line;
  const where = to > from ? `lines ${from}–${to}` : `line ${from}`;
  const what = PLAIN[error.code] ?? error.message.split('\n')[0]!;
  return new YamlProblem(`is not valid YAML (${where}): ${what}`, from);
}

/** The line of the node at `path` (the key's line for a map entry), or of its nearest parent. */
export function lineOfPath(doc: Document, lines: LineCounter, path: ReadonlyArray<PropertyKey>): number | undefined {
  const { isMap } = yaml();
  for (let n = path.length; n >= 0; n--) {
    const parent = n > 0 ? doc.getIn(path.slice(0, n - 1), true) : undefined;
    const last = path[n - 1];
    const key = isMap(parent) && typeof last === 'string' ? parent.items.find((p) => (p.key as { value?: unknown } | null)?.value === last)?.key : undefined;
    const node = key ?? (n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true));
    const offset = (node as { range?: [number, number, number] } | null | undefined)?.range?.[0];
    if (offset !== undefined) return lines.linePos(offset).line;
  }
  return undefined;
}

/** `[2].expect-status` for a schema issue's path. */
export function showPath(path: ReadonlyArray<PropertyKey>): string {
  return path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '');
}

/** Parses YAML text against a schema; a problem says where (line) and what is wrong. */
export function parseYamlWith<S extends z.ZodType>(schema: S, text: string): { value: z.output<S> } {
  const { LineCounter, parseDocument } = yaml();
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length) throw syntaxProblem(doc.errors, lines);
  const result = schema.safeParse(doc.toJS());
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const at = showPath(issue.path);
    throw new YamlProblem(`${at ? `at ${at} ` : ''}is invalid: ${issue.message}`, lineOfPath(doc, lines, issue.path));
  }
  return { value: result.data };
}
