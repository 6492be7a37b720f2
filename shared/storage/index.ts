export type { BackupStore, StoredObject, PutOptions } from './types.js';
export { LocalStore } from './local.js';
export { S3Store, parseS3Uri, s3Client, MiB, type S3Options } from './s3.js';
