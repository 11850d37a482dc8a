import { count } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { bodies, bodyKeyGrants, bodyKeys, jurisdictions, staff } from '../../drizzle/schema/index.ts';

export type NewJurisdiction = typeof jurisdictions.$inferInsert;
export type NewBody = typeof bodies.$inferInsert;
export type NewStaff = typeof staff.$inferInsert;

export async function insertJurisdictions(tx: DbOrTx, rows: NewJurisdiction[]): Promise<void> {
  if (rows.length > 0) await tx.insert(jurisdictions).values(rows);
}

export async function insertBody(tx: DbOrTx, row: NewBody): Promise<string> {
  const [inserted] = await tx.insert(bodies).values(row).returning({ id: bodies.id });
  if (!inserted) throw new Error('body insert returned nothing');
  return inserted.id;
}

export async function insertBodyKey(tx: DbOrTx, row: typeof bodyKeys.$inferInsert): Promise<void> {
  await tx.insert(bodyKeys).values(row);
}

export async function insertStaff(tx: DbOrTx, row: NewStaff): Promise<string> {
  const [inserted] = await tx.insert(staff).values(row).returning({ id: staff.id });
  if (!inserted) throw new Error('staff insert returned nothing');
  return inserted.id;
}

export async function insertBodyKeyGrant(tx: DbOrTx, row: typeof bodyKeyGrants.$inferInsert): Promise<void> {
  await tx.insert(bodyKeyGrants).values(row);
}

export async function countStaff(tx: DbOrTx): Promise<number> {
  const [row] = await tx.select({ n: count() }).from(staff);
  return row?.n ?? 0;
}
