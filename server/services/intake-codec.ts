// Small pieces every intake path shares: strict base64url decoding, shape checks of the
// ciphertext formats (the server cannot open them, but can refuse what is not one),
// upload limits, upload tokens, and the day-only clock of public submissions.
import { createHash, randomBytes } from 'node:crypto';
import type { Config } from '../config.ts';
import { localDateOf } from '../domain/calendar.ts';
import { AppError } from '../domain/errors.ts';
import { encryptedFileSize } from '../crypto/index.ts';

const FORMAT_SEALED_KEY = 0x11;
const FORMAT_TEXT = 0x21;
const TEXT_OVERHEAD = 1 + 24 + 16;
const TEXT_BLOCK = 256;
const FILE_HEADER = 25;
const CHUNK_PLAIN = 64 * 1024;
const CHUNK_OVERHEAD = 17;
export const CIPHERTEXT_CHUNK = CHUNK_PLAIN + CHUNK_OVERHEAD;

const invalid = (field: string, reason: string): AppError =>
  new AppError('VALIDATION_FAILED', undefined, { fields: [field], reason });

/** Canonical unpadded base64url only: a value with stray bits is refused, not silently fixed. */
export function decodeBase64Url(value: string, field: string): Uint8Array {
  const bytes = Buffer.from(value, 'base64url');
  if (bytes.toString('base64url') !== value) throw invalid(field, 'not_base64url');
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

export function decodeTextEnvelope(value: string, field: string): Uint8Array {
  const bytes = decodeBase64Url(value, field);
  if (bytes[0] !== FORMAT_TEXT || bytes.length < TEXT_OVERHEAD + TEXT_BLOCK || (bytes.length - TEXT_OVERHEAD) % TEXT_BLOCK !== 0) {
    throw invalid(field, 'not_text_envelope');
  }
  return bytes;
}

export function decodeSealedKey(value: string, field: string): Uint8Array {
  const bytes = decodeBase64Url(value, field);
  if (bytes[0] !== FORMAT_SEALED_KEY || bytes.length !== 81) throw invalid(field, 'not_sealed_key');
  return bytes;
}

/** True when some plaintext length encrypts to exactly `n` bytes (header + 64 KiB chunks). */
export function isEncryptedFileSize(n: number): boolean {
  if (!Number.isSafeInteger(n) || n < FILE_HEADER + CHUNK_OVERHEAD) return false;
  const body = n - FILE_HEADER;
  const chunks = Math.ceil(body / CIPHERTEXT_CHUNK);
  const plain = body - chunks * CHUNK_OVERHEAD;
  const min = chunks === 1 ? 0 : (chunks - 1) * CHUNK_PLAIN + 1;
  return plain >= min && plain <= chunks * CHUNK_PLAIN;
}

/** Offsets an upload may stop at: after the header plus whole chunks, or at the end. */
export function isChunkBoundary(offset: number, total: number): boolean {
  return offset === total || (offset >= FILE_HEADER && (offset - FILE_HEADER) % CIPHERTEXT_CHUNK === 0);
}

/** The furthest chunk boundary at or before `offset` (0 before the header is complete). */
export function floorToChunkBoundary(offset: number, total: number): number {
  if (offset >= total) return total;
  if (offset < FILE_HEADER) return 0;
  return FILE_HEADER + Math.floor((offset - FILE_HEADER) / CIPHERTEXT_CHUNK) * CIPHERTEXT_CHUNK;
}

export type UploadLimits = { maxFiles: number; maxFileCiphertext: number; maxReportCiphertext: number };

export function uploadLimits(config: Pick<Config, 'uploads'>): UploadLimits {
  const { maxFiles, maxFileBytes, maxReportBytes } = config.uploads;
  return {
    maxFiles,
    maxFileCiphertext: encryptedFileSize(maxFileBytes),
    // Every file adds a header and a final chunk's overhead on top of the plaintext budget.
    maxReportCiphertext: encryptedFileSize(maxReportBytes) + maxFiles * (FILE_HEADER + CHUNK_OVERHEAD),
  };
}

/** Refuses with LIMIT_EXCEEDED naming the limit and its maximum; never the offending value. */
export function checkUploadLimits(limits: UploadLimits, existing: { files: number; bytes: number }, added: readonly number[]): void {
  if (existing.files + added.length > limits.maxFiles) {
    throw new AppError('LIMIT_EXCEEDED', 'Too many files for one report.', { limit: 'files', max: limits.maxFiles });
  }
  for (const size of added) {
    if (size > limits.maxFileCiphertext) {
      throw new AppError('LIMIT_EXCEEDED', 'A file is larger than allowed.', { limit: 'file_bytes', max: limits.maxFileCiphertext });
    }
    if (!isEncryptedFileSize(size)) throw invalid('/attachments', 'not_encrypted_size');
  }
  const total = existing.bytes + added.reduce((a, b) => a + b, 0);
  if (total > limits.maxReportCiphertext) {
    throw new AppError('LIMIT_EXCEEDED', 'The files of one report are larger than allowed together.', {
      limit: 'report_bytes', max: limits.maxReportCiphertext,
    });
  }
}

/** Upload tokens are random and shown once; only a labelled hash is stored. */
export function hashUploadToken(token: Uint8Array): Uint8Array {
  return new Uint8Array(createHash('sha256').update('minhbach/upload-token/v1\0').update(token).digest());
}

export function newUploadToken(): { token: string; hash: Uint8Array } {
  const bytes = randomBytes(32);
  return { token: bytes.toString('base64url'), hash: hashUploadToken(bytes) };
}

/** Today in Vietnam: all a public submission records of when it happened. */
export const vnToday = (now = new Date()): string => localDateOf(now);

/** Staff-side timestamp columns of a public action get the start of its day. */
export const startOfDay = (day: string): Date => new Date(`${day}T00:00:00+07:00`);

/** 24 h from now, rounded up to the hour so the expiry does not pin the submission time. */
export function pendingExpiry(now = new Date()): Date {
  const hour = 3_600_000;
  return new Date(Math.ceil((now.getTime() + 24 * hour) / hour) * hour);
}
