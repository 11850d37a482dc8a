// Passkeys (WebAuthn credentials) of staff members: public keys only.
import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { webauthnCredentials } from '../../drizzle/schema/index.ts';

export type PasskeyRow = typeof webauthnCredentials.$inferSelect;

export async function listPasskeys(db: DbOrTx, staffId: string): Promise<PasskeyRow[]> {
  return db.select().from(webauthnCredentials).where(eq(webauthnCredentials.staffId, staffId));
}

export async function countPasskeys(db: DbOrTx, staffId: string): Promise<number> {
  const rows = await db.select({ n: sql<number>`count(*)::int` }).from(webauthnCredentials).where(eq(webauthnCredentials.staffId, staffId));
  return rows[0]?.n ?? 0;
}

export async function insertPasskey(tx: DbOrTx, row: { staffId: string; credentialId: string; publicKey: Uint8Array; counter: number; transports: string[] }): Promise<string> {
  const [inserted] = await tx.insert(webauthnCredentials).values(row).returning({ id: webauthnCredentials.id });
  if (!inserted) throw new Error('passkey insert returned nothing');
  return inserted.id;
}

export async function findPasskey(db: DbOrTx, staffId: string, credentialId: string): Promise<PasskeyRow | undefined> {
  const rows = await db
    .select()
    .from(webauthnCredentials)
    .where(and(eq(webauthnCredentials.staffId, staffId), eq(webauthnCredentials.credentialId, credentialId)))
    .limit(1);
  return rows[0];
}

export async function updatePasskeyUse(tx: DbOrTx, id: string, counter: number, at: Date): Promise<void> {
  await tx.update(webauthnCredentials).set({ counter, lastUsedAt: at }).where(eq(webauthnCredentials.id, id));
}

export async function deleteStaffPasskeys(tx: DbOrTx, staffId: string): Promise<number> {
  const rows = await tx.delete(webauthnCredentials).where(eq(webauthnCredentials.staffId, staffId)).returning({ id: webauthnCredentials.id });
  return rows.length;
}
