// The server's own routing decision for a submission: which bodies the case goes to, and
// which of them K must be sealed to (the intake and inspection targets with a current
// signed key). The browser gets the same list from the preview; the submission is refused
// unless its wraps match it exactly.
import type { Db } from '../db/client.ts';
import { AppError } from '../domain/errors.ts';
import { routeCase, type Bilingual, type RoutingResult } from '../domain/routing.ts';
import type { Category } from '../domain/vocabulary.ts';
import type { DbOrTx } from '../db/client.ts';
import {
  countCurrentKeys, findOpenNoticeCadre, findPublicCadre, loadRoutingSnapshot, type BodyKeyInfo, type DirectoryBody, type RoutingSnapshot,
} from '../repositories/directory.repository.ts';
import type { RoutingPreviewResponse, Wrap } from '../schemas/intake.ts';

export type RoutingInput = { category: Category; jurisdictionCode: string; cadreId?: string | undefined; noticeActionId?: string | undefined };

export type RequiredRecipient = { body: DirectoryBody; role: 'intake' | 'inspection'; key: BodyKeyInfo; explanation: Bilingual };

export type IntakeRouting = {
  result: RoutingResult;
  /** The cadre the case concerns (picked, or the one the notice is about). */
  cadreId: string | null;
  required: RequiredRecipient[];
};

const invalid = (field: string, reason: string): AppError =>
  new AppError('VALIDATION_FAILED', 'Some fields are missing or not in the expected form.', { fields: [field], reason });

// Bodies, keys, jurisdictions and rules change rarely; a filing reads them from a copy at
// most this old. Key versions are re-checked by the write itself (the filing statement, assertKeysCurrent).
const SNAPSHOT_TTL_MS = 1000;
const snapshots = new WeakMap<Db, { expires: number; value: Promise<RoutingSnapshot> }>();

/** The routing data as of at most SNAPSHOT_TTL_MS ago (intake and the route-case job). */
export function routingSnapshot(db: Db, fresh = false): Promise<RoutingSnapshot> {
  const cached = snapshots.get(db);
  if (!fresh && cached && cached.expires > Date.now()) return cached.value;
  const value = loadRoutingSnapshot(db);
  snapshots.set(db, { expires: Date.now() + SNAPSHOT_TTL_MS, value });
  value.catch(() => snapshots.delete(db));
  return value;
}

/** Refuses (rolls back) a filing sealed to a key that was replaced since the snapshot was read. */
export async function assertKeysCurrent(tx: DbOrTx, required: readonly RequiredRecipient[]): Promise<void> {
  const current = await countCurrentKeys(tx, required.map((r) => ({ bodyId: r.body.id, version: r.key.version })));
  if (current !== required.length) throw keyReplaced();
}

export const keyReplaced = (): AppError =>
  new AppError('VALIDATION_FAILED', 'A receiving body has a new key. Fetch the routing preview again.', { fields: ['/wraps'], reason: 'key_replaced' });

export async function resolveIntakeRouting(db: Db, input: RoutingInput, today: string): Promise<IntakeRouting> {
  const [cached, cadre, noticeCadreId] = await Promise.all([
    routingSnapshot(db),
    input.cadreId ? findPublicCadre(db, input.cadreId) : Promise.resolve(undefined),
    input.noticeActionId ? findOpenNoticeCadre(db, input.noticeActionId, today) : Promise.resolve(undefined),
  ]);
  const known = (s: RoutingSnapshot): boolean => s.jurisdictions.some((j) => j.code === input.jurisdictionCode);
  // A jurisdiction added in the last second is not in the copy yet: look again before refusing.
  const snapshot = known(cached) ? cached : await routingSnapshot(db, true);
  if (!known(snapshot)) throw invalid('/jurisdictionCode', 'unknown');
  if (input.cadreId && !cadre) throw invalid('/cadreId', 'unknown');
  if (input.noticeActionId && !noticeCadreId) throw invalid('/noticeActionId', 'not_open');
  if (cadre && noticeCadreId && cadre.id !== noticeCadreId) throw invalid('/noticeActionId', 'other_cadre');
  const concerned = cadre ?? (noticeCadreId ? await findPublicCadre(db, noticeCadreId) : undefined);

  const result = routeCase({
    category: input.category,
    jurisdictionCode: input.jurisdictionCode,
    ...(concerned ? { cadre: concerned } : {}),
    ...(input.noticeActionId ? { noticeId: input.noticeActionId } : {}),
  }, snapshot);
  if (result.targets.length === 0) throw new AppError('DEPENDENCY_UNAVAILABLE', 'No body is configured to receive reports yet.');

  const byId = new Map(snapshot.bodies.map((b) => [b.id, b]));
  const required: RequiredRecipient[] = [];
  for (const target of result.targets) {
    const body = byId.get(target.bodyId);
    // A body without a signed key cannot be sealed to now; a member holding K forwards later.
    if (!body?.key || target.role === 'added') continue;
    required.push({ body, role: target.role, key: body.key, explanation: target.explanation });
  }
  if (required.length === 0) throw new AppError('DEPENDENCY_UNAVAILABLE', 'No receiving body has published its key yet.');
  return { result, cadreId: concerned?.id ?? null, required };
}

export function toPreview(routing: IntakeRouting): RoutingPreviewResponse {
  return {
    recipients: routing.required.map((r) => ({
      bodyId: r.body.id,
      bodyCode: r.body.code,
      nameVi: r.body.nameVi,
      nameEn: r.body.nameEn,
      role: r.role,
      keyVersion: r.key.version,
      publicKey: Buffer.from(r.key.publicKey).toString('base64url'),
      signature: Buffer.from(r.key.signature).toString('base64url'),
      createdAt: r.key.createdOn,
    })),
    explanation: routing.result.targets.map((t) => t.explanation),
  };
}

type WrapRef = { keyKind: 'case' | 'identity'; recipientKind: 'body' | 'reporter'; bodyId?: string; bodyKeyVersion?: number };
const wrapId = (w: WrapRef): string => `${w.keyKind}/${w.recipientKind}/${w.bodyId ?? ''}/${w.bodyKeyVersion ?? ''}`;

/**
 * K for every required body at its current key version and for the reporter; KI (when an
 * identity part is sent) for every required body. Nothing else: sealing to a body routing
 * did not choose would hand it the case outside the policy.
 */
export function checkWraps(required: readonly RequiredRecipient[], wraps: readonly Wrap[], hasIdentity: boolean): void {
  const expected: WrapRef[] = [{ keyKind: 'case', recipientKind: 'reporter' }];
  for (const r of required) {
    expected.push({ keyKind: 'case', recipientKind: 'body', bodyId: r.body.id, bodyKeyVersion: r.key.version });
    if (hasIdentity) expected.push({ keyKind: 'identity', recipientKind: 'body', bodyId: r.body.id, bodyKeyVersion: r.key.version });
  }
  const expectedIds = new Set(expected.map(wrapId));
  const seen = new Set<string>();
  const unexpected: WrapRef[] = [];
  for (const w of wraps) {
    const ref: WrapRef = {
      keyKind: w.keyKind, recipientKind: w.recipientKind,
      ...(w.recipientKind === 'body' && w.bodyId !== undefined ? { bodyId: w.bodyId } : {}),
      ...(w.recipientKind === 'body' && w.bodyKeyVersion !== undefined ? { bodyKeyVersion: w.bodyKeyVersion } : {}),
    };
    const id = wrapId(ref);
    const malformed = w.recipientKind === 'reporter' ? (w.bodyId !== undefined || w.bodyKeyVersion !== undefined) : false;
    if (malformed || !expectedIds.has(id) || seen.has(id)) unexpected.push(ref);
    seen.add(id);
  }
  const missing = expected.filter((e) => !seen.has(wrapId(e)));
  if (missing.length > 0 || unexpected.length > 0) {
    throw new AppError('VALIDATION_FAILED', 'The case key must be sealed to exactly the routed bodies and to the reporter.', {
      fields: ['/wraps'], missing, unexpected,
    });
  }
}
