import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../harness/action.js';
import { actionNames, readManifest, readmeTableNames } from '../harness/contracts.js';

const names = actionNames();

describe('action contracts', () => {
  it('finds the actions', () => {
    expect(names).toContain('smoke-test');
  });

  describe.each(names)('%s', (name) => {
    const manifest = readManifest(name);

    it('runs on node24 from its committed bundle', () => {
      expect(manifest.runs.using).toBe('node24');
      expect(manifest.runs.main).toBe(`../../dist/${name}/index.js`);
      expect(existsSync(join(manifest.dir, manifest.runs.main))).toBe(true);
      if (manifest.runs.post) expect(existsSync(join(manifest.dir, manifest.runs.post))).toBe(true);
      const pkg = JSON.parse(readFileSync(join(ROOT, 'dist', name, 'package.json'), 'utf8'));
      expect(pkg.type).toBe('module');
    });

    it('describes every input and output', () => {
      for (const [input, def] of Object.entries(manifest.inputs)) expect(def.description?.trim(), `input ${input}`).toBeTruthy();
      for (const [output, def] of Object.entries(manifest.outputs)) expect(def.description?.trim(), `output ${output}`).toBeTruthy();
    });

    it('uses kebab-case names and accepts sentry-dsn', () => {
      for (const key of [...Object.keys(manifest.inputs), ...Object.keys(manifest.outputs)]) expect(key).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(manifest.inputs).toHaveProperty('sentry-dsn');
    });

    it('has a README documenting exactly its inputs and outputs', () => {
      const readme = readFileSync(join(manifest.dir, 'README.md'), 'utf8');
      expect(readmeTableNames(readme, 'Inputs').sort()).toEqual(Object.keys(manifest.inputs).sort());
      expect(readmeTableNames(readme, 'Outputs').sort()).toEqual(Object.keys(manifest.outputs).sort());
      expect(readme).toMatch(new RegExp(`uses: [^\\n]*actions/${name}@`));
    });
  });
});
