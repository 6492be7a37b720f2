/** Backup destination: reachable and writable — a small probe object written and deleted (S3 bucket or local directory). */
import { randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { access, constants } from 'node:fs/promises';
import { dirname } from 'node:path';
import { errorMessage } from '../../../../shared/core/errors.js';
import type { BackupStore } from '../../../../shared/storage/types.js';
import type { Check } from './types.js';

export type Destination = { kind: 's3'; bucket: string; prefix: string; uri: string } | { kind: 'local'; directory: string };

export interface BackupCheckOptions {
  destination?: Destination;
  s3: { region?: string; endpoint?: string; forcePathStyle: boolean };
  runId: string;
  timeoutMs: number;
}

async function probe(store: BackupStore, runId: string, signal: AbortSignal): Promise<void> {
  const key = `.gantry-preflight-${runId || 'local'}-${randomBytes(4).toString('hex')}`;
  await store.putSmall(key, JSON.stringify({ gantry: 'preflight write probe', at: new Date().toISOString() }), { signal });
  await store.delete([key], { signal });
}

export function backupCheck(o: BackupCheckOptions): Check {
  return {
    id: 'backup-destination',
    title: 'Backup destination',
    skip: o.destination ? undefined : 'no backup-destination given',
    timeoutMs: o.timeoutMs,
    run: async ({ signal }) => {
      const d = o.destination!;
      if (d.kind === 's3') {
        const { S3Store } = await import('../../../../shared/storage/s3.js');
        const store = new S3Store({ bucket: d.bucket, prefix: d.prefix, region: o.s3.region, endpoint: o.s3.endpoint, forcePathStyle: o.s3.forcePathStyle, partSizeBytes: 5 * 1024 * 1024 });
        try {
          await probe(store, o.runId, signal);
        } catch (error) {
          if (signal.aborted) throw error;
          return { status: 'fail', found: `cannot write to ${d.uri}: ${errorMessage(error)}`, fix: 'check the bucket name, region/endpoint and that the role may s3:PutObject and s3:DeleteObject under the prefix' };
        }
        return { status: 'pass', found: `${d.uri} is writable (probe written and deleted)`, data: { uri: d.uri } };
      }
      const { LocalStore } = await import('../../../../shared/storage/local.js');
      if (!existsSync(d.directory)) {
        let parent = dirname(d.directory);
        while (!existsSync(parent) && parent !== dirname(parent)) parent = dirname(parent);
        const usable = statSync(parent).isDirectory() && (await access(parent, constants.W_OK).then(() => true, () => false));
        if (usable) return { status: 'pass', found: `${d.directory} does not exist yet; the backup creates it (${parent} is writable)`, data: { directory: d.directory } };
        return { status: 'fail', found: `${d.directory} does not exist and cannot be created (${parent} is not a writable directory)`, fix: 'give a directory the runner can write to' };
      }
      try {
        await probe(new LocalStore(d.directory), o.runId, signal);
      } catch (error) {
        return { status: 'fail', found: `cannot write to ${d.directory}: ${errorMessage(error)}`, fix: 'give a directory the runner can write to' };
      }
      return { status: 'pass', found: `${d.directory} is writable (probe written and deleted)`, data: { directory: d.directory } };
    },
  };
}
