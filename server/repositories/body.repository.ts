// Bodies, as administrators see them: no case data, only organisation and key status.
import { asc, eq, gt, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { bodies, jurisdictions } from '../../drizzle/schema/index.ts';
import type { BodyKind, Level } from '../domain/vocabulary.ts';

export type BodyRow = {
  id: string; code: string; kind: BodyKind; level: Level; jurisdictionCode: string; nameVi: string; nameEn: string;
  active: boolean; keyRotationNeededAt: Date | null;
};

const bodyColumns = {
  id: bodies.id, code: bodies.code, kind: bodies.kind, level: bodies.level, jurisdictionCode: bodies.jurisdictionCode,
  nameVi: bodies.nameVi, nameEn: bodies.nameEn, active: bodies.active, keyRotationNeededAt: bodies.keyRotationNeededAt,
};

export async function getBody(db: DbOrTx, bodyId: string): Promise<BodyRow | undefined> {
  const rows = await db.select(bodyColumns).from(bodies).where(eq(bodies.id, bodyId)).limit(1);
  return rows[0] as BodyRow | undefined;
}

export async function getBodyByCode(db: DbOrTx, code: string): Promise<BodyRow | undefined> {
  const rows = await db.select(bodyColumns).from(bodies).where(eq(bodies.code, code)).limit(1);
  return rows[0] as BodyRow | undefined;
}

export type BodyListItem = BodyRow & { members: number; currentKeyVersion: number | null; pendingKeyVersion: number | null };

/** Keyset page ordered by code. */
export async function listBodiesPage(db: DbOrTx, opts: { afterCode: string | null; limit: number }): Promise<BodyListItem[]> {
  const rows = await db
    .select({
      ...bodyColumns,
      // Qualified by hand: inside a subquery drizzle would print bare column names.
      members: sql<number>`(SELECT count(*)::int FROM staff s WHERE s.body_id = "bodies"."id" AND s.active)`,
      currentKeyVersion: sql<number | null>`(SELECT max(k.version) FROM body_keys k WHERE k.body_id = "bodies"."id" AND k.signature IS NOT NULL AND k.retired_at IS NULL)`,
      pendingKeyVersion: sql<number | null>`(SELECT max(k.version) FROM body_keys k WHERE k.body_id = "bodies"."id" AND k.signature IS NULL)`,
    })
    .from(bodies)
    .where(opts.afterCode === null ? undefined : gt(bodies.code, opts.afterCode))
    .orderBy(asc(bodies.code))
    .limit(opts.limit);
  return rows as BodyListItem[];
}

export async function setBodyActive(tx: DbOrTx, bodyId: string, active: boolean): Promise<void> {
  await tx.update(bodies).set({ active }).where(eq(bodies.id, bodyId));
}

export async function jurisdictionExists(db: DbOrTx, code: string): Promise<{ level: Level } | undefined> {
  const rows = await db.select({ level: jurisdictions.level }).from(jurisdictions).where(eq(jurisdictions.code, code)).limit(1);
  return rows[0] as { level: Level } | undefined;
}

export async function bodyCodeTaken(db: DbOrTx, code: string): Promise<boolean> {
  const rows = await db.select({ id: bodies.id }).from(bodies).where(eq(bodies.code, code)).limit(1);
  return rows.length > 0;
}
