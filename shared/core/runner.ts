/**
 * The GitHub runner's contract, through the toolkit the product is specified on (@actions/core):
 * inputs, outputs, state, masks, groups, annotations and the job summary. Everything else in
 * shared/core is a thin layer over these few calls, so no file here writes runner files by hand.
 */
import * as core from '@actions/core';

export interface CommandProperties {
  title?: string;
  file?: string;
  line?: number;
  endLine?: number;
  col?: number;
}

/** The raw value of an input, trimmed; '' when not given. */
export function getInput(name: string): string {
  return core.getInput(name);
}

export function writeOutput(name: string, value: string): void {
  core.setOutput(name, value);
}

export function writeState(name: string, value: string): void {
  core.saveState(name, value);
}

export function readState(name: string): string {
  return core.getState(name);
}

export function mask(value: string): void {
  core.setSecret(value);
}

export function annotate(kind: 'error' | 'warning' | 'notice', message: string, at: CommandProperties = {}): void {
  core[kind](message, { title: at.title, file: at.file, startLine: at.line, endLine: at.endLine, startColumn: at.col });
}

export function info(message: string): void {
  core.info(message);
}

export function debug(message: string): void {
  core.debug(message);
}

export function isDebug(): boolean {
  return core.isDebug();
}

export function startGroup(title: string): void {
  core.startGroup(title);
}

export function endGroup(): void {
  core.endGroup();
}

export function setFailed(message: string): void {
  core.setFailed(message);
}

let summaryWritten = false;

/** Appends Markdown to the step's job summary (a no-op outside the runner). */
export async function appendSummary(markdown: string): Promise<void> {
  summaryWritten = true;
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  await core.summary.addRaw(markdown, true).write();
}

/** Whether this run wrote a job summary yet (run() writes one for a failure that came first). */
export function hasSummary(): boolean {
  return summaryWritten;
}
