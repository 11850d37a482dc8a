// Sends a report: routing preview → verify keys → receipt and keys → seal → proof of
// work → create the case → upload files → complete. The sender remembers how far it got,
// so "try again" after an error continues instead of starting over.
import { encryptedFileSize, initCrypto, toBase64Url } from '$crypto';
import { ApiError, apiGet, apiPost } from './api';
import { routingFields, routingPreview } from './routing';
import type { FileProgress, Progress } from './stages';
import { solvePow } from './pow';
import type { CreateCaseBody, CreateCaseResponse, PowResponse } from '$schemas/intake';
import { drawKeys, newFileKey, newPublicRef, sealManifest, sealParts, verifyRecipients, type Keys, type Recipient } from './seal';
import type { ReportAnswers, ReporterIdentity } from './types';
import { uploadFile } from '$lib/upload/upload';


export type SendInput = {
  answers: ReportAnswers;
  identity: ReporterIdentity | null;
  files: File[];
  language: 'vi' | 'en';
};

export type SendResult = {
  receipt: string;
  publicRef: string;
  receivedOn: string;
  recipients: Recipient[];
};


export class ReportSender {
  private recipients: Recipient[] | null = null;
  private keys: Keys | null = null;
  private publicRef: string | null = null;
  private created: CreateCaseResponse | null = null;
  private fileKeys: Uint8Array[] = [];
  private uploaded: boolean[] = [];
  private progress: Progress;

  constructor(
    private readonly input: SendInput,
    private readonly onProgress: (progress: Progress) => void,
  ) {
    this.progress = {
      stage: 'verify',
      pow: 0,
      files: input.files.map((f) => ({ name: f.name, sent: 0, total: encryptedFileSize(f.size), done: false, retryInMs: null })),
    };
  }

  private emit(patch: Partial<Progress>): void {
    this.progress = { ...this.progress, ...patch };
    this.onProgress(this.progress);
  }

  private setFile(index: number, patch: Partial<FileProgress>): void {
    const files = this.progress.files.map((f, i) => (i === index ? { ...f, ...patch } : f));
    this.emit({ files });
  }

  async run(signal?: AbortSignal): Promise<SendResult> {
    await initCrypto();
    const { answers, identity, files, language } = this.input;

    if (!this.recipients) {
      this.emit({ stage: 'verify' });
      const preview = await routingPreview(answers, signal);
      verifyRecipients(preview.recipients);
      this.recipients = preview.recipients;
    }
    const recipients = this.recipients;

    if (!this.keys) {
      this.emit({ stage: 'keys' });
      this.keys = drawKeys(identity !== null);
      this.fileKeys = files.map(() => newFileKey());
      this.uploaded = files.map(() => false);
    }
    const keys = this.keys;

    while (!this.created) {
      this.emit({ stage: 'encrypt' });
      this.publicRef = newPublicRef();
      const sealed = sealParts(this.publicRef, keys, recipients, answers, identity, language);

      this.emit({ stage: 'pow', pow: 0 });
      const pow = await apiGet<PowResponse>('/api/public/pow', { signal });
      const nonce = await solvePow(pow, (fraction) => this.emit({ pow: fraction }), signal);

      this.emit({ stage: 'send' });
      try {
        const body: CreateCaseBody = {
          publicRef: this.publicRef,
          ...routingFields(answers),
          language,
          channel: 'web',
          report: sealed.report,
          ...(sealed.identity ? { identity: sealed.identity } : {}),
          wraps: sealed.wraps,
          lookupToken: toBase64Url(keys.receiptKeys.lookupToken),
          reporterPublicKey: toBase64Url(keys.receiptKeys.boxKeyPair.publicKey),
          attachments: files.map((f) => ({ ciphertextBytes: encryptedFileSize(f.size) })),
          pow: { challenge: pow.challenge, nonce },
        };
        this.created = await apiPost<CreateCaseResponse>('/api/public/cases', body, { signal });
      } catch (error) {
        // The reference is bound into every envelope: draw a new one and seal again.
        if (error instanceof ApiError && error.status === 409 && error.details.reason === 'ref_taken') continue;
        throw error;
      }
    }
    const created = this.created;
    const publicRef = this.publicRef as string;

    if (!created.complete) {
      this.emit({ stage: 'upload' });
      for (const [i, target] of created.uploads.entries()) {
        if (this.uploaded[i]) continue;
        const file = files[i] as File;
        const fileKey = this.fileKeys[i] as Uint8Array;
        await uploadFile(file, fileKey, target, {
          onProgress: (sent) => this.setFile(i, { sent, retryInMs: null }),
          onRetry: (wait) => this.setFile(i, { retryInMs: wait }),
        }, signal);
        const manifest = sealManifest(keys.caseKey, publicRef, {
          name: file.name,
          type: file.type || 'application/octet-stream',
          plaintextBytes: file.size,
          fileKey: toBase64Url(fileKey),
        });
        await apiPost(`/api/public/uploads/${encodeURIComponent(target.attachmentId)}/complete`, { manifest }, {
          signal,
          headers: { 'x-upload-token': target.uploadToken },
        });
        this.uploaded[i] = true;
        this.setFile(i, { sent: target.ciphertextBytes, done: true });
      }
      this.emit({ stage: 'complete' });
      await apiPost(`/api/public/cases/${encodeURIComponent(publicRef)}/complete`, { lookupToken: toBase64Url(keys.receiptKeys.lookupToken) }, { signal });
    }
    return { receipt: keys.receipt, publicRef, receivedOn: created.receivedOn, recipients };
  }

  /** True once the case exists on the server: going back to edit then starts a new one. */
  get hasCreatedCase(): boolean {
    return this.created !== null;
  }
}
