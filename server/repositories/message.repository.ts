// Messages between the reporter and the staff handling the case. Ciphertext only.
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { messages } from '../../drizzle/schema/index.ts';

export type NewMessage = typeof messages.$inferInsert;

/**
 * The inbox has shown these messages to the reporter: those not yet marked are read today.
 * Only the ids a lookup returned, so a message written since is still new on the next visit.
 */
export async function markReporterMessagesRead(db: DbOrTx, caseId: string, ids: readonly string[], day: string): Promise<number> {
  if (ids.length === 0) return 0;
  const rows = await db.update(messages).set({ readByReporterOn: day })
    .where(and(
      eq(messages.caseId, caseId), inArray(messages.id, [...ids]), eq(messages.direction, 'to_reporter'), isNull(messages.readByReporterOn),
    ))
    .returning({ id: messages.id });
  return rows.length;
}

export async function insertMessage(tx: DbOrTx, row: NewMessage): Promise<string> {
  const [out] = await tx.insert(messages).values(row).returning({ id: messages.id });
  if (!out) throw new Error('message insert returned nothing');
  return out.id;
}
