import { run } from '../../../shared/core/run.js';
import { main } from './main.js';

await run('canary-shift', main);
