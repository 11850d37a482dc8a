// The reporter's inbox, authenticated by the receipt's lookup token alone: read the case,
// write to the staff, add evidence, withdraw. Unknown, wrong and still-pending tokens all
// get the same NOT_FOUND, and every query is the same whichever it is.
import type { Config } from '../config.ts';
import type { Db, Tx } from '../db/client.ts';
import { AppError } from '../domain/errors.ts';
import { CASE_STATE_INFO } from '../domain/case-states.ts';
import { hashLookupToken, initCrypto } from '../crypto/index.ts';
import type { AddAttachmentResponse, LookupResponse, ReporterMessageResponse, WithdrawResponse } from '../schemas/intake.ts';
import type { BlobStore } from '../blobs/blob-store.ts';
import { findCaseView, lockCaseByLookupHash, type ReporterCase } from '../repositories/case.repository.ts';
import { caseUploadTotals, insertAttachments } from '../repositories/attachment.repository.ts';
import { insertMessage, markReporterMessagesRead } from '../repositories/message.repository.ts';
import { enqueueOutbox } from '../repositories/outbox.repository.ts';
import { appendAudit } from './audit.service.ts';
import { scheduleCleanup } from './intake.service.ts';
import { applyTransition } from './case-transition.service.ts';
import {
  checkUploadLimits, decodeBase64Url, decodeTextEnvelope, newUploadToken, pendingExpiry, uploadLimits, vnToday,
} from './intake-codec.ts';

export type InboxDeps = { db: Db; config: Pick<Config, 'uploads'>; blobs: Pick<BlobStore, 'newKey'> };

async function tokenHash(lookupToken: string): Promise<Uint8Array> {
  await initCrypto();
  return hashLookupToken(decodeBase64Url(lookupToken, '/lookupToken'));
}

/** A submission whose uploads are outstanding is not a case yet, for the reporter either. */
const isVisible = (c: ReporterCase | undefined): c is ReporterCase => c !== undefined && c.pendingUntil === null;

export async function lookupCase(deps: Pick<InboxDeps, 'db'>, lookupToken: string): Promise<LookupResponse> {
  const c = await findCaseView(deps.db, await tokenHash(lookupToken));
  if (!isVisible(c)) throw new AppError('NOT_FOUND');
  if (!c.reporterWrap) throw new Error('case without a reporter wrap');
  // What this lookup shows as new is marked read (a day, no time): the next visit shows only
  // what came after, and the staff see that their question reached the reporter. Written
  // only when there is something to mark, so a plain lookup stays a single read.
  const shownNew = c.messages.filter((m) => m.isNew).map((m) => m.id);
  if (shownNew.length > 0) await markReporterMessagesRead(deps.db, c.id, shownNew, vnToday());
  // Built field by field: the response is an allow-list, never the row.
  return {
    publicRef: c.publicRef,
    state: c.state,
    receivedOn: c.receivedOn,
    timeline: c.timeline.map((e) => ({
      kind: e.kind, toState: e.toState, occurredOn: e.occurredOn, ...(e.externalBodyRef ? { externalBodyRef: e.externalBodyRef } : {}),
    })),
    reporterWrap: c.reporterWrap,
    messages: c.messages.map((m) => ({ id: m.id, direction: m.direction, sentOn: m.sentOn, isQuestion: m.isQuestion, isNew: m.isNew, ciphertext: m.ciphertext })),
    attachments: c.attachments.map((a) => ({ id: a.id, state: a.state, manifest: a.manifest })),
  };
}

/** Runs `work` on the locked case the token opens; refuses cases that have ended. */
async function withOpenCase<T>(db: Db, lookupToken: string, work: (tx: Tx, c: ReporterCase, day: string) => Promise<T>): Promise<T> {
  const hash = await tokenHash(lookupToken);
  return db.transaction(async (tx) => {
    const c = await lockCaseByLookupHash(tx, hash);
    if (!isVisible(c)) throw new AppError('NOT_FOUND');
    if (CASE_STATE_INFO[c.state].isFinal) throw new AppError('CONFLICT', 'This case has ended.', { reason: 'case_ended', state: c.state });
    return work(tx, c, vnToday());
  });
}

export async function sendReporterMessage(deps: Pick<InboxDeps, 'db'>, lookupToken: string, ciphertextB64: string): Promise<ReporterMessageResponse> {
  const ciphertext = decodeTextEnvelope(ciphertextB64, '/ciphertext');
  return withOpenCase(deps.db, lookupToken, async (tx, c, day) => {
    const id = await insertMessage(tx, { caseId: c.id, direction: 'from_reporter', formatVersion: 1, ciphertext, isQuestion: false, sentOn: day });
    // The workflow decides what a reply means (e.g. needs_info resumes); the API only records it.
    await enqueueOutbox(tx, { topic: 'case.reporter_message', dedupeKey: `case/${c.id}/message/${id}`, payload: { caseId: c.id, messageId: id, state: c.state } });
    await appendAudit(tx, { actorKind: 'reporter', action: 'case.reporter_message', resourceKind: 'case', resourceId: c.id, detail: { messageId: id } });
    return { id, sentOn: day };
  });
}

export async function addAttachment(deps: InboxDeps, lookupToken: string, ciphertextBytes: number): Promise<AddAttachmentResponse> {
  return withOpenCase(deps.db, lookupToken, async (tx, c, day) => {
    checkUploadLimits(uploadLimits(deps.config), await caseUploadTotals(tx, c.id), [ciphertextBytes]);
    const token = newUploadToken();
    const expiresAt = pendingExpiry();
    const [attachmentId] = await insertAttachments(tx, [{
      caseId: c.id, blobKey: deps.blobs.newKey(), declaredBytes: ciphertextBytes, uploadedBy: 'reporter', expiresAt, createdOn: day,
      uploadTokenHash: token.hash,
    }]);
    if (!attachmentId) throw new Error('attachment insert returned nothing');
    await scheduleCleanup(tx, expiresAt);
    return { attachmentId, uploadToken: token.token };
  });
}

export async function withdrawCase(deps: Pick<InboxDeps, 'db'>, lookupToken: string): Promise<WithdrawResponse> {
  return withOpenCase(deps.db, lookupToken, async (tx, c) => {
    // The one transition path (case-transition.service.ts): the state machine decides (after
    // acceptance a withdrawal is refused), clocks stop, holds are lifted by the workflow.
    const moved = await applyTransition(tx, { caseId: c.id, actor: { kind: 'reporter' }, transition: 'withdraw', expectedVersion: c.version });
    return { publicRef: c.publicRef, state: moved.toState };
  });
}
