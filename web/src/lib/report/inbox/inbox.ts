// The reporter's inbox, opened with the receipt alone. The receipt never leaves this
// module's caller: only the derived lookup token goes to the server, and the case key K
// comes back sealed to the receipt-derived key pair.
import {
  decryptJson,
  decryptText,
  deriveReceiptKeys,
  encryptText,
  encryptedFileSize,
  fromBase64Url,
  initCrypto,
  normalizeReceipt,
  openSealedKey,
  toBase64Url,
} from '$crypto';
import type { AddAttachmentResponse, LookupResponse, ReporterMessageResponse, WithdrawResponse } from '$schemas/intake';
import { uploadFile, type UploadEvents } from '$lib/upload/upload';
import { apiPost } from '../api';
import { newFileKey, sealManifest } from '../seal';
import { ReceiptTypoError } from './inbox-errors';

export type InboxSession = { lookupToken: string; caseKey: Uint8Array; data: LookupResponse };

export type InboxMessage = LookupResponse['messages'][number] & { text: string | null };
export type InboxFile = { id: string; state: string; name: string | null; size: number | null };

export { ReceiptTypoError };

export async function openInbox(receiptInput: string): Promise<InboxSession> {
  await initCrypto();
  let receipt: string;
  try {
    receipt = normalizeReceipt(receiptInput);
  } catch {
    throw new ReceiptTypoError('typo');
  }
  const { lookupToken, boxKeyPair } = deriveReceiptKeys(receipt);
  const token = toBase64Url(lookupToken);
  const data = await apiPost<LookupResponse>('/api/public/lookup', { lookupToken: token });
  const caseKey = openSealedKey(fromBase64Url(data.reporterWrap), boxKeyPair.publicKey, boxKeyPair.privateKey);
  return { lookupToken: token, caseKey, data };
}

export async function refreshInbox(session: InboxSession): Promise<InboxSession> {
  const data = await apiPost<LookupResponse>('/api/public/lookup', { lookupToken: session.lookupToken });
  // The server marks a message read once it has shown it: what was new when the inbox was
  // opened stays marked new until the inbox is closed.
  const wasNew = new Set(session.data.messages.filter((m) => m.isNew).map((m) => m.id));
  return { ...session, data: { ...data, messages: data.messages.map((m) => (wasNew.has(m.id) ? { ...m, isNew: true } : m)) } };
}

export function readMessages(session: InboxSession): InboxMessage[] {
  const caseRef = session.data.publicRef;
  return session.data.messages.map((message) => {
    let text: string | null = null;
    try {
      text = decryptText(session.caseKey, { caseRef, part: 'message' }, fromBase64Url(message.ciphertext));
    } catch {
      // Shown as unreadable rather than hiding that a message exists.
    }
    return { ...message, text };
  });
}

export function readFiles(session: InboxSession): InboxFile[] {
  const caseRef = session.data.publicRef;
  return session.data.attachments.map((a) => {
    let name: string | null = null;
    let size: number | null = null;
    if (a.manifest) {
      try {
        const manifest = decryptJson(session.caseKey, { caseRef, part: 'manifest' }, fromBase64Url(a.manifest)) as Record<string, unknown>;
        name = typeof manifest.name === 'string' ? manifest.name : null;
        size = typeof manifest.plaintextBytes === 'number' ? manifest.plaintextBytes : null;
      } catch {
        // unreadable manifest: listed without a name
      }
    }
    return { id: a.id, state: a.state, name, size };
  });
}

export async function sendReply(session: InboxSession, text: string): Promise<ReporterMessageResponse> {
  const ciphertext = toBase64Url(encryptText(session.caseKey, { caseRef: session.data.publicRef, part: 'message' }, text));
  return apiPost<ReporterMessageResponse>('/api/public/cases/messages', { lookupToken: session.lookupToken, ciphertext });
}

/** Adds one file to the case: declare, upload (resumable), then seal its manifest. */
export async function addFile(session: InboxSession, file: File, events: UploadEvents): Promise<void> {
  const ciphertextBytes = encryptedFileSize(file.size);
  const slot = await apiPost<AddAttachmentResponse>('/api/public/cases/attachments', { lookupToken: session.lookupToken, ciphertextBytes });
  const fileKey = newFileKey();
  await uploadFile(file, fileKey, { ...slot, ciphertextBytes }, events);
  const manifest = sealManifest(session.caseKey, session.data.publicRef, {
    name: file.name,
    type: file.type || 'application/octet-stream',
    plaintextBytes: file.size,
    fileKey: toBase64Url(fileKey),
  });
  await apiPost(`/api/public/uploads/${encodeURIComponent(slot.attachmentId)}/complete`, { manifest }, { headers: { 'x-upload-token': slot.uploadToken } });
}

export function withdrawCase(session: InboxSession): Promise<WithdrawResponse> {
  return apiPost<WithdrawResponse>('/api/public/cases/withdraw', { lookupToken: session.lookupToken });
}
