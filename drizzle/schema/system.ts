// Cross-cutting tables: the audit chain, the outbox, the holiday calendar, routing rules,
// staff notifications.
import { sql } from 'drizzle-orm';
import {
  pgTable, text, uuid, integer, smallint, bigint, bigserial, boolean, timestamp, date, jsonb, index, uniqueIndex, check,
} from 'drizzle-orm/pg-core';
import { ACTOR_KINDS, CATEGORIES, LEVELS, BODY_KINDS } from '../../server/domain/vocabulary.ts';
import { bytea, inList } from './columns.ts';
import { bodies, staff } from './org.ts';

/** Append-only and hash-chained; triggers in the migration refuse UPDATE and DELETE. */
export const auditLog = pgTable('audit_log', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
  actorKind: text('actor_kind').notNull(),
  actorId: uuid('actor_id'),
  action: text('action').notNull(),
  resourceKind: text('resource_kind'),
  resourceId: text('resource_id'),
  // Ids and codes only, never content.
  detail: jsonb('detail').notNull().default(sql`'{}'::jsonb`),
  prevHash: bytea('prev_hash').notNull(),
  hash: bytea('hash').notNull().unique(),
  // 1: hashed over canonical JSON made in Node; 2: over audit_body_v2() made by audit_append() in
  // the database, so an append is one statement (see the audit_append migration).
  hashVersion: smallint('hash_version').notNull().default(1),
}, (t) => [
  check('audit_log_actor_kind', inList('actor_kind', ACTOR_KINDS)),
  index('audit_log_resource').on(t.resourceKind, t.resourceId),
]);

/** One row: the head of the audit chain, locked by each append so the chain stays linear. */
export const auditHead = pgTable('audit_head', {
  id: integer('id').primaryKey().default(1),
  lastId: bigint('last_id', { mode: 'number' }).notNull().default(0),
  lastHash: bytea('last_hash').notNull(),
}, (t) => [check('audit_head_single_row', sql`${t.id} = 1`)]);

/** Transactional outbox: written with the change, relayed to BullMQ after commit. */
export const outbox = pgTable('outbox', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  topic: text('topic').notNull(),
  // Deterministic: becomes the BullMQ job id, so relaying twice enqueues once.
  dedupeKey: text('dedupe_key').notNull().unique(),
  payload: jsonb('payload').notNull(),
  // Day precision unless a job is scheduled for a later moment (see outbox.repository.ts).
  availableAt: timestamp('available_at', { withTimezone: true }).notNull().default(sql`(date_trunc('day', now() AT TIME ZONE 'Asia/Ho_Chi_Minh') AT TIME ZONE 'Asia/Ho_Chi_Minh')`),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().default(sql`(date_trunc('day', now() AT TIME ZONE 'Asia/Ho_Chi_Minh') AT TIME ZONE 'Asia/Ho_Chi_Minh')`),
  dispatchedAt: timestamp('dispatched_at', { withTimezone: true }),
  completedAt: timestamp('completed_at', { withTimezone: true }),
  attempts: integer('attempts').notNull().default(0),
  lastError: text('last_error'),
}, (t) => [
  // The relay's due rows and next due time: a range scan from the front, however many rows of
  // running deadlines wait further ahead (they stay undispatched: their delayed jobs are in Redis).
  index('outbox_due').on(t.availableAt, t.id).where(sql`${t.dispatchedAt} IS NULL`),
  index('outbox_unfinished').on(t.id).where(sql`${t.completedAt} IS NULL`),
]);

export const holidays = pgTable('holidays', {
  day: date('day').primaryKey(),
  nameVi: text('name_vi').notNull(),
  nameEn: text('name_en').notNull(),
  kind: text('kind').notNull(),
  // A make-up working day (e.g. a Saturday worked to bridge a holiday) instead of a day off.
  isWorkingDay: boolean('is_working_day').notNull().default(false),
  updatedBy: uuid('updated_by').references(() => staff.id),
}, () => [check('holidays_kind', inList('kind', ['solar', 'lunar', 'compensatory', 'makeup']))]);

export const routingRules = pgTable('routing_rules', {
  id: uuid('id').primaryKey().defaultRandom(),
  code: text('code').notNull().unique(),
  priority: integer('priority').notNull().default(100),
  enabled: boolean('enabled').notNull().default(true),
  matchCategory: text('match_category'),
  matchLevel: text('match_level'),
  matchJurisdictionCode: text('match_jurisdiction_code'),
  targetBodyKind: text('target_body_kind').notNull(),
  targetLevel: text('target_level').notNull().default('same'),
  reasonVi: text('reason_vi').notNull(),
  reasonEn: text('reason_en').notNull(),
  updatedBy: uuid('updated_by').references(() => staff.id),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  check('routing_rules_category', sql`${t.matchCategory} IS NULL OR ${inList('match_category', CATEGORIES)}`),
  check('routing_rules_level', sql`${t.matchLevel} IS NULL OR ${inList('match_level', LEVELS)}`),
  check('routing_rules_target_kind', inList('target_body_kind', BODY_KINDS)),
  check('routing_rules_target_level', sql`${t.targetLevel} IN ('same', 'parent') OR ${inList('target_level', LEVELS)}`),
]);

export const notifications = pgTable('notifications', {
  id: uuid('id').primaryKey().defaultRandom(),
  staffId: uuid('staff_id').notNull().references(() => staff.id),
  bodyId: uuid('body_id').references(() => bodies.id),
  kind: text('kind').notNull(),
  caseRef: text('case_ref'),
  // One notification per (recipient, event): racing workers cannot double-notify.
  dedupeKey: text('dedupe_key').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  readAt: timestamp('read_at', { withTimezone: true }),
  emailedAt: timestamp('emailed_at', { withTimezone: true }),
}, (t) => [
  uniqueIndex('notifications_dedupe').on(t.staffId, t.dedupeKey),
  index('notifications_unread').on(t.staffId, t.createdAt).where(sql`${t.readAt} IS NULL`),
]);

/** Idempotency ledger for jobs with side effects outside Postgres (e-mail, Redis). */
export const jobRuns = pgTable('job_runs', {
  // Steps a job has finished, so a retry skips what already happened.
  jobKey: text('job_key').primaryKey(),
  finishedAt: timestamp('finished_at', { withTimezone: true }).notNull().defaultNow(),
  result: jsonb('result'),
});
