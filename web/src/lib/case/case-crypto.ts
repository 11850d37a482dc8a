// Opening and sealing a case in the staff member's browser. K arrives sealed to a body key
// version; the body's private key was unwrapped at unlock (keys.svelte.ts) and never leaves
// this tab. Everything decrypted here stays in page memory: nothing goes to storage.
import { loadCrypto } from '$lib/staff/crypto';
import { keyState } from '$lib/staff/keys.svelte';
import { verifiedDirectory } from '$lib/staff/unlock';
import type { ConclusionOutcome } from '$domain/vocabulary';
import type { FileManifest, KeyWrap, NoteKind, NoteText, ReportText, ReporterIdentity } from './types';
import { NOTE_KINDS } from './types';

/** None of the wraps is sealed to a body key this member holds (or none opens). */
export class NoCaseKeyError extends Error {
  constructor() {
    super('no case key');
    this.name = 'NoCaseKeyError';
  }
}

/** Authenticated decryption failed: the stored envelope does not belong to this case or key. */
export class UnreadableError extends Error {
  constructor(what: string) {
    super(`unreadable ${what}`);
    this.name = 'UnreadableError';
  }
}

/** The body to forward to has no key in the root-signed directory. */
export class NoBodyKeyError extends Error {
  constructor() {
    super('no signed key for that body');
    this.name = 'NoBodyKeyError';
  }
}

/** Opens the first wrap sealed to a body key version held in memory. */
export async function openWrappedKey(wraps: readonly KeyWrap[], kind: 'case' | 'identity' = 'case'): Promise<Uint8Array> {
  const c = await loadCrypto();
  for (const wrap of wraps) {
    if ((wrap.keyKind ?? kind) !== kind) continue;
    const held = keyState.bodyKeys.find((k) => k.bodyId === wrap.bodyId && k.keyVersion === wrap.bodyKeyVersion);
    if (!held) continue;
    try {
      return c.openSealedKey(c.fromBase64Url(wrap.sealedKey), held.keyPair.publicKey, held.keyPair.privateKey);
    } catch {
      // A wrap that does not open is skipped: another body's wrap may still work.
    }
  }
  throw new NoCaseKeyError();
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

async function openJson(key: Uint8Array, caseRef: string, part: 'report' | 'manifest' | 'note' | 'identity', ciphertext: string): Promise<Record<string, unknown>> {
  const c = await loadCrypto();
  let value: unknown;
  try {
    value = c.decryptJson(key, { caseRef, part }, c.fromBase64Url(ciphertext));
  } catch {
    throw new UnreadableError(part);
  }
  if (!isObject(value)) throw new UnreadableError(part);
  return value;
}

/** The report as the form sealed it (seal.ts reportContent); unknown fields are ignored. */
export async function openReport(key: Uint8Array, caseRef: string, ciphertext: string): Promise<ReportText> {
  const v = await openJson(key, caseRef, 'report', ciphertext);
  const cadre = isObject(v.cadre)
    ? { id: str(v.cadre.id), fullName: str(v.cadre.fullName), position: str(v.cadre.position), unitName: str(v.cadre.unitName), jurisdictionCode: str(v.cadre.jurisdictionCode) }
    : null;
  return {
    formVersion: typeof v.formVersion === 'number' ? v.formVersion : 0,
    language: str(v.language),
    category: str(v.category),
    jurisdictionCode: str(v.jurisdictionCode),
    noticeActionId: typeof v.noticeActionId === 'string' ? v.noticeActionId : null,
    cadre,
    cadreDescription: str(v.cadreDescription),
    what: str(v.what),
    when: str(v.when),
    where: str(v.where),
    othersKnow: str(v.othersKnow),
  };
}

export async function openManifest(key: Uint8Array, caseRef: string, ciphertext: string): Promise<FileManifest> {
  const v = await openJson(key, caseRef, 'manifest', ciphertext);
  if (typeof v.fileKey !== 'string') throw new UnreadableError('manifest');
  return {
    name: str(v.name) || '—',
    type: str(v.type) || 'application/octet-stream',
    plaintextBytes: typeof v.plaintextBytes === 'number' ? v.plaintextBytes : 0,
    fileKey: v.fileKey,
  };
}

export async function openNote(key: Uint8Array, caseRef: string, ciphertext: string): Promise<NoteText> {
  const v = await openJson(key, caseRef, 'note', ciphertext);
  const kind = NOTE_KINDS.includes(v.kind as NoteKind) ? (v.kind as NoteKind) : 'note';
  return { kind, text: str(v.text) };
}

export async function sealNote(key: Uint8Array, caseRef: string, note: NoteText): Promise<string> {
  const c = await loadCrypto();
  return c.toBase64Url(c.encryptJson(key, { caseRef, part: 'note' }, { kind: note.kind, text: note.text.trim() }));
}

/** Messages both ways are under K, part 'message' (the reporter opens K from the receipt's wrap). */
export async function sealMessage(key: Uint8Array, caseRef: string, text: string): Promise<string> {
  const c = await loadCrypto();
  return c.toBase64Url(c.encryptText(key, { caseRef, part: 'message' }, text.trim()));
}

export async function openMessage(key: Uint8Array, caseRef: string, ciphertext: string): Promise<string | null> {
  const c = await loadCrypto();
  try {
    return c.decryptText(key, { caseRef, part: 'message' }, c.fromBase64Url(ciphertext));
  } catch {
    return null;
  }
}

export async function openConclusion(key: Uint8Array, caseRef: string, ciphertext: string): Promise<string | null> {
  const c = await loadCrypto();
  try {
    return c.decryptText(key, { caseRef, part: 'conclusion' }, c.fromBase64Url(ciphertext));
  } catch {
    return null;
  }
}

export type SignedConclusion = { ciphertext: string; textHash: string; signature: string };

/**
 * The conclusion text under K, and the member's Ed25519 signature over the canonical
 * statement { caseRef, outcome, BLAKE2b-256 of the text } (signConclusion): the server checks
 * it against the stored public key; a reader re-hashes the decrypted text to check it too.
 */
export async function sealAndSignConclusion(key: Uint8Array, caseRef: string, outcome: ConclusionOutcome, text: string): Promise<SignedConclusion> {
  const c = await loadCrypto();
  const staff = keyState.staff;
  if (!staff) throw new NoCaseKeyError();
  const plain = text.trim();
  const textHash = c.hashConclusionText(plain);
  const signature = c.signConclusion(staff.sign.privateKey, { caseRef, outcome, textHash });
  return {
    ciphertext: c.toBase64Url(c.encryptText(key, { caseRef, part: 'conclusion' }, plain)),
    textHash: c.toBase64Url(textHash),
    signature: c.toBase64Url(signature),
  };
}

/** Whether a stored conclusion's signature holds over this case, this outcome and the decrypted text. */
export async function conclusionSignatureHolds(
  caseRef: string, outcome: ConclusionOutcome | null, text: string | null, signature: string | null, signerPublicKey: string | null,
): Promise<boolean> {
  if (!signature || !signerPublicKey || !outcome || text === null) return false;
  const c = await loadCrypto();
  try {
    c.verifyConclusion(c.fromBase64Url(signerPublicKey), { caseRef, outcome, textHash: c.hashConclusionText(text) }, c.fromBase64Url(signature));
    return true;
  } catch {
    return false;
  }
}

/**
 * Seals K to a body the case was not sealed to: its current key from the directory, checked
 * against the root key built into this app (verifiedDirectory drops what fails).
 */
export async function sealKeyForBody(key: Uint8Array, bodyId: string): Promise<{ bodyKeyVersion: number; sealedKey: string }> {
  const c = await loadCrypto();
  const { entries } = await verifiedDirectory();
  const latest = entries.filter((e) => e.bodyId === bodyId).sort((a, b) => b.keyVersion - a.keyVersion)[0];
  if (!latest) throw new NoBodyKeyError();
  return { bodyKeyVersion: latest.keyVersion, sealedKey: c.toBase64Url(c.sealKey(key, c.fromBase64Url(latest.publicKey))) };
}

export async function openIdentity(identityKey: Uint8Array, caseRef: string, ciphertext: string): Promise<ReporterIdentity> {
  const v = await openJson(identityKey, caseRef, 'identity', ciphertext);
  return { fullName: str(v.fullName), contact: str(v.contact), address: str(v.address) };
}

export type FileProgress = (received: number, total: number | null) => void;

/**
 * Fetches an attachment's ciphertext and decrypts it chunk by chunk as it arrives; the
 * plaintext becomes a Blob in memory (shown through a blob: URL, never stored).
 */
export async function fetchAndOpenFile(url: string, manifest: FileManifest, onProgress: FileProgress, signal?: AbortSignal): Promise<Blob> {
  const c = await loadCrypto();
  const response = await fetch(url, { credentials: 'same-origin', cache: 'no-store', referrerPolicy: 'no-referrer', signal });
  if (!response.ok || !response.body) throw new UnreadableError('file');
  const total = Number(response.headers.get('content-length')) || null;
  const reader = response.body.getReader();
  let received = 0;
  async function* pieces(): AsyncGenerator<Uint8Array> {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      received += value.length;
      onProgress(received, total);
      yield value;
    }
  }
  const parts: BlobPart[] = [];
  try {
    for await (const plain of c.decryptFileStream(c.fromBase64Url(manifest.fileKey), pieces())) parts.push(plain as Uint8Array<ArrayBuffer>);
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new UnreadableError('file');
  }
  return new Blob(parts, { type: manifest.type });
}
