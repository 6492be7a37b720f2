/** What the workflow runner is given and what it records. */
import type { Annotation } from '../action.js';

/** A GitHub environment: its secrets and variables, and whether the test approves jobs that name it. */
export interface Environment {
  secrets?: Record<string, string>;
  vars?: Record<string, string>;
  /** Required reviewers: true approves (default), false rejects the job, as a reviewer would. */
  approve?: boolean;
}

/** A repository the runner can read workflows and actions from, and check out. */
export interface Repository {
  dir: string;
  /** The commit it stands for (checkouts asking for another ref fail). */
  sha: string;
  /** Top-level entries a checkout copies (default: everything but .git and node_modules). */
  include?: string[];
}

export interface StandInContext {
  inputs: Record<string, string>;
  /** The job's effective permissions. */
  permissions: Record<string, string>;
  workspace: string;
  repositories: Record<string, Repository>;
  github: Record<string, string>;
}

/** A third-party action replaced by code in the runner (documented in the README). */
export type StandIn = (context: StandInContext) => Promise<StandInResult> | StandInResult;
export interface StandInResult {
  outputs?: Record<string, string>;
  /** Variables exported to later steps, as GITHUB_ENV would. */
  env?: Record<string, string>;
  secrets?: string[];
  log?: string;
  /** A failure message: the step fails with it. */
  error?: string;
}

export interface RunnerOptions {
  /** The repository whose workflow is triggered (the app), e.g. acme/shop. */
  repository: string;
  repositories: Record<string, Repository>;
  /** Repository (and organisation) secrets. */
  secrets?: Record<string, string>;
  vars?: Record<string, string>;
  environments?: Record<string, Environment>;
  github: {
    token: string;
    apiUrl: string;
    actor?: string;
    ref?: string;
    serverUrl?: string;
    /** Where GitHub files each run, its check suite and its jobs' check runs (the GitHub stand-in); none: not filed. */
    runs?: RunRegistry;
  };
  /** Added to every step's environment: the runner machine's own settings (CA bundle, AWS endpoints). */
  env?: Record<string, string>;
  /** Third-party actions by `owner/name` (no ref). actions/checkout is built in. */
  actions?: Record<string, StandIn>;
  /** Upper bound for one step when the workflow sets no timeout-minutes (default 3 min). */
  stepTimeoutMs?: number;
  /** Where job workspaces are made (default the OS temp folder); each is removed after its job. */
  tempDir?: string;
  onStep?: (job: JobRecord, step: StepRecord) => void;
}

/**
 * GitHub's own bookkeeping of a workflow run, done by GitHub itself (no REST route creates a run):
 * the run with its check suite on the commit, and one check run per job, named as GitHub names it
 * (`caller job / called job` inside a reusable workflow), in progress while the job runs.
 */
export interface RunRegistry {
  startRun(run: { id: string; name: string; path: string; headSha: string; headBranch: string; event: string }): void;
  /** Returns the check run's id. */
  startJob(runId: string, name: string): number;
  endJob(checkRunId: number, conclusion: Result): void;
  endRun(runId: string, conclusion: Result): void;
}

export type Result = 'success' | 'failure' | 'cancelled' | 'skipped';

export interface StepRecord {
  id: string;
  name: string;
  /** uses: or run: (abridged) */
  what: string;
  outcome: Result;
  conclusion: Result;
  outputs: Record<string, string>;
  /** The log as a person reads it (masked). */
  log: string;
  /** The step's job summary (masked). */
  summary: string;
  annotations: Annotation[];
  durationMs: number;
}

export interface JobRecord {
  /** `caller/called` for jobs of reusable workflows. */
  path: string;
  name: string;
  result: Result;
  environment?: string;
  outputs: Record<string, string>;
  steps: StepRecord[];
  /** Jobs of the reusable workflow this job called. */
  jobs: JobRecord[];
  /** Why it failed before any step (approval refused, bad inputs…). */
  error?: string;
  durationMs: number;
  /** Time spent waiting for the concurrency group. */
  queuedMs: number;
  /** When its steps started and ended (after the queue), epoch ms. */
  startedAt: number;
  endedAt: number;
}

export interface RunRecord {
  workflow: string;
  /** github.run_id (the run GitHub filed, when the runner has a registry). */
  runId: string;
  result: Result;
  jobs: JobRecord[];
  outputs: Record<string, string>;
  durationMs: number;
  /** Every secret value the run saw (for leak checks). */
  secrets: string[];
}
