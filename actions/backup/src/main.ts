/** backup: inputs in, the store opened, the operation carried out, the summary written. */
import type { ActionContext } from '../../../shared/core/run.js';
import { Summary } from '../../../shared/core/summary.js';
import { readBackupInputs } from './inputs.js';
import { openStore, operate } from './operations.js';

export async function main({ signal }: ActionContext): Promise<void> {
  try {
    const i = await readBackupInputs();
    const store = await openStore(i);
    const summary = new Summary();
    await operate(i, store, summary, signal);
    await summary.write();
  } catch (error) {
    // Whatever broke while we were being cancelled (an aborted upload, a killed pg_dump), it was the cancel.
    if (signal.aborted) throw signal.reason;
    throw error;
  }
}
