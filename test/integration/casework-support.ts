// Shared by the casework tests: cases written straight to the database (the queue tests
// need many, in known states and deadlines) and a staff client for any HTTP method.
import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { eq } from 'drizzle-orm';
import type { Db } from '../../server/db/client.ts';
import { caseAssignees, caseBodies, caseKeyWraps, caseLabels, caseRecusals, cases, staff } from '../../drizzle/schema/index.ts';
import type { CaseState } from '../../server/domain/vocabulary.ts';
import type { Client } from './auth-helpers.ts';
import { drawRef, type World } from './intake-fixtures.ts';

export type SeedCase = {
  bodyIds: string[];
  state?: CaseState;
  nextDueOn?: string | null;
  cadreId?: string | null;
  pending?: boolean;
  labels?: string[];
  assignees?: string[];
  recusedStaffIds?: string[];
  category?: 'budget_assets' | 'land_resources';
};

/** A received case with K wrapped (fake bytes) to each body, as intake leaves it. */
export async function seedCase(db: Db, world: World, s: SeedCase): Promise<{ id: string; publicRef: string }> {
  const id = randomUUID();
  const publicRef = drawRef();
  await db.transaction(async (tx) => {
    await tx.insert(cases).values({
      id, publicRef, state: s.state ?? 'triage', category: s.category ?? 'budget_assets', jurisdictionCode: world.district, channel: 'web',
      lookupTokenHash: randomBytes(32), reporterPublicKey: randomBytes(32), receivedOn: '2026-11-02',
      nextDueOn: s.nextDueOn ?? null, cadreId: s.cadreId ?? null,
      ...(s.pending ? { pendingUntil: new Date(Date.now() + 3_600_000) } : {}),
    });
    await tx.insert(caseBodies).values(s.bodyIds.map((bodyId, i) => ({ caseId: id, bodyId, role: i === 0 ? 'intake' : 'inspection', reason: '{}' })));
    await tx.insert(caseKeyWraps).values(s.bodyIds.map((bodyId) => ({
      caseId: id, keyKind: 'case', recipientKind: 'body', bodyId, bodyKeyVersion: 1, sealedKey: randomBytes(81),
    })));
    if (s.labels?.length) await tx.insert(caseLabels).values(s.labels.map((label) => ({ caseId: id, label })));
    if (s.assignees?.length) await tx.insert(caseAssignees).values(s.assignees.map((staffId) => ({ caseId: id, staffId })));
    if (s.recusedStaffIds?.length) await tx.insert(caseRecusals).values(s.recusedStaffIds.map((staffId) => ({ caseId: id, staffId })));
  });
  return { id, publicRef };
}

export const setStaffCadre = (db: Db, staffId: string, cadreId: string) => db.update(staff).set({ cadreId }).where(eq(staff.id, staffId));

export function req(
  app: FastifyInstance, client: Client, method: 'GET' | 'POST' | 'PUT', url: string, payload?: unknown,
): Promise<LightMyRequestResponse> {
  return app.inject({
    method, url, remoteAddress: client.ip,
    headers: { cookie: client.cookie, ...(method !== 'GET' ? { 'x-csrf-token': client.csrf } : {}) },
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });
}
