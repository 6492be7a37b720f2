/**
 * The workflows as GitHub reads them: deploy.yml and promote.yml are fresh from their one
 * definition (scripts/workflows/), and GitHub's language service finds no error in any workflow.
 */
import { validate } from '@actions/languageservice';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { GENERATED_FILES } from '../../scripts/workflows/generate.js';
import { ROOT } from '../harness/action.js';

const dir = join(ROOT, '.github', 'workflows');
/** Parse and schema errors come without a severity, which LSP clients show as errors. */
const isError = (d: { severity?: number }) => d.severity === undefined || d.severity === 1;

describe('workflow files', () => {
  it.each(Object.keys(GENERATED_FILES))('%s is fresh from scripts/workflows/ (run: npx tsx scripts/workflows/generate.ts)', (path) => {
    expect(readFileSync(join(ROOT, path), 'utf8')).toBe(GENERATED_FILES[path]!());
  });

  it('the language service does report a broken workflow (the check can fail)', async () => {
    const broken = 'on: workflow_dispatch\njobs:\n  x:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo\n        bogus: 1\n';
    const diagnostics = await validate(TextDocument.create('file:///.github/workflows/broken.yml', 'yaml', 1, broken));
    expect(diagnostics.filter(isError).map((d) => d.message)).toContain("Unexpected value 'bogus'");
  });

  it.each(readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)))("GitHub's language service finds no error in %s", async (file) => {
    const content = readFileSync(join(dir, file), 'utf8');
    const diagnostics = await validate(TextDocument.create(`file:///.github/workflows/${file}`, 'yaml', 1, content));
    const errors = diagnostics.filter(isError).map((d) => `${d.range.start.line + 1}: ${d.message}`);
    expect(errors).toEqual([]);
  });
});
