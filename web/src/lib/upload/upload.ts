// Streams one file through secretstream and uploads the ciphertext in requests of a few
// MiB. A dropped connection is not fatal: the uploader asks the server how much arrived
// and continues from there, waiting longer after each failure (and at once when the
// browser comes back online). Only the current request's ciphertext is held in memory.
import { concatBytes, encryptFileStream } from '$crypto';
import { ApiError, apiGet, NetworkError, sleep } from '$lib/report/api';
import type { UploadSlot, UploadStatusResponse } from '$schemas/intake';
import { UploadRejected } from './upload-errors';

export { UploadRejected };

/** 64 secretstream chunks (~4 MiB): a whole number of chunks, under the 8 MiB per request. */
const CHUNKS_PER_REQUEST = 64;
const MAX_BACKOFF_MS = 30_000;

export type UploadTarget = Pick<UploadSlot, 'attachmentId' | 'uploadToken' | 'ciphertextBytes'>;

export type UploadEvents = {
  /** Ciphertext bytes the server has (or is receiving right now). */
  onProgress?: (bytes: number) => void;
  /** Called before each wait after a failure, with the wait in ms (null once it resumes). */
  onRetry?: (waitMs: number | null) => void;
};

async function* readStream(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      yield value;
    }
  } finally {
    reader.releaseLock();
  }
}

/** Groups the encrypted stream into request-sized segments. */
async function* segments(source: AsyncGenerator<Uint8Array>): AsyncGenerator<Uint8Array> {
  let parts: Uint8Array[] = [];
  let chunks = 0;
  let isFirst = true;
  for await (const part of source) {
    parts.push(part);
    // The header (first yield) rides along with the first request's chunks.
    if (isFirst) {
      isFirst = false;
      continue;
    }
    chunks += 1;
    if (chunks === CHUNKS_PER_REQUEST) {
      yield concatBytes(...parts);
      parts = [];
      chunks = 0;
    }
  }
  if (parts.length > 0) yield concatBytes(...parts);
}

const uploadPath = (target: UploadTarget): string => `/api/public/uploads/${encodeURIComponent(target.attachmentId)}`;

export function getUploadStatus(target: UploadTarget, signal?: AbortSignal): Promise<UploadStatusResponse> {
  return apiGet<UploadStatusResponse>(uploadPath(target), { signal, headers: { 'x-upload-token': target.uploadToken } });
}

// XHR rather than fetch: it reports upload progress, which a slow phone needs to show.
function postSegment(target: UploadTarget, offset: number, bytes: Uint8Array, onSent: (n: number) => void, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const form = new FormData();
    // offset first: the server reads fields in order and needs it before the file part.
    form.append('offset', String(offset));
    // A neutral part name: the real file name lives only inside the sealed manifest.
    form.append('chunk', new Blob([bytes as BlobPart], { type: 'application/octet-stream' }), 'chunk.bin');
    const xhr = new XMLHttpRequest();
    xhr.open('POST', uploadPath(target));
    xhr.withCredentials = false;
    xhr.setRequestHeader('x-upload-token', target.uploadToken);
    xhr.setRequestHeader('accept', 'application/json');
    xhr.upload.onprogress = (event) => onSent(Math.min(event.loaded, bytes.length));
    xhr.onload = () => {
      if (xhr.status >= 200 && xhr.status < 300) return resolve();
      let body: { error?: { code?: string; message?: string; details?: Record<string, unknown> } } = {};
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // keep the empty body
      }
      reject(new ApiError(xhr.status, { code: body.error?.code ?? 'INTERNAL', details: body.error?.details }));
    };
    xhr.onerror = () => reject(new NetworkError('network'));
    xhr.ontimeout = () => reject(new NetworkError('timeout'));
    const abort = () => xhr.abort();
    xhr.onabort = () => reject(new DOMException('aborted', 'AbortError'));
    signal?.addEventListener('abort', abort, { once: true });
    xhr.send(form);
  });
}

const isRetryable = (error: unknown): boolean =>
  error instanceof NetworkError ||
  (error instanceof ApiError && (error.status >= 500 || error.status === 429 || error.status === 408 || error.code === 'CONFLICT'));

function waitForNetwork(ms: number, signal?: AbortSignal): Promise<void> {
  // Whichever comes first: the backoff, or the browser saying it is online again.
  return new Promise((resolve, reject) => {
    const done = () => {
      window.removeEventListener('online', done);
      resolve();
    };
    window.addEventListener('online', done, { once: true });
    sleep(ms, signal).then(done, (error) => {
      window.removeEventListener('online', done);
      reject(error);
    });
  });
}

/**
 * Encrypts `file` with `fileKey` and uploads it to `target`. Resolves when the server
 * holds every byte; rejects with UploadRejected when the server refuses for good.
 */
export async function uploadFile(file: Blob, fileKey: Uint8Array, target: UploadTarget, events: UploadEvents = {}, signal?: AbortSignal): Promise<void> {
  let start = 0;
  for await (const segment of segments(encryptFileStream(fileKey, readStream(file.stream())))) {
    const end = start + segment.length;
    let from = start;
    let failures = 0;
    while (from < end) {
      signal?.throwIfAborted();
      try {
        await postSegment(target, from, segment.subarray(from - start), (n) => events.onProgress?.(from + n), signal);
        from = end;
      } catch (error) {
        if (error instanceof DOMException && error.name === 'AbortError') throw error;
        if (!isRetryable(error)) throw new UploadRejected(error);
        const known = error instanceof ApiError ? error.details.receivedBytes : undefined;
        if (typeof known === 'number' && known >= start && known <= end && known !== from) {
          // The server says where it stands: continue from there without waiting.
          from = known;
          continue;
        }
        failures += 1;
        const wait = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(failures - 1, 5));
        events.onRetry?.(wait);
        await waitForNetwork(wait, signal);
        // Ask rather than guess: part of the request may have been stored before the drop.
        try {
          const status = await getUploadStatus(target, signal);
          if (status.receivedBytes < start || status.receivedBytes > end) {
            // The server lost data we no longer hold in memory: nothing to resume from.
            throw new UploadRejected(new Error('upload position lost'));
          }
          from = status.receivedBytes;
          events.onRetry?.(null);
        } catch (statusError) {
          if (statusError instanceof UploadRejected) throw statusError;
          if (statusError instanceof DOMException && statusError.name === 'AbortError') throw statusError;
          if (!isRetryable(statusError)) throw new UploadRejected(statusError);
          // still offline: loop and try again with the same offset
        }
      }
      events.onProgress?.(from);
    }
    start = end;
  }
  if (start !== target.ciphertextBytes) throw new UploadRejected(new Error('size changed'));
}

