import { input, readInputs } from '../../../shared/inputs.js';
import { log } from '../../../shared/log.js';
import type { ActionContext } from '../../../shared/run.js';

export async function main(_: ActionContext): Promise<void> {
  const inputs = readInputs({ url: input.url({ required: true }), headers: input.secret() });
  log.info(`checking ${inputs.url}`);
}
