// Cases and everything that hangs off them. Content columns hold ciphertext only.
import { sql } from 'drizzle-orm';
import {
  pgTable, text, uuid, integer, bigint, bigserial, boolean, timestamp, date, smallint, jsonb,
  index, uniqueIndex, check, primaryKey, type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import {
  ACTOR_KINDS, CASE_STATES, CATEGORIES, CHANNELS, CLASSIFICATIONS, COMPLEXITIES, CONCLUSION_OUTCOMES,
  DAY_UNITS, DEADLINE_KINDS, ENVELOPE_PARTS, LANGUAGES, MESSAGE_DIRECTIONS,
} from '../../server/domain/vocabulary.ts';
import { bytea, inList } from './columns.ts';
import { bodies, jurisdictions, staff } from './org.ts';
import { cadres, holds, personnelActions } from './personnel.ts';

export const cases = pgTable('cases', {
  id: uuid('id').primaryKey().defaultRandom(),
  // The human-facing case reference; also the associated data of every text envelope.
  publicRef: text('public_ref').notNull().unique(),
  state: text('state').notNull().default('received'),
  classification: text('classification'),
  category: text('category').notNull(),
  jurisdictionCode: text('jurisdiction_code').notNull().references(() => jurisdictions.code),
  cadreId: uuid('cadre_id').references(() => cadres.id),
  noticeActionId: uuid('notice_action_id').references(() => personnelActions.id),
  channel: text('channel').notNull(),
  language: text('language').notNull().default('vi'),
  isAnonymous: boolean('is_anonymous').notNull().default(true),
  serverSealed: boolean('server_sealed').notNull().default(false),
  // SHA-256/BLAKE2b of the receipt-derived lookup token; the token itself never reaches the server's storage.
  lookupTokenHash: bytea('lookup_token_hash').notNull().unique(),
  // Derived from the receipt in the browser: staff replies are sealed to it.
  reporterPublicKey: bytea('reporter_public_key').notNull(),
  complexity: text('complexity').notNull().default('normal'),
  urgent: boolean('urgent').notNull().default(false),
  overdue: boolean('overdue').notNull().default(false),
  congressWindow: boolean('congress_window').notNull().default(false),
  routingFlagged: boolean('routing_flagged').notNull().default(false),
  signsOfViolation: boolean('signs_of_violation').notNull().default(false),
  mergedIntoId: uuid('merged_into_id').references((): AnyPgColumn => cases.id),
  outcome: text('outcome'),
  // Public submissions keep only the day: no precise time that could match a network log.
  receivedOn: date('received_on').notNull(),
  nextDueOn: date('next_due_on'),
  version: integer('version').notNull().default(1),
  // Staff-side times; a public submission sets them to the start of its day.
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  // Set while a submission's uploads are outstanding (rounded up to the hour, cleared on
  // completion): such a case is not yet received, has no case_bodies, and is deleted after it.
  pendingUntil: timestamp('pending_until', { withTimezone: true }),
  // Case facts the transition rules need (server/domain/case-guards.ts); set by the workflow.
  resumeState: text('resume_state'),
  hasSignedPetition: boolean('has_signed_petition').notNull().default(false),
  isCorroborated: boolean('is_corroborated').notNull().default(false),
  resolutionExtensions: smallint('resolution_extensions').notNull().default(0),
}, (t) => [
  check('cases_state', inList('state', CASE_STATES)),
  check('cases_resume_state', sql`${t.resumeState} IS NULL OR ${inList('resume_state', CASE_STATES)}`),
  check('cases_classification', sql`${t.classification} IS NULL OR ${inList('classification', CLASSIFICATIONS)}`),
  check('cases_category', inList('category', CATEGORIES)),
  check('cases_channel', inList('channel', CHANNELS)),
  check('cases_language', inList('language', LANGUAGES)),
  check('cases_complexity', inList('complexity', COMPLEXITIES)),
  check('cases_outcome', sql`${t.outcome} IS NULL OR ${inList('outcome', CONCLUSION_OUTCOMES)}`),
  // An anonymous report is never on the acceptance path of a denunciation (Law on Denunciation, Art. 25).
  check('cases_anonymous_not_denunciation', sql`NOT (${t.isAnonymous} AND ${t.classification} = 'denunciation')`),
  check('cases_not_merged_into_self', sql`${t.mergedIntoId} IS NULL OR ${t.mergedIntoId} <> ${t.id}`),
  index('cases_queue').on(t.state, t.nextDueOn, t.id),
  index('cases_cadre').on(t.cadreId).where(sql`${t.cadreId} IS NOT NULL`),
  index('cases_notice').on(t.noticeActionId).where(sql`${t.noticeActionId} IS NOT NULL`),
  index('cases_pending').on(t.pendingUntil).where(sql`${t.pendingUntil} IS NOT NULL`),
]);

/** Which bodies a case is routed or forwarded to, and why. */
export const caseBodies = pgTable('case_bodies', {
  caseId: uuid('case_id').notNull().references(() => cases.id),
  bodyId: uuid('body_id').notNull().references(() => bodies.id),
  role: text('role').notNull(),
  reason: text('reason').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  // cases.next_due_on copied by triggers (migration case_queue_due), NULL as 9999-12-31 so the
  // queue's keyset is one row comparison walking case_bodies_queue: a body's page costs the same at any depth.
  queueDueOn: date('queue_due_on').notNull().default('9999-12-31'),
  // cases.state, copied by the same triggers (migration case_bodies_state): a queue filtered by
  // state walks case_bodies_queue_state exactly, however rare the state.
  caseState: text('case_state').notNull().default('received'),
}, (t) => [
  primaryKey({ columns: [t.caseId, t.bodyId] }),
  check('case_bodies_role', inList('role', ['intake', 'inspection', 'added', 'forwarded'])),
  index('case_bodies_body').on(t.bodyId, t.caseId),
  index('case_bodies_queue').on(t.bodyId, t.queueDueOn, t.caseId),
  index('case_bodies_queue_state').on(t.bodyId, t.caseState, t.queueDueOn, t.caseId),
]);

/** Encrypted parts of a case: the report, the sealed identity, file manifests, notes, conclusions. */
export const caseEnvelopes = pgTable('case_envelopes', {
  id: uuid('id').primaryKey().defaultRandom(),
  caseId: uuid('case_id').notNull().references(() => cases.id),
  part: text('part').notNull(),
  formatVersion: smallint('format_version').notNull(),
  ciphertext: bytea('ciphertext').notNull(),
  serverSealed: boolean('server_sealed').notNull().default(false),
  authorStaffId: uuid('author_staff_id').references(() => staff.id),
  // Ed25519 signature over the envelope, for signed conclusions and notes.
  signature: bytea('signature'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  check('case_envelopes_part', inList('part', ENVELOPE_PARTS)),
  index('case_envelopes_case').on(t.caseId, t.part),
  // One report and at most one identity part per case.
  uniqueIndex('case_envelopes_one_report').on(t.caseId, t.part).where(sql`${t.part} IN ('report', 'identity')`),
]);

/** The case key K (or the identity key) sealed to a body's key version or to the reporter. */
export const caseKeyWraps = pgTable('case_key_wraps', {
  id: uuid('id').primaryKey().defaultRandom(),
  caseId: uuid('case_id').notNull().references(() => cases.id),
  keyKind: text('key_kind').notNull(),
  recipientKind: text('recipient_kind').notNull(),
  bodyId: uuid('body_id').references(() => bodies.id),
  bodyKeyVersion: integer('body_key_version'),
  sealedKey: bytea('sealed_key').notNull(),
  grantedBy: uuid('granted_by').references(() => staff.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  check('case_key_wraps_key_kind', inList('key_kind', ['case', 'identity'])),
  check('case_key_wraps_recipient_kind', inList('recipient_kind', ['body', 'reporter'])),
  check('case_key_wraps_body_fields', sql`(${t.recipientKind} = 'body') = (${t.bodyId} IS NOT NULL AND ${t.bodyKeyVersion} IS NOT NULL)`),
  uniqueIndex('case_key_wraps_unique').on(t.caseId, t.keyKind, t.recipientKind, sql`coalesce(${t.bodyId}, '00000000-0000-0000-0000-000000000000'::uuid)`, sql`coalesce(${t.bodyKeyVersion}, 0)`),
]);

export const attachments = pgTable('attachments', {
  id: uuid('id').primaryKey().defaultRandom(),
  caseId: uuid('case_id').notNull().references(() => cases.id),
  state: text('state').notNull().default('uploading'),
  // Opaque random key in the blob store; the file's name and type live in the encrypted manifest.
  blobKey: text('blob_key').notNull().unique(),
  declaredBytes: bigint('declared_bytes', { mode: 'number' }).notNull(),
  receivedBytes: bigint('received_bytes', { mode: 'number' }).notNull().default(0),
  chunksReceived: integer('chunks_received').notNull().default(0),
  uploadedBy: text('uploaded_by').notNull(),
  serverSealed: boolean('server_sealed').notNull().default(false),
  expiresAt: timestamp('expires_at', { withTimezone: true }),
  createdOn: date('created_on').notNull(),
  // Hash of the random upload token handed to the reporter once; null when not uploaded by a reporter.
  uploadTokenHash: bytea('upload_token_hash'),
  // The encrypted manifest (name, type, file key) sent when the upload completes.
  manifestEnvelopeId: uuid('manifest_envelope_id').references(() => caseEnvelopes.id),
}, (t) => [
  check('attachments_state', inList('state', ['uploading', 'complete', 'aborted'])),
  check('attachments_uploaded_by', inList('uploaded_by', ACTOR_KINDS)),
  check('attachments_bytes', sql`${t.receivedBytes} >= 0 AND ${t.receivedBytes} <= ${t.declaredBytes}`),
  index('attachments_case').on(t.caseId),
  index('attachments_stale').on(t.expiresAt).where(sql`${t.state} = 'uploading'`),
]);

export const messages = pgTable('messages', {
  id: uuid('id').primaryKey().defaultRandom(),
  caseId: uuid('case_id').notNull().references(() => cases.id),
  direction: text('direction').notNull(),
  authorStaffId: uuid('author_staff_id').references(() => staff.id),
  formatVersion: smallint('format_version').notNull(),
  // Sealed to the reporter's receipt key (to_reporter) or under the case key (from_reporter, notes).
  ciphertext: bytea('ciphertext').notNull(),
  isQuestion: boolean('is_question').notNull().default(false),
  sentOn: date('sent_on').notNull(),
  seq: bigserial('seq', { mode: 'number' }).notNull(),
  // The day the reporter's inbox first showed a message to them (to_reporter only): the
  // inbox marks what is new, and the staff see that their question was read. A day, not a time.
  readByReporterOn: date('read_by_reporter_on'),
}, (t) => [
  check('messages_direction', inList('direction', MESSAGE_DIRECTIONS)),
  check('messages_staff_author', sql`${t.direction} = 'from_reporter' OR ${t.authorStaffId} IS NOT NULL`),
  index('messages_case').on(t.caseId, t.seq),
]);

/** The case timeline. Holds ids and codes, never content. */
export const caseEvents = pgTable('case_events', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  caseId: uuid('case_id').notNull().references(() => cases.id),
  kind: text('kind').notNull(),
  fromState: text('from_state'),
  toState: text('to_state'),
  actorKind: text('actor_kind').notNull(),
  actorStaffId: uuid('actor_staff_id').references(() => staff.id),
  reasonCode: text('reason_code'),
  detail: jsonb('detail').notNull().default(sql`'{}'::jsonb`),
  isPublic: boolean('is_public').notNull().default(false),
  // Per-case sequence makes "this transition happened once" a unique key for idempotent jobs.
  dedupeKey: text('dedupe_key'),
  occurredOn: date('occurred_on').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  check('case_events_actor_kind', inList('actor_kind', ACTOR_KINDS)),
  index('case_events_case').on(t.caseId, t.id),
  uniqueIndex('case_events_dedupe').on(t.caseId, t.dedupeKey).where(sql`${t.dedupeKey} IS NOT NULL`),
]);

export const caseAssignees = pgTable('case_assignees', {
  caseId: uuid('case_id').notNull().references(() => cases.id),
  staffId: uuid('staff_id').notNull().references(() => staff.id),
  assignedBy: uuid('assigned_by').references(() => staff.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.caseId, t.staffId] }), index('case_assignees_staff').on(t.staffId)]);

export const caseRecusals = pgTable('case_recusals', {
  caseId: uuid('case_id').notNull().references(() => cases.id),
  staffId: uuid('staff_id').notNull().references(() => staff.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [primaryKey({ columns: [t.caseId, t.staffId] })]);

export const caseLabels = pgTable('case_labels', {
  caseId: uuid('case_id').notNull().references(() => cases.id),
  label: text('label').notNull(),
}, (t) => [primaryKey({ columns: [t.caseId, t.label] }), index('case_labels_label').on(t.label)]);

export const caseLinks = pgTable('case_links', {
  caseId: uuid('case_id').notNull().references(() => cases.id),
  linkedCaseId: uuid('linked_case_id').notNull().references(() => cases.id),
  kind: text('kind').notNull(),
}, (t) => [
  primaryKey({ columns: [t.caseId, t.linkedCaseId] }),
  check('case_links_kind', inList('kind', ['related', 'duplicate'])),
  check('case_links_not_self', sql`${t.caseId} <> ${t.linkedCaseId}`),
]);

/** Legal deadlines with their unit; the clock stops while paused. */
export const deadlines = pgTable('deadlines', {
  id: uuid('id').primaryKey().defaultRandom(),
  caseId: uuid('case_id').references(() => cases.id),
  holdId: uuid('hold_id').references(() => holds.id),
  bodyId: uuid('body_id').references(() => bodies.id),
  kind: text('kind').notNull(),
  unit: text('unit').notNull(),
  amount: integer('amount').notNull(),
  startedOn: date('started_on').notNull(),
  dueOn: date('due_on').notNull(),
  pausedSince: date('paused_since'),
  pauses: jsonb('pauses').notNull().default(sql`'[]'::jsonb`),
  extensions: smallint('extensions').notNull().default(0),
  // The extension decisions themselves ({ amount, decidedOn, decisionRef }): the due date needs their days.
  extensionLog: jsonb('extension_log').notNull().default(sql`'[]'::jsonb`),
  state: text('state').notNull().default('open'),
  remindedAt: timestamp('reminded_at', { withTimezone: true }),
  escalatedAt: timestamp('escalated_at', { withTimezone: true }),
  closedAt: timestamp('closed_at', { withTimezone: true }),
}, (t) => [
  check('deadlines_kind', inList('kind', DEADLINE_KINDS)),
  check('deadlines_unit', inList('unit', DAY_UNITS)),
  check('deadlines_state', inList('state', ['open', 'met', 'missed', 'cancelled'])),
  check('deadlines_amount', sql`${t.amount} > 0`),
  check('deadlines_subject', sql`(${t.caseId} IS NOT NULL) <> (${t.holdId} IS NOT NULL)`),
  uniqueIndex('deadlines_one_open_per_kind').on(sql`coalesce(${t.caseId}, ${t.holdId})`, t.kind).where(sql`${t.state} = 'open'`),
  index('deadlines_due').on(t.dueOn).where(sql`${t.state} = 'open'`),
  index('deadlines_case').on(t.caseId).where(sql`${t.caseId} IS NOT NULL`),
]);

/**
 * Asking to open the reporter's identity: a reason code (free text goes in a note envelope
 * under K) and the decision of a second person. Ids and codes only.
 */
export const identityAccessRequests = pgTable('identity_access_requests', {
  id: uuid('id').primaryKey().defaultRandom(),
  caseId: uuid('case_id').notNull().references(() => cases.id),
  requestedBy: uuid('requested_by').notNull().references(() => staff.id),
  bodyId: uuid('body_id').notNull().references(() => bodies.id),
  reasonCode: text('reason_code').notNull(),
  reasonEnvelopeId: uuid('reason_envelope_id').references(() => caseEnvelopes.id),
  state: text('state').notNull().default('pending'),
  decidedBy: uuid('decided_by').references(() => staff.id),
  decidedAt: timestamp('decided_at', { withTimezone: true }),
  expiresAt: timestamp('expires_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  check('identity_access_requests_state', inList('state', ['pending', 'approved', 'refused'])),
  check('identity_access_requests_two_people', sql`${t.decidedBy} IS NULL OR ${t.decidedBy} <> ${t.requestedBy}`),
  index('identity_access_requests_case').on(t.caseId, t.requestedBy),
  index('identity_access_requests_pending').on(t.bodyId).where(sql`${t.state} = 'pending'`),
]);
