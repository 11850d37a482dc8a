// Server-side sealing for the no-JS form: the same envelope library and the same formats
// the browser produces, run in this process's memory. Plaintext and keys live only for
// the request; key material is wiped once the sealed result exists.
import { randomBytes } from 'node:crypto';
import {
  deriveReceiptKeys, encryptJson, generateCaseKey, generateReceipt, hashLookupToken, initCrypto, sealKey, toBase64Url,
} from '../crypto/index.ts';
import { getSodium } from '../crypto/sodium.ts';
import type { NojsFields } from '../schemas/intake.ts';
import type { RequiredRecipient } from './intake-routing.service.ts';

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** MB-XXXX-XXXX from 40 random bits, the same shape the browser draws. */
export function drawPublicRef(): string {
  const symbols = Array.from(randomBytes(8), (b) => CROCKFORD.charAt(b & 31)).join('');
  return `MB-${symbols.slice(0, 4)}-${symbols.slice(4)}`;
}

export type SealedFile = { blobKey: string; fileKey: Uint8Array; name: string; type: string; plaintextBytes: number; ciphertextBytes: number };
export type CadreCard = { id: string; fullName: string; position: string; unitName: string; jurisdictionCode: string };

export type SealedReport = {
  receipt: string;
  lookupTokenHash: Uint8Array;
  reporterPublicKey: Uint8Array;
  report: Uint8Array;
  identity: Uint8Array | null;
  wraps: Array<{ keyKind: 'case' | 'identity'; recipientKind: 'body' | 'reporter'; bodyId: string | null; bodyKeyVersion: number | null; sealed: Uint8Array }>;
  manifests: Uint8Array[];
};

const text = (v: string | undefined): string => v ?? '';

/** Seals one submission for `publicRef`; call again with a new ref if that one is taken. */
export async function sealSubmission(
  publicRef: string, fields: NojsFields, cadre: CadreCard | null, files: readonly SealedFile[], recipients: readonly RequiredRecipient[],
  receipt: string | null,
): Promise<SealedReport> {
  await initCrypto();
  const theReceipt = receipt ?? generateReceipt();
  const { lookupToken, boxKeyPair } = deriveReceiptKeys(theReceipt);
  const caseKey = generateCaseKey();
  // The answers have the shape the JS form seals (web/src/lib/report/types.ts), so staff read both alike.
  const answers = {
    category: fields.category, jurisdictionCode: fields.jurisdictionCode, cadre, cadreDescription: text(fields.cadreDescription),
    noticeActionId: fields.noticeActionId ?? null, what: fields.what, when: text(fields.when), where: text(fields.where),
    othersKnow: text(fields.othersKnow),
  };
  const person = { fullName: text(fields.identityFullName), contact: text(fields.identityContact), address: text(fields.identityAddress) };
  const hasIdentity = Object.values(person).some((v) => v.trim() !== '');
  const identityKey = hasIdentity ? generateCaseKey() : null;
  try {
    const wraps: SealedReport['wraps'] = [
      { keyKind: 'case', recipientKind: 'reporter', bodyId: null, bodyKeyVersion: null, sealed: sealKey(caseKey, boxKeyPair.publicKey) },
    ];
    for (const r of recipients) {
      wraps.push({ keyKind: 'case', recipientKind: 'body', bodyId: r.body.id, bodyKeyVersion: r.key.version, sealed: sealKey(caseKey, r.key.publicKey) });
      if (identityKey) {
        wraps.push({ keyKind: 'identity', recipientKind: 'body', bodyId: r.body.id, bodyKeyVersion: r.key.version, sealed: sealKey(identityKey, r.key.publicKey) });
      }
    }
    return {
      receipt: theReceipt,
      lookupTokenHash: hashLookupToken(lookupToken),
      reporterPublicKey: boxKeyPair.publicKey,
      report: encryptJson(caseKey, { caseRef: publicRef, part: 'report' }, answers),
      identity: identityKey ? encryptJson(identityKey, { caseRef: publicRef, part: 'identity' }, person) : null,
      wraps,
      manifests: files.map((f) => encryptJson(caseKey, { caseRef: publicRef, part: 'manifest' }, {
        name: f.name, type: f.type, plaintextBytes: f.plaintextBytes, fileKey: toBase64Url(f.fileKey),
      })),
    };
  } finally {
    const sodium = getSodium();
    sodium.memzero(caseKey);
    sodium.memzero(boxKeyPair.privateKey);
    sodium.memzero(lookupToken);
    if (identityKey) sodium.memzero(identityKey);
  }
}

export function wipeFileKeys(files: readonly SealedFile[]): void {
  for (const f of files) getSodium().memzero(f.fileKey);
}
