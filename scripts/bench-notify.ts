/**
 * notify wall time: seven channels (Slack Web API, signed webhook, PagerDuty, Sentry, email over
 * STARTTLS, Teams, Discord) against loopback stand-ins and a real SMTP server, through the
 * committed bundle. Once all healthy, then with Teams hanging: the step must take about one
 * channel timeout, not the sum of the channels' times. Figures, not assertions.
 *
 *   npx tsx scripts/bench-notify.ts          (NOTIFY_TIMEOUT=3s, NOTIFY_RUNS=3)
 */
import { runAction } from '../test/harness/action.js';
import { startWorld } from '../test/notify/world.js';

const TIMEOUT = process.env.NOTIFY_TIMEOUT ?? '3s';
const RUNS = Number(process.env.NOTIFY_RUNS ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const world = await startWorld();
const { 'github-deployment-id': _id, 'github-token': _token, ...seven } = world.inputs;
type Report = { channels: Array<{ channel: string; result: string; duration_ms: number }> };

async function measure(hang: boolean) {
  const wall: number[] = [];
  const sums: number[] = [];
  let last: Report | undefined;
  for (let i = 0; i < RUNS; i++) {
    if (hang) world.teams.inject({ status: 'hang', times: 1 });
    const r = await runAction('notify', { inputs: { ...seven, status: 'success', timeout: TIMEOUT }, env: world.env });
    last = JSON.parse(r.outputs.report!) as Report;
    if (r.code !== 0 || last.channels.length !== 7) throw new Error(`run failed: ${r.log.slice(-2000)}`);
    wall.push(r.durationMs);
    sums.push(last.channels.reduce((s, c) => s + c.duration_ms, 0));
  }
  return { wall, sums, last: last! };
}

const healthy = await measure(false);
const hanging = await measure(true);
await world.close();

console.log(`notify, 7 channels, timeout ${TIMEOUT} per channel, median of ${RUNS} runs (bundle wall time includes process start):`);
console.log('| case | step wall time | sum of channel times | failed |');
console.log('| :-- | --: | --: | :-- |');
for (const [name, m] of [['all healthy', healthy], ['Teams hangs', hanging]] as const) {
  const failed = m.last.channels.filter((c) => c.result === 'failed').map((c) => c.channel).join(', ') || '—';
  console.log(`| ${name} | ${median(m.wall)} ms (runs: ${m.wall.join(', ')}) | ${median(m.sums)} ms | ${failed} |`);
}
console.log('per channel (last hanging run):', hanging.last.channels.map((c) => `${c.channel} ${c.duration_ms} ms ${c.result}`).join('; '));
