// One open case in the page: its metadata, the key K (memory only), and what K opens.
// Reloading after every move keeps the page on the server's version; a STALE_VERSION
// answer reloads too and says so.
import { getCase, getContent, getMessages, getTimeline } from './case-api';
import { conclusionSignatureHolds, openConclusion, openManifest, openMessage, openNote, openReport, openWrappedKey, UnreadableError } from './case-crypto';
import type { CaseDetail, CaseMessage, FileManifest, NoteText, ReportText, StoredEnvelope, TimelineItem } from './types';

export type OpenedNote = { id: string; note: NoteText | null; authorName: string | null; createdAt: string };
export type OpenedFile = { id: string; state: string; declaredBytes: number; manifest: FileManifest | null; uploadedBy: string };
export type OpenedMessage = CaseMessage & { text: string | null };
export type OpenedConclusion = { text: string | null; authorName: string | null; createdAt: string; signatureHolds: boolean };

export class CaseView {
  readonly ref: string;
  detail = $state<CaseDetail | null>(null);
  report = $state<ReportText | null>(null);
  reportServerSealed = $state(false);
  files = $state<OpenedFile[]>([]);
  notes = $state<OpenedNote[]>([]);
  conclusions = $state<OpenedConclusion[]>([]);
  timeline = $state<TimelineItem[]>([]);
  timelineNext = $state<string | null>(null);
  messages = $state<OpenedMessage[]>([]);
  messagesNext = $state<string | null>(null);
  contentError = $state<unknown>(null);
  /** Whether K is open: the key itself stays outside reactive state (no proxies over key bytes). */
  hasKey = $state(false);
  #key: Uint8Array | null = null;

  constructor(ref: string) {
    this.ref = ref;
  }

  get key(): Uint8Array | null {
    return this.#key;
  }

  get version(): number {
    return this.detail?.version ?? 0;
  }

  async loadDetail(): Promise<void> {
    this.detail = await getCase(this.ref);
  }

  /** Opens K from the wraps to the member's bodies, then the report, manifests, notes and conclusion. */
  async loadContent(): Promise<void> {
    this.contentError = null;
    try {
      const content = await getContent(this.ref);
      this.#key ??= await openWrappedKey(content.keyWraps, 'case');
      this.hasKey = true;
      const key = this.#key;
      const byId: Record<string, StoredEnvelope> = Object.fromEntries(content.envelopes.map((e) => [e.id, e]));
      const reportEnvelope = content.envelopes.find((e) => e.part === 'report');
      if (reportEnvelope) {
        this.report = await openReport(key, this.ref, reportEnvelope.ciphertext);
        this.reportServerSealed = reportEnvelope.serverSealed;
      }
      const files: OpenedFile[] = [];
      for (const a of content.attachments) {
        const env = a.manifestEnvelopeId ? byId[a.manifestEnvelopeId] : undefined;
        let manifest: FileManifest | null = null;
        if (env) manifest = await openManifest(key, this.ref, env.ciphertext).catch(() => null);
        files.push({ id: a.id, state: a.state, declaredBytes: a.declaredBytes, manifest, uploadedBy: a.uploadedBy });
      }
      this.files = files;
      const notes: OpenedNote[] = [];
      const conclusions: OpenedConclusion[] = [];
      for (const e of content.envelopes) {
        if (e.part === 'note') {
          notes.push({ id: e.id, note: await openNote(key, this.ref, e.ciphertext).catch(() => null), authorName: e.authorName, createdAt: e.createdAt });
        } else if (e.part === 'conclusion') {
          const text = await openConclusion(key, this.ref, e.ciphertext);
          conclusions.push({
            text,
            authorName: e.authorName,
            createdAt: e.createdAt,
            signatureHolds: await conclusionSignatureHolds(this.ref, this.detail?.outcome ?? null, text, e.signature, e.signerPublicKey),
          });
        }
      }
      this.notes = notes.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
      this.conclusions = conclusions;
    } catch (e) {
      this.contentError = e instanceof Error ? e : new UnreadableError('case');
    }
  }

  async loadTimeline(more = false): Promise<void> {
    const page = await getTimeline(this.ref, more ? this.timelineNext : null);
    this.timeline = more ? [...this.timeline, ...page.items] : page.items;
    this.timelineNext = page.nextCursor;
  }

  async loadMessages(more = false): Promise<void> {
    const page = await getMessages(this.ref, more ? this.messagesNext : null);
    const key = this.#key;
    const opened: OpenedMessage[] = [];
    for (const msg of page.items) opened.push({ ...msg, text: key ? await openMessage(key, this.ref, msg.ciphertext) : null });
    this.messages = more ? [...this.messages, ...opened] : opened;
    this.messagesNext = page.nextCursor;
  }

  /** After a move: the case (new version, actions), its content and its lists. */
  async reloadAll(): Promise<void> {
    await this.loadDetail();
    // Messages open with K, so the content (which opens K) comes first.
    await this.loadContent();
    await Promise.all([this.loadTimeline(), this.loadMessages()]);
  }

  forget(): void {
    this.#key?.fill(0);
    this.#key = null;
    this.hasKey = false;
  }
}
