/** A bad input is annotated on the workflow line where the user wrote it, and nothing else runs. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAction } from '../harness/action.js';

describe('configuration errors', () => {
  it('point at the input in the workflow file', async () => {
    const workspace = mkdtempSync(join(tmpdir(), 'gantry-ws-'));
    mkdirSync(join(workspace, '.github', 'workflows'), { recursive: true });
    writeFileSync(
      join(workspace, '.github', 'workflows', 'release.yml'),
      ['on: push', 'jobs:', '  smoke:', '    runs-on: ubuntu-latest', '    steps:', '      - uses: acme/gantry/actions/smoke-test@v1', '        with:', '          url: https://shop.test', '          timeout: soon', ''].join('\n'),
    );
    const result = await runAction('smoke-test', {
      cwd: workspace,
      inputs: { url: 'https://shop.test', timeout: 'soon' },
      env: { GITHUB_WORKFLOW_REF: 'acme/shop/.github/workflows/release.yml@refs/heads/main' },
    });
    expect(result.code).toBe(1);
    const errors = result.annotations.filter((a) => a.level === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]!.message).toMatch(/^Input 'timeout' is "soon": use a duration/);
    expect(errors[0]!.properties).toMatchObject({ file: '.github/workflows/release.yml', line: '9' });
    expect(result.outputs).toEqual({});
    rmSync(workspace, { recursive: true, force: true });
  });
});
