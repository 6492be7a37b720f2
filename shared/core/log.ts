/** Logging through the runner's workflow commands; every line passes `redact()` first. */
import { EOL } from 'node:os';
import { issueCommand, isDebug, type CommandProperties } from './runner.js';
import { redact } from './secrets.js';

export type Annotation = CommandProperties;

function write(line: string): void {
  process.stdout.write(redact(line) + EOL);
}

function annotate(kind: 'error' | 'warning' | 'notice', message: string, at: Annotation = {}): void {
  const props = { ...at, title: at.title === undefined ? undefined : redact(at.title) };
  issueCommand(kind, redact(message), props);
}

export const log = {
  info: (message: string): void => write(message),
  debug: (message: string): void => {
    if (isDebug()) issueCommand('debug', redact(message));
  },
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
  issueCommand('group', redact(title));
  depth++;
  try {
    return await fn();
  } finally {
    depth--;
    issueCommand('endgroup', '');
  }
}
