// A small JSON client for the public API. Citizens carry no cookie, so requests go out
// with credentials 'omit' and no referrer; errors become ApiError with the server's code.

export type ApiErrorBody = { code: string; message?: string; details?: Record<string, unknown> };

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown>;

  constructor(status: number, body: ApiErrorBody) {
    super(body.message ?? body.code);
    this.status = status;
    this.code = body.code;
    this.details = body.details ?? {};
  }
}

/** No answer at all (offline, dropped connection): worth retrying, unlike an ApiError. */
export class NetworkError extends Error {}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

async function readError(response: Response): Promise<ApiError> {
  try {
    const body: unknown = await response.json();
    if (isObject(body) && isObject(body.error) && typeof body.error.code === 'string') {
      return new ApiError(response.status, body.error as ApiErrorBody);
    }
  } catch {
    // not JSON: fall through
  }
  return new ApiError(response.status, { code: response.status >= 500 ? 'INTERNAL' : 'BAD_REQUEST' });
}

export type RequestOptions = { signal?: AbortSignal; headers?: Record<string, string> };

export async function apiRequest<T>(method: 'GET' | 'POST', path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
      cache: 'no-store',
      signal: options.signal,
      headers: {
        accept: 'application/json',
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new NetworkError('network');
  }
  if (!response.ok) throw await readError(response);
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export const apiGet = <T>(path: string, options?: RequestOptions): Promise<T> => apiRequest<T>('GET', path, undefined, options);
export const apiPost = <T>(path: string, body: unknown, options?: RequestOptions): Promise<T> =>
  apiRequest<T>('POST', path, body, options);

/** Multipart POST (uploads); the browser sets the boundary. */
export async function apiPostForm<T>(path: string, form: FormData, options: RequestOptions = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: 'POST',
      credentials: 'omit',
      referrerPolicy: 'no-referrer',
      cache: 'no-store',
      signal: options.signal,
      headers: { accept: 'application/json', ...options.headers },
      body: form,
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new NetworkError('network');
  }
  if (!response.ok) throw await readError(response);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** Waits, giving up early when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new DOMException('aborted', 'AbortError'));
    }, { once: true });
  });
}
