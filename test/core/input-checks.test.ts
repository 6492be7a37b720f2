/** readInputs' cross-check hook: per-input and cross-field problems together, in one error. */
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../shared/core/errors.js';
import { input, readInputs } from '../../shared/core/inputs.js';
import { checkPlatformInputs, platformInputs } from '../../shared/platforms/inputs.js';

const set = (values: Record<string, string>) => {
  for (const [k, v] of Object.entries(values)) process.env[`INPUT_${k.replace(/ /g, '_').toUpperCase()}`] = v;
};
afterEach(() => {
  for (const k of Object.keys(process.env)) if (k.startsWith('INPUT_')) delete process.env[k];
});

const defs = {
  platform: input.choice(['vercel', 'ecs'] as const, { required: true }),
  watch: input.duration({ default: '2m' }),
  ...platformInputs,
};
const read = () =>
  readInputs(defs, (v, malformed) => [
    ...checkPlatformInputs(v, { creates: true, workspace: '/nonexistent', malformed }),
    ...(v.watch > 3_600_000 ? [{ input: 'watch', message: "Input 'watch' is over an hour" }] : []),
  ]);

function problems(): string[] {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    return (error as Error).message.split('\n');
  }
  throw new Error('accepted');
}

describe('readInputs with a cross-check', () => {
  it('reports per-input and cross-field problems at once', () => {
    set({ platform: 'ecs', cluster: 'prod cluster!', 'container-name': 'web', 'aws-region': 'eu-west-1', watch: '2h' });
    const all = problems();
    expect(all).toEqual([
      expect.stringMatching(/^Input 'cluster' is "prod cluster!": use a cluster name or ARN/),
      expect.stringMatching(/^Input 'service' is required with platform: ecs/),
      expect.stringMatching(/^Input 'image' is required together with 'container-name'/),
      "Input 'watch' is over an hour",
    ]);
    // The malformed cluster is reported once, not again as missing.
    expect(all.filter((p) => p.includes("'cluster'"))).toHaveLength(1);
  });

  it('says nothing more about a malformed input: no cross-field problem that follows from it', () => {
    set({ platform: 'ecs', cluster: 'c', service: 's', 'aws-region': 'eu-west-1', 'container-name': 'web app' });
    expect(problems()).toEqual([expect.stringMatching(/^Input 'container-name' is "web app"/)]);
  });

  it('refuses a task definition by the one rule, and accepts what ECS accepts', () => {
    set({ platform: 'ecs', cluster: 'prod', service: 'web', 'aws-region': 'eu-west-1', 'task-definition': 'ecs/missing.json' });
    expect(problems()).toEqual([expect.stringMatching(/^Input 'task-definition' is "ecs\/missing.json": no such file/)]);
    for (const ok of ['shop:3', 'shop', 'arn:aws:ecs:eu-west-1:123456789012:task-definition/shop']) {
      set({ 'task-definition': ok });
      expect(read().taskDefinition).toBe(ok);
    }
  });

  it('passes when everything fits', () => {
    set({ platform: 'vercel', 'vercel-token': 'tok_12345678', 'vercel-project-id': 'prj_abc', 'working-directory': '/' });
    expect(read()).toMatchObject({ platform: 'vercel', vercelProjectId: 'prj_abc', watch: 120_000 });
  });
});
