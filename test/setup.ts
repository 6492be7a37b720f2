/** After every test file: the test CA and its key leave the temp folder (a worker may be stopped without an 'exit' event). */
import { afterAll } from 'vitest';
import { removeTestCa } from './harness/https.js';

afterAll(removeTestCa);
