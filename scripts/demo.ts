/**
 * `npm run demo`: the release pipeline end to end on local stand-ins, each step run from its
 * committed bundle exactly as the GitHub runner runs it. Steps live in scripts/demo/<step>.ts.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runAction, type ActionResult } from '../test/harness/action.js';
import { palette } from '../test/harness/colour.js';
import { startPostgres, type PostgresServer } from '../test/harness/postgres.js';

export interface DemoContext {
  tmp: string;
  runAction: typeof runAction;
  /** Prints what a person sees in the Actions UI: the log, the outputs and the job summary. */
  show(title: string, result: ActionResult): void;
  /** A throwaway PostgreSQL, started on first use. */
  postgres(): Promise<PostgresServer>;
  /** Registers cleanup run at the end (servers to stop). */
  defer(fn: () => Promise<void> | void): void;
}

// Colour only on a terminal, and never with NO_COLOR.
const { bold, dim } = palette();

const steps: Array<{ name: string; module: string }> = [
  { name: 'smoke-test', module: './demo/smoke-test.js' },
  { name: 'backup', module: './demo/backup.js' },
  { name: 'migrate', module: './demo/migrate.js' },
  { name: 'deploy-blue-green', module: './demo/deploy-blue-green.js' },
];

async function main(): Promise<void> {
  const tmp = mkdtempSync(join(tmpdir(), 'gantry-demo-'));
  const cleanups: Array<() => Promise<void> | void> = [];
  let pg: Promise<PostgresServer> | undefined;
  const context: DemoContext = {
    tmp,
    runAction,
    show(title, result) {
      console.log(`\n${bold(`▶ ${title}`)} ${dim(`(exit ${result.code}, ${result.durationMs} ms)`)}`);
      console.log(result.log.replace(/^/gm, '  │ '));
      if (Object.keys(result.outputs).length) {
        console.log(bold('  outputs'));
        for (const [k, v] of Object.entries(result.outputs)) console.log(`    ${k} = ${v.length > 160 ? `${v.slice(0, 157)}...` : v}`);
      }
      if (result.summary.trim()) {
        console.log(bold('  job summary'));
        console.log(result.summary.trim().replace(/^/gm, '    '));
      }
    },
    postgres: () => {
      pg ??= startPostgres().then((server) => {
        cleanups.push(() => server.stop());
        return server;
      });
      return pg;
    },
    defer: (fn) => cleanups.push(fn),
  };
  let failed = false;
  try {
    for (const step of steps) {
      const mod: { run(context: DemoContext): Promise<void> } = await import(step.module);
      console.log(`\n${bold(`════ ${step.name} ════`)}`);
      await mod.run(context);
    }
  } catch (error) {
    failed = true;
    console.error(`\nDemo failed: ${error instanceof Error ? error.stack : error}`);
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
    rmSync(tmp, { recursive: true, force: true });
  }
  process.exitCode = failed ? 1 : 0;
}

await main();
