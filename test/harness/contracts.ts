/** Reading the suite's public contracts: action.yml files, READMEs and workflows. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ROOT } from './action.js';

export interface ActionInput {
  description?: string;
  required?: boolean;
  default?: string;
}

export interface ActionManifest {
  name: string;
  dir: string;
  inputs: Record<string, ActionInput>;
  outputs: Record<string, { description?: string }>;
  runs: { using: string; main: string; post?: string; 'post-if'?: string };
}

export function actionNames(): string[] {
  return readdirSync(join(ROOT, 'actions')).filter((d) => existsSync(join(ROOT, 'actions', d, 'action.yml')));
}

export function readManifest(name: string): ActionManifest {
  const dir = join(ROOT, 'actions', name);
  const doc = parse(readFileSync(join(dir, 'action.yml'), 'utf8'));
  return { name, dir, inputs: doc.inputs ?? {}, outputs: doc.outputs ?? {}, runs: doc.runs };
}

/** Names in the first column (in backticks) of the table under a `## <heading>` section. */
export function readmeTableNames(markdown: string, heading: string): string[] {
  const lines = markdown.split(/\r?\n/);
  const start = lines.findIndex((l) => new RegExp(`^##\\s+${heading}\\s*$`, 'i').test(l));
  if (start < 0) return [];
  const names: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^##\s/.test(line)) break;
    const m = /^\|\s*`([^`]+)`/.exec(line);
    if (m) names.push(m[1]!);
  }
  return names;
}
