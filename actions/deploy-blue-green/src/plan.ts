/**
 * The release decision as a value: from what is live and what the ledger says, what this run will
 * do — stage a new green, promote a staged one, go back to an earlier release, or nothing (a re-run
 * of a release that already went out; a promote or rollback to what already serves production).
 * Pure: no platform, no ledger, no clock. release.ts carries the plan out.
 */
import { latestState, previousRelease, wasSuccessful, type Release } from '../../../shared/ledger.js';
import type { ReleaseRef } from '../../../shared/platforms/traffic.js';

export interface PlanInput {
  operation: 'deploy' | 'promote' | 'rollback';
  environment: string;
  platform: string;
  /** What serves production now (the platform's word). */
  live?: ReleaseRef;
  /** The ledger's releases of the environment, newest first. */
  releases: Release[];
  to?: string;
  ref: string;
  runId?: string;
}

export type Plan =
  /** Nothing to change; `release` is the ledger record that already says so, when there is one. */
  | { kind: 'nothing'; why: string; deployment: ReleaseRef; previous?: ReleaseRef; release?: Release; rerun?: boolean }
  /** Stage a new green (deploy). */
  | { kind: 'stage' }
  /** Promote a known candidate (operation promote); `staged` is its ledger record, when it has one. */
  | { kind: 'promote'; candidate: ReleaseRef; staged?: Release }
  /** Put production back on `target`; `found` is the ledger release it was found in (no `to`). */
  | { kind: 'rollback'; target: ReleaseRef; from?: ReleaseRef; found?: Release }
  /** The run cannot go on: the reason says what to give instead. */
  | { kind: 'refuse'; why: string };

export function planRelease(input: PlanInput): Plan {
  const { live, releases } = input;
  if (input.operation === 'rollback') {
    let target: ReleaseRef;
    let found: Release | undefined;
    if (input.to) target = { id: input.to };
    else {
      found = previousRelease(releases, live?.id, input.platform);
      if (!found) return { kind: 'refuse', why: `No earlier successful release of '${input.environment}' in the ledger to go back to. Give 'to' (a deployment id).` };
      target = { id: found.payload.deploymentId!, url: found.payload.url };
    }
    if (live?.id === target.id) return { kind: 'nothing', why: `${target.id} already serves production: nothing to roll back.`, deployment: target, previous: live };
    return { kind: 'rollback', target, from: live, found };
  }

  if (input.operation === 'promote') {
    const staged = input.to
      ? releases.find((r) => r.payload.deploymentId === input.to)
      : releases.find((r) => r.payload.platform === input.platform && latestState(r) === 'queued');
    const id = input.to ?? staged?.payload.deploymentId;
    if (!id) return { kind: 'refuse', why: `Nothing to promote: no staged release in the ledger for '${input.environment}'. Give 'to' (a deployment id) or stage one with 'promote: false'.` };
    const candidate = { id, url: staged?.payload.url };
    if (live?.id === id) {
      const previous = staged?.payload.previousDeploymentId ? { id: staged.payload.previousDeploymentId } : live;
      return { kind: 'nothing', why: `${id} already serves production: nothing to promote.`, deployment: candidate, previous, release: staged };
    }
    return { kind: 'promote', candidate, staged };
  }

  // A re-run (same workflow run, same ref) of a release that went out and is live: not twice.
  const done = input.runId
    ? releases.find((r) => r.payload.runId === input.runId && r.ref === input.ref && r.payload.platform === input.platform && wasSuccessful(r) && r.payload.deploymentId === live?.id)
    : undefined;
  if (done && live) {
    return {
      kind: 'nothing',
      why: `This commit is already live as ${live.id} (release ${done.id}): nothing to do.`,
      deployment: { id: live.id, url: done.payload.url },
      previous: done.payload.previousDeploymentId ? { id: done.payload.previousDeploymentId } : undefined,
      release: done,
      rerun: true,
    };
  }
  return { kind: 'stage' };
}
