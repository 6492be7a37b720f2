/**
 * Streaming age encryption (https://age-encryption.org, the `age-encryption` package by the
 * format's authors): authenticated 64 KiB chunks, so a stream can be decrypted safely as it
 * arrives, and the `age` CLI decrypts our files by hand (`age -d -i key.txt backup.dump.age`).
 */
import { Readable } from 'node:stream';

// Loaded on first use: the library (its ciphers and curves) cost a backup ~25 ms of start-up,
// and runs that fail on their inputs, list or prune never need it.
const age = () => import('age-encryption');

export type EncryptionKey = { recipients: string[] } | { passphrase: string };

/** Throws (a message completing "Input 'x' …") when a recipient is not an age public key. */
export async function checkRecipient(recipient: string): Promise<void> {
  if (!/^age1[0-9a-z]+$/.test(recipient)) throw new Error('is not an age public key (age1…): generate one with `age-keygen`');
  const { Encrypter } = await age();
  try {
    new Encrypter().addRecipient(recipient);
  } catch {
    throw new Error('is not a valid age public key (the checksum does not match): copy it again from `age-keygen -y key.txt`');
  }
}

/** Throws when the text holds no valid identity. Accepts a key file's content (comments allowed). */
export async function parseIdentities(text: string): Promise<string[]> {
  const ids = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  if (ids.length === 0) throw new Error('holds no age identity (AGE-SECRET-KEY-1…)');
  const { identityToRecipient } = await age();
  for (const id of ids) {
    if (!/^AGE-SECRET-KEY-(PQ-)?1[0-9A-Z]+$/.test(id)) throw new Error('is not an age identity: give the content of a key file made by `age-keygen` (AGE-SECRET-KEY-1…)');
    try {
      await identityToRecipient(id);
    } catch {
      throw new Error('is not a valid age identity (the checksum does not match)');
    }
  }
  return ids;
}

export function encryptStream(input: Readable, key: EncryptionKey): Readable {
  return fromWebLazy(async () => {
    const encrypter = new (await age()).Encrypter();
    if ('passphrase' in key) encrypter.setPassphrase(key.passphrase);
    else for (const r of key.recipients) encrypter.addRecipient(r);
    return encrypter.encrypt(toWeb(input));
  }, input);
}

export interface DecryptionKey {
  identities?: string[];
  passphrase?: string;
}

export function decryptStream(input: Readable, key: DecryptionKey): Readable {
  return fromWebLazy(async () => {
    const decrypter = new (await age()).Decrypter();
    if (key.passphrase) decrypter.addPassphrase(key.passphrase);
    for (const id of key.identities ?? []) decrypter.addIdentity(id);
    return decrypter.decrypt(toWeb(input));
  }, input);
}

/** A bounded web view of a Node stream: at most a few chunks queued, so memory stays flat. */
function toWeb(input: Readable): ReadableStream<Uint8Array> {
  return Readable.toWeb(input, { strategy: new CountQueuingStrategy({ highWaterMark: 4 }) }) as ReadableStream<Uint8Array>;
}

/** A Node Readable over a web stream that is produced asynchronously; errors propagate both ways. */
function fromWebLazy(make: () => Promise<ReadableStream<Uint8Array>>, source: Readable): Readable {
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  let starting: Promise<ReadableStreamDefaultReader<Uint8Array>> | undefined;
  const out = new Readable({
    highWaterMark: 256 * 1024,
    read() {
      starting ??= make().then((s) => (reader = s.getReader()));
      starting.then(
        async (r) => {
          try {
            const { done, value } = await r.read();
            if (done) out.push(null);
            else out.push(Buffer.from(value.buffer, value.byteOffset, value.byteLength));
          } catch (error) {
            out.destroy(error as Error);
          }
        },
        (error: Error) => out.destroy(error),
      );
    },
    destroy(error, callback) {
      reader?.cancel(error ?? undefined).catch(() => undefined);
      if (!source.destroyed) source.destroy(error ?? undefined);
      callback(error);
    },
  });
  source.on('error', (error) => {
    if (!out.destroyed) out.destroy(error);
  });
  out.on('error', () => undefined); // surfaced where the pipeline is awaited
  return out;
}
