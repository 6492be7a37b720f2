/** The action skeleton: index.ts → main.ts → the rest, and no module imports one that imports it back. */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../harness/action.js';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Relative imports of a file (type-only ones too: a cycle of types is still a tangle), as .ts paths. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/^(?:import|export)\b[^'"]*?from\s+['"](\.[^'"]+)['"]/gm)]
    .map((m) => resolve(dirname(file), m[1]!.replace(/\.js$/, '.ts')))
    .filter((path) => existsSync(path));
}

/** Every import cycle, each as the list of files around it. */
function cycles(files: string[]): string[][] {
  const graph = new Map(files.map((f) => [f, importsOf(f)]));
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') found.push([...stack.slice(stack.indexOf(next)), next].map((f) => relative(ROOT, f)));
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return found;
}

describe('imports', () => {
  const files = [...sources(join(ROOT, 'shared')), ...sources(join(ROOT, 'actions'))];

  it('finds the sources', () => {
    expect(files.some((f) => f.endsWith(join('smoke-test', 'src', 'main.ts')))).toBe(true);
  });

  it('have no cycles', () => {
    expect(cycles(files)).toEqual([]);
  });

  it('index.ts of every action only starts main.ts', () => {
    for (const action of readdirSync(join(ROOT, 'actions'))) {
      const index = join(ROOT, 'actions', action, 'src', 'index.ts');
      if (existsSync(index)) expect(importsOf(index).map((f) => relative(ROOT, f)), action).toEqual(['shared/core/run.ts', `actions/${action}/src/main.ts`]);
    }
  });
});
