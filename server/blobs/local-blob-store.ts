// The default blob store: one file per blob under config.blobDir, fanned out by the first
// two characters of the key so no directory grows huge.
import { randomBytes } from 'node:crypto';
import { createReadStream, constants } from 'node:fs';
import { Transform, Writable } from 'node:stream';
import type { FileHandle } from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { mkdir, open, opendir, stat, truncate as truncateFile, unlink } from 'node:fs/promises';
import path from 'node:path';
import { assertBlobKey, BlobLimitError, BlobWriteError, type BlobStore } from './blob-store.ts';

/**
 * Writes at a position (fs write streams close a borrowed descriptor on error). It buffers up
 * to 1 MiB while a write is in flight, so reading the request and writing the disk overlap,
 * and pauses the request beyond that; buffered pieces go out in one writev.
 */
function positionalWriter(handle: FileHandle, start: number): Writable & { bytesWritten: number } {
  let position = start;
  const writeAll = async (pieces: Uint8Array[]): Promise<void> => {
    let pending = pieces;
    while (pending.length > 0) {
      const { bytesWritten } = await handle.writev(pending, position);
      position += bytesWritten;
      writer.bytesWritten += bytesWritten;
      let skip = bytesWritten;
      // A short write (rare on a regular file): continue with what is left.
      pending = pending.flatMap((p) => {
        if (skip >= p.length) {
          skip -= p.length;
          return [];
        }
        const rest = p.subarray(skip);
        skip = 0;
        return [rest];
      });
    }
  };
  const writer = Object.assign(new Writable({
    highWaterMark: 1024 * 1024,
    write(chunk: Uint8Array, _encoding, done) {
      writeAll([chunk]).then(() => done(), done);
    },
    writev(chunks, done) {
      writeAll(chunks.map((c) => c.chunk as Uint8Array)).then(() => done(), done);
    },
  }), { bytesWritten: 0 });
  return writer;
}

export function createLocalBlobStore(root: string): BlobStore {
  const fileOf = (key: string): string => {
    assertBlobKey(key);
    return path.join(root, key.slice(0, 2), key);
  };

  return {
    newKey: () => randomBytes(32).toString('base64url'),

    async writeAt(key, offset, source, { maxBytes }) {
      const file = fileOf(key);
      await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      const handle = await open(file, constants.O_RDWR | constants.O_CREAT, 0o600);
      try {
        await handle.truncate(offset);
        const out = positionalWriter(handle, offset);
        let seen = 0;
        const meter = new Transform({
          transform(piece: Uint8Array, _encoding, done) {
            seen += piece.length;
            done(seen > maxBytes ? new BlobLimitError() : null, piece);
          },
        });
        try {
          await pipeline(source, meter, out);
        } catch (err) {
          if (err instanceof BlobLimitError) {
            await handle.truncate(offset);
            throw err;
          }
          await handle.datasync().catch(() => {});
          throw new BlobWriteError(out.bytesWritten, err);
        }
        // Durable before the caller records the new length in the database.
        await handle.datasync();
        return out.bytesWritten;
      } finally {
        await handle.close();
      }
    },

    async size(key) {
      try {
        return (await stat(fileOf(key))).size;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
    },

    async truncate(key, length) {
      await truncateFile(fileOf(key), length);
    },

    read(key) {
      return createReadStream(fileOf(key), { highWaterMark: 256 * 1024 });
    },

    async delete(key) {
      try {
        await unlink(fileOf(key));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
    },

    async *listOlderThan(before) {
      let top;
      try {
        top = await opendir(root);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw err;
      }
      for await (const dir of top) {
        if (!dir.isDirectory()) continue;
        for await (const entry of await opendir(path.join(root, dir.name))) {
          if (!entry.isFile() || !/^[A-Za-z0-9_-]{43}$/.test(entry.name)) continue;
          const info = await stat(path.join(root, dir.name, entry.name)).catch(() => null);
          if (info && info.mtime < before) yield entry.name;
        }
      }
    },
  };
}
