/** The one rule for what `task-definition` names: every form ECS accepts, files, and refusals. */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../shared/core/errors.js';
import { resolveTaskDefinition } from '../../shared/platforms/task-definition.js';

const workspace = mkdtempSync(join(tmpdir(), 'gantry-tdref-'));
mkdirSync(join(workspace, 'ecs'));
writeFileSync(join(workspace, 'ecs', 'taskdef.json'), '{}');
writeFileSync(join(workspace, 'taskdef'), '{}');
mkdirSync(join(workspace, 'shop'));

const refusal = (value: string) => {
  try {
    resolveTaskDefinition(value, workspace);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as ConfigurationError).location?.input).toBe('task-definition');
    return (error as Error).message;
  }
  throw new Error(`${value} was accepted`);
};

describe('task-definition references', () => {
  it.each([
    ['shop', 'a family (its latest ACTIVE revision)'],
    ['shop:3', 'family:revision'],
    ['shop_web-2:17', 'family:revision with _ and -'],
    ['arn:aws:ecs:eu-west-1:123456789012:task-definition/shop:3', 'an ARN with its revision'],
    ['arn:aws:ecs:eu-west-1:123456789012:task-definition/shop', 'an ARN without a revision'],
    ['arn:aws-us-gov:ecs:us-gov-west-1:123456789012:task-definition/shop:1', 'an ARN in another partition'],
  ])('%s is registered (%s), sent to ECS as given', (value) => {
    expect(resolveTaskDefinition(value, workspace)).toEqual({ kind: 'registered', reference: value });
  });

  it('a path to an existing file is a JSON file to register, shown as the repository knows it', () => {
    expect(resolveTaskDefinition('ecs/taskdef.json', workspace)).toEqual({ kind: 'file', path: join(workspace, 'ecs', 'taskdef.json'), shown: 'ecs/taskdef.json' });
    expect(resolveTaskDefinition(join(workspace, 'ecs', 'taskdef.json'), workspace)).toMatchObject({ kind: 'file', shown: 'ecs/taskdef.json' });
    // A file without an extension is still a file; a directory of a family's name is not.
    expect(resolveTaskDefinition('taskdef', workspace)).toMatchObject({ kind: 'file' });
    expect(resolveTaskDefinition('shop', workspace)).toEqual({ kind: 'registered', reference: 'shop' });
  });

  it('refuses what is neither, saying which it is not', () => {
    expect(refusal('ecs/missing.json')).toMatch(/no such file/);
    expect(refusal('missing.json')).toMatch(/no such file/);
    expect(refusal('arn:aws:ecs:eu-west-1:123456789012:service/prod/web')).toMatch(/not a task definition ARN/);
    expect(refusal('arn:aws:ecs:eu-west-1:123456789012:task-definition/shop:latest')).toMatch(/not a task definition ARN/);
    expect(refusal('shop:0')).toMatch(/family, family:revision, or a task definition ARN/);
    expect(refusal('shop web')).toMatch(/family, family:revision/);
    expect(refusal('shop:3:4')).toMatch(/family, family:revision/);
  });
});
