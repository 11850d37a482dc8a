// The retaliation watch's list: adverse, undecided actions about reporters a body protects.
import { and, asc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { cadres, personnelActions } from '../../drizzle/schema/index.ts';
import type { PersonnelActionKind, PersonnelActionState } from '../domain/vocabulary.ts';

export type AdverseActionRow = {
  id: string; cadreId: string; cadreName: string; cadrePosition: string; kind: PersonnelActionKind; state: PersonnelActionState;
  positionTitle: string; proposedOn: string; reviewOutcome: string | null; reviewRef: string | null;
};

export async function listProtectedAdverseActions(db: DbOrTx, bodyId: string, kinds: readonly PersonnelActionKind[]): Promise<AdverseActionRow[]> {
  const rows = await db.select({
    id: personnelActions.id, cadreId: cadres.id, cadreName: cadres.fullName, cadrePosition: cadres.position, kind: personnelActions.kind,
    state: personnelActions.state, positionTitle: personnelActions.positionTitle, proposedOn: personnelActions.proposedOn,
    reviewOutcome: personnelActions.reviewOutcome, reviewRef: personnelActions.reviewRef,
  }).from(personnelActions).innerJoin(cadres, eq(cadres.id, personnelActions.cadreId))
    .where(and(
      eq(cadres.protectedReporter, true), eq(cadres.protectedByBodyId, bodyId), inArray(personnelActions.kind, [...kinds]),
      inArray(personnelActions.state, ['draft', 'public_notice', 'pending_decision', 'held']),
    )).orderBy(asc(personnelActions.proposedOn), asc(personnelActions.id)).limit(200);
  return rows as AdverseActionRow[];
}
