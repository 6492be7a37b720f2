/**
 * Every workflow in .github/workflows/ and every caller example in the READMEs, validated by
 * GitHub's own language service with Gantry's actions and reusable workflows resolved to this
 * checkout: zero errors and zero warnings. Our own rules (least privilege, pins, no expressions
 * in run:) are in workflows.test.ts beside it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../harness/action.js';
import { actionNames } from '../harness/contracts.js';
import { checkWorkflow, readmeExamples } from '../harness/workflow-check.js';

const dir = join(ROOT, '.github', 'workflows');
const workflows = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
const readmes = ['README.md', ...actionNames().map((name) => `actions/${name}/README.md`)];
const examples = readmes.flatMap(readmeExamples);

const shown = (problems: Awaited<ReturnType<typeof checkWorkflow>>, offset = 0) =>
  problems.map((p) => `line ${p.line + offset}: ${p.severity}: ${p.message}`);

describe('GitHub language service', () => {
  it.each(workflows)('.github/workflows/%s has no problems', async (file) => {
    const problems = await checkWorkflow(readFileSync(join(dir, file), 'utf8'), file);
    expect(shown(problems)).toEqual([]);
  });

  it('finds the caller examples of every README', () => {
    for (const readme of readmes) expect(examples.some((e) => e.where.startsWith(`${readme}:`)), readme).toBe(true);
  });

  it.each(examples.map((e) => [e.where, e] as const))('example at %s has no problems', async (_, example) => {
    const problems = await checkWorkflow(example.workflow);
    expect(shown(problems, example.lineOffset)).toEqual([]);
  });
});

describe('the check itself', () => {
  const step = (uses: string, withBlock: string) =>
    `on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: ${uses}\n        with:\n${withBlock}`;

  it.each(['OWNER/gantry/actions/backup@v1', './actions/backup', './.gantry/actions/backup'])(
    'reads %s from its action.yml: an unknown input, a missing required one',
    async (uses) => {
      const problems = await checkWorkflow(step(uses, '          name: shop\n          colour: blue\n'));
      expect(problems).toContainEqual({ line: 10, severity: 'error', message: "Invalid action input 'colour'" });
      expect(problems.some((p) => p.severity === 'error' && /destination/.test(p.message)), JSON.stringify(problems)).toBe(true);
      expect(problems).toHaveLength(2);
    },
  );

  it('refuses an action Gantry does not have', async () => {
    const problems = await checkWorkflow(step('./.gantry/actions/teleport', '          to: mars\n'));
    expect(problems.some((p) => p.severity === 'error' && /teleport/.test(p.message))).toBe(true);
  });

  it('reads a reusable workflow from its file: unknown inputs and secrets', async () => {
    const text = [
      'on: push',
      'permissions: {}',
      'jobs:',
      '  release:',
      '    uses: OWNER/gantry/.github/workflows/rollback.yml@v1',
      '    with:',
      '      environment: production',
      '      colour: blue',
      '    secrets:',
      '      not-a-secret: ${{ secrets.X }}',
    ].join('\n');
    const problems = await checkWorkflow(text);
    expect(problems.filter((p) => p.severity === 'error').map((p) => p.line).sort()).toEqual([10, 8]);
  });

  it('checks the context names of expressions', async () => {
    const problems = await checkWorkflow(step('OWNER/gantry/actions/smoke-test@v1', '          url: ${{ github.shaa }}\n'));
    expect(problems.some((p) => p.line === 9 && /shaa/.test(p.message))).toBe(true);
  });
});
