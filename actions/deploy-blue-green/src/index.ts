import { run } from '../../../shared/run.js';
import { main } from './main.js';

await run('deploy-blue-green', main);
