/**
 * Streaming age encryption (https://age-encryption.org/v1): authenticated 64 KiB chunks, so a
 * stream can be decrypted safely as it arrives, and the `age` CLI decrypts our files by hand
 * (`age -d -i key.txt backup.dump.age`).
 *
 * The header — recipient stanzas (X25519, post-quantum, scrypt) and its HMAC — is the
 * `age-encryption` package's, by the format's authors. The payload is not: its STREAM of
 * ChaCha20-Poly1305 chunks runs here on Node's native cipher. The package's payload is
 * @noble/ciphers in JavaScript on the main thread: 34–46 MiB/s against Node's 270–580 MiB/s
 * (64 KiB chunks, same run, 2 shared cores), and it was the largest single cost of a backup and
 * a restore of data that does not compress away (≈ a third of the main thread's busy time on
 * the md5 pgbench database). The payload is a few lines of a fixed format; interoperability
 * with the real `age` CLI both ways, and the refusal of a tampered or truncated last chunk, are
 * tested (test/backup/age.test.ts).
 */
import { createCipheriv, createDecipheriv, createSecretKey, hkdfSync, type KeyObject } from 'node:crypto';
import { Readable, Transform, type TransformCallback } from 'node:stream';

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

export interface DecryptionKey {
  identities?: string[];
  passphrase?: string;
}

/** STREAM (age spec, "Payload"): 64 KiB plaintext chunks, each sealed with a 16-byte tag. */
const CHUNK = 64 * 1024;
const TAG = 16;
const SEALED = CHUNK + TAG;
const NONCE_BYTES = 16;
/** A header is a few stanzas (a post-quantum one is ~1.5 KiB); more than this is not an age file. */
const MAX_HEADER = 1024 * 1024;

/**
 * The header and payload key of a new file. The library writes the header; its file key reaches
 * us through a recipient that adds no stanza (it is only handed the key). With a passphrase there
 * is no room for one (scrypt must stand alone), so the key is read back from the header with the
 * same passphrase: a second scrypt (~1 s, sequential, so no more memory).
 */
async function newHeader(key: EncryptionKey): Promise<{ prefix: Buffer; payloadKey: KeyObject }> {
  const lib = await age();
  const encrypter = new lib.Encrypter();
  let fileKey: Uint8Array | undefined;
  if ('passphrase' in key) {
    encrypter.setPassphrase(key.passphrase);
  } else {
    for (const r of key.recipients) encrypter.addRecipient(r);
    encrypter.addRecipient({ wrapFileKey: (k: Uint8Array) => ((fileKey = Uint8Array.from(k)), []) });
  }
  // An empty file: header ‖ 16-byte nonce ‖ the empty last chunk (its tag alone).
  const empty = Buffer.from(await encrypter.encrypt(new Uint8Array(0)));
  const prefix = empty.subarray(0, empty.length - TAG);
  if (!fileKey) {
    const decrypter = new lib.Decrypter();
    decrypter.addPassphrase((key as { passphrase: string }).passphrase);
    fileKey = await decrypter.decryptHeader(prefix.subarray(0, prefix.length - NONCE_BYTES));
  }
  const payloadKey = derivePayloadKey(fileKey, prefix.subarray(prefix.length - NONCE_BYTES));
  // The library's own empty last chunk must open with our key: if its key schedule ever differs, stop here.
  open(payloadKey, new ChunkNonce().last(), empty.subarray(empty.length - TAG));
  return { prefix: Buffer.from(prefix), payloadKey };
}

/**
 * A KeyObject, made once: handed a Buffer, every chunk's cipher would wrap the key afresh, and
 * that doubled the cost of sealing a 64 KiB chunk (60–80 µs against 34 µs, same run).
 */
function derivePayloadKey(fileKey: Uint8Array, nonce: Uint8Array): KeyObject {
  return createSecretKey(Buffer.from(hkdfSync('sha256', fileKey, nonce, 'payload', 32)));
}

/** The 12-byte chunk nonce: an 11-byte big-endian counter and the last-chunk flag. */
class ChunkNonce {
  private readonly bytes = Buffer.alloc(12);
  next(): Buffer {
    const n = Buffer.from(this.bytes);
    for (let i = 10; i >= 0; i--) {
      this.bytes[i] = (this.bytes[i]! + 1) & 0xff;
      if (this.bytes[i] !== 0) break;
    }
    return n;
  }
  last(): Buffer {
    const n = this.next();
    n[11] = 1;
    return n;
  }
}

function seal(key: KeyObject, nonce: Buffer, plain: Buffer, out: Buffer, at: number): number {
  const c = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG });
  at += c.update(plain).copy(out, at);
  c.final();
  return at + c.getAuthTag().copy(out, at);
}

function open(key: KeyObject, nonce: Buffer, sealed: Buffer): Buffer {
  const d = createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG });
  d.setAuthTag(sealed.subarray(sealed.length - TAG));
  const plain = d.update(sealed.subarray(0, sealed.length - TAG));
  d.final(); // throws unless the chunk authenticates
  return plain;
}

/** Links a transform to its source: errors travel both ways, as in one pipeline. */
function linked(source: Readable, transform: Transform): Readable {
  source.on('error', (error) => {
    if (!transform.destroyed) transform.destroy(error);
  });
  transform.on('close', () => {
    if (!source.destroyed) source.destroy();
  });
  transform.on('error', () => undefined); // surfaced where the pipeline is awaited
  return source.pipe(transform);
}

export function encryptStream(input: Readable, key: EncryptionKey): Readable {
  let payloadKey: KeyObject;
  const nonce = new ChunkNonce();
  let carry: Buffer = Buffer.alloc(0);
  const encrypt = new Transform({
    highWaterMark: 256 * 1024,
    construct(callback) {
      newHeader(key).then(({ prefix, payloadKey: k }) => {
        payloadKey = k;
        this.push(prefix);
        callback();
      }, callback);
    },
    transform(chunk: Buffer, _, callback: TransformCallback) {
      const data = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      // A full chunk is sealed only once more data follows it: the last chunk carries the flag.
      const chunks = Math.max(0, Math.floor((data.length - 1) / CHUNK));
      const out = Buffer.allocUnsafe(chunks * SEALED);
      let at = 0;
      for (let i = 0; i < chunks; i++) at = seal(payloadKey, nonce.next(), data.subarray(i * CHUNK, (i + 1) * CHUNK), out, at);
      carry = Buffer.from(data.subarray(chunks * CHUNK));
      callback(null, chunks ? out : undefined);
    },
    flush(callback: TransformCallback) {
      // Empty only when the whole file is (age allows an empty last chunk only as the first).
      const out = Buffer.allocUnsafe(carry.length + TAG);
      seal(payloadKey, nonce.last(), carry, out, 0);
      callback(null, out);
    },
  });
  return linked(input, encrypt);
}

export function decryptStream(input: Readable, key: DecryptionKey): Readable {
  let payloadKey: KeyObject | undefined;
  const nonce = new ChunkNonce();
  /** Bytes not yet opened: the header, then at most one sealed chunk (waiting for the rest of it, or for what follows). */
  let carry: Buffer = Buffer.alloc(0);
  let chunks = 0;
  const decrypt = new Transform({
    highWaterMark: 256 * 1024,
    transform(chunk: Buffer, _, callback: TransformCallback) {
      if (payloadKey) return openFrom(chunk, callback);
      carry = carry.length ? Buffer.concat([carry, chunk]) : chunk;
      const headerEnd = endOfHeader(carry);
      if (headerEnd === undefined) {
        return callback(carry.length > MAX_HEADER ? new Error('this is not an age-encrypted file (no header end in the first MiB)') : null);
      }
      if (carry.length < headerEnd + NONCE_BYTES) return callback();
      const header = carry.subarray(0, headerEnd);
      const fileNonce = carry.subarray(headerEnd, headerEnd + NONCE_BYTES);
      readFileKey(header, key).then((fileKey) => {
        payloadKey = derivePayloadKey(fileKey, fileNonce);
        const rest = carry.subarray(headerEnd + NONCE_BYTES);
        carry = Buffer.alloc(0);
        openFrom(rest, callback);
      }, callback);
    },
    flush(callback: TransformCallback) {
      if (!payloadKey) return callback(new Error('the age file ends inside its header (truncated)'));
      if (carry.length < TAG) return callback(new Error(`the age payload is truncated (chunk ${chunks} is incomplete)`));
      if (carry.length === TAG && chunks > 0) return callback(new Error('the age payload ends with an empty chunk after data: it was altered'));
      try {
        callback(null, openOrExplain(nonce.last(), carry, true));
      } catch (error) {
        callback(error as Error);
      }
    },
  });
  /**
   * Opens every full chunk that more data follows (the last one carries the flag and waits for
   * the end). Chunks are opened where they lie in the input: only one that straddles two inputs
   * is copied together, not the whole input onto the carry (a restore's largest allocation).
   */
  function openFrom(data: Buffer, callback: TransformCallback): void {
    const pieces: Buffer[] = [];
    try {
      let at = 0;
      if (carry.length) {
        const missing = SEALED - carry.length;
        if (data.length <= missing) {
          carry = Buffer.concat([carry, data]);
          return callback();
        }
        pieces.push(openOrExplain(nonce.next(), Buffer.concat([carry, data.subarray(0, missing)]), false));
        at = missing;
      }
      for (; data.length - at > SEALED; at += SEALED) pieces.push(openOrExplain(nonce.next(), data.subarray(at, at + SEALED), false));
      carry = Buffer.from(data.subarray(at));
    } catch (error) {
      return callback(error as Error);
    }
    callback(null, pieces.length > 1 ? Buffer.concat(pieces) : pieces[0]);
  }
  function openOrExplain(chunkNonce: Buffer, sealed: Buffer, last: boolean): Buffer {
    try {
      const plain = open(payloadKey!, chunkNonce, sealed);
      chunks++;
      return plain;
    } catch {
      // A last chunk that does not open as the last may be a full chunk whose successors were cut off.
      throw new Error(`the age payload does not authenticate at chunk ${chunks}${last ? ' (the last: truncated or altered)' : ''}: it was altered or damaged`);
    }
  }
  return linked(input, decrypt);
}

/** The header ends with its MAC line: "--- <base64>\n" (stanza lines start with "-> " or are base64). */
function endOfHeader(data: Buffer): number | undefined {
  const mac = data.indexOf('\n--- ');
  if (mac < 0) return undefined;
  const end = data.indexOf(0x0a, mac + 1);
  return end < 0 ? undefined : end + 1;
}

async function readFileKey(header: Buffer, key: DecryptionKey): Promise<Uint8Array> {
  const decrypter = new (await age()).Decrypter();
  if (key.passphrase) decrypter.addPassphrase(key.passphrase);
  for (const id of key.identities ?? []) decrypter.addIdentity(id);
  return decrypter.decryptHeader(header);
}
