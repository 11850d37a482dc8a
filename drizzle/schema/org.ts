// Organisation: jurisdictions, bodies and their keys, staff, sessions, the deployment.
import { sql } from 'drizzle-orm';
import {
  pgTable, text, uuid, integer, boolean, timestamp, jsonb, index, uniqueIndex, check, primaryKey, foreignKey, type AnyPgColumn,
} from 'drizzle-orm/pg-core';
import { BODY_KINDS, LEVELS, ROLES } from '../../server/domain/vocabulary.ts';
import { bytea, inList } from './columns.ts';

export const deployment = pgTable('deployment', {
  // One row. The root signing key's private half never reaches the server.
  id: integer('id').primaryKey().default(1),
  mode: text('mode').notNull(),
  rootSignPublicKey: bytea('root_sign_public_key').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  check('deployment_single_row', sql`${t.id} = 1`),
  check('deployment_mode', inList('mode', ['demo', 'production'])),
]);

export const jurisdictions = pgTable('jurisdictions', {
  code: text('code').primaryKey(),
  nameVi: text('name_vi').notNull(),
  nameEn: text('name_en').notNull(),
  level: text('level').notNull(),
  parentCode: text('parent_code').references((): AnyPgColumn => jurisdictions.code),
}, (t) => [
  check('jurisdictions_level', inList('level', LEVELS)),
  check('jurisdictions_city_has_no_parent', sql`(${t.level} = 'city') = (${t.parentCode} IS NULL)`),
]);

export const bodies = pgTable('bodies', {
  id: uuid('id').primaryKey().defaultRandom(),
  code: text('code').notNull().unique(),
  kind: text('kind').notNull(),
  level: text('level').notNull(),
  jurisdictionCode: text('jurisdiction_code').notNull().references(() => jurisdictions.code),
  nameVi: text('name_vi').notNull(),
  nameEn: text('name_en').notNull(),
  leadStaffId: uuid('lead_staff_id'),
  // Set when a member who held the body key left: new cases must go to a fresh key version.
  keyRotationNeededAt: timestamp('key_rotation_needed_at', { withTimezone: true }),
  // Per-body deadline overrides; null means the defaults in server/domain.
  deadlineOverrides: jsonb('deadline_overrides'),
  active: boolean('active').notNull().default(true),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  check('bodies_kind', inList('kind', BODY_KINDS)),
  check('bodies_level', inList('level', LEVELS)),
  index('bodies_jurisdiction_kind').on(t.jurisdictionCode, t.kind),
]);

/**
 * Every version of a body's X25519 public key. A version created in a member's browser is
 * pending (no signature) until the offline root key signs it (`npm run admin -- sign-keys`);
 * only signed versions are published in the key directory. The signed entry's date is the
 * UTC date of created_at.
 */
export const bodyKeys = pgTable('body_keys', {
  bodyId: uuid('body_id').notNull().references(() => bodies.id),
  version: integer('version').notNull(),
  publicKey: bytea('public_key').notNull(),
  signature: bytea('signature'),
  createdBy: uuid('created_by'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  signedAt: timestamp('signed_at', { withTimezone: true }),
  retiredAt: timestamp('retired_at', { withTimezone: true }),
}, (t) => [
  primaryKey({ columns: [t.bodyId, t.version] }),
  check('body_keys_version_positive', sql`${t.version} > 0`),
  check('body_keys_pending_not_retired', sql`${t.signature} IS NOT NULL OR ${t.retiredAt} IS NULL`),
  // At most one current (signed, not retired) key and at most one pending key per body.
  uniqueIndex('body_keys_one_current').on(t.bodyId).where(sql`${t.retiredAt} IS NULL AND ${t.signature} IS NOT NULL`),
  uniqueIndex('body_keys_one_pending').on(t.bodyId).where(sql`${t.signature} IS NULL`),
]);

export const staff = pgTable('staff', {
  id: uuid('id').primaryKey().defaultRandom(),
  bodyId: uuid('body_id').notNull().references(() => bodies.id),
  username: text('username').notNull(),
  displayName: text('display_name').notNull(),
  role: text('role').notNull(),
  email: text('email'),
  // Argon2id verifier (PHC string) for sign-in; the key passphrase derivation is separate and browser-side.
  passphraseHash: text('passphrase_hash').notNull(),
  // TOTP secret, encrypted under the server secret (never stored in clear).
  totpSecretEnc: bytea('totp_secret_enc'),
  totpEnabledAt: timestamp('totp_enabled_at', { withTimezone: true }),
  totpLastStep: integer('totp_last_step'),
  boxPublicKey: bytea('box_public_key'),
  signPublicKey: bytea('sign_public_key'),
  // Private keys, encrypted in the browser under the passphrase and under a recovery key.
  keyBundlePassphrase: bytea('key_bundle_passphrase'),
  keyBundleRecovery: bytea('key_bundle_recovery'),
  // Set when the staff member is also a cadre in the directory: they never see cases about themselves.
  cadreId: uuid('cadre_id'),
  active: boolean('active').notNull().default(true),
  // A temporary passphrase set by an administrator (who saw it once) must be replaced at first sign-in.
  mustChangePassphrase: boolean('must_change_passphrase').notNull().default(false),
  failedSignIns: integer('failed_sign_ins').notNull().default(0),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
}, (t) => [
  check('staff_role', inList('role', ROLES)),
  check('staff_keys_all_or_none', sql`(${t.boxPublicKey} IS NULL) = (${t.keyBundlePassphrase} IS NULL)`),
  uniqueIndex('staff_username_lower').on(sql`lower(${t.username})`),
  index('staff_body_role').on(t.bodyId, t.role),
]);

export const staffSessions = pgTable('staff_sessions', {
  // SHA-256 of the cookie token: a database dump yields no usable session.
  idHash: bytea('id_hash').primaryKey(),
  staffId: uuid('staff_id').notNull().references(() => staff.id),
  csrfTokenHash: bytea('csrf_token_hash').notNull(),
  secondFactorAt: timestamp('second_factor_at', { withTimezone: true }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
  // The pending WebAuthn challenge of this session (base64url), single use.
  webauthnChallenge: text('webauthn_challenge'),
  webauthnChallengeExpiresAt: timestamp('webauthn_challenge_expires_at', { withTimezone: true }),
}, (t) => [index('staff_sessions_staff').on(t.staffId)]);

export const webauthnCredentials = pgTable('webauthn_credentials', {
  id: uuid('id').primaryKey().defaultRandom(),
  staffId: uuid('staff_id').notNull().references(() => staff.id),
  credentialId: text('credential_id').notNull().unique(),
  publicKey: bytea('public_key').notNull(),
  counter: integer('counter').notNull().default(0),
  transports: jsonb('transports'),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
}, (t) => [index('webauthn_staff').on(t.staffId)]);

/** A body's private key sealed (crypto_box_seal) to one member's X25519 key. */
export const bodyKeyGrants = pgTable('body_key_grants', {
  bodyId: uuid('body_id').notNull(),
  keyVersion: integer('key_version').notNull(),
  staffId: uuid('staff_id').notNull().references(() => staff.id),
  sealedPrivateKey: bytea('sealed_private_key').notNull(),
  grantedBy: uuid('granted_by').references(() => staff.id),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  revokedAt: timestamp('revoked_at', { withTimezone: true }),
}, (t) => [
  primaryKey({ columns: [t.bodyId, t.keyVersion, t.staffId] }),
  foreignKey({ columns: [t.bodyId, t.keyVersion], foreignColumns: [bodyKeys.bodyId, bodyKeys.version] }),
  index('body_key_grants_staff').on(t.staffId),
]);
