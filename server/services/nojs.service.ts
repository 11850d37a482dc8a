// The no-JS submission: multipart fields and files in, a sealed case out, and the receipt
// handed over once through a short-lived ticket held only in this process's memory (never
// Postgres, never Redis). Files are encrypted while they stream into the blob store; if
// anything fails, every blob written for the request is deleted before answering.
import { randomBytes } from 'node:crypto';
import { Compile } from 'typebox/compile';
import type { Tx } from '../db/client.ts';
import { AppError } from '../domain/errors.ts';
import { encryptFileStream, generateFileKey, initCrypto } from '../crypto/index.ts';
import { BlobWriteError, type BlobStore } from '../blobs/blob-store.ts';
import { NOJS_FILE_FIELD, NojsFields, type NojsFields as Fields } from '../schemas/intake.ts';
import { insertCase, insertEnvelopes, insertWraps } from '../repositories/case.repository.ts';
import { insertAttachments } from '../repositories/attachment.repository.ts';
import { findPublicCadreCard } from '../repositories/directory.repository.ts';
import { consumeProof, verifyProof, type VerifiedProof } from './pow.service.ts';
import { finalizeSubmission, refuseTakenCase, type IntakeDeps } from './intake.service.ts';
import { assertKeysCurrent, resolveIntakeRouting } from './intake-routing.service.ts';
import { startOfDay, uploadLimits, vnToday } from './intake-codec.ts';
import { drawPublicRef, sealSubmission, wipeFileKeys, type SealedFile, type SealedReport } from './nojs-seal.ts';

export type FormPart =
  | { kind: 'field'; name: string; value: string; truncated: boolean }
  | { kind: 'file'; name: string; filename: string; mimetype: string; stream: AsyncIterable<Uint8Array> };

export type ReceiptTickets = {
  hasRoom(): boolean;
  put(value: { receipt: string; publicRef: string }): string;
  /** One read: the ticket is forgotten as it is taken. */
  take(ticket: string): { receipt: string; publicRef: string } | null;
};

export function createReceiptTickets(ttlMs = 10 * 60_000, capacity = 10_000): ReceiptTickets {
  const entries = new Map<string, { receipt: string; publicRef: string; expires: number }>();
  const sweep = (): void => {
    const now = Date.now();
    // Insertion order is expiry order: stop at the first one still valid.
    for (const [ticket, entry] of entries) {
      if (entry.expires > now) break;
      entries.delete(ticket);
    }
  };
  return {
    hasRoom: () => {
      sweep();
      return entries.size < capacity;
    },
    put: (value) => {
      sweep();
      const ticket = randomBytes(32).toString('base64url');
      entries.set(ticket, { ...value, expires: Date.now() + ttlMs });
      return ticket;
    },
    take: (ticket) => {
      const entry = entries.get(ticket);
      entries.delete(ticket);
      return entry && entry.expires > Date.now() ? { receipt: entry.receipt, publicRef: entry.publicRef } : null;
    },
  };
}

export type NojsDeps = IntakeDeps & { blobs: BlobStore; tickets: ReceiptTickets };

const checkFields = Compile(NojsFields);

async function acceptFields(deps: NojsDeps, raw: Map<string, string>): Promise<{ fields: Fields; proof: VerifiedProof }> {
  // Browsers send every input, filled or not; an empty optional field is an absent one.
  const candidate = Object.fromEntries([...raw].filter(([, v]) => v !== ''));
  if (!checkFields.Check(candidate)) {
    const fields = [...new Set([...checkFields.Errors(candidate)].map((e) => e.instancePath || '/'))].slice(0, 10);
    throw new AppError('VALIDATION_FAILED', undefined, { fields });
  }
  const fields = candidate as Fields;
  const proof = await verifyProof(deps.powKey, 0, { challenge: fields.challenge, nonce: '' }, { requireWork: false });
  return { fields, proof };
}

/** Counts plaintext as it passes and stops the stream at the configured limits. */
async function* metered(source: AsyncIterable<Uint8Array>, count: (n: number) => void): AsyncGenerator<Uint8Array> {
  for await (const piece of source) {
    count(piece.length);
    yield piece;
  }
}

async function readForm(deps: NojsDeps, parts: AsyncIterable<FormPart>, files: SealedFile[]): Promise<{ fields: Fields; proof: VerifiedProof }> {
  const limits = uploadLimits(deps.config);
  const { maxFileBytes, maxReportBytes } = deps.config.uploads;
  const raw = new Map<string, string>();
  let accepted: { fields: Fields; proof: VerifiedProof } | null = null;
  let total = 0;
  for await (const part of parts) {
    if (part.kind === 'field') {
      if (accepted) throw new AppError('VALIDATION_FAILED', 'Text fields must come before the files.', { fields: [`/${part.name}`] });
      if (part.truncated) throw new AppError('LIMIT_EXCEEDED', 'A text field is longer than allowed.', { limit: 'field_chars', max: 20_000 });
      if (raw.has(part.name)) throw new AppError('VALIDATION_FAILED', undefined, { fields: [`/${part.name}`], reason: 'repeated' });
      raw.set(part.name, part.value);
      continue;
    }
    if (part.name !== NOJS_FILE_FIELD) throw new AppError('VALIDATION_FAILED', undefined, { fields: [`/${part.name}`] });
    // Checked before the first byte of any file is stored.
    accepted ??= await acceptFields(deps, raw);
    if (part.filename === '') {
      for await (const _ of part.stream) { /* an empty file input: drain it */ }
      continue;
    }
    if (files.length >= limits.maxFiles) throw new AppError('LIMIT_EXCEEDED', 'Too many files for one report.', { limit: 'files', max: limits.maxFiles });
    const file: SealedFile = {
      blobKey: deps.blobs.newKey(), fileKey: generateFileKey(), name: part.filename.slice(0, 255), type: part.mimetype.slice(0, 100),
      plaintextBytes: 0, ciphertextBytes: 0,
    };
    files.push(file);
    const source = metered(part.stream, (n) => {
      file.plaintextBytes += n;
      total += n;
      if (file.plaintextBytes > maxFileBytes) throw new AppError('LIMIT_EXCEEDED', 'A file is larger than allowed.', { limit: 'file_bytes', max: maxFileBytes });
      if (total > maxReportBytes) throw new AppError('LIMIT_EXCEEDED', 'The files of one report are larger than allowed together.', { limit: 'report_bytes', max: maxReportBytes });
    });
    try {
      file.ciphertextBytes = await deps.blobs.writeAt(file.blobKey, 0, encryptFileStream(file.fileKey, source), { maxBytes: limits.maxFileCiphertext });
    } catch (err) {
      const cause = err instanceof BlobWriteError ? err.cause : err;
      if (cause instanceof AppError) throw cause;
      if ((cause as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
        throw new AppError('LIMIT_EXCEEDED', 'A file is larger than allowed.', { limit: 'file_bytes', max: maxFileBytes });
      }
      throw err;
    }
  }
  return accepted ?? (await acceptFields(deps, raw));
}

async function storeSealed(
  tx: Tx, deps: NojsDeps, publicRef: string, sealed: SealedReport, fields: Fields, cadreId: string | null, files: readonly SealedFile[], day: string,
): Promise<string | null> {
  const at = startOfDay(day);
  const caseId = await insertCase(tx, {
    publicRef, category: fields.category, jurisdictionCode: fields.jurisdictionCode, cadreId, noticeActionId: fields.noticeActionId ?? null,
    channel: 'web_nojs', language: fields.language ?? 'vi', isAnonymous: sealed.identity === null, serverSealed: true,
    lookupTokenHash: sealed.lookupTokenHash, reporterPublicKey: sealed.reporterPublicKey, receivedOn: day, updatedAt: at,
  });
  if (caseId === null) return null;
  const base = { caseId, formatVersion: 1, serverSealed: true, createdAt: at };
  await insertEnvelopes(tx, [
    { ...base, part: 'report', ciphertext: sealed.report },
    ...(sealed.identity ? [{ ...base, part: 'identity', ciphertext: sealed.identity }] : []),
  ]);
  const manifestIds = await insertEnvelopes(tx, sealed.manifests.map((ciphertext) => ({ ...base, part: 'manifest', ciphertext })));
  await insertWraps(tx, sealed.wraps.map((w) => ({
    caseId, keyKind: w.keyKind, recipientKind: w.recipientKind, bodyId: w.bodyId, bodyKeyVersion: w.bodyKeyVersion, sealedKey: w.sealed, createdAt: at,
  })));
  await insertAttachments(tx, files.map((f, i) => ({
    caseId, state: 'complete', blobKey: f.blobKey, declaredBytes: f.ciphertextBytes, receivedBytes: f.ciphertextBytes, uploadedBy: 'reporter',
    serverSealed: true, createdOn: day, manifestEnvelopeId: manifestIds[i] ?? null,
  })));
  return caseId;
}

export async function submitNojs(deps: NojsDeps, parts: AsyncIterable<FormPart>): Promise<{ ticket: string; publicRef: string }> {
  if (!deps.tickets.hasRoom()) throw new AppError('DEPENDENCY_UNAVAILABLE');
  await initCrypto();
  const files: SealedFile[] = [];
  try {
    const { fields, proof } = await readForm(deps, parts, files);
    const day = vnToday();
    const routing = await resolveIntakeRouting(deps.db, fields, day);
    const cadre = routing.cadreId ? ((await findPublicCadreCard(deps.db, routing.cadreId)) ?? null) : null;
    let receipt: string | null = null;
    // A reference is 40 random bits; a clash is rare, and the retry re-encrypts under the new one.
    for (let attempt = 0; attempt < 3; attempt++) {
      const publicRef = drawPublicRef();
      const sealed = await sealSubmission(publicRef, fields, cadre, files, routing.required, receipt);
      receipt = sealed.receipt;
      const stored = await deps.db.transaction(async (tx) => {
        const caseId = await storeSealed(tx, deps, publicRef, sealed, fields, routing.cadreId, files, day);
        if (caseId === null) return false;
        await finalizeSubmission(tx, { id: caseId, publicRef, channel: 'web_nojs', serverSealed: true, attachments: files.length }, routing, day, {
          wasPending: false, alongside: [consumeProof(deps.redis, deps.config.redisPrefix, proof), assertKeysCurrent(tx, routing.required)],
        });
        return true;
      });
      if (stored) return { ticket: deps.tickets.put({ receipt: sealed.receipt, publicRef }), publicRef };
      if (attempt === 2) await refuseTakenCase(deps.db, publicRef);
    }
    throw new AppError('CONFLICT');
  } catch (err) {
    await Promise.allSettled(files.map((f) => deps.blobs.delete(f.blobKey)));
    throw err;
  } finally {
    wipeFileKeys(files);
  }
}
