/** Running the preflight bundle as the runner does, against the stand-ins, and reading what it wrote. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { findSecretLeaks, runAction, type ActionResult, type RunOptions } from '../harness/action.js';
import { createDatabase } from '../harness/postgres.js';

export const SHA = '0123456789abcdef0123456789abcdef01234567';
export const RUN_ID = '4242';
export const OWN_SUITE = 777;

export const serverUrl = () => inject('postgresUrl');
export const password = () => inject('postgresPassword');
export const s3Endpoint = () => inject('s3Endpoint');

let counter = 0;
export async function freshDatabase(label: string): Promise<string> {
  const url = serverUrl();
  const name = `pre_${label.replace(/\W/g, '_').slice(0, 30)}_${process.pid}_${++counter}`.toLowerCase();
  return createDatabase({ url, urlFor: (db) => url.replace(/\/[^/]*$/, '/' + db) }, name);
}

export const tempDir = (label: string) => mkdtempSync(join(tmpdir(), `gantry-pre-${label}-`));

export interface Report {
  ready: boolean;
  failed: string[];
  warnings: string[];
  freezeOverride: string | null;
  checks: Array<{ id: string; title: string; status: string; found: string; fix?: string; details?: string[]; data?: Record<string, any>; durationMs: number }>;
}

export function report(r: ActionResult): Report {
  return JSON.parse(r.outputs.report!) as Report;
}

export function check(r: ActionResult, id: string): Report['checks'][number] {
  const found = report(r).checks.find((c) => c.id === id);
  if (!found) throw new Error(`no check ${id} in the report`);
  return found;
}

/** Runs dist/preflight and fails the test when any of `secrets` appears anywhere it wrote. */
export async function preflight(inputs: RunOptions['inputs'], options: Omit<RunOptions, 'inputs'> & { secrets?: string[] } = {}): Promise<ActionResult> {
  const { secrets = [], ...rest } = options;
  const result = await runAction('preflight', { ...rest, inputs, env: { AWS_EC2_METADATA_DISABLED: 'true', ...rest.env } });
  const leaks = findSecretLeaks(result, [password(), ...secrets].filter(Boolean));
  if (leaks.length) throw new Error(`secret leaked: ${leaks.join('; ')}`);
  return result;
}

export const errors = (r: ActionResult) => r.annotations.filter((a) => a.level === 'error');
export const warnings = (r: ActionResult) => r.annotations.filter((a) => a.level === 'warning');
