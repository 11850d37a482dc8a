// The cadre directory, personnel actions and the holds placed on them.
import { sql } from 'drizzle-orm';
import { pgTable, text, uuid, integer, boolean, timestamp, date, index, uniqueIndex, check, bigserial, jsonb, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { HOLD_STATES, LEVELS, PERSONNEL_ACTION_KINDS, PERSONNEL_ACTION_STATES } from '../../server/domain/vocabulary.ts';
import { inList } from './columns.ts';
import { bodies, jurisdictions, staff } from './org.ts';
// Circular with cases.ts on purpose: references are resolved lazily.
import { cases } from './cases.ts';

export const cadres = pgTable('cadres', {
  id: uuid('id').primaryKey().defaultRandom(),
  fullName: text('full_name').notNull(),
  // Lower-cased, diacritics removed (đ → d): "nguyen van a" finds "Nguyễn Văn A".
  nameSearch: text('name_search').notNull(),
  position: text('position').notNull(),
  unitName: text('unit_name').notNull(),
  jurisdictionCode: text('jurisdiction_code').notNull().references(() => jurisdictions.code),
  level: text('level').notNull(),
  // The level, and the jurisdiction at that level, whose committee manages this cadre.
  managingLevel: text('managing_level').notNull(),
  managingJurisdictionCode: text('managing_jurisdiction_code').notNull().references(() => jurisdictions.code),
  isPublic: boolean('is_public').notNull().default(true),
  protectedReporter: boolean('protected_reporter').notNull().default(false),
  // The inspection body that marked the cadre a protected reporter: it reviews adverse actions.
  protectedByBodyId: uuid('protected_by_body_id').references(() => bodies.id),
  protectedAt: timestamp('protected_at', { withTimezone: true }),
  clearedAt: timestamp('cleared_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  check('cadres_level', inList('level', LEVELS)),
  check('cadres_managing_level', inList('managing_level', LEVELS)),
  index('cadres_name_search_trgm').using('gin', sql`${t.nameSearch} gin_trgm_ops`),
  index('cadres_jurisdiction').on(t.jurisdictionCode),
]);

export const personnelActions = pgTable('personnel_actions', {
  id: uuid('id').primaryKey().defaultRandom(),
  cadreId: uuid('cadre_id').notNull().references(() => cadres.id),
  kind: text('kind').notNull(),
  state: text('state').notNull().default('draft'),
  proposingBodyId: uuid('proposing_body_id').notNull().references(() => bodies.id),
  positionTitle: text('position_title').notNull(),
  proposedOn: date('proposed_on').notNull(),
  noticeUntil: date('notice_until'),
  commentCount: integer('comment_count').notNull().default(0),
  decisionRef: text('decision_ref'),
  createdBy: uuid('created_by').references(() => staff.id),
  version: integer('version').notNull().default(1),
  // The state an action was in when it became 'held', restored when its last hold is lifted.
  heldFromState: text('held_from_state'),
  // Retaliation watch: the inspection committee's review of an adverse action about a protected reporter.
  reviewOutcome: text('review_outcome'),
  reviewRef: text('review_ref'),
  reviewedBy: uuid('reviewed_by').references(() => staff.id),
  reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  check('personnel_actions_kind', inList('kind', PERSONNEL_ACTION_KINDS)),
  check('personnel_actions_state', inList('state', PERSONNEL_ACTION_STATES)),
  check('personnel_actions_review_outcome', sql`${t.reviewOutcome} IS NULL OR ${t.reviewOutcome} IN ('no_objection', 'objection')`),
  check('personnel_actions_notice_has_date', sql`${t.state} <> 'public_notice' OR ${t.noticeUntil} IS NOT NULL`),
  index('personnel_actions_cadre_state').on(t.cadreId, t.state),
  index('personnel_actions_open_notices').on(t.noticeUntil).where(sql`${t.state} = 'public_notice'`),
]);

export const holds = pgTable('holds', {
  id: uuid('id').primaryKey().defaultRandom(),
  actionId: uuid('action_id').notNull().references(() => personnelActions.id),
  caseId: uuid('case_id').notNull().references((): AnyPgColumn => cases.id),
  state: text('state').notNull().default('proposed'),
  placingBodyId: uuid('placing_body_id').notNull().references(() => bodies.id),
  legalBasis: text('legal_basis'),
  scope: text('scope'),
  proposedAt: timestamp('proposed_at', { withTimezone: true }).notNull().defaultNow(),
  decidedBy: uuid('decided_by').references(() => staff.id),
  decidedAt: timestamp('decided_at', { withTimezone: true }),
  reviewOn: date('review_on'),
  renewals: integer('renewals').notNull().default(0),
  proceedAnywayRef: text('proceed_anyway_ref'),
  proceedAnywayBodyId: uuid('proceed_anyway_body_id').references(() => bodies.id),
  liftedAt: timestamp('lifted_at', { withTimezone: true }),
  liftReason: text('lift_reason'),
  // The lead's stated reason for the last refusal, renewal or lift by their own decision.
  decisionReason: text('decision_reason'),
  proceedAnywayAt: timestamp('proceed_anyway_at', { withTimezone: true }),
  proceedAnywayBy: uuid('proceed_anyway_by').references(() => staff.id),
  version: integer('version').notNull().default(1),
}, (t) => [
  check('holds_state', inList('state', HOLD_STATES)),
  check('holds_confirmed_has_basis', sql`${t.state} <> 'confirmed' OR (${t.legalBasis} IS NOT NULL AND ${t.reviewOn} IS NOT NULL)`),
  // One hold per action per case: a retried proposal job cannot double-propose.
  uniqueIndex('holds_action_case').on(t.actionId, t.caseId),
  index('holds_active_action').on(t.actionId).where(sql`${t.state} IN ('proposed', 'confirmed')`),
  index('holds_review').on(t.reviewOn).where(sql`${t.state} = 'confirmed'`),
]);

/** The history of one personnel action: its moves and every hold decision about it. Ids and codes only. */
export const personnelActionEvents = pgTable('personnel_action_events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  actionId: uuid('action_id').notNull().references(() => personnelActions.id),
  kind: text('kind').notNull(),
  fromState: text('from_state'),
  toState: text('to_state'),
  actorKind: text('actor_kind').notNull(),
  actorStaffId: uuid('actor_staff_id').references(() => staff.id),
  holdId: uuid('hold_id').references(() => holds.id),
  detail: jsonb('detail').notNull().default(sql`'{}'::jsonb`),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  check('personnel_action_events_actor_kind', inList('actor_kind', ['system', 'staff'])),
  index('personnel_action_events_action').on(t.actionId, t.id),
]);
