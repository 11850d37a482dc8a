// Messages between the reporter and the staff handling the case. Ciphertext only.
import type { DbOrTx } from '../db/client.ts';
import { messages } from '../../drizzle/schema/index.ts';

export type NewMessage = typeof messages.$inferInsert;

export async function insertMessage(tx: DbOrTx, row: NewMessage): Promise<string> {
  const [out] = await tx.insert(messages).values(row).returning({ id: messages.id });
  if (!out) throw new Error('message insert returned nothing');
  return out.id;
}
