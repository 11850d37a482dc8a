// Routing rules, as administrators maintain them (the intake reads the enabled ones through
// directory.repository.ts loadRoutingSnapshot).
import { asc, notInArray } from 'drizzle-orm';
import type { DbOrTx } from '../db/client.ts';
import { routingRules } from '../../drizzle/schema/index.ts';
import type { BodyKind, Category, Level } from '../domain/vocabulary.ts';
import type { TargetLevel } from '../domain/routing.ts';

export type RoutingRuleRow = {
  code: string;
  priority: number;
  enabled: boolean;
  matchCategory: Category | null;
  matchLevel: Level | null;
  matchJurisdictionCode: string | null;
  targetBodyKind: BodyKind;
  targetLevel: TargetLevel;
  reasonVi: string;
  reasonEn: string;
};

export type RoutingRuleListItem = RoutingRuleRow & { updatedAt: Date; updatedBy: string | null };

export async function listRoutingRules(db: DbOrTx): Promise<RoutingRuleListItem[]> {
  const rows = await db.select({
    code: routingRules.code, priority: routingRules.priority, enabled: routingRules.enabled, matchCategory: routingRules.matchCategory,
    matchLevel: routingRules.matchLevel, matchJurisdictionCode: routingRules.matchJurisdictionCode, targetBodyKind: routingRules.targetBodyKind,
    targetLevel: routingRules.targetLevel, reasonVi: routingRules.reasonVi, reasonEn: routingRules.reasonEn,
    updatedAt: routingRules.updatedAt, updatedBy: routingRules.updatedBy,
  }).from(routingRules).orderBy(asc(routingRules.priority), asc(routingRules.code));
  return rows as RoutingRuleListItem[];
}

/** Makes the table exactly `rules` (keyed by code); returns the codes removed. */
export async function replaceRoutingRules(tx: DbOrTx, rules: readonly RoutingRuleRow[], updatedBy: string): Promise<string[]> {
  const codes = rules.map((r) => r.code);
  const removed = await tx.delete(routingRules)
    .where(codes.length > 0 ? notInArray(routingRules.code, codes) : undefined)
    .returning({ code: routingRules.code });
  const now = new Date();
  for (const rule of rules) {
    await tx.insert(routingRules).values({ ...rule, updatedBy, updatedAt: now })
      .onConflictDoUpdate({ target: routingRules.code, set: { ...rule, updatedBy, updatedAt: now } });
  }
  return removed.map((r) => r.code);
}
