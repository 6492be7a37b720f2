/**
 * `${{ }}` evaluation with GitHub's own expression engine (@actions/expressions) over the tokens
 * GitHub's workflow parser produced (@actions/workflow-parser). A string with several `${{ }}`
 * parts is already one `format(...)` expression in the parsed template.
 */
import { data, Evaluator, Lexer, Parser } from '@actions/expressions';
import { isBasicExpression, isBoolean, isLiteral, isMapping, isNumber, isSequence, isString } from '@actions/workflow-parser';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';

export type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

/** The contexts an expression can read, as plain JSON (converted once per evaluation). */
export type Contexts = Record<string, Json | undefined>;

/** The status a step or job condition sees. */
export interface Status {
  /** Something before failed (a step of this job, or an ancestor job). */
  failed: boolean;
  /** The run was cancelled. */
  cancelled: boolean;
  /** Jobs: every ancestor succeeded (a skipped one makes success() false). Steps: !failed. */
  succeeded?: boolean;
}

const CONTEXT_NAMES = ['github', 'inputs', 'secrets', 'vars', 'env', 'needs', 'steps', 'job', 'jobs', 'runner', 'matrix', 'strategy'];

export function toData(value: Json | undefined): data.ExpressionData {
  if (value === undefined || value === null) return new data.Null();
  if (typeof value === 'string') return new data.StringData(value);
  if (typeof value === 'number') return new data.NumberData(value);
  if (typeof value === 'boolean') return new data.BooleanData(value);
  if (Array.isArray(value)) return new data.Array(...value.map(toData));
  return new data.Dictionary(...Object.entries(value).map(([key, v]) => ({ key, value: toData(v) })));
}

export function fromData(value: data.ExpressionData): Json {
  switch (value.kind) {
    case data.Kind.String:
      return (value as data.StringData).value;
    case data.Kind.Number:
      return (value as data.NumberData).value;
    case data.Kind.Boolean:
      return (value as data.BooleanData).value;
    case data.Kind.Null:
      return null;
    case data.Kind.Array:
      return (value as data.Array).values().map(fromData);
    default:
      return Object.fromEntries((value as data.Dictionary).pairs().map((p) => [p.key, fromData(p.value)]));
  }
}

export function evaluate(expression: string, contexts: Contexts, status: Status = { failed: false, cancelled: false }): Json {
  const statusFunctions = new Map([
    ['success', () => (status.succeeded ?? !status.failed) && !status.cancelled],
    ['failure', () => status.failed && !status.cancelled],
    ['always', () => true],
    ['cancelled', () => status.cancelled],
  ]);
  const functions = new Map(
    [...statusFunctions].map(([name, fn]) => [name, { name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(fn()) }]),
  );
  const tree = new Parser(new Lexer(expression).lex().tokens, CONTEXT_NAMES, [...functions.values()]).parse();
  const dictionary = new data.Dictionary(...CONTEXT_NAMES.map((key) => ({ key, value: toData(contexts[key] ?? {}) })));
  return fromData(new Evaluator(tree, dictionary, functions).evaluate());
}

/** Evaluates a whole token (mapping, sequence, scalar, expression) to JSON. */
export function evaluateToken(token: TemplateToken | undefined, contexts: Contexts, status?: Status): Json | undefined {
  if (!token) return undefined;
  if (isBasicExpression(token)) return evaluate(token.expression, contexts, status);
  if (isString(token)) return token.value;
  if (isBoolean(token)) return token.value;
  if (isNumber(token)) return token.value;
  if (isSequence(token)) return [...token].map((t) => evaluateToken(t, contexts, status) ?? null);
  if (isMapping(token)) {
    const out: Record<string, Json> = {};
    for (const { key, value } of token) out[String(evaluateToken(key, contexts, status))] = evaluateToken(value, contexts, status) ?? null;
    return out;
  }
  if (isLiteral(token)) return null;
  throw new Error(`cannot evaluate a ${token.typeName()} token`);
}

/** How GitHub turns an expression result into the string an input or env variable gets. */
export function asString(value: Json | undefined): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

export function truthy(value: Json | undefined): boolean {
  if (value === undefined || value === null || value === false || value === '' || value === 0) return false;
  return !(typeof value === 'number' && Number.isNaN(value));
}

/** A mapping token's value for a key (undefined when the key is absent). */
export function field(token: TemplateToken | undefined, key: string): TemplateToken | undefined {
  if (!token || !isMapping(token)) return undefined;
  for (const pair of token) if (isString(pair.key) && pair.key.value === key) return pair.value;
  return undefined;
}

export function keys(token: TemplateToken | undefined): string[] {
  if (!token || !isMapping(token)) return [];
  return [...token].map((pair) => String(isString(pair.key) ? pair.key.value : pair.key.toString()));
}

/** A string with `${{ }}` parts (an action.yml default), evaluated part by part. */
export function interpolate(text: string, contexts: Contexts): string {
  return text.replace(/\$\{\{(.*?)\}\}/g, (_, expression: string) => asString(evaluate(expression.trim(), contexts)));
}
