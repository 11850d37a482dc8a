// Reference data maintained by administrators: the holiday calendar and routing rules.
import type { DbOrTx } from '../db/client.ts';
import { holidays, routingRules } from '../../drizzle/schema/index.ts';

export async function upsertHolidays(tx: DbOrTx, rows: (typeof holidays.$inferInsert)[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.insert(holidays).values(rows).onConflictDoNothing({ target: holidays.day });
}

export async function insertRoutingRules(tx: DbOrTx, rows: (typeof routingRules.$inferInsert)[]): Promise<void> {
  if (rows.length > 0) await tx.insert(routingRules).values(rows);
}
