// Filing a report: validate what can be validated without opening it, recompute routing,
// and write the case with its envelopes, key wraps and upload slots in one transaction.
// A case with uploads stays pending (no case_bodies, no event, not in any queue) until
// /complete; finalizeSubmission then makes it "received" with its event, audit entry and
// outbox row, in the same transaction as the change.
import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type postgres from 'postgres';
import type { Config } from '../config.ts';
import type { Db, Tx } from '../db/client.ts';
import { AppError } from '../domain/errors.ts';
import { planTransition, type CaseFacts } from '../domain/case-lifecycle.ts';
import { hashLookupToken, initCrypto } from '../crypto/index.ts';
import type { CreateCaseBody, CreateCaseResponse, CompleteCaseResponse } from '../schemas/intake.ts';
import {
  insertCaseBodies, insertCaseEvents, lockCaseByLookupHash, markCaseSubmitted, publicRefExists, takenBy,
} from '../repositories/case.repository.ts';
import { caseUploadTotals } from '../repositories/attachment.repository.ts';
import { enqueueOutbox, releaseDispatchedOutbox } from '../repositories/outbox.repository.ts';
import { appendAudit, auditInput, type AuditEntry } from './audit.service.ts';
import { writeFiling, type Filing, type FilingResult } from '../repositories/intake-filing.repository.ts';
import { consumeProof, releaseProof, verifyProof, type PowKey } from './pow.service.ts';
import type { BlobStore } from '../blobs/blob-store.ts';
import { checkWraps, keyReplaced, resolveIntakeRouting, type IntakeRouting } from './intake-routing.service.ts';
import {
  checkUploadLimits, decodeBase64Url, decodeSealedKey, decodeTextEnvelope, newUploadToken, pendingExpiry, startOfDay, uploadLimits, vnToday,
} from './intake-codec.ts';
import { withTimeout, type OutboxDispatcher } from '../../workers/queues.ts';

export type IntakeDeps = {
  db: Db; sql: postgres.Sql; redis: Redis; config: Config; powKey: PowKey; blobs: Pick<BlobStore, 'newKey'>;
  /** Puts a received case's route job in Redis straight after the commit (else the relay does). */
  dispatcher?: Pick<OutboxDispatcher, 'topics' | 'dispatch'>;
  log?: Pick<Logger, 'warn'>;
};

/** How long a filing waits for Redis to take its job before handing the row to the relay. */
const DISPATCH_TIMEOUT_MS = 2_000;

/**
 * Writes the filing and then, after its commit, puts the jobs of its due outbox rows in Redis
 * itself when the dispatcher takes their topic: the rows are written dispatched, so the relay
 * is neither woken nor needed for them. If Redis does not take a job, its row goes back to the
 * relay; if Postgres fails too, the reconciler finds a dispatched row without a job and adds it.
 */
export async function writeFilingAndDispatch(
  deps: Pick<IntakeDeps, 'db' | 'sql' | 'dispatcher' | 'log'>, filing: Filing,
): Promise<FilingResult> {
  const { dispatcher } = deps;
  const written = await writeFiling(deps.sql, !dispatcher ? filing : {
    ...filing,
    outbox: filing.outbox.map((o) => ({ ...o, dispatched: o.availableAt === null && dispatcher.topics.has(o.topic) })),
  });
  if (!dispatcher || !written.ok || written.dispatched.length === 0) return written;
  try {
    await withTimeout(dispatcher.dispatch(written.dispatched), DISPATCH_TIMEOUT_MS, 'adding the route job to Redis');
  } catch (err) {
    deps.log?.warn({ err }, 'could not add a filing\'s job to Redis; the outbox relay will');
    try {
      await releaseDispatchedOutbox(deps.db, written.dispatched.map((r) => r.id));
    } catch (releaseErr) {
      deps.log?.warn({ err: releaseErr }, 'could not hand the row back to the relay; the reconciler will add its job');
    }
  }
  return written;
}

/** Topics this area writes to the outbox (the workflow's jobs consume them). */
export const INTAKE_TOPICS = { received: 'case.received', cleanup: 'intake.cleanup-stale' } as const;

const NEW_CASE: CaseFacts = {
  state: null, resumeState: null, classification: null, isAnonymous: true, hasSignedPetition: false, isCorroborated: false,
  cadreId: null, resolutionExtensions: 0, assignedInvestigatorIds: [], reporterAnswered: false,
  flags: { overdue: false, urgent: false, complexity: 'normal', mergedIntoCaseId: null, congressWindow: false, signsOfViolation: false },
};

export type SubmittedCase = { id: string; publicRef: string; channel: string; serverSealed: boolean; attachments: number };

/** What makes a case "received": routed bodies, the submit event, the outbox row, the audit entry. */
function submissionRows(c: SubmittedCase, routing: IntakeRouting, day: string) {
  const plan = planTransition({ case: { ...NEW_CASE, cadreId: routing.cadreId }, actor: { kind: 'reporter' }, transition: 'submit' });
  return {
    caseBodies: routing.result.targets.map((t) => ({
      bodyId: t.bodyId, role: t.role,
      // Both languages of the routing explanation, as JSON: staff see why the case is theirs.
      reason: JSON.stringify({ vi: t.explanation.vi, en: t.explanation.en, ruleId: t.ruleId }),
    })),
    events: plan.events.map((e) => ({ kind: e.type, toState: plan.to, isPublic: e.isPublic, dedupeKey: plan.transition, detail: { channel: c.channel } })),
    outbox: {
      topic: INTAKE_TOPICS.received,
      dedupeKey: `case/${c.id}/received`,
      payload: { caseId: c.id, transition: plan.transition, toState: plan.to, receivedOn: day },
    },
    audit: {
      actorKind: 'reporter', action: 'case.submitted', resourceKind: 'case', resourceId: c.id,
      detail: { channel: c.channel, attachments: c.attachments, serverSealed: c.serverSealed, routingFlagged: routing.result.flagged },
    } satisfies AuditEntry,
  };
}

/**
 * Makes a case "received" in the caller's transaction (after its uploads, and for the no-JS
 * path). `alongside` are the caller's own writes: all go out in one pipelined round trip; the
 * audit entry comes last, so the chain head is locked briefly.
 */
export async function finalizeSubmission(
  tx: Tx, c: SubmittedCase, routing: IntakeRouting, day: string, opts: { wasPending: boolean; alongside?: Promise<unknown>[] } = { wasPending: true },
): Promise<void> {
  const at = startOfDay(day);
  const rows = submissionRows(c, routing, day);
  await Promise.all([
    ...(opts.alongside ?? []),
    insertCaseBodies(tx, rows.caseBodies.map((b) => ({ ...b, caseId: c.id, createdAt: at }))),
    insertCaseEvents(tx, rows.events.map((e) => ({
      caseId: c.id, kind: e.kind, fromState: null, toState: e.toState, actorKind: 'reporter', isPublic: e.isPublic,
      dedupeKey: e.dedupeKey, occurredOn: day, createdAt: at, detail: e.detail,
    }))),
    opts.wasPending ? markCaseSubmitted(tx, c.id, { routingFlagged: routing.result.flagged }) : Promise.resolve(),
    enqueueOutbox(tx, rows.outbox),
  ]);
  await appendAudit(tx, rows.audit);
}

/** Deletion of unfinished submissions is triggered per hour bucket, so the row names no case. */
const cleanupEvent = (expiresAt: Date) => ({
  topic: INTAKE_TOPICS.cleanup,
  dedupeKey: `intake/cleanup/${expiresAt.toISOString().slice(0, 13)}`,
  payload: {},
  availableAt: new Date(expiresAt.getTime() + 60_000),
});

export async function scheduleCleanup(tx: Tx, expiresAt: Date): Promise<void> {
  await enqueueOutbox(tx, cleanupEvent(expiresAt));
}

export async function refuseTakenCase(db: Db, publicRef: string, known?: 'ref_taken' | 'receipt_taken'): Promise<never> {
  const reason = known ?? ((await publicRefExists(db, publicRef)) ? 'ref_taken' : 'receipt_taken');
  throw new AppError('CONFLICT', reason === 'ref_taken'
    ? 'This case reference is taken. Draw a new one and encrypt again.'
    : 'This receipt is already in use. Generate a new receipt.', { reason });
}

export type WebFilingInput = {
  caseId: string; publicRef: string; category: string; jurisdictionCode: string; noticeActionId: string | null;
  channel: string; language: string; routing: IntakeRouting; day: string;
  lookupTokenHash: Uint8Array; reporterPublicKey: Uint8Array; report: Uint8Array; identity: Uint8Array | null;
  wraps: ReadonlyArray<{ keyKind: string; recipientKind: string; bodyId?: string | undefined; bodyKeyVersion?: number | undefined; sealedKey: Uint8Array }>;
  attachments: ReadonlyArray<{ blobKey: string; declaredBytes: number; uploadTokenHash: Uint8Array | null }>;
};

/**
 * The rows of a browser-sealed filing, for the one filing statement: with no file to upload
 * the case is received at once (bodies, submit event, outbox row, audit entry); otherwise it
 * waits for its uploads, and the cleanup event removes it if they never finish.
 */
export function webFiling(f: WebFilingInput): Filing {
  const pending = f.attachments.length > 0;
  const expiresAt = pendingExpiry();
  const received = pending ? null : submissionRows({ id: f.caseId, publicRef: f.publicRef, channel: f.channel, serverSealed: false, attachments: 0 }, f.routing, f.day);
  return {
    case: {
      id: f.caseId, publicRef: f.publicRef, category: f.category, jurisdictionCode: f.jurisdictionCode, cadreId: f.routing.cadreId,
      noticeActionId: f.noticeActionId, channel: f.channel, language: f.language, isAnonymous: f.identity === null,
      lookupTokenHash: f.lookupTokenHash, reporterPublicKey: f.reporterPublicKey, receivedOn: f.day, at: startOfDay(f.day),
      routingFlagged: f.routing.result.flagged, pendingUntil: pending ? expiresAt : null,
    },
    keys: f.routing.required.map((r) => ({ bodyId: r.body.id, version: r.key.version })),
    envelopes: [{ part: 'report', ciphertext: f.report }, ...(f.identity ? [{ part: 'identity' as const, ciphertext: f.identity }] : [])],
    wraps: f.wraps.map((w) => ({
      keyKind: w.keyKind, recipientKind: w.recipientKind, sealedKey: w.sealedKey,
      bodyId: w.recipientKind === 'body' ? (w.bodyId ?? null) : null,
      bodyKeyVersion: w.recipientKind === 'body' ? (w.bodyKeyVersion ?? null) : null,
    })),
    attachments: f.attachments.map((a) => ({ ...a, expiresAt })),
    caseBodies: received?.caseBodies ?? [],
    events: received?.events ?? [],
    outbox: received ? [{ ...received.outbox, availableAt: null }] : [cleanupEvent(expiresAt)],
    audit: received ? auditInput(received.audit) : null,
  };
}

export async function createCase(deps: IntakeDeps, body: CreateCaseBody): Promise<CreateCaseResponse> {
  await initCrypto();
  const report = decodeTextEnvelope(body.report, '/report');
  const identity = body.identity === undefined ? null : decodeTextEnvelope(body.identity, '/identity');
  const lookupToken = decodeBase64Url(body.lookupToken, '/lookupToken');
  const reporterPublicKey = decodeBase64Url(body.reporterPublicKey, '/reporterPublicKey');
  const wraps = body.wraps.map((w, i) => ({ ...w, sealedKey: decodeSealedKey(w.sealedKey, `/wraps/${i}/sealedKey`) }));
  const sizes = body.attachments.map((a) => a.ciphertextBytes);
  checkUploadLimits(uploadLimits(deps.config), { files: 0, bytes: 0 }, sizes);
  const proof = await verifyProof(deps.powKey, deps.config.intake.powDifficulty, body.pow);

  const day = vnToday();
  const routing = await resolveIntakeRouting(deps.db, body, day);
  checkWraps(routing.required, body.wraps, identity !== null);

  const tokens = sizes.map(() => newUploadToken());
  const filing = webFiling({
    caseId: randomUUID(), publicRef: body.publicRef, category: body.category, jurisdictionCode: body.jurisdictionCode,
    noticeActionId: body.noticeActionId ?? null, channel: body.channel, language: body.language, routing, day,
    lookupTokenHash: hashLookupToken(lookupToken), reporterPublicKey, report, identity, wraps,
    attachments: sizes.map((bytes, i) => ({ blobKey: deps.blobs.newKey(), declaredBytes: bytes, uploadTokenHash: tokens[i]?.hash ?? null })),
  });
  // The proof is spent before the write: a replayed proof must not file a second case.
  await consumeProof(deps.redis, deps.config.redisPrefix, proof);
  let written: FilingResult;
  try {
    written = await writeFilingAndDispatch(deps, filing);
  } catch (err) {
    const taken = takenBy(err);
    if (taken === null) throw err;
    // The work was not spent on a case: the client may send it again with a new reference.
    await releaseProof(deps.redis, deps.config.redisPrefix, proof);
    return refuseTakenCase(deps.db, body.publicRef, taken);
  }
  if (!written.ok) {
    await releaseProof(deps.redis, deps.config.redisPrefix, proof);
    throw keyReplaced();
  }
  const result = written.attachmentIds;
  return {
    publicRef: body.publicRef,
    receivedOn: day,
    uploads: result.map((attachmentId, i) => ({ attachmentId, uploadToken: tokens[i]?.token ?? '', ciphertextBytes: sizes[i] ?? 0 })),
    complete: filing.case.pendingUntil === null,
  };
}

/** The reporter's browser calls this once every upload is complete. */
export async function completeCase(deps: Pick<IntakeDeps, 'db'>, publicRef: string, lookupTokenB64: string): Promise<CompleteCaseResponse> {
  await initCrypto();
  const hash = hashLookupToken(decodeBase64Url(lookupTokenB64, '/lookupToken'));
  return deps.db.transaction(async (tx) => {
    const c = await lockCaseByLookupHash(tx, hash);
    if (!c || c.publicRef !== publicRef) throw new AppError('NOT_FOUND');
    if (c.pendingUntil === null) return { publicRef, state: c.state, receivedOn: c.receivedOn };
    const totals = await caseUploadTotals(tx, c.id);
    if (totals.incomplete > 0) {
      throw new AppError('CONFLICT', 'Some files have not finished uploading.', { reason: 'uploads_incomplete', incomplete: totals.incomplete });
    }
    // Routing is recomputed now; the wraps were checked against it at creation.
    const routing = await resolveIntakeRouting(deps.db, {
      // The notice resolved to this cadre at creation; it may have closed since.
      category: c.category as CreateCaseBody['category'], jurisdictionCode: c.jurisdictionCode, ...(c.cadreId ? { cadreId: c.cadreId } : {}),
    }, c.receivedOn);
    await finalizeSubmission(tx, { id: c.id, publicRef, channel: 'web', serverSealed: false, attachments: totals.files }, routing, c.receivedOn, { wasPending: true });
    return { publicRef, state: c.state, receivedOn: c.receivedOn };
  });
}

