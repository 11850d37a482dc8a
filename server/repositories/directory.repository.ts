// Reads of the public directory: jurisdictions, cadres, open personnel notices, and the
// routing context (bodies with their current signed key, jurisdictions, rules).
import { and, asc, count, eq, gte, isNotNull, isNull, or, sql, type SQL } from 'drizzle-orm';
import type { Db, DbOrTx } from '../db/client.ts';
import { bodies, bodyKeys, cadres, jurisdictions, personnelActions, routingRules } from '../../drizzle/schema/index.ts';
import type { BodyKind, Category, Level, PersonnelActionKind } from '../domain/vocabulary.ts';
import type { Jurisdiction, RoutingBody, RoutingRule, TargetLevel } from '../domain/routing.ts';
import { searchKey } from '../domain/text.ts';

export type JurisdictionRow = { code: string; nameVi: string; nameEn: string; level: Level; parentCode: string | null };

export async function listJurisdictions(db: DbOrTx): Promise<JurisdictionRow[]> {
  const rows = await db.select({
    code: jurisdictions.code, nameVi: jurisdictions.nameVi, nameEn: jurisdictions.nameEn,
    level: jurisdictions.level, parentCode: jurisdictions.parentCode,
  }).from(jurisdictions).orderBy(asc(jurisdictions.code));
  return rows as JurisdictionRow[];
}

export type CadreRow = { id: string; fullName: string; position: string; unitName: string; jurisdictionCode: string; level: Level; nameSearch: string };

// Vietnamese letters with diacritics, so position and unit match without them as names do.
const VI_LETTERS = 'àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ';
const VI_FROM = VI_LETTERS + VI_LETTERS.toUpperCase() + 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const VI_TO = [...VI_FROM].map((c) => searchKey(c)).join('');
const folded = (column: typeof cadres.position | typeof cadres.unitName): SQL => sql`translate(${column}, ${VI_FROM}, ${VI_TO})`;
/** A contains-pattern for ILIKE with the user's % and _ taken literally. */
export const likePattern = (key: string): string => `%${key.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export async function searchCadres(
  db: DbOrTx, opts: { q: string; after: { nameSearch: string; id: string } | null; limit: number },
): Promise<CadreRow[]> {
  const key = searchKey(opts.q);
  const conditions: SQL[] = [eq(cadres.isPublic, true)];
  if (key !== '') {
    const pattern = likePattern(key);
    const match = or(
      sql`${cadres.nameSearch} ILIKE ${pattern}`,
      sql`${folded(cadres.position)} ILIKE ${pattern}`,
      sql`${folded(cadres.unitName)} ILIKE ${pattern}`,
    );
    if (match) conditions.push(match);
  }
  if (opts.after) {
    conditions.push(sql`(${cadres.nameSearch}, ${cadres.id}) > (${opts.after.nameSearch}, ${opts.after.id}::uuid)`);
  }
  const rows = await db.select({
    id: cadres.id, fullName: cadres.fullName, position: cadres.position, unitName: cadres.unitName,
    jurisdictionCode: cadres.jurisdictionCode, level: cadres.level, nameSearch: cadres.nameSearch,
  }).from(cadres).where(and(...conditions)).orderBy(asc(cadres.nameSearch), asc(cadres.id)).limit(opts.limit);
  return rows as CadreRow[];
}

export type NoticeRow = {
  id: string; cadreId: string; cadreName: string; position: string; kind: PersonnelActionKind; positionTitle: string; noticeUntil: string;
};

export async function listOpenNotices(
  db: DbOrTx, opts: { today: string; after: { noticeUntil: string; id: string } | null; limit: number },
): Promise<NoticeRow[]> {
  const rows = await db.select({
    id: personnelActions.id, cadreId: cadres.id, cadreName: cadres.fullName, position: cadres.position,
    kind: personnelActions.kind, positionTitle: personnelActions.positionTitle, noticeUntil: personnelActions.noticeUntil,
  }).from(personnelActions)
    .innerJoin(cadres, eq(cadres.id, personnelActions.cadreId))
    .where(and(
      eq(personnelActions.state, 'public_notice'),
      gte(personnelActions.noticeUntil, opts.today),
      eq(cadres.isPublic, true),
      opts.after ? sql`(${personnelActions.noticeUntil}, ${personnelActions.id}) > (${opts.after.noticeUntil}::date, ${opts.after.id}::uuid)` : undefined,
    ))
    .orderBy(asc(personnelActions.noticeUntil), asc(personnelActions.id))
    .limit(opts.limit);
  return rows as NoticeRow[];
}

export type CadreRouting = { id: string; managingLevel: Level; managingJurisdictionCode: string };

export async function findPublicCadre(db: DbOrTx, id: string): Promise<CadreRouting | undefined> {
  const rows = await db.select({ id: cadres.id, managingLevel: cadres.managingLevel, managingJurisdictionCode: cadres.managingJurisdictionCode })
    .from(cadres).where(and(eq(cadres.id, id), eq(cadres.isPublic, true))).limit(1);
  return rows[0] as CadreRouting | undefined;
}

/** The picked cadre as the form shows it (the no-JS path seals it into the report). */
export async function findPublicCadreCard(db: DbOrTx, id: string): Promise<Omit<CadreRow, 'level' | 'nameSearch'> | undefined> {
  const rows = await db.select({
    id: cadres.id, fullName: cadres.fullName, position: cadres.position, unitName: cadres.unitName, jurisdictionCode: cadres.jurisdictionCode,
  }).from(cadres).where(and(eq(cadres.id, id), eq(cadres.isPublic, true))).limit(1);
  return rows[0];
}

export async function findOpenNoticeCadre(db: DbOrTx, actionId: string, today: string): Promise<string | undefined> {
  const rows = await db.select({ cadreId: personnelActions.cadreId }).from(personnelActions)
    .where(and(eq(personnelActions.id, actionId), eq(personnelActions.state, 'public_notice'), gte(personnelActions.noticeUntil, today)))
    .limit(1);
  return rows[0]?.cadreId;
}

export type BodyKeyInfo = { version: number; publicKey: Uint8Array; signature: Uint8Array; createdOn: string };
export type DirectoryBody = RoutingBody & { nameEn: string; key: BodyKeyInfo | null };
export type RoutingSnapshot = { bodies: DirectoryBody[]; jurisdictions: Jurisdiction[]; rules: RoutingRule[] };

type Prepared = ReturnType<typeof prepareRoutingQueries>;
const preparedByDb = new WeakMap<Db, Prepared>();

// Read on every submission and preview: prepared once per connection pool.
function prepareRoutingQueries(db: Db) {
  return {
    bodies: db.select({
      id: bodies.id, code: bodies.code, kind: bodies.kind, level: bodies.level, jurisdictionCode: bodies.jurisdictionCode,
      nameVi: bodies.nameVi, nameEn: bodies.nameEn, version: bodyKeys.version, publicKey: bodyKeys.publicKey,
      signature: bodyKeys.signature,
      // The signed directory entry carries the UTC date of created_at.
      createdOn: sql<string | null>`to_char(${bodyKeys.createdAt} AT TIME ZONE 'UTC', 'YYYY-MM-DD')`,
    }).from(bodies)
      .leftJoin(bodyKeys, and(eq(bodyKeys.bodyId, bodies.id), isNull(bodyKeys.retiredAt), isNotNull(bodyKeys.signature)))
      .where(eq(bodies.active, true))
      .prepare('intake_routing_bodies'),
    jurisdictions: db.select({ code: jurisdictions.code, level: jurisdictions.level, parentCode: jurisdictions.parentCode, nameVi: jurisdictions.nameVi, nameEn: jurisdictions.nameEn })
      .from(jurisdictions).prepare('intake_routing_jurisdictions'),
    rules: db.select().from(routingRules).where(eq(routingRules.enabled, true)).prepare('intake_routing_rules'),
  };
}

export async function loadRoutingSnapshot(db: Db): Promise<RoutingSnapshot> {
  let prepared = preparedByDb.get(db);
  if (!prepared) {
    prepared = prepareRoutingQueries(db);
    preparedByDb.set(db, prepared);
  }
  const [bodyRows, jurisdictionRows, ruleRows] = await Promise.all([
    prepared.bodies.execute(), prepared.jurisdictions.execute(), prepared.rules.execute(),
  ]);
  return {
    bodies: bodyRows.map((b) => ({
      id: b.id, code: b.code, kind: b.kind as BodyKind, level: b.level as Level, jurisdictionCode: b.jurisdictionCode,
      nameVi: b.nameVi, nameEn: b.nameEn,
      key: b.version !== null && b.publicKey !== null && b.signature !== null && b.createdOn !== null
        ? { version: b.version, publicKey: b.publicKey, signature: b.signature, createdOn: b.createdOn } : null,
    })),
    jurisdictions: jurisdictionRows.map((j) => ({ code: j.code, level: j.level as Level, parentCode: j.parentCode, nameVi: j.nameVi, nameEn: j.nameEn })),
    rules: ruleRows.map((r) => ({
      id: r.code, priority: r.priority, enabled: r.enabled,
      match: {
        ...(r.matchCategory ? { category: r.matchCategory as Category } : {}),
        ...(r.matchLevel ? { level: r.matchLevel as Level } : {}),
        ...(r.matchJurisdictionCode ? { jurisdictionCode: r.matchJurisdictionCode } : {}),
      },
      targetBodyKind: r.targetBodyKind as BodyKind, targetLevel: r.targetLevel as TargetLevel, reasonVi: r.reasonVi, reasonEn: r.reasonEn,
    })),
  };
}


/** How many of these (body, version) pairs are a body's current signed key right now. */
export async function countCurrentKeys(db: DbOrTx, pairs: ReadonlyArray<{ bodyId: string; version: number }>): Promise<number> {
  if (pairs.length === 0) return 0;
  const [row] = await db.select({ n: count() }).from(bodyKeys).where(and(
    isNull(bodyKeys.retiredAt), isNotNull(bodyKeys.signature),
    or(...pairs.map((p) => and(eq(bodyKeys.bodyId, p.bodyId), eq(bodyKeys.version, p.version)))),
  ));
  return row?.n ?? 0;
}
