import type { DbOrTx } from '../db/client.ts';
import { cadres, personnelActions } from '../../drizzle/schema/index.ts';

export async function insertCadres(tx: DbOrTx, rows: (typeof cadres.$inferInsert)[]): Promise<{ id: string; fullName: string }[]> {
  if (rows.length === 0) return [];
  return tx.insert(cadres).values(rows).returning({ id: cadres.id, fullName: cadres.fullName });
}

export async function insertPersonnelActions(tx: DbOrTx, rows: (typeof personnelActions.$inferInsert)[]): Promise<void> {
  if (rows.length > 0) await tx.insert(personnelActions).values(rows);
}
