// What administrators do: bodies and staff accounts. Nothing here touches a case, a case
// key or a body's private key; removing a member revokes their body-key grants instead.
import { randomBytes } from 'node:crypto';
import type { Db } from '../db/client.ts';
import { AppError } from '../domain/errors.ts';
import { ROLE_BODY_KINDS, type Actor } from '../domain/policy.ts';
import type { Role } from '../domain/vocabulary.ts';
import { bodyCodeTaken, getBody, jurisdictionExists, listBodiesPage, setBodyActive, type BodyListItem } from '../repositories/body.repository.ts';
import {
  clearFailedSignIns, clearSecondFactor, countActiveStaffInBody, findStaffByUsername, getStaffProfile, listStaffPage, moveStaff,
  setStaffActive, updateStaffCredentials, type StaffListItem,
} from '../repositories/staff.repository.ts';
import { deleteStaffPasskeys } from '../repositories/staff-webauthn.repository.ts';
import { appendAudit } from './audit.service.ts';
import { createBody, createStaff, hashPassphrase, type BodySpec } from './bootstrap.service.ts';
import { mayHoldBodyKey, revokeMemberKeys } from './body-keys.service.ts';
import { endAllSessions } from './session.service.ts';

export type AdminDeps = { db: Db; now: () => Date };

export const USERNAME_PATTERN = '^[a-z0-9][a-z0-9._-]{2,62}$';
const PAGE_MAX = 100;

export type Page<T> = { items: T[]; nextCursor: string | null };

function page<T>(rows: T[], limit: number, cursorOf: (row: T) => string): Page<T> {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? cursorOf(last) : null };
}

export async function listBodies(db: Db, opts: { cursor?: string; limit?: number }): Promise<Page<BodyListItem>> {
  const limit = Math.min(opts.limit ?? 25, PAGE_MAX);
  const rows = await listBodiesPage(db, { afterCode: opts.cursor ?? null, limit: limit + 1 });
  return page(rows, limit, (r) => r.code);
}

export async function createBodyAsAdmin(deps: AdminDeps, actor: Actor, spec: BodySpec): Promise<{ id: string }> {
  const jurisdiction = await jurisdictionExists(deps.db, spec.jurisdictionCode);
  if (!jurisdiction) throw new AppError('VALIDATION_FAILED', 'There is no such jurisdiction.', { fields: ['/jurisdictionCode'] });
  if (jurisdiction.level !== spec.level) throw new AppError('VALIDATION_FAILED', 'The level must match the jurisdiction’s level.', { fields: ['/level'] });
  if (await bodyCodeTaken(deps.db, spec.code)) throw new AppError('CONFLICT', 'A body with this code exists already.');
  // No key here: the root private key is offline; the first member creates the key pair.
  const body = await deps.db.transaction((tx) => createBody(tx, spec, null, actor.staffId));
  return { id: body.id };
}

export async function deactivateBody(deps: AdminDeps, actor: Actor, bodyId: string): Promise<void> {
  const body = await getBody(deps.db, bodyId);
  if (!body) throw new AppError('NOT_FOUND');
  if (!body.active) return;
  if (bodyId === actor.bodyId) throw new AppError('CONFLICT', 'You cannot deactivate your own body.');
  if ((await countActiveStaffInBody(deps.db, bodyId)) > 0) {
    throw new AppError('CONFLICT', 'Move or deactivate the body’s members first.');
  }
  await deps.db.transaction(async (tx) => {
    await setBodyActive(tx, bodyId, false);
    await appendAudit(tx, { actorKind: 'staff', actorId: actor.staffId, action: 'body.deactivated', resourceKind: 'body', resourceId: bodyId });
  });
}

export async function listStaff(db: Db, opts: { cursor?: string; limit?: number; bodyId?: string }): Promise<Page<StaffListItem>> {
  const limit = Math.min(opts.limit ?? 25, PAGE_MAX);
  const rows = await listStaffPage(db, { afterUsername: opts.cursor ?? null, limit: limit + 1, bodyId: opts.bodyId ?? null });
  return page(rows, limit, (r) => r.username.toLowerCase());
}

/** 120 random bits, readable aloud in groups; the administrator hands it over once. */
const temporaryPassphrase = (): string => (randomBytes(15).toString('base64url').match(/.{5}/g) ?? []).join('-');

async function requireRoleFits(db: Db, bodyId: string, role: Role) {
  const body = await getBody(db, bodyId);
  if (!body?.active) throw new AppError('VALIDATION_FAILED', 'There is no such active body.', { fields: ['/bodyId'] });
  if (!ROLE_BODY_KINDS[role].includes(body.kind)) {
    throw new AppError('VALIDATION_FAILED', 'This role does not belong in a body of this kind.', { fields: ['/role'] });
  }
  return body;
}

export type NewStaffInput = { bodyId: string; username: string; displayName: string; role: Role; email?: string };

/**
 * Creates an account with a temporary passphrase. The server (and the administrator) see it
 * once, here; the member must replace it at first sign-in, before setting up keys.
 */
export async function createStaffAsAdmin(deps: AdminDeps, actor: Actor, input: NewStaffInput): Promise<{ id: string; temporaryPassphrase: string }> {
  await requireRoleFits(deps.db, input.bodyId, input.role);
  if (await findStaffByUsername(deps.db, input.username)) throw new AppError('CONFLICT', 'This username is taken.');
  const passphrase = temporaryPassphrase();
  const id = await deps.db.transaction((tx) => createStaff(tx, { ...input, passphrase, isTemporary: true }, actor.staffId));
  return { id, temporaryPassphrase: passphrase };
}

async function requireTarget(deps: AdminDeps, staffId: string) {
  const target = await getStaffProfile(deps.db, staffId);
  if (!target) throw new AppError('NOT_FOUND');
  return target;
}

/** Deactivation ends the member's sessions and revokes their body-key grants (the body then rotates). */
export async function deactivateStaff(deps: AdminDeps, actor: Actor, staffId: string): Promise<void> {
  const target = await requireTarget(deps, staffId);
  if (!target.active) return;
  const now = deps.now();
  await deps.db.transaction(async (tx) => {
    await setStaffActive(tx, staffId, false);
    await endAllSessions(tx, staffId, now);
    await revokeMemberKeys(tx, staffId, actor.staffId, now);
    await appendAudit(tx, { actorKind: 'staff', actorId: actor.staffId, action: 'staff.deactivated', resourceKind: 'staff', resourceId: staffId });
  });
}

/** A move to another body or role: grants of the old body go, and it rotates its key. */
export async function moveStaffAsAdmin(deps: AdminDeps, actor: Actor, staffId: string, input: { bodyId: string; role: Role }): Promise<void> {
  const target = await requireTarget(deps, staffId);
  const body = await requireRoleFits(deps.db, input.bodyId, input.role);
  if (target.bodyId === input.bodyId && target.role === input.role) return;
  const keepsKeys = target.bodyId === input.bodyId
    && mayHoldBodyKey({ id: body.id, kind: body.kind, level: body.level, jurisdictionCode: body.jurisdictionCode }, input.role);
  const now = deps.now();
  await deps.db.transaction(async (tx) => {
    await moveStaff(tx, staffId, input.bodyId, input.role);
    await endAllSessions(tx, staffId, now);
    if (!keepsKeys) await revokeMemberKeys(tx, staffId, actor.staffId, now);
    await appendAudit(tx, {
      actorKind: 'staff', actorId: actor.staffId, action: 'staff.moved', resourceKind: 'staff', resourceId: staffId,
      detail: { fromBodyId: target.bodyId, toBodyId: input.bodyId, fromRole: target.role, toRole: input.role },
    });
  });
}

/** Lost phone: the member enrols a new authenticator at the next sign-in. */
export async function resetSecondFactor(deps: AdminDeps, actor: Actor, staffId: string): Promise<void> {
  await requireTarget(deps, staffId);
  const now = deps.now();
  await deps.db.transaction(async (tx) => {
    await clearSecondFactor(tx, staffId);
    const passkeys = await deleteStaffPasskeys(tx, staffId);
    await endAllSessions(tx, staffId, now);
    await appendAudit(tx, { actorKind: 'staff', actorId: actor.staffId, action: 'staff.second_factor_reset', resourceKind: 'staff', resourceId: staffId, detail: { passkeysRemoved: passkeys } });
  });
}

/**
 * Forgotten passphrase without the second factor: a new temporary passphrase. The keys stay
 * wrapped under the old passphrase; the member re-wraps them with their recovery key.
 */
export async function resetPassphrase(deps: AdminDeps, actor: Actor, staffId: string): Promise<{ temporaryPassphrase: string }> {
  const target = await requireTarget(deps, staffId);
  const passphrase = temporaryPassphrase();
  const passphraseHash = await hashPassphrase(target.username, passphrase);
  const now = deps.now();
  await deps.db.transaction(async (tx) => {
    await updateStaffCredentials(tx, staffId, { passphraseHash, mustChangePassphrase: true });
    await clearFailedSignIns(tx, staffId);
    await endAllSessions(tx, staffId, now);
    await appendAudit(tx, { actorKind: 'staff', actorId: actor.staffId, action: 'staff.passphrase_reset', resourceKind: 'staff', resourceId: staffId });
  });
  return { temporaryPassphrase: passphrase };
}
