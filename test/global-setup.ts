/** Starts the real servers the tests need once for the whole run, and stops them after. */
import type { TestProject } from 'vitest/node';
import { startPostgres } from './harness/postgres.js';
import { startS3 } from './harness/s3.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string;
    postgresPassword: string;
    s3Endpoint: string;
  }
}

export default async function setup(project: TestProject) {
  const [pg, s3] = await Promise.all([startPostgres(), startS3(['backups', 'backups-2'])]);
  project.provide('postgresUrl', pg.url);
  project.provide('postgresPassword', pg.password);
  project.provide('s3Endpoint', s3.endpoint);
  return async () => {
    await Promise.all([pg.stop(), s3.stop()]);
  };
}
