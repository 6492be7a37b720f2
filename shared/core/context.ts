/** Where the action runs: the one place that reads the runner's GITHUB_* variables. */
export interface RunContext {
  /** `owner/name`; '' outside the runner. */
  repository: string;
  owner: string;
  repo: string;
  sha: string;
  /** Full ref (`refs/heads/main`) and its short name (`main`). */
  ref: string;
  refName: string;
  actor: string;
  runId: string;
  runAttempt: string;
  /** Link to this run's log page, when known. */
  runUrl?: string;
  serverUrl: string;
  apiUrl: string;
  /** The checkout: GITHUB_WORKSPACE, else the current directory. */
  workspace: string;
  workflowRef: string;
  job: string;
}

export function context(env: NodeJS.ProcessEnv = process.env): RunContext {
  const repository = env.GITHUB_REPOSITORY ?? '';
  const [owner = '', repo = ''] = repository.split('/');
  const serverUrl = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '');
  const runId = env.GITHUB_RUN_ID ?? '';
  return {
    repository,
    owner,
    repo,
    sha: env.GITHUB_SHA ?? '',
    ref: env.GITHUB_REF ?? '',
    refName: env.GITHUB_REF_NAME ?? '',
    actor: env.GITHUB_ACTOR ?? '',
    runId,
    runAttempt: env.GITHUB_RUN_ATTEMPT ?? '',
    runUrl: runId && repository ? `${serverUrl}/${repository}/actions/runs/${runId}` : undefined,
    serverUrl,
    apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
    workspace: env.GITHUB_WORKSPACE || process.cwd(),
    workflowRef: env.GITHUB_WORKFLOW_REF ?? '',
    job: env.GITHUB_JOB ?? '',
  };
}
