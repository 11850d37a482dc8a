// Files under crypto_secretstream_xchacha20poly1305 in 64 KiB chunks.
// Stored layout: header (format byte || 24-byte secretstream header) || chunk || chunk ...
// Every chunk but the last holds exactly FILE_CHUNK_BYTES of plaintext, so a stored blob
// splits at fixed offsets; the last chunk carries TAG_FINAL, which is how truncation at a
// chunk boundary is detected. Each file has its own random key (generateFileKey), kept in
// the case's encrypted manifest next to the file's name and type: random rather than
// derived from K, so adding evidence later can never reuse a key, and one file can be
// shared without handing over K.
import { CryptoError } from './errors.ts';
import { concatBytes } from './encoding.ts';
import { FORMAT, readFormat, requireBytes } from './formats.ts';
import { getSodium } from './sodium.ts';

// Wire-format constants are fixed here, not read from libsodium at import time (they are
// undefined before initCrypto resolves, and the format must not drift with the library).
export const FILE_KEY_BYTES = 32;
export const FILE_CHUNK_BYTES = 64 * 1024;
export const FILE_CHUNK_OVERHEAD_BYTES = 17; // crypto_secretstream_xchacha20poly1305_ABYTES
export const FILE_CIPHERTEXT_CHUNK_BYTES = FILE_CHUNK_BYTES + FILE_CHUNK_OVERHEAD_BYTES;
const SECRETSTREAM_HEADER_BYTES = 24;
export const FILE_HEADER_BYTES = 1 + SECRETSTREAM_HEADER_BYTES;
const TAG_MESSAGE = 0;
const TAG_FINAL = 3;
// The format byte is the associated data of every chunk, binding it to this version.
const CHUNK_AD = Uint8Array.of(FORMAT.FILE_STREAM_V1);

export type FileEncryptor = {
  /** Store or send this first: FILE_HEADER_BYTES long. */
  readonly header: Uint8Array;
  /** Non-final chunks must be exactly FILE_CHUNK_BYTES; the final one at most that. */
  push(chunk: Uint8Array, isFinal: boolean): Uint8Array;
};

export type PulledChunk = { plaintext: Uint8Array; isFinal: boolean };

export type FileDecryptor = {
  pull(ciphertextChunk: Uint8Array): PulledChunk;
  /** Throws TRUNCATED unless the final chunk was pulled. Call it when the input ends. */
  finish(): void;
};

export const generateFileKey = (): Uint8Array => getSodium().crypto_secretstream_xchacha20poly1305_keygen();

/** Stored size of an encrypted file of `plaintextBytes`, e.g. to check an upload's length. */
export function encryptedFileSize(plaintextBytes: number): number {
  if (!Number.isSafeInteger(plaintextBytes) || plaintextBytes < 0) throw new CryptoError('BAD_INPUT', 'Expected a byte count.');
  const chunks = Math.max(1, Math.ceil(plaintextBytes / FILE_CHUNK_BYTES));
  return FILE_HEADER_BYTES + plaintextBytes + chunks * FILE_CHUNK_OVERHEAD_BYTES;
}

export function createFileEncryptor(key: Uint8Array): FileEncryptor {
  const sodium = getSodium();
  requireBytes(key, FILE_KEY_BYTES, 'The file key');
  const { state, header } = sodium.crypto_secretstream_xchacha20poly1305_init_push(key);
  let isDone = false;
  return {
    header: concatBytes(Uint8Array.of(FORMAT.FILE_STREAM_V1), header),
    push(chunk, isFinal) {
      if (isDone) throw new CryptoError('BAD_INPUT', 'The stream is already finished.');
      if (!(chunk instanceof Uint8Array)) throw new CryptoError('BAD_INPUT', 'Expected bytes.');
      if (isFinal ? chunk.length > FILE_CHUNK_BYTES : chunk.length !== FILE_CHUNK_BYTES) {
        throw new CryptoError('BAD_INPUT', 'Non-final chunks must be exactly 64 KiB, the final one at most 64 KiB.');
      }
      isDone = isFinal;
      const tag = isFinal ? TAG_FINAL : TAG_MESSAGE;
      return sodium.crypto_secretstream_xchacha20poly1305_push(state, chunk, CHUNK_AD, tag);
    },
  };
}

export function createFileDecryptor(key: Uint8Array, header: Uint8Array): FileDecryptor {
  const sodium = getSodium();
  readFormat(header, [FORMAT.FILE_STREAM_V1], FILE_HEADER_BYTES);
  if (header.length !== FILE_HEADER_BYTES) throw new CryptoError('BAD_INPUT', 'A file header has a fixed length.');
  requireBytes(key, FILE_KEY_BYTES, 'The file key');
  let state: ReturnType<typeof sodium.crypto_secretstream_xchacha20poly1305_init_pull>;
  try {
    state = sodium.crypto_secretstream_xchacha20poly1305_init_pull(header.subarray(1), key);
  } catch {
    throw new CryptoError('DECRYPT_FAILED');
  }
  let isFinalSeen = false;
  let isBroken = false;
  // After any failure the decryptor refuses everything: no plaintext past a bad chunk.
  const fail = (code: 'DECRYPT_FAILED' | 'TRUNCATED' | 'BAD_INPUT', message?: string): never => {
    isBroken = true;
    throw new CryptoError(code, message);
  };
  return {
    pull(chunk) {
      if (isBroken) throw new CryptoError('DECRYPT_FAILED', 'The stream already failed.');
      if (isFinalSeen) fail('DECRYPT_FAILED', 'Data after the final chunk.');
      if (!(chunk instanceof Uint8Array)) fail('BAD_INPUT', 'Expected bytes.');
      if (chunk.length < FILE_CHUNK_OVERHEAD_BYTES) fail('TRUNCATED');
      if (chunk.length > FILE_CIPHERTEXT_CHUNK_BYTES) fail('BAD_INPUT', 'A chunk is longer than the format allows.');
      let result: { message: Uint8Array; tag: number } | false;
      try {
        result = sodium.crypto_secretstream_xchacha20poly1305_pull(state, chunk, CHUNK_AD);
      } catch {
        result = false;
      }
      // We only ever write MESSAGE and FINAL; PUSH or REKEY means a foreign or forged stream.
      if (result === false || (result.tag !== TAG_MESSAGE && result.tag !== TAG_FINAL)) return fail('DECRYPT_FAILED');
      isFinalSeen = result.tag === TAG_FINAL;
      return { plaintext: result.message, isFinal: isFinalSeen };
    },
    finish() {
      if (isBroken) throw new CryptoError('DECRYPT_FAILED', 'The stream already failed.');
      if (!isFinalSeen) fail('TRUNCATED', 'The file ended before its final chunk.');
    },
  };
}

export function encryptFile(key: Uint8Array, data: Uint8Array): Uint8Array {
  if (!(data instanceof Uint8Array)) throw new CryptoError('BAD_INPUT', 'Expected bytes.');
  const encryptor = createFileEncryptor(key);
  const parts = [encryptor.header];
  let offset = 0;
  // do/while: an empty file still gets one (empty) final chunk.
  do {
    const end = Math.min(offset + FILE_CHUNK_BYTES, data.length);
    parts.push(encryptor.push(data.subarray(offset, end), end === data.length));
    offset = end;
  } while (offset < data.length);
  return concatBytes(...parts);
}

export function decryptFile(key: Uint8Array, blob: Uint8Array): Uint8Array {
  readFormat(blob, [FORMAT.FILE_STREAM_V1], FILE_HEADER_BYTES);
  const decryptor = createFileDecryptor(key, blob.subarray(0, FILE_HEADER_BYTES));
  const parts: Uint8Array[] = [];
  for (let offset = FILE_HEADER_BYTES; offset < blob.length; offset += FILE_CIPHERTEXT_CHUNK_BYTES) {
    parts.push(decryptor.pull(blob.subarray(offset, offset + FILE_CIPHERTEXT_CHUNK_BYTES)).plaintext);
  }
  decryptor.finish();
  return concatBytes(...parts);
}

/**
 * Encrypts pieces of any size (a browser File stream, a multipart upload) on the fly.
 * Yields the header first, then one ciphertext chunk per 64 KiB: concatenated, the output
 * is exactly what encryptFile returns for the same key and input.
 */
export async function* encryptFileStream(
  key: Uint8Array,
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
): AsyncGenerator<Uint8Array, void, undefined> {
  const encryptor = createFileEncryptor(key);
  yield encryptor.header;
  const queue = createByteQueue();
  for await (const piece of source) {
    queue.push(piece);
    // Strictly more than a chunk: a chunk is final only once we know nothing follows it.
    while (queue.size() > FILE_CHUNK_BYTES) yield encryptor.push(queue.take(FILE_CHUNK_BYTES), false);
  }
  yield encryptor.push(queue.take(queue.size()), true);
}

/** The reverse: ciphertext pieces of any size in, plaintext chunks out, TRUNCATED if cut short. */
export async function* decryptFileStream(
  key: Uint8Array,
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
): AsyncGenerator<Uint8Array, void, undefined> {
  const queue = createByteQueue();
  let decryptor: FileDecryptor | undefined;
  for await (const piece of source) {
    queue.push(piece);
    if (decryptor === undefined) {
      if (queue.size() < FILE_HEADER_BYTES) continue;
      decryptor = createFileDecryptor(key, queue.take(FILE_HEADER_BYTES));
    }
    while (queue.size() >= FILE_CIPHERTEXT_CHUNK_BYTES) yield decryptor.pull(queue.take(FILE_CIPHERTEXT_CHUNK_BYTES)).plaintext;
  }
  if (decryptor === undefined) throw new CryptoError('TRUNCATED');
  if (queue.size() > 0) yield decryptor.pull(queue.take(queue.size())).plaintext;
  decryptor.finish();
}

type ByteQueue = { push(piece: Uint8Array): void; size(): number; take(n: number): Uint8Array };

// Re-chunking without re-copying the whole buffer on every piece.
function createByteQueue(): ByteQueue {
  const pieces: Uint8Array[] = [];
  let size = 0;
  return {
    push(piece) {
      if (!(piece instanceof Uint8Array)) throw new CryptoError('BAD_INPUT', 'Expected bytes.');
      if (piece.length === 0) return;
      // Copied: a stream source may reuse its buffer (BYOB readers) after handing it over.
      pieces.push(piece.slice());
      size += piece.length;
    },
    size: () => size,
    take(n) {
      const out = new Uint8Array(n);
      let filled = 0;
      while (filled < n) {
        const head = pieces[0];
        if (head === undefined) throw new CryptoError('BAD_INPUT', 'Not enough bytes queued.');
        const count = Math.min(head.length, n - filled);
        out.set(head.subarray(0, count), filled);
        filled += count;
        if (count === head.length) pieces.shift();
        else pieces[0] = head.subarray(count);
      }
      size -= n;
      return out;
    },
  };
}
