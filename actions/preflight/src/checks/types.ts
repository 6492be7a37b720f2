/** What every check returns: one row of the checklist. */
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skipped';

export interface CheckResult {
  /** Stable id, used in the `failed` / `warnings` outputs (e.g. `database`). */
  id: string;
  /** What a release manager reads (e.g. `Database`). */
  title: string;
  status: CheckStatus;
  /** What was found, one line. */
  found: string;
  /** How to fix it, when it is not a pass. */
  fix?: string;
  /** Details for the report and the summary's details (lists of findings). */
  details?: string[];
  /** Structured facts for the JSON report. */
  data?: Record<string, unknown>;
  durationMs?: number;
}

export interface CheckContext {
  /** Aborted at the check's own timeout or when the job is cancelled. */
  signal: AbortSignal;
  /** Absolute deadline of this check (ms since epoch): every wait inside ends by then. */
  deadline: number;
}

export interface Check {
  id: string;
  title: string;
  /** Why the check cannot run (an input it needs is missing); undefined when it can. */
  skip?: string;
  /** The check's own budget. */
  timeoutMs: number;
  run(context: CheckContext): Promise<Omit<CheckResult, 'id' | 'title'>>;
}
