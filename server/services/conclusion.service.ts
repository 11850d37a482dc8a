// A signed conclusion: the text under K (the browser encrypts it) and an Ed25519 signature
// by the signer's registered staff key over the canonical statement { caseRef, outcome,
// textHash } (server/crypto/signatures.ts). The server verifies before writing anything,
// then stores the envelope and applies 'conclude' in one transaction.
import type { Db } from '../db/client.ts';
import { initCrypto, verifyConclusion } from '../crypto/index.ts';
import { AppError } from '../domain/errors.ts';
import { assertAllowed, decide, type Actor } from '../domain/policy.ts';
import type { ConclusionBody, TransitionResponse } from '../schemas/casework.ts';
import { insertEnvelopes } from '../repositories/case.repository.ts';
import { getStaffKeys } from '../repositories/staff.repository.ts';
import { appendAudit, appendAudits, type AuditEntry } from './audit.service.ts';
import { applyTransition } from './case-transition.service.ts';
import { decodeBase64Url, decodeTextEnvelope } from './intake-codec.ts';
import type { LoadedCase } from './casework.service.ts';

export async function concludeCase(db: Db, actor: Actor, res: LoadedCase & { publicRef: string }, body: ConclusionBody): Promise<TransitionResponse> {
  assertAllowed(decide(actor, 'case.transition:conclude', res));
  const ciphertext = decodeTextEnvelope(body.ciphertext, '/ciphertext');
  const textHash = decodeBase64Url(body.textHash, '/textHash');
  const signature = decodeBase64Url(body.signature, '/signature');
  const keys = await getStaffKeys(db, actor.staffId);
  if (!keys?.signPublicKey) throw new AppError('UNPROCESSABLE', 'Set up your signing key before signing a conclusion.', { reason: 'NO_SIGNING_KEY' });
  await initCrypto();
  try {
    verifyConclusion(new Uint8Array(keys.signPublicKey), { caseRef: res.publicRef, outcome: body.outcome, textHash }, signature);
  } catch {
    throw new AppError('UNPROCESSABLE', 'The signature does not match your signing key, this case and this outcome. Sign again.', { reason: 'BAD_SIGNATURE' });
  }
  return db.transaction(async (tx) => {
    const deferred: AuditEntry[] = [];
    const r = await applyTransition(tx, {
      caseId: res.caseId, actor: { kind: 'staff', role: actor.role, staffId: actor.staffId }, transition: 'conclude',
      params: { outcome: body.outcome }, expectedVersion: body.expectedVersion, deferredAudit: deferred,
    });
    const [envelopeId] = await insertEnvelopes(tx, [{
      caseId: res.caseId, part: 'conclusion', formatVersion: 1, ciphertext, authorStaffId: actor.staffId, signature,
    }]);
    await appendAudits(tx, deferred);
    await appendAudit(tx, {
      actorKind: 'staff', actorId: actor.staffId, action: 'case.conclusion_signed', resourceKind: 'case', resourceId: res.caseId,
      detail: { envelopeId: envelopeId ?? null, outcome: body.outcome, textHash: Buffer.from(textHash).toString('hex') },
    });
    return { version: r.version, state: r.toState, fromState: r.fromState, transition: r.transition };
  });
}
