import { beforeAll, describe, expect, it } from 'vitest';
import {
  FILE_CHUNK_BYTES,
  FILE_CHUNK_OVERHEAD_BYTES,
  FILE_CIPHERTEXT_CHUNK_BYTES,
  FILE_HEADER_BYTES,
  FORMAT,
  concatBytes,
  createFileDecryptor,
  createFileEncryptor,
  decryptFile,
  decryptFileStream,
  encryptFile,
  encryptFileStream,
  encryptedFileSize,
  generateFileKey,
  initCrypto,
  toHex,
} from '../../../server/crypto/index.ts';
import { expectCryptoError, expectCryptoErrorAsync, expectSameBytes, flipBit, withFirstByte } from './helpers.ts';

beforeAll(async () => {
  await initCrypto();
});

const KIB64 = 64 * 1024;
const pattern = (n: number, salt = 0): Uint8Array => Uint8Array.from({ length: n }, (_, i) => (i * 7 + salt) & 0xff);

/** Splits a stored blob into its header and ciphertext chunks. */
function splitBlob(blob: Uint8Array): { header: Uint8Array; chunks: Uint8Array[] } {
  const chunks: Uint8Array[] = [];
  for (let i = FILE_HEADER_BYTES; i < blob.length; i += FILE_CIPHERTEXT_CHUNK_BYTES) {
    chunks.push(blob.slice(i, i + FILE_CIPHERTEXT_CHUNK_BYTES));
  }
  return { header: blob.slice(0, FILE_HEADER_BYTES), chunks };
}

async function collect(source: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  for await (const part of source) parts.push(part);
  return concatBytes(...parts);
}

/** Yields `data` in pieces of the given sizes, cycling through them. */
async function* pieces(data: Uint8Array, sizes: readonly number[]): AsyncGenerator<Uint8Array> {
  let offset = 0;
  for (let i = 0; offset < data.length; i++) {
    const size = sizes[i % sizes.length] ?? 1;
    yield data.slice(offset, offset + size);
    offset += size;
  }
}

describe('file stream constants', () => {
  it('uses 64 KiB plaintext chunks, 17 bytes of overhead per chunk and a 25-byte header', () => {
    expect(FILE_CHUNK_BYTES).toBe(65_536);
    expect(FILE_CHUNK_OVERHEAD_BYTES).toBe(17);
    expect(FILE_CIPHERTEXT_CHUNK_BYTES).toBe(65_553);
    expect(FILE_HEADER_BYTES).toBe(25);
  });
});

describe('whole-buffer file encryption', () => {
  it.each([0, 1, KIB64 - 1, KIB64, KIB64 + 1, 3 * KIB64 + 5])('round-trips %i bytes at the predicted size', (size) => {
    const key = generateFileKey();
    const data = pattern(size);
    const blob = encryptFile(key, data);
    expect(blob[0]).toBe(FORMAT.FILE_STREAM_V1);
    expect(blob.length).toBe(encryptedFileSize(size));
    expectSameBytes(decryptFile(key, blob), data);
  });

  it('uses a fresh stream header each time, even with the same key', () => {
    const key = generateFileKey();
    expect(toHex(encryptFile(key, pattern(10)))).not.toBe(toHex(encryptFile(key, pattern(10))));
  });

  it('fails with the wrong key', () => {
    const blob = encryptFile(generateFileKey(), pattern(100));
    expectCryptoError(() => decryptFile(generateFileKey(), blob), 'DECRYPT_FAILED');
  });

  it('fails with one byte changed in the header, at a chunk edge or inside a chunk', () => {
    const key = generateFileKey();
    const blob = encryptFile(key, pattern(2 * KIB64 + 100));
    expectCryptoError(() => decryptFile(key, flipBit(blob, 0)), 'UNSUPPORTED_VERSION');
    const positions = [
      ...Array.from({ length: FILE_HEADER_BYTES - 1 }, (_, i) => i + 1),
      FILE_HEADER_BYTES,
      FILE_HEADER_BYTES + 1000,
      FILE_HEADER_BYTES + FILE_CIPHERTEXT_CHUNK_BYTES - 1,
      FILE_HEADER_BYTES + FILE_CIPHERTEXT_CHUNK_BYTES,
      FILE_HEADER_BYTES + 2 * FILE_CIPHERTEXT_CHUNK_BYTES + 50,
      blob.length - 1,
    ];
    for (const i of positions) expectCryptoError(() => decryptFile(key, flipBit(blob, i)), 'DECRYPT_FAILED');
  });

  it('reports a file missing its last chunk as TRUNCATED', () => {
    const key = generateFileKey();
    const blob = encryptFile(key, pattern(2 * KIB64 + 100));
    expectCryptoError(() => decryptFile(key, blob.subarray(0, FILE_HEADER_BYTES + 2 * FILE_CIPHERTEXT_CHUNK_BYTES)), 'TRUNCATED');
    expectCryptoError(() => decryptFile(key, blob.subarray(0, FILE_HEADER_BYTES)), 'TRUNCATED');
    expectCryptoError(() => decryptFile(key, blob.subarray(0, 10)), 'TRUNCATED');
  });

  it('fails when the file is cut inside a chunk', () => {
    const key = generateFileKey();
    const blob = encryptFile(key, pattern(KIB64 + 100));
    expectCryptoError(() => decryptFile(key, blob.subarray(0, blob.length - 1)), 'DECRYPT_FAILED');
  });

  it('fails when chunks are reordered or a chunk is repeated', () => {
    const key = generateFileKey();
    const { header, chunks } = splitBlob(encryptFile(key, pattern(3 * KIB64)));
    const [c0, c1, c2] = chunks as [Uint8Array, Uint8Array, Uint8Array];
    expectCryptoError(() => decryptFile(key, concatBytes(header, c1, c0, c2)), 'DECRYPT_FAILED');
    expectCryptoError(() => decryptFile(key, concatBytes(header, c0, c0, c2)), 'DECRYPT_FAILED');
  });

  it('fails when a chunk comes from another file under the same key', () => {
    const key = generateFileKey();
    const a = splitBlob(encryptFile(key, pattern(2 * KIB64, 1)));
    const b = splitBlob(encryptFile(key, pattern(2 * KIB64, 2)));
    expectCryptoError(() => decryptFile(key, concatBytes(a.header, a.chunks[0]!, b.chunks[1]!)), 'DECRYPT_FAILED');
  });

  it('fails when data follows the final chunk', () => {
    const key = generateFileKey();
    const blob = encryptFile(key, pattern(KIB64));
    const { chunks } = splitBlob(encryptFile(key, pattern(10)));
    expectCryptoError(() => decryptFile(key, concatBytes(blob, chunks[0]!)), 'DECRYPT_FAILED');
  });

  it('refuses unknown versions of the header', () => {
    const key = generateFileKey();
    const blob = encryptFile(key, pattern(10));
    for (const version of [0x30, 0x32, FORMAT.TEXT_V1]) {
      expectCryptoError(() => decryptFile(key, withFirstByte(blob, version)), 'UNSUPPORTED_VERSION');
    }
  });
});

describe('streaming encryptor and decryptor', () => {
  it('round-trips chunk by chunk and says which chunk is final', () => {
    const key = generateFileKey();
    const encryptor = createFileEncryptor(key);
    const c1 = encryptor.push(pattern(KIB64, 1), false);
    const c2 = encryptor.push(pattern(5, 2), true);
    expect(c1).toHaveLength(FILE_CIPHERTEXT_CHUNK_BYTES);
    expect(c2).toHaveLength(5 + FILE_CHUNK_OVERHEAD_BYTES);
    const decryptor = createFileDecryptor(key, encryptor.header);
    const p1 = decryptor.pull(c1);
    expect(p1.isFinal).toBe(false);
    expectSameBytes(p1.plaintext, pattern(KIB64, 1));
    expect(decryptor.pull(c2)).toEqual({ plaintext: pattern(5, 2), isFinal: true });
    expect(() => decryptor.finish()).not.toThrow();
  });

  it('finish() reports TRUNCATED when the final chunk never came', () => {
    const key = generateFileKey();
    const encryptor = createFileEncryptor(key);
    const c1 = encryptor.push(pattern(KIB64), false);
    encryptor.push(pattern(1), true);
    const decryptor = createFileDecryptor(key, encryptor.header);
    decryptor.pull(c1);
    expectCryptoError(() => decryptor.finish(), 'TRUNCATED');
    expectCryptoError(() => createFileDecryptor(key, encryptor.header).finish(), 'TRUNCATED');
  });

  it('refuses everything after a failed chunk, even the right next chunk', () => {
    const key = generateFileKey();
    const encryptor = createFileEncryptor(key);
    const c1 = encryptor.push(pattern(KIB64), false);
    const c2 = encryptor.push(pattern(3), true);
    const decryptor = createFileDecryptor(key, encryptor.header);
    expectCryptoError(() => decryptor.pull(flipBit(c1, 3)), 'DECRYPT_FAILED');
    expectCryptoError(() => decryptor.pull(c1), 'DECRYPT_FAILED');
    expectCryptoError(() => decryptor.pull(c2), 'DECRYPT_FAILED');
    expectCryptoError(() => decryptor.finish(), 'DECRYPT_FAILED');
  });

  it('reports a chunk shorter than its authenticator as TRUNCATED', () => {
    const key = generateFileKey();
    const encryptor = createFileEncryptor(key);
    const decryptor = createFileDecryptor(key, encryptor.header);
    expectCryptoError(() => decryptor.pull(new Uint8Array(FILE_CHUNK_OVERHEAD_BYTES - 1)), 'TRUNCATED');
  });

  it('refuses chunks of the wrong size and pushes after the final chunk', () => {
    const encryptor = createFileEncryptor(generateFileKey());
    expectCryptoError(() => encryptor.push(pattern(KIB64 - 1), false), 'BAD_INPUT');
    expectCryptoError(() => encryptor.push(pattern(KIB64 + 1), true), 'BAD_INPUT');
    encryptor.push(pattern(1), true);
    expectCryptoError(() => encryptor.push(pattern(1), true), 'BAD_INPUT');
  });

  it('refuses a header of the wrong length or version', () => {
    const key = generateFileKey();
    const { header } = createFileEncryptor(key);
    expectCryptoError(() => createFileDecryptor(key, header.subarray(0, 24)), 'TRUNCATED');
    expectCryptoError(() => createFileDecryptor(key, concatBytes(header, Uint8Array.of(0))), 'BAD_INPUT');
    expectCryptoError(() => createFileDecryptor(key, withFirstByte(header, 0x3f)), 'UNSUPPORTED_VERSION');
  });
});

describe('async-iterable file encryption', () => {
  it.each([0, 10, KIB64, KIB64 + 1, 2 * KIB64 + 777])(
    're-chunks %i bytes arriving in odd pieces into the same layout as encryptFile',
    async (size) => {
      const key = generateFileKey();
      const data = pattern(size);
      const blob = await collect(encryptFileStream(key, pieces(data, [1, 1000, 70_000, 3, 65_536])));
      expect(blob.length).toBe(encryptedFileSize(size));
      expectSameBytes(decryptFile(key, blob), data);
      expectSameBytes(await collect(decryptFileStream(key, pieces(blob, [7, 65_553, 100_000]))), data);
    },
  );

  it('yields the header first and then one chunk per 64 KiB', async () => {
    const key = generateFileKey();
    const outputs: Uint8Array[] = [];
    for await (const part of encryptFileStream(key, [pattern(KIB64 + 10)])) outputs.push(part);
    expect(outputs.map((o) => o.length)).toEqual([FILE_HEADER_BYTES, FILE_CIPHERTEXT_CHUNK_BYTES, 10 + FILE_CHUNK_OVERHEAD_BYTES]);
  });

  it('is not confused when the source reuses its buffer after yielding it', async () => {
    const key = generateFileKey();
    const data = pattern(3000);
    async function* reusing(): AsyncGenerator<Uint8Array> {
      const buffer = new Uint8Array(1000);
      for (let i = 0; i < 3; i++) {
        buffer.set(data.subarray(i * 1000, (i + 1) * 1000));
        yield buffer;
      }
    }
    expectSameBytes(decryptFile(key, await collect(encryptFileStream(key, reusing()))), data);
  });

  it('reports a streamed file missing its last chunk, or its header, as TRUNCATED', async () => {
    const key = generateFileKey();
    const blob = encryptFile(key, pattern(2 * KIB64 + 5));
    const withoutLast = blob.subarray(0, FILE_HEADER_BYTES + 2 * FILE_CIPHERTEXT_CHUNK_BYTES);
    await expectCryptoErrorAsync(() => collect(decryptFileStream(key, pieces(withoutLast, [4096]))), 'TRUNCATED');
    await expectCryptoErrorAsync(() => collect(decryptFileStream(key, [blob.subarray(0, 20)])), 'TRUNCATED');
  });

  it('fails on a streamed file with reordered chunks', async () => {
    const key = generateFileKey();
    const { header, chunks } = splitBlob(encryptFile(key, pattern(3 * KIB64)));
    const reordered = concatBytes(header, chunks[1]!, chunks[0]!, chunks[2]!);
    await expectCryptoErrorAsync(() => collect(decryptFileStream(key, [reordered])), 'DECRYPT_FAILED');
  });
});
