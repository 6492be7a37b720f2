/**
 * Workflows checked by GitHub's own language service (`@actions/languageservice`, the validator
 * behind GitHub's editor extension), with Gantry's actions and reusable workflows resolved to
 * this checkout: action inputs against each `action.yml` (unknown inputs, missing required
 * ones), reusable-workflow inputs and secrets against the called file, context names,
 * expressions and the workflow schema.
 *
 * Run it under vitest or tsx: the language service imports JSON without import attributes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validate } from '@actions/languageservice';
import type { ActionReference } from '@actions/languageservice/action';
import type { FileReference } from '@actions/workflow-parser/workflows/file-reference';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parse } from 'yaml';
import { ROOT } from './action.js';

export interface WorkflowProblem {
  /** 1-based line in the text that was checked. */
  line: number;
  severity: 'error' | 'warning' | 'info' | 'hint';
  message: string;
}

const REPO = 'gantry';
const severities = { 1: 'error', 2: 'warning', 3: 'info', 4: 'hint' } as const;

/**
 * A path inside Gantry as a workflow refers to it: `actions/x`, `.github/workflows/x.yml`, or
 * the same under the folder a reusable workflow checks Gantry out into (`.gantry/`).
 */
function gantryFile(path: string): string {
  const inside = path.replace(/^\.gantry\//, '');
  const file = join(ROOT, inside);
  if (!existsSync(file)) throw new Error(`no file ${inside} in Gantry`);
  return readFileSync(file, 'utf8');
}

/** `OWNER/gantry/...@ref` (any owner: README examples say OWNER) or a path in this repository. */
function readReference(ref: FileReference): { name: string; content: string } {
  if ('repository' in ref && ref.repository !== REPO) throw new Error(`not Gantry: ${ref.owner}/${ref.repository}`);
  return { name: ref.path, content: gantryFile(ref.path) };
}

async function fetchActionMetadata(ref: ActionReference) {
  if (ref.name !== REPO) {
    // A third-party action: its inputs are not known offline, so they are not checked.
    return { name: `${ref.owner}/${ref.name}`, description: 'third-party action (inputs not checked)' };
  }
  if (!ref.path) return undefined;
  try {
    return parse(gantryFile(`${ref.path}/action.yml`));
  } catch {
    return undefined;
  }
}

/**
 * The language service skips local actions (`uses: ./…`) but resolves the self-repository form
 * (`uses: $/…`) through the file provider: read a local action as that form. Only the text
 * after `uses:` changes, so lines stay where they were.
 */
function localActionsAsSelfReferences(text: string): string {
  return text.replace(/^(\s*(?:-\s+)?uses:\s*["']?)\.\/(?!\.github\/workflows\/)/gm, '$1$/');
}

let checked = 0;

/** Every diagnostic of the language service for a workflow's text. */
export async function checkWorkflow(text: string, name = 'workflow.yml'): Promise<WorkflowProblem[]> {
  // The language service caches parses by document URI: give each text its own.
  const document = TextDocument.create(`file:///gantry/${++checked}/.github/workflows/${name}`, 'yaml', 1, localActionsAsSelfReferences(text));
  const diagnostics = await validate(document, {
    actionsMetadataProvider: { fetchActionMetadata },
    fileProvider: { getFileContent: async (ref) => readReference(ref) },
  });
  return diagnostics.map((d) => ({ line: d.range.start.line + 1, severity: severities[d.severity ?? 1], message: typeof d.message === 'string' ? d.message : d.message.value }));
}

export interface Example {
  /** `README.md:29` — where the fenced block starts. */
  where: string;
  /** The example as a complete workflow (a list of steps is wrapped in one job). */
  workflow: string;
  /** Add to a line of `workflow` to get the line in the README. */
  lineOffset: number;
}

/**
 * The caller examples of a README: its ```yaml blocks that use an action or a reusable
 * workflow. A list of steps is wrapped in a minimal workflow so that it can be
 * checked as GitHub would check it; other YAML blocks (a checks file, say) are not examples.
 */
export function readmeExamples(file: string): Example[] {
  const lines = readFileSync(join(ROOT, file), 'utf8').split(/\r?\n/);
  const examples: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```ya?ml\s*$/.test(lines[i]!)) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end]!)) end++;
    const block = lines.slice(start, end);
    i = end;
    if (!block.some((l) => /^\s*(-\s+)?uses:/.test(l))) continue;
    const doc = parse(block.join('\n')) as unknown;
    const where = `${file}:${start}`;
    if (doc && typeof doc === 'object' && !Array.isArray(doc) && 'jobs' in doc) {
      examples.push({ where, workflow: block.join('\n'), lineOffset: start });
      continue;
    }
    if (!Array.isArray(doc)) throw new Error(`${where}: a caller example is a workflow or a list of steps`);
    const code = block.filter((l) => l.trim() && !l.trimStart().startsWith('#'));
    const indent = Math.min(...code.map((l) => /^ */.exec(l)![0].length));
    const header = ['on: push', 'jobs:', '  example:', '    runs-on: ubuntu-latest', '    steps:'];
    // Comments are dropped (one at column 0 would end the list); every line keeps its place.
    const body = block.map((l) => (l.trimStart().startsWith('#') ? '' : ' '.repeat(6) + l.slice(indent)));
    examples.push({ where, workflow: [...header, ...body].join('\n'), lineOffset: start - header.length });
  }
  return examples;
}
