/**
 * The age payload on Node's native ChaCha20-Poly1305 (shared/crypto/age.ts) against the real `age`
 * CLI both ways and the `age-encryption` library, at chunk-boundary sizes; and the refusals STREAM
 * exists for: a tampered, truncated, cut-at-a-boundary or extended last chunk, a wrong key.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { Decrypter, generateIdentity, identityToRecipient } from 'age-encryption';
import { beforeAll, describe, expect, it } from 'vitest';
import { decryptStream, encryptStream, type DecryptionKey, type EncryptionKey } from '../../shared/crypto/age.js';

const SEALED = 64 * 1024 + 16;
const dir = mkdtempSync(join(tmpdir(), 'gantry-age-'));
let identity: string;
let recipient: string;
let keyFile: string;

beforeAll(async () => {
  identity = await generateIdentity();
  recipient = await identityToRecipient(identity);
  keyFile = join(dir, 'key.txt');
  writeFileSync(keyFile, `${identity}\n`);
});

/** Feeds `data` in pieces of `piece` bytes (the pipes' chunking must not matter). */
function source(data: Buffer, piece: number): Readable {
  return Readable.from((function* () {
    for (let at = 0; at < data.length; at += piece) yield data.subarray(at, at + piece);
  })());
}

async function collect(stream: Readable): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const c of stream) parts.push(c as Buffer);
  return Buffer.concat(parts);
}

const encrypt = (data: Buffer, key: EncryptionKey, piece = 10_000) => collect(encryptStream(source(data, piece), key));
const decrypt = (data: Buffer, key: DecryptionKey, piece = 10_000) => collect(decryptStream(source(data, piece), key));

/** Decrypts and reports the error, and how many plaintext bytes came out before it. */
async function refusal(data: Buffer, key: DecryptionKey): Promise<{ error?: Error; released: number }> {
  let released = 0;
  const stream = decryptStream(source(data, 50_000), key);
  stream.on('data', (c: Buffer) => (released += c.length));
  const error = await new Promise<Error | undefined>((resolve) => {
    stream.on('error', resolve);
    stream.on('end', () => resolve(undefined));
  });
  return { error, released };
}

const SIZES = [0, 1, 1000, 65_535, 65_536, 65_537, 131_072, 200_000];

describe('age payload: interoperates with the age CLI and the library', () => {
  for (const size of SIZES) {
    it(`${size} bytes: ours → age -d; age -r → ours; ours → library; ours → ours`, async () => {
      const plain = randomBytes(size);
      const ours = await encrypt(plain, { recipients: [recipient] }, size % 2 ? 4096 : 100_000);
      // What `age -r` writes for one recipient: header, nonce, STREAM — so the same length.
      const file = join(dir, `ours-${size}.age`);
      writeFileSync(file, ours);
      expect(execFileSync('age', ['-d', '-i', keyFile, file], { maxBuffer: 2 ** 26 }).equals(plain)).toBe(true);

      const theirs = execFileSync('age', ['-r', recipient], { input: plain, maxBuffer: 2 ** 26 });
      expect(ours.length).toBe(theirs.length);
      expect((await decrypt(theirs, { identities: [identity] }, 777)).equals(plain)).toBe(true);

      const lib = new Decrypter();
      lib.addIdentity(identity);
      expect(Buffer.from(await lib.decrypt(ours)).equals(plain)).toBe(true);
      expect((await decrypt(ours, { identities: [identity] }, 65_552)).equals(plain)).toBe(true);
    });
  }

  it('a passphrase: ours → age -d (scrypt stanza from the library, payload ours) and → ours', async () => {
    const plain = randomBytes(150_000);
    const passphrase = `pass ${Math.random().toString(36).slice(2)}`;
    const ours = await encrypt(plain, { passphrase });
    const file = join(dir, 'ours-pass.age');
    writeFileSync(file, ours);
    // age reads a passphrase from a terminal only: `script` gives it one.
    execFileSync('script', ['-qec', `age -d -o ${file}.out ${file}`, '/dev/null'], { input: `${passphrase}\n`, stdio: ['pipe', 'ignore', 'ignore'] });
    expect(readFileSync(`${file}.out`).equals(plain)).toBe(true);
    expect((await decrypt(ours, { passphrase })).equals(plain)).toBe(true);
  }, 60_000);

  it('inputs of any size around the sealed chunks: one straddling two inputs, several in one, all in one', async () => {
    const plain = randomBytes(10 * 65_536 + 123);
    const theirs = execFileSync('age', ['-r', recipient], { input: plain, maxBuffer: 2 ** 26 });
    for (const piece of [SEALED - 1, SEALED + 1, 3 * SEALED + 7, 2 ** 20]) {
      expect((await decrypt(theirs, { identities: [identity] }, piece)).equals(plain), `pieces of ${piece} bytes`).toBe(true);
    }
  });
});

describe('age payload: damage is refused', () => {
  let plain: Buffer;
  let ours: Buffer;
  const key = () => ({ identities: [identity] });
  beforeAll(async () => {
    plain = randomBytes(3 * 65_536 + 5000); // three full chunks and a short last one
    ours = await encrypt(plain, { recipients: [recipient] });
  });

  it('a flipped byte in the last chunk', async () => {
    const bad = Buffer.from(ours);
    bad[bad.length - 100]! ^= 1;
    const r = await refusal(bad, key());
    expect(r.error?.message).toMatch(/does not authenticate at chunk 3 \(the last/);
    expect(r.released).toBe(3 * 65_536); // only authenticated chunks came out
  });

  it('a flipped byte in a middle chunk', async () => {
    const bad = Buffer.from(ours);
    bad[bad.length - 5016 - SEALED / 2]! ^= 1;
    expect((await refusal(bad, key())).error?.message).toMatch(/does not authenticate at chunk 2:/);
  });

  it('the last chunk cut short by one byte, and cut to less than a tag', async () => {
    expect((await refusal(ours.subarray(0, ours.length - 1), key())).error?.message).toMatch(/does not authenticate at chunk 3 \(the last/);
    expect((await refusal(ours.subarray(0, ours.length - 5016 + 10), key())).error?.message).toMatch(/truncated/);
  });

  it('cut exactly at a chunk boundary (the last chunk dropped): the chunk before is not flagged last', async () => {
    const r = await refusal(ours.subarray(0, ours.length - 5016), key());
    expect(r.error?.message).toMatch(/does not authenticate at chunk 2 \(the last/);
    expect(r.released).toBe(2 * 65_536);
  });

  it('bytes appended after the last chunk, and an empty chunk after data', async () => {
    expect((await refusal(Buffer.concat([ours, Buffer.from('x')]), key())).error?.message).toMatch(/does not authenticate/);
    const exact = await encrypt(randomBytes(65_536), { recipients: [recipient] });
    const emptyTail = Buffer.concat([exact, randomBytes(16)]);
    expect((await refusal(emptyTail, key())).error?.message).toMatch(/empty chunk after data|does not authenticate/);
  });

  it('the wrong identity, a damaged header and a file that is not age', async () => {
    expect((await refusal(ours, { identities: [await generateIdentity()] })).error?.message).toMatch(/no identity matched/);
    const header = Buffer.from(ours);
    header[40]! ^= 1;
    expect((await refusal(header, key())).error).toBeDefined();
    expect((await refusal(Buffer.alloc(10), key())).error?.message).toMatch(/header/);
  });
});
