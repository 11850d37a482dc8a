// The retaliation watch's list: adverse, undecided actions about reporters a body protects.
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { cadres, personnelActions } from '../../drizzle/schema/index.ts';
import { UNDECIDED_ACTION_STATES } from '../domain/holds.ts';
import type { PersonnelActionKind, PersonnelActionState } from '../domain/vocabulary.ts';

export type AdverseActionRow = {
  id: string; cadreId: string; cadreName: string; cadrePosition: string; kind: PersonnelActionKind; state: PersonnelActionState;
  positionTitle: string; proposedOn: string; reviewOutcome: string | null; reviewRef: string | null;
};

/** One page of a body's watched actions, oldest proposal first, keyset on (proposed_on, id). */
export async function listProtectedAdverseActions(
  db: DbOrTx, opts: { bodyId: string; kinds: readonly PersonnelActionKind[]; after: { proposedOn: string; id: string } | null; limit: number },
): Promise<AdverseActionRow[]> {
  const rows = await db.select({
    id: personnelActions.id, cadreId: cadres.id, cadreName: cadres.fullName, cadrePosition: cadres.position, kind: personnelActions.kind,
    state: personnelActions.state, positionTitle: personnelActions.positionTitle, proposedOn: personnelActions.proposedOn,
    reviewOutcome: personnelActions.reviewOutcome, reviewRef: personnelActions.reviewRef,
  }).from(personnelActions).innerJoin(cadres, eq(cadres.id, personnelActions.cadreId))
    .where(and(
      eq(cadres.protectedReporter, true), eq(cadres.protectedByBodyId, opts.bodyId), inArray(personnelActions.kind, [...opts.kinds]),
      inArray(personnelActions.state, [...UNDECIDED_ACTION_STATES]),
      opts.after ? sql`(${personnelActions.proposedOn}, ${personnelActions.id}) > (${opts.after.proposedOn}::date, ${opts.after.id}::uuid)` : undefined,
    )).orderBy(asc(personnelActions.proposedOn), asc(personnelActions.id)).limit(opts.limit);
  return rows as AdverseActionRow[];
}
