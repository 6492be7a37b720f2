/**
 * What `task-definition` names, decided once, by one rule, for every caller (the input checks
 * before anything is touched, and the ECS platform when it registers or deploys):
 *
 * 1. `arn:…` is a task definition ARN, with or without `:revision` (without: the family's latest
 *    ACTIVE revision, as ECS reads it). Any other `arn:` is refused.
 * 2. A path to an existing file (relative to the workspace, or absolute) is a task definition JSON
 *    file to register.
 * 3. Otherwise `family` or `family:revision` is a registered task definition (ECS accepts both).
 * 4. Anything else is refused, saying which of these it is not (a path that looks like a file but
 *    does not exist is reported as a missing file).
 */
import { statSync } from 'node:fs';
import { isAbsolute, relative, resolve } from 'node:path';
import { ConfigurationError } from '../core/errors.js';

export type TaskDefinitionSource =
  /** A task definition ECS already has: family, family:revision, or an ARN. Sent to ECS as given. */
  | { kind: 'registered'; reference: string }
  /** A JSON file: `path` absolute, `shown` as the repository knows it (for annotations). */
  | { kind: 'file'; path: string; shown: string };

const ARN = /^arn:aws[a-z-]*:ecs:[a-z0-9-]+:\d{12}:task-definition\/[A-Za-z0-9_-]{1,255}(:[1-9]\d*)?$/;
const FAMILY = /^[A-Za-z0-9_-]{1,255}(:[1-9]\d*)?$/;

const isFile = (path: string) => {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

/** Throws a ConfigurationError (input `task-definition`) for a value that names nothing ECS or the workspace has. */
export function resolveTaskDefinition(value: string, workspace: string): TaskDefinitionSource {
  const refuse = (why: string) => new ConfigurationError(`Input 'task-definition' is ${JSON.stringify(value)}: ${why}`, { input: 'task-definition' });
  if (value.startsWith('arn:')) {
    if (ARN.test(value)) return { kind: 'registered', reference: value };
    throw refuse('not a task definition ARN: use arn:aws:ecs:<region>:<account>:task-definition/<family>[:<revision>]');
  }
  const path = isAbsolute(value) ? value : resolve(workspace, value);
  if (isFile(path)) {
    const shown = relative(workspace, path);
    return { kind: 'file', path, shown: shown && !shown.startsWith('..') && !isAbsolute(shown) ? shown : value };
  }
  if (FAMILY.test(value)) return { kind: 'registered', reference: value };
  if (/[/\\]|\.json$/i.test(value)) throw refuse('no such file: give a task definition JSON file relative to the workspace');
  throw refuse('give a task definition JSON file (relative to the workspace), a family, family:revision, or a task definition ARN');
}
