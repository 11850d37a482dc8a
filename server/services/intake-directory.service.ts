// What the report form looks up: jurisdictions, the cadre directory, open notices, the
// routing preview and a proof-of-work challenge. Public metadata only.
import type { Db } from '../db/client.ts';
import { AppError } from '../domain/errors.ts';
import type { CadresResponse, JurisdictionsResponse, NoticesResponse, RoutingPreviewBody, RoutingPreviewResponse } from '../schemas/intake.ts';
import { listJurisdictions, listOpenNotices, searchCadres } from '../repositories/directory.repository.ts';
import { resolveIntakeRouting, toPreview } from './intake-routing.service.ts';
import { vnToday } from './intake-codec.ts';

const DEFAULT_LIMIT = 20;

const encodeCursor = (parts: string[]): string => Buffer.from(JSON.stringify(parts)).toString('base64url');

function decodeCursor(cursor: string | undefined): [string, string] | null {
  if (cursor === undefined) return null;
  try {
    const parts: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parts) && parts.length === 2 && parts.every((p) => typeof p === 'string')
      && /^[0-9a-f-]{36}$/.test(parts[1] as string)) return [parts[0] as string, parts[1] as string];
  } catch {
    // fall through
  }
  throw new AppError('VALIDATION_FAILED', undefined, { fields: ['/cursor'] });
}

export async function getJurisdictions(db: Db): Promise<JurisdictionsResponse> {
  return { items: await listJurisdictions(db) };
}

export async function findCadres(db: Db, query: { q?: string | undefined; cursor?: string | undefined; limit?: string | undefined }): Promise<CadresResponse> {
  const limit = query.limit === undefined ? DEFAULT_LIMIT : Number(query.limit);
  const after = decodeCursor(query.cursor);
  // One extra row tells whether another page exists.
  const rows = await searchCadres(db, { q: query.q ?? '', after: after ? { nameSearch: after[0], id: after[1] } : null, limit: limit + 1 });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((r) => ({ id: r.id, fullName: r.fullName, position: r.position, unitName: r.unitName, jurisdictionCode: r.jurisdictionCode, level: r.level })),
    nextCursor: rows.length > limit && last ? encodeCursor([last.nameSearch, last.id]) : null,
  };
}

export async function findNotices(db: Db, query: { cursor?: string | undefined; limit?: string | undefined }): Promise<NoticesResponse> {
  const limit = query.limit === undefined ? DEFAULT_LIMIT : Number(query.limit);
  const after = decodeCursor(query.cursor);
  if (after && !/^\d{4}-\d{2}-\d{2}$/.test(after[0])) throw new AppError('VALIDATION_FAILED', undefined, { fields: ['/cursor'] });
  const rows = await listOpenNotices(db, { today: vnToday(), after: after ? { noticeUntil: after[0], id: after[1] } : null, limit: limit + 1 });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return { items: page, nextCursor: rows.length > limit && last ? encodeCursor([last.noticeUntil, last.id]) : null };
}

export async function previewRouting(db: Db, body: RoutingPreviewBody): Promise<RoutingPreviewResponse> {
  return toPreview(await resolveIntakeRouting(db, body, vnToday()));
}
