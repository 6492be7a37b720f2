/** The release decision as a value: what is live, what to promote, re-runs, the rollback target. */
import { describe, expect, it } from 'vitest';
import type { Release, ReleaseState } from '../../shared/ledger.js';
import { planRelease, type PlanInput } from '../../actions/deploy-blue-green/src/plan.js';

let nextId = 100;
/** A ledger release; `states` oldest first. */
const rel = (deploymentId: string, states: ReleaseState[], extra: Partial<Release['payload']> & { ref?: string } = {}): Release => {
  const { ref = 'sha1', ...payload } = extra;
  return {
    id: nextId++,
    sha: ref,
    ref,
    environment: 'production',
    createdAt: '2026-11-30T10:00:00Z',
    payload: { gantry: 1, platform: 'vercel', deploymentId, ...payload },
    statuses: [...states].reverse().map((state) => ({ state, description: '', environmentUrl: '' })),
  };
};
const plan = (input: Partial<PlanInput>) => planRelease({ operation: 'deploy', environment: 'production', platform: 'vercel', releases: [], ref: 'sha2', ...input });

describe('planRelease', () => {
  it('deploy: stages a new green, also on a first release', () => {
    expect(plan({})).toEqual({ kind: 'stage' });
    expect(plan({ live: { id: 'dpl_a' }, releases: [rel('dpl_a', ['in_progress', 'success'])] })).toEqual({ kind: 'stage' });
  });

  it('deploy: a re-run of the run that released what is live does nothing', () => {
    const done = rel('dpl_b', ['in_progress', 'success'], { runId: '42', ref: 'sha2', previousDeploymentId: 'dpl_a' });
    const p = plan({ live: { id: 'dpl_b' }, releases: [done], runId: '42' });
    expect(p).toMatchObject({ kind: 'nothing', rerun: true, deployment: { id: 'dpl_b' }, previous: { id: 'dpl_a' }, release: done });
    // Another run, another ref, a release that is no longer live, or one that failed: stage again.
    expect(plan({ live: { id: 'dpl_b' }, releases: [done], runId: '43' }).kind).toBe('stage');
    expect(plan({ live: { id: 'dpl_b' }, releases: [done], runId: '42', ref: 'sha3' }).kind).toBe('stage');
    expect(plan({ live: { id: 'dpl_a' }, releases: [done], runId: '42' }).kind).toBe('stage');
    const failed = rel('dpl_b', ['in_progress', 'failure'], { runId: '42', ref: 'sha2' });
    expect(plan({ live: { id: 'dpl_b' }, releases: [failed], runId: '42' }).kind).toBe('stage');
  });

  it('promote: the newest staged release of this platform, or the one named by to', () => {
    const staged = rel('dpl_s', ['in_progress', 'queued'], { url: 'https://s.example' });
    const other = rel('td:9', ['in_progress', 'queued'], { platform: 'ecs' });
    expect(plan({ operation: 'promote', live: { id: 'dpl_a' }, releases: [other, staged] })).toEqual({ kind: 'promote', candidate: { id: 'dpl_s', url: 'https://s.example' }, staged });
    expect(plan({ operation: 'promote', live: { id: 'dpl_a' }, releases: [staged], to: 'dpl_x' })).toEqual({ kind: 'promote', candidate: { id: 'dpl_x', url: undefined }, staged: undefined });
    expect(plan({ operation: 'promote', live: { id: 'dpl_s' }, releases: [staged] })).toMatchObject({ kind: 'nothing', release: staged });
    expect(plan({ operation: 'promote', releases: [rel('dpl_a', ['success'])] })).toMatchObject({ kind: 'refuse', why: expect.stringMatching(/^Nothing to promote/) });
  });

  it('rollback: to the last successful release before the live one; to wins; nothing when already there', () => {
    const releases = [rel('dpl_c', ['in_progress', 'success']), rel('dpl_b', ['in_progress', 'failure']), rel('dpl_a', ['in_progress', 'success', 'inactive'])];
    expect(plan({ operation: 'rollback', live: { id: 'dpl_c' }, releases })).toMatchObject({ kind: 'rollback', target: { id: 'dpl_a' }, from: { id: 'dpl_c' }, found: releases[2] });
    expect(plan({ operation: 'rollback', live: { id: 'dpl_c' }, releases, to: 'dpl_b' })).toEqual({ kind: 'rollback', target: { id: 'dpl_b' }, from: { id: 'dpl_c' }, found: undefined });
    expect(plan({ operation: 'rollback', live: { id: 'dpl_a' }, releases, to: 'dpl_a' }).kind).toBe('nothing');
    expect(plan({ operation: 'rollback', live: { id: 'dpl_a' }, releases: releases.slice(2) })).toMatchObject({ kind: 'refuse', why: expect.stringMatching(/^No earlier successful release/) });
  });

  it('rollback: skips a release that was rolled back from', () => {
    const back = rel('dpl_b', ['in_progress', 'success'], { rollbackOf: 'dpl_c' });
    const releases = [back, rel('dpl_c', ['in_progress', 'success', 'inactive']), rel('dpl_b', ['in_progress', 'success', 'inactive']), rel('dpl_a', ['in_progress', 'success', 'inactive'])];
    expect(plan({ operation: 'rollback', live: { id: 'dpl_b' }, releases })).toMatchObject({ kind: 'rollback', target: { id: 'dpl_a' } });
  });
});
