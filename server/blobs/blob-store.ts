// Where encrypted attachment blobs live. The interface is shaped so that an S3-compatible
// store can implement it later: keys are opaque and random (they say nothing about a case
// or a file), writes are "this part, starting at this offset" (one multipart-upload part
// per request on S3), and listing by age lets the cleanup job find orphans.
import type { Config } from '../config.ts';
import { createLocalBlobStore } from './local-blob-store.ts';

export type BlobWriteOptions = {
  /** Refuse (BlobLimitError) instead of writing more than this many bytes. */
  maxBytes: number;
};

export type BlobStore = {
  /** A fresh opaque key: 32 random bytes, base64url. */
  newKey(): string;
  /**
   * Writes `source` starting at `offset`, first dropping anything stored past `offset`
   * (the uncommitted tail of an interrupted attempt). Returns once the bytes are durable.
   * A failing source throws BlobWriteError carrying how many bytes did reach the store.
   */
  writeAt(key: string, offset: number, source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, options: BlobWriteOptions): Promise<number>;
  /** Stored length, or null when the blob does not exist. */
  size(key: string): Promise<number | null>;
  /** Cuts the blob to `length` bytes (used when an upload completes). */
  truncate(key: string, length: number): Promise<void>;
  read(key: string): AsyncIterable<Uint8Array>;
  /** Idempotent: deleting a missing blob is not an error. */
  delete(key: string): Promise<void>;
  /** Keys of blobs last written before `before` (for the orphan sweep). */
  listOlderThan(before: Date): AsyncIterable<string>;
};

export class BlobWriteError extends Error {
  readonly written: number;
  constructor(written: number, cause: unknown) {
    super('blob write interrupted', { cause });
    this.name = 'BlobWriteError';
    this.written = written;
  }
}

export class BlobLimitError extends Error {
  constructor() {
    super('blob write exceeds the allowed size');
    this.name = 'BlobLimitError';
  }
}

const KEY = /^[A-Za-z0-9_-]{43}$/;
/** Keys come from the database, never from a request; checking them anyway keeps paths inside the store. */
export function assertBlobKey(key: string): void {
  if (!KEY.test(key)) throw new Error('invalid blob key');
}

export function createBlobStore(config: Pick<Config, 'blobDir'>): BlobStore {
  return createLocalBlobStore(config.blobDir);
}
