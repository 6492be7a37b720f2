/** The log: lines, debug, annotations and groups through the runner contract; every text passes `redact()` first. */
import * as runner from './runner.js';
import type { CommandProperties } from './runner.js';
import { redact } from './secrets.js';

export type Annotation = CommandProperties;

function write(line: string): void {
  runner.info(redact(line));
}

function annotate(kind: 'error' | 'warning' | 'notice', message: string, at: Annotation = {}): void {
  runner.annotate(kind, redact(message), { ...at, title: at.title === undefined ? undefined : redact(at.title) });
}

export const log = {
  info: (message: string): void => write(message),
  debug: (message: string): void => runner.debug(redact(message)),
  notice: (message: string, at?: Annotation): void => annotate('notice', message, at),
  warning: (message: string, at?: Annotation): void => annotate('warning', message, at),
  error: (message: string, at?: Annotation): void => annotate('error', message, at),
};

let depth = 0;

/** Runs `fn` inside a collapsible log group. Groups do not nest on the runner: inner ones are plain lines. */
export async function group<T>(title: string, fn: () => Promise<T>): Promise<T> {
  if (depth > 0) {
    write(`— ${title}`);
    return fn();
  }
  runner.startGroup(redact(title));
  depth++;
  try {
    return await fn();
  } finally {
    depth--;
    runner.endGroup();
  }
}
