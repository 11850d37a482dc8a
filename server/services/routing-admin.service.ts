// Administrators maintain the routing rules (data, not code). The whole list is replaced at
// once, so a set of rules that only makes sense together is never half applied.
import type { Db } from '../db/client.ts';
import type { Actor } from '../domain/policy.ts';
import { AppError } from '../domain/errors.ts';
import { listRoutingRules, replaceRoutingRules, type RoutingRuleListItem, type RoutingRuleRow } from '../repositories/routing.repository.ts';
import { appendAudit } from './audit.service.ts';

export const listRules = (db: Db): Promise<RoutingRuleListItem[]> => listRoutingRules(db);

export async function replaceRules(db: Db, actor: Actor, rules: readonly RoutingRuleRow[]): Promise<RoutingRuleListItem[]> {
  const codes = rules.map((r) => r.code);
  const duplicate = codes.find((code, i) => codes.indexOf(code) !== i);
  if (duplicate !== undefined) throw new AppError('VALIDATION_FAILED', 'Each rule needs its own code.', { duplicate });
  if (rules.some((r) => r.reasonVi.trim() === '' || r.reasonEn.trim() === '')) {
    throw new AppError('VALIDATION_FAILED', 'Each rule needs its reason in Vietnamese and in English: staff are shown why a case is theirs.');
  }
  await db.transaction(async (tx) => {
    const removed = await replaceRoutingRules(tx, rules, actor.staffId);
    await appendAudit(tx, {
      actorKind: 'staff', actorId: actor.staffId, action: 'routing_rules.replaced', resourceKind: 'routing_rules',
      detail: { rules: rules.length, enabled: rules.filter((r) => r.enabled).length, removed },
    });
  });
  return listRoutingRules(db);
}
