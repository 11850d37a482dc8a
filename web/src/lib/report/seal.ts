// Sealing a report in the browser, step by step as docs/intake-api.md describes. Pure
// functions over $crypto: the page calls them in order and shows progress in between.
import {
  deriveReceiptKeys,
  encryptJson,
  fromBase64Url,
  generateCaseKey,
  generateFileKey,
  generateReceipt,
  sealKey,
  toBase64Url,
  verifyDirectoryEntry,
  type ReceiptKeys,
} from '$crypto';
import { ROOT_SIGNING_KEY_B64 } from '$lib/root-key';
import type { Recipient, Wrap } from '$schemas/intake';
import { UntrustedKeyError } from './errors';
import type { ReportAnswers, ReporterIdentity } from './types';

export type { Recipient, Wrap };
export { UntrustedKeyError };

/**
 * Every recipient's key must carry the root key's signature over exactly these fields;
 * one bad key stops the whole report (sealing to the others would still send it).
 */
export function verifyRecipients(recipients: readonly Recipient[]): void {
  const root = fromBase64Url(ROOT_SIGNING_KEY_B64);
  const failed: string[] = [];
  for (const r of recipients) {
    try {
      verifyDirectoryEntry(
        root,
        { bodyId: r.bodyId, keyVersion: r.keyVersion, publicKey: fromBase64Url(r.publicKey), createdAt: r.createdAt },
        fromBase64Url(r.signature),
      );
    } catch {
      failed.push(r.nameVi);
    }
  }
  if (recipients.length === 0 || failed.length > 0) throw new UntrustedKeyError(failed);
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** MB-XXXX-XXXX: 8 random Crockford symbols (40 bits), redrawn on the rare collision. */
export function newPublicRef(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(8));
  const symbols = Array.from(bytes, (b) => CROCKFORD.charAt(b & 31)).join('');
  return `MB-${symbols.slice(0, 4)}-${symbols.slice(4)}`;
}

export type Keys = { receipt: string; receiptKeys: ReceiptKeys; caseKey: Uint8Array; identityKey: Uint8Array | null };

export function drawKeys(withIdentity: boolean): Keys {
  const receipt = generateReceipt();
  return {
    receipt,
    receiptKeys: deriveReceiptKeys(receipt),
    caseKey: generateCaseKey(),
    identityKey: withIdentity ? generateCaseKey() : null,
  };
}

/** The sealed report text: what the reporter wrote, nothing the browser knows about them. */
export function reportContent(answers: ReportAnswers, language: string) {
  return {
    formVersion: 1,
    language,
    category: answers.category,
    jurisdictionCode: answers.jurisdictionCode,
    noticeActionId: answers.noticeActionId,
    cadre: answers.cadre,
    cadreDescription: answers.cadreDescription.trim(),
    what: answers.what.trim(),
    when: answers.when.trim(),
    where: answers.where.trim(),
    othersKnow: answers.othersKnow.trim(),
  };
}

export type SealedParts = { report: string; identity?: string; wraps: Wrap[] };

export function sealParts(
  publicRef: string,
  keys: Keys,
  recipients: readonly Recipient[],
  answers: ReportAnswers,
  identity: ReporterIdentity | null,
  language: string,
): SealedParts {
  const report = toBase64Url(encryptJson(keys.caseKey, { caseRef: publicRef, part: 'report' }, reportContent(answers, language)));
  const wraps: Wrap[] = recipients.map((r) => ({
    keyKind: 'case',
    recipientKind: 'body',
    bodyId: r.bodyId,
    bodyKeyVersion: r.keyVersion,
    sealedKey: toBase64Url(sealKey(keys.caseKey, fromBase64Url(r.publicKey))),
  }));
  wraps.push({ keyKind: 'case', recipientKind: 'reporter', sealedKey: toBase64Url(sealKey(keys.caseKey, keys.receiptKeys.boxKeyPair.publicKey)) });
  if (!identity || !keys.identityKey) return { report, wraps };
  // The identity has its own key, sealed to the bodies only: staff work the case with K
  // alone, and opening who reported it is a separate, audited step.
  const sealedIdentity = encryptJson(keys.identityKey, { caseRef: publicRef, part: 'identity' }, {
    fullName: identity.fullName.trim(),
    contact: identity.contact.trim(),
    address: identity.address.trim(),
  });
  for (const r of recipients) {
    wraps.push({
      keyKind: 'identity',
      recipientKind: 'body',
      bodyId: r.bodyId,
      bodyKeyVersion: r.keyVersion,
      sealedKey: toBase64Url(sealKey(keys.identityKey, fromBase64Url(r.publicKey))),
    });
  }
  return { report, identity: toBase64Url(sealedIdentity), wraps };
}

export type FileManifest = { name: string; type: string; plaintextBytes: number; fileKey: string };

export const newFileKey = (): Uint8Array => generateFileKey();

export function sealManifest(caseKey: Uint8Array, publicRef: string, manifest: FileManifest): string {
  return toBase64Url(encryptJson(caseKey, { caseRef: publicRef, part: 'manifest' }, manifest));
}
