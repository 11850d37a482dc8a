import { eq } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { deployment } from '../../drizzle/schema/index.ts';

export type DeploymentRow = typeof deployment.$inferSelect;

export async function getDeployment(db: DbOrTx): Promise<DeploymentRow | undefined> {
  const rows = await db.select().from(deployment).where(eq(deployment.id, 1)).limit(1);
  return rows[0];
}

export async function insertDeployment(db: DbOrTx, row: { mode: 'demo' | 'production'; rootSignPublicKey: Uint8Array }): Promise<void> {
  await db.insert(deployment).values({ id: 1, ...row });
}
