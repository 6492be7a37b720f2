/** The scripts print colour only on a terminal, and never with NO_COLOR. */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../harness/action.js';
import { colourEnabled, palette } from '../harness/colour.js';

describe('colour', () => {
  it.each([
    [{ isTTY: true }, {}, true],
    [{ isTTY: false }, {}, false],
    [{}, {}, false],
    [{ isTTY: true }, { NO_COLOR: '1' }, false],
    [{ isTTY: true }, { TERM: 'dumb' }, false],
    [{ isTTY: false }, { FORCE_COLOR: '1' }, true],
    [{ isTTY: true }, { FORCE_COLOR: '0' }, false],
    [{ isTTY: true }, { NO_COLOR: '1', FORCE_COLOR: '1' }, false],
  ])('stream %j, env %j → %s', (stream, env, expected) => expect(colourEnabled(stream, env as NodeJS.ProcessEnv)).toBe(expected));

  it('is plain text when off', () => {
    expect(palette(false).bold('x')).toBe('x');
    expect(palette(true).bold('x')).toBe('\x1b[1mx\x1b[22m');
  });

  it('the scripts print no escape codes into a pipe', () => {
    // The demo's and benchmarks' sources use the palette, not escape codes of their own.
    const grep = spawnSync('grep', ['-rlE', String.raw`\\x1b|\\u001b|\\033`, 'scripts'], { cwd: ROOT, encoding: 'utf8' });
    expect(grep.stdout).toBe('');
    expect(grep.status).toBe(1); // nothing found (2 would be an error)
  });
});
