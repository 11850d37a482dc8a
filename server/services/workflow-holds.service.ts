// What a transition does to holds on the cadre's personnel actions, as planTransition
// decided (proposeHolds, liftHolds) and holds.ts rules: proposals for the inspection lead to
// confirm or refuse, and lifting (with the cadre cleared on the record) when the case ends so.
import type { Config } from '../config.ts';
import type { Tx } from '../db/client.ts';
import { localDateOf } from '../domain/calendar.ts';
import { HOLDABLE_ACTION_STATES, proposeHolds, selectHoldsToLift, type HoldLiftDecision } from '../domain/holds.ts';
import { insertProposedHolds, listCaseHolds, markCadreCleared, type CaseRow } from '../repositories/case-event.repository.ts';
import { insertCaseEvents } from '../repositories/case.repository.ts';
import { insertActionEvents, lockActionsOfCadre, lockCadre } from '../repositories/personnel.repository.ts';
import type { AuditEntry } from './audit.service.ts';
import { liftHoldsBySystem } from './hold.service.ts';
import { leadsOf, notifyStaff } from './notification.service.ts';

export type HoldEffects = { proposeHolds?: boolean | undefined; liftHolds?: HoldLiftDecision | null | undefined; version?: number | undefined };

/**
 * Applies the hold effects of one transition. Audit entries are returned for the caller to
 * append last. `placingBodyId` is the inspection body handling the case.
 */
export async function applyHoldEffects(
  tx: Tx, deps: { config: Pick<Config, 'smtpUrl'>; now: Date }, c: CaseRow, placingBodyId: string | null, e: HoldEffects,
): Promise<AuditEntry[]> {
  const audit: AuditEntry[] = [];
  const today = localDateOf(deps.now);
  const tag = `v${e.version ?? 0}`;
  if (e.proposeHolds && c.cadreId && placingBodyId) {
    // The cadre row, then the actions, before the holds are written: an approval running at
    // the same time either finished first (the action is no longer pending and gets no hold)
    // or waits here and then sees the hold; an action being recorded (which locks the cadre
    // too) is either seen here or sees this case accepted and gets its own proposal.
    await lockCadre(tx, c.cadreId);
    const [pending, existing] = [await lockActionsOfCadre(tx, c.cadreId, HOLDABLE_ACTION_STATES), await listCaseHolds(tx, c.id)];
    const actions = proposeHolds({ caseId: c.id, cadreId: c.cadreId, isAnonymous: c.isAnonymous, isCorroborated: c.isCorroborated }, pending, existing);
    const holdIds = await insertProposedHolds(tx, c.id, actions.map((a) => a.id), placingBodyId);
    if (holdIds.length > 0) {
      const proposed = (await listCaseHolds(tx, c.id)).filter((h) => holdIds.includes(h.id));
      await insertActionEvents(tx, proposed.map((h) => ({
        actionId: h.personnelActionId, kind: 'hold.proposed', actorKind: 'system' as const, holdId: h.id, detail: { placingBodyId }, createdAt: deps.now,
      })));
      await insertCaseEvents(tx, [{
        caseId: c.id, kind: 'holds.proposed', actorKind: 'system', isPublic: false, dedupeKey: `holds.proposed/${tag}`, occurredOn: today,
        detail: { holdIds, personnelActionIds: actions.map((a) => a.id) },
      }]);
      await notifyStaff(tx, deps.config, {
        caseRef: c.publicRef, kind: 'hold.proposed', dedupeKey: `case/${c.id}/holds.proposed/${tag}`, recipients: await leadsOf(tx, c, placingBodyId),
      });
      audit.push({ actorKind: 'system', action: 'hold.proposed', resourceKind: 'case', resourceId: c.id, detail: { holdIds } });
    }
  }
  const lift = e.liftHolds;
  if (lift?.lift) {
    const { lifted, moveAudit } = await liftHoldsBySystem(tx, selectHoldsToLift(c.id, await listCaseHolds(tx, c.id)), lift, deps.now);
    if (lift.cadreCleared && c.cadreId) await markCadreCleared(tx, c.cadreId, deps.now);
    if (lifted.length > 0) {
      const detail = { holdIds: lifted.map((h) => h.id), liftReason: lift.liftReason, cadreCleared: lift.cadreCleared };
      await insertCaseEvents(tx, [{
        caseId: c.id, kind: 'holds.lifted', actorKind: 'system', isPublic: false, dedupeKey: `holds.lifted/${tag}`, occurredOn: today, detail,
      }]);
      audit.push({ actorKind: 'system', action: 'hold.lifted', resourceKind: 'case', resourceId: c.id, detail }, ...moveAudit);
    }
  }
  return audit;
}
