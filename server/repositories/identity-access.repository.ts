// Requests to open a reporter's identity and their decisions by a second person.
import { aliasedTable, and, desc, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { cases, identityAccessRequests, staff } from '../../drizzle/schema/index.ts';

export type IdentityRequestRow = {
  id: string; caseId: string; publicRef: string; bodyId: string; state: 'pending' | 'approved' | 'refused'; reasonCode: string;
  requestedBy: string; requestedByName: string; decidedBy: string | null; decidedByName: string | null;
  createdAt: Date; decidedAt: Date | null; expiresAt: Date | null;
};

const requester = aliasedTable(staff, 'requester');
const decider = aliasedTable(staff, 'decider');

const columns = {
  id: identityAccessRequests.id, caseId: identityAccessRequests.caseId, publicRef: cases.publicRef, bodyId: identityAccessRequests.bodyId,
  state: identityAccessRequests.state, reasonCode: identityAccessRequests.reasonCode,
  requestedBy: identityAccessRequests.requestedBy, requestedByName: requester.displayName,
  decidedBy: identityAccessRequests.decidedBy, decidedByName: decider.displayName,
  createdAt: identityAccessRequests.createdAt, decidedAt: identityAccessRequests.decidedAt, expiresAt: identityAccessRequests.expiresAt,
};

const base = (db: DbOrTx) => db.select(columns).from(identityAccessRequests)
  .innerJoin(cases, eq(cases.id, identityAccessRequests.caseId))
  .innerJoin(requester, eq(requester.id, identityAccessRequests.requestedBy))
  .leftJoin(decider, eq(decider.id, identityAccessRequests.decidedBy));

export async function insertIdentityRequest(tx: DbOrTx, row: { caseId: string; requestedBy: string; bodyId: string; reasonCode: string; reasonEnvelopeId: string | null; createdAt: Date }): Promise<string> {
  const [out] = await tx.insert(identityAccessRequests).values(row).returning({ id: identityAccessRequests.id });
  if (!out) throw new Error('insert returned nothing');
  return out.id;
}

export async function findIdentityRequest(db: DbOrTx, id: string): Promise<IdentityRequestRow | undefined> {
  const rows = await base(db).where(eq(identityAccessRequests.id, id)).limit(1);
  return rows[0] as IdentityRequestRow | undefined;
}

/** The requester's latest request on the case. */
export async function findLatestRequestBy(db: DbOrTx, caseId: string, staffId: string): Promise<IdentityRequestRow | undefined> {
  const rows = await base(db).where(and(eq(identityAccessRequests.caseId, caseId), eq(identityAccessRequests.requestedBy, staffId)))
    .orderBy(desc(identityAccessRequests.createdAt)).limit(1);
  return rows[0] as IdentityRequestRow | undefined;
}

/** Whether someone other than `staffId` has a pending request on the case. */
export async function hasPendingRequestOfOther(db: DbOrTx, caseId: string, staffId: string): Promise<boolean> {
  const rows = await db.select({ id: identityAccessRequests.id }).from(identityAccessRequests)
    .where(and(eq(identityAccessRequests.caseId, caseId), eq(identityAccessRequests.state, 'pending'), sql`${identityAccessRequests.requestedBy} <> ${staffId}`)).limit(1);
  return rows.length > 0;
}

/** Pending requests on cases a body holds, other than the actor's own, newest first; keyset on (created_at, id). */
export async function listPendingForCases(
  db: DbOrTx, caseBodyId: string, notBy: string, before: { createdAt: Date; id: string } | null, limit: number,
): Promise<IdentityRequestRow[]> {
  const rows = await base(db).where(and(
    eq(identityAccessRequests.state, 'pending'),
    sql`${identityAccessRequests.requestedBy} <> ${notBy}`,
    sql`EXISTS (SELECT 1 FROM case_bodies cb WHERE cb.case_id = ${identityAccessRequests.caseId} AND cb.body_id = ${caseBodyId})`,
    ...(before ? [sql`(${identityAccessRequests.createdAt}, ${identityAccessRequests.id}) < (${before.createdAt.toISOString()}::timestamptz, ${before.id}::uuid)`] : []),
  )).orderBy(desc(identityAccessRequests.createdAt), desc(identityAccessRequests.id)).limit(limit);
  return rows as IdentityRequestRow[];
}

/** Decides a pending request; false when it was decided already. */
export async function decideIdentityRequest(tx: DbOrTx, id: string, patch: { state: 'approved' | 'refused'; decidedBy: string; decidedAt: Date; expiresAt: Date | null }): Promise<boolean> {
  const rows = await tx.update(identityAccessRequests).set(patch)
    .where(and(eq(identityAccessRequests.id, id), eq(identityAccessRequests.state, 'pending'))).returning({ id: identityAccessRequests.id });
  return rows.length > 0;
}
