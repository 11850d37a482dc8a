// Shapes of the casework API answers (docs/casework-api.md; the server's TypeBox schemas
// in server/schemas/casework.ts are the truth). Binary fields are base64url strings.
import type { CaseState, Category, Classification, Complexity, ConclusionOutcome } from '$domain/vocabulary';

export type CadreRef = { id: string; fullName: string; position: string; unitName?: string };

export type CaseSummary = {
  id: string;
  publicRef: string;
  state: CaseState;
  classification: Classification | null;
  category: Category;
  jurisdictionCode: string;
  receivedOn: string;
  nextDueOn: string | null;
  workingDaysLeft: number | null;
  overdue: boolean;
  urgent: boolean;
  complexity: Complexity;
  isAnonymous: boolean;
  labels: string[];
  assigneeCount: number;
  cadre: CadreRef | null;
};

export type QueueCounts = { total: number; overdue: number; dueSoon: number; byState: Partial<Record<CaseState, number>> };

/** Why an action is not offered: a stable code and a sentence (older answers send a bare code). */
export type ActionReason = { code: string; message?: string } | string;

export type CaseAction = { name: string; allowed: boolean; reason: ActionReason | null };

export type IdentityRequest = {
  id: string;
  state: 'pending' | 'approved' | 'refused' | 'expired';
  reasonCode: string;
  requestedBy: { id: string; displayName: string };
  decidedBy: { id: string; displayName: string } | null;
  createdAt: string;
  decidedAt: string | null;
  expiresAt: string | null;
  publicRef?: string;
  reasonCiphertext?: string | null;
};

export type CaseBody = { id: string; nameVi: string; nameEn: string; kind: string; level: string; role: string };

export type CaseDeadline = {
  kind: string; unit: 'working' | 'calendar'; amount: number; startedOn: string; dueOn: string;
  state: string; pausedSince: string | null; extensions: number; workingDaysLeft: number | null;
};

export type CaseDetail = CaseSummary & {
  version: number;
  resumeState: CaseState | null;
  signsOfViolation: boolean;
  congressWindow: boolean;
  routingFlagged: boolean;
  mergedInto: { publicRef: string } | null;
  outcome: ConclusionOutcome | null;
  bodies: CaseBody[];
  assignees: { id: string; displayName: string }[];
  links: { publicRef: string; kind: string }[];
  deadlines: CaseDeadline[];
  cadre: CadreRef | null;
  actions: CaseAction[];
  identity: { exists: boolean; myRequest: IdentityRequest | null };
  investigators: { id: string; displayName: string }[];
};

export type TimelineItem = {
  id: string | number;
  kind: string;
  fromState: CaseState | null;
  toState: CaseState | null;
  actorKind: 'system' | 'reporter' | 'staff';
  actorName: string | null;
  reasonCode: string | null;
  detail: Record<string, unknown> | null;
  occurredOn: string;
  createdAt: string;
};

export type EnvelopePart = 'report' | 'manifest' | 'note' | 'conclusion' | 'identity';

export type StoredEnvelope = {
  id: string;
  part: EnvelopePart;
  formatVersion: number;
  ciphertext: string;
  serverSealed: boolean;
  authorStaffId: string | null;
  authorName: string | null;
  signature: string | null;
  signerPublicKey: string | null;
  createdAt: string;
};

export type KeyWrap = { keyKind?: 'case' | 'identity'; bodyId: string; bodyKeyVersion: number; sealedKey: string };

export type AttachmentRow = { id: string; state: string; declaredBytes: number; manifestEnvelopeId: string | null; uploadedBy: string };

export type CaseContent = { envelopes: StoredEnvelope[]; keyWraps: KeyWrap[]; attachments: AttachmentRow[] };

export type CaseMessage = {
  id: string;
  direction: 'to_reporter' | 'from_reporter' | 'internal_note';
  authorName: string | null;
  ciphertext: string;
  formatVersion: number;
  isQuestion: boolean;
  sentOn: string;
  seq?: number;
  readByReporterOn?: string | null;
};

export type IdentityContent = { envelope: { ciphertext: string; formatVersion: number }; keyWraps: KeyWrap[] };

export type TransitionParams = {
  classification?: Classification;
  reasonCode?: string;
  targetBodyId?: string;
  investigatorIds?: string[];
  outcome?: ConclusionOutcome;
  decisionRef?: string;
  mergedIntoRef?: string;
  complexity?: Complexity;
  isSpecific?: boolean;
  outsideCompetence?: boolean;
  externalBodyRef?: string;
};

// What the browser decrypts.

/** The sealed report text, as web/src/lib/report/seal.ts builds it (formVersion 1). */
export type ReportText = {
  formVersion: number;
  language: string;
  category: string;
  jurisdictionCode: string;
  noticeActionId: string | null;
  cadre: { id: string; fullName: string; position: string; unitName: string; jurisdictionCode: string } | null;
  cadreDescription: string;
  what: string;
  when: string;
  where: string;
  othersKnow: string;
};

export type FileManifest = { name: string; type: string; plaintextBytes: number; fileKey: string };

export const NOTE_KINDS = ['note', 'plan', 'step', 'reason'] as const;
export type NoteKind = (typeof NOTE_KINDS)[number];
export type NoteText = { kind: NoteKind; text: string };

export type ReporterIdentity = { fullName: string; contact: string; address: string };
