/** Each action's input schema declares exactly the inputs of its action.yml: none unread, none undeclared. */
import { describe, expect, it } from 'vitest';
import { readManifest } from '../harness/contracts.js';
import { definitions as deployBlueGreen } from '../../actions/deploy-blue-green/src/inputs.js';
import { definitions as backup } from '../../actions/backup/src/inputs.js';
import { definitions as canaryShift } from '../../actions/canary-shift/src/inputs.js';
import { inputs as migrate } from '../../actions/migrate/src/inputs.js';
import { definitions as notify } from '../../actions/notify/src/inputs.js';
import { inputs as preflight } from '../../actions/preflight/src/inputs.js';
import { definitions as smokeTest } from '../../actions/smoke-test/src/inputs.js';

const schemas: Record<string, object> = {
  'deploy-blue-green': deployBlueGreen,
  backup: backup(),
  'canary-shift': canaryShift,
  migrate,
  notify,
  preflight,
  'smoke-test': smokeTest,
};

describe('input schemas match action.yml', () => {
  it.each(Object.keys(schemas))('%s', (name) => {
    expect(Object.keys(schemas[name]!).sort()).toEqual(Object.keys(readManifest(name).inputs).sort());
  });
});
