/**
 * The GitHub runner's contract: inputs from `INPUT_*`, file commands (`GITHUB_OUTPUT`,
 * `GITHUB_STATE`, `GITHUB_STEP_SUMMARY`) and workflow commands on stdout.
 *
 * Written here rather than taken from @actions/core: core 3 statically loads its OIDC client
 * and undici, which costs every action ~60 ms of cold start and ~450 kB of bundle for
 * features we never use. The protocol itself is small and documented.
 */
import { appendFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { EOL } from 'node:os';

export interface CommandProperties {
  title?: string;
  file?: string;
  line?: number;
  endLine?: number;
  col?: number;
}

/** The raw value of an input, trimmed; '' when not given. */
export function getInput(name: string): string {
  return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}

function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

export function issueCommand(command: string, message: string, properties: CommandProperties = {}): void {
  const props = Object.entries(properties)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${escapeProperty(String(v))}`)
    .join(',');
  process.stdout.write(`::${command}${props ? ` ${props}` : ''}::${escapeData(message)}${EOL}`);
}

function fileCommand(envVar: string, key: string, value: string): boolean {
  const file = process.env[envVar];
  if (!file) return false;
  let delimiter = `ghadelimiter_${randomUUID()}`;
  while (value.includes(delimiter) || key.includes(delimiter)) delimiter = `ghadelimiter_${randomUUID()}`;
  appendFileSync(file, `${key}<<${delimiter}${EOL}${value}${EOL}${delimiter}${EOL}`, 'utf8');
  return true;
}

export function writeOutput(name: string, value: string): void {
  if (!fileCommand('GITHUB_OUTPUT', name, value)) process.stdout.write(`${name}=${value}${EOL}`);
}

export function writeState(name: string, value: string): void {
  fileCommand('GITHUB_STATE', name, value);
}

export function readState(name: string): string {
  return process.env[`STATE_${name}`] ?? '';
}

export function appendSummary(markdown: string): void {
  const file = process.env.GITHUB_STEP_SUMMARY;
  if (file) appendFileSync(file, markdown.endsWith(EOL) ? markdown : markdown + EOL, 'utf8');
}

export function isDebug(): boolean {
  return process.env.RUNNER_DEBUG === '1';
}
