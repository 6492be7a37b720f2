/** A backup store in a local directory: writes go to a `.partial` file renamed into place on success. */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { BackupStore, PutOptions, StoredObject } from './types.js';

export class LocalStore implements BackupStore {
  readonly root: string;

  constructor(directory: string) {
    this.root = resolve(directory);
  }

  private path(key: string): string {
    const path = resolve(this.root, key);
    if (path !== this.root && !path.startsWith(this.root + sep)) throw new Error(`Key ${JSON.stringify(key)} leaves the backup directory`);
    return path;
  }

  uri(key: string): string {
    return this.path(key);
  }

  async put(key: string, body: Readable, options: PutOptions = {}): Promise<void> {
    const path = this.path(key);
    const partial = `${path}.partial`;
    await mkdir(dirname(path), { recursive: true });
    let bytes = 0;
    if (options.onProgress) body.on('data', (c: Buffer) => options.onProgress!((bytes += c.length)));
    try {
      await pipeline(body, createWriteStream(partial, { flags: 'wx' }), { signal: options.signal });
      await rename(partial, path);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  }

  async putSmall(key: string, body: string): Promise<void> {
    const path = this.path(key);
    await mkdir(dirname(path), { recursive: true });
    const partial = `${path}.partial`;
    await writeFile(partial, body);
    await rename(partial, path);
  }

  async get(key: string): Promise<Readable> {
    const path = this.path(key);
    await stat(path); // a clear ENOENT now rather than on the first read
    return createReadStream(path, { highWaterMark: 1024 * 1024 });
  }

  async getText(key: string): Promise<string> {
    return readFile(this.path(key), 'utf8');
  }

  async *list(prefix: string): AsyncIterable<StoredObject> {
    // The prefix names a directory ("name/") or a file-name prefix within one.
    const base = this.path(prefix.endsWith('/') ? prefix : dirname(prefix) === '.' ? '' : dirname(prefix));
    const walk = async function* (this: LocalStore, dir: string): AsyncIterable<StoredObject> {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw error;
      }
      for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) yield* walk.call(this, full);
        else if (entry.isFile() && !entry.name.endsWith('.partial')) {
          const key = relative(this.root, full).split(sep).join('/');
          if (!key.startsWith(prefix)) continue;
          const s = await stat(full);
          yield { key, size: s.size, lastModified: s.mtime };
        }
      }
    };
    yield* walk.call(this, base);
  }

  async delete(keys: string[]): Promise<number> {
    let deleted = 0;
    for (const key of keys) {
      try {
        await rm(this.path(key));
        deleted++;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
    }
    return deleted;
  }
}
