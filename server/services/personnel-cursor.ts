// Keyset cursors of the personnel, holds and directory lists: base64url of the last row's
// sort key and id. Opaque to clients; one that does not decode is refused, never read as
// "first page", so a tampered cursor cannot silently restart a list.
import { AppError } from '../domain/errors.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export type Keyset = { key: string; id: string };

export const encodeKeyset = (key: string, id: string): string => Buffer.from(JSON.stringify([key, id])).toString('base64url');

/** The cursor's key and id, null without a cursor; `isKey` checks the sort key's shape. */
export function decodeKeyset(cursor: string | undefined, isKey: (key: string) => boolean): Keyset | null {
  if (!cursor) return null;
  let parts: unknown = null;
  try {
    parts = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    // Not JSON: refused below like any other bad cursor.
  }
  if (Array.isArray(parts) && parts.length === 2) {
    const [key, id] = parts as unknown[];
    if (typeof key === 'string' && typeof id === 'string' && UUID.test(id) && isKey(key)) return { key, id };
  }
  throw new AppError('VALIDATION_FAILED', 'The page cursor is not valid. Start again from the first page.', { fields: ['/after'] });
}
