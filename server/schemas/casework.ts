// TypeBox schemas of the staff casework API (docs/casework-api.md). Response schemas are
// allow-lists: a field not listed here never leaves the server.
import { Type, type Static } from 'typebox';
import { CASE_STATES, CATEGORIES, CLASSIFICATIONS, COMPLEXITIES, CONCLUSION_OUTCOMES } from '../domain/vocabulary.ts';
import { IDENTITY_REQUEST_REASONS } from '../domain/case-actions.ts';
import { Base64Url, IsoDay, MESSAGE_MAX_BYTES, PublicRef, SealedKey, TextEnvelope, Uuid } from './intake.ts';

// A type list rather than anyOf: fast-json-stringify then writes the value without running
// a validator per field to pick the branch (the queue serializes 100 summaries a page).
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) =>
  Type.Unsafe<string | null>({ ...t, type: ['string', 'null'] });
const NullableStr = Type.Unsafe<string | null>({ type: ['string', 'null'] });
const NullableInt = Type.Unsafe<number | null>({ type: ['integer', 'null'] });
const NullableEnum = <const T extends readonly string[]>(values: T) =>
  Type.Unsafe<T[number] | null>({ type: ['string', 'null'], enum: [...values, null] });
const Limit = (max: number) => Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,2}$', description: `1-${max}` }));

export const NOTE_MAX_BYTES = 64 * 1024;
export const CONCLUSION_MAX_BYTES = 256 * 1024;
export const LABEL_PATTERN = '^[a-z0-9][a-z0-9_-]{0,31}$';
export const MAX_LABELS = 20;

export const QueueQuery = Type.Object({
  state: Type.Optional(Type.Enum(CASE_STATES)),
  category: Type.Optional(Type.Enum(CATEGORIES)),
  body: Type.Optional(Uuid),
  due: Type.Optional(Type.Enum(['soon', 'overdue'])),
  assignee: Type.Optional(Type.String({ pattern: '^(me|unassigned|[0-9a-f-]{36})$' })),
  label: Type.Optional(Type.String({ pattern: LABEL_PATTERN })),
  q: Type.Optional(Type.String({ pattern: '^[0-9A-Za-z-]{1,12}$', description: 'public reference prefix' })),
  limit: Limit(100),
  after: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,120}$' })),
}, { additionalProperties: false });

export const CountsQuery = Type.Omit(QueueQuery, ['state', 'limit', 'after']);

const CadreBrief = Type.Object({ id: Uuid, fullName: Type.String(), position: Type.String() });
const SummaryFields = {
  id: Uuid, publicRef: Type.String(), state: Type.Enum(CASE_STATES), classification: NullableEnum(CLASSIFICATIONS),
  category: Type.Enum(CATEGORIES), jurisdictionCode: Type.String(), receivedOn: IsoDay, nextDueOn: Nullable(IsoDay),
  workingDaysLeft: NullableInt, overdue: Type.Boolean(), urgent: Type.Boolean(), complexity: Type.Enum(COMPLEXITIES),
  isAnonymous: Type.Boolean(), labels: Type.Array(Type.String()), assigneeCount: Type.Integer(),
};
export const CaseSummary = Type.Object({ ...SummaryFields, cadre: Type.Union([CadreBrief, Type.Null()]) });
export const QueueResponse = Type.Object({ items: Type.Array(CaseSummary), nextCursor: NullableStr });
export const CountsResponse = Type.Object({
  total: Type.Integer(), overdue: Type.Integer(), dueSoon: Type.Integer(), byState: Type.Record(Type.String(), Type.Integer()),
});

const Person = Type.Object({ id: Uuid, displayName: Type.String() });
const Reason = Type.Object({ code: Type.String(), message: Type.String() });
export const IdentityRequest = Type.Object({
  id: Uuid, publicRef: Type.String(), state: Type.Enum(['pending', 'approved', 'refused', 'expired']), reasonCode: Type.String(),
  requestedBy: Person, decidedBy: Type.Union([Person, Type.Null()]), createdAt: Type.String(), decidedAt: NullableStr, expiresAt: NullableStr,
});

export const CaseDetail = Type.Object({
  ...SummaryFields,
  version: Type.Integer(), resumeState: NullableEnum(CASE_STATES), signsOfViolation: Type.Boolean(),
  congressWindow: Type.Boolean(), routingFlagged: Type.Boolean(), mergedInto: Type.Union([Type.Object({ publicRef: Type.String() }), Type.Null()]),
  outcome: NullableEnum(CONCLUSION_OUTCOMES),
  bodies: Type.Array(Type.Object({ id: Uuid, nameVi: Type.String(), nameEn: Type.String(), kind: Type.String(), level: Type.String(), role: Type.String() })),
  assignees: Type.Array(Person),
  links: Type.Array(Type.Object({ publicRef: Type.String(), kind: Type.Enum(['related', 'duplicate']) })),
  deadlines: Type.Array(Type.Object({
    kind: Type.String(), unit: Type.String(), amount: Type.Integer(), startedOn: IsoDay, dueOn: IsoDay, state: Type.String(),
    pausedSince: Nullable(IsoDay), extensions: Type.Integer(), workingDaysLeft: NullableInt,
  })),
  cadre: Type.Union([Type.Object({ id: Uuid, fullName: Type.String(), position: Type.String(), unitName: Type.String() }), Type.Null()]),
  actions: Type.Array(Type.Object({ name: Type.String(), allowed: Type.Boolean(), reason: Type.Union([Reason, Type.Null()]) })),
  identity: Type.Object({ exists: Type.Boolean(), myRequest: Type.Union([IdentityRequest, Type.Null()]) }),
  investigators: Type.Array(Person),
});

export const CaseRefParams = Type.Object({ publicRef: PublicRef });
export const AttachmentParams = Type.Object({ publicRef: PublicRef, attachmentId: Uuid });
export const PageAfterQuery = Type.Object({
  after: Type.Optional(Type.String({ pattern: '^[0-9]{1,18}$' })), limit: Limit(200),
}, { additionalProperties: false });

// Events are written by many services (moves, routing, deadlines, holds); only these ids,
// codes and days leave the server, whatever else a writer may one day put in a detail.
const OptStr = Type.Optional(NullableStr);
const RoutedTarget = Type.Object({ bodyId: Type.String(), role: Type.String(), vi: Type.String(), en: Type.String(), ruleId: NullableStr });
export const TimelineDetail = Type.Object({
  version: Type.Optional(Type.Integer()), targetBodyId: OptStr, mergedIntoCaseId: OptStr, mergedCaseId: OptStr, cadreId: OptStr,
  complexity: OptStr, decisionRef: OptStr, outcome: OptStr, channel: OptStr, deadlineKind: OptStr, dueOn: OptStr, reviewOn: OptStr,
  liftReason: OptStr, holdId: OptStr, externalBodyRef: OptStr, flags: Type.Optional(Type.Array(Type.String())),
  // Where routing sent the case and why, in both languages (built from body and rule names).
  targets: Type.Optional(Type.Array(RoutedTarget)),
});
export const TIMELINE_DETAIL_KEYS: readonly string[] = Object.keys(TimelineDetail.properties);

export const TimelineResponse = Type.Object({
  items: Type.Array(Type.Object({
    id: Type.Integer(), kind: Type.String(), fromState: NullableStr, toState: NullableStr, actorKind: Type.String(), actorName: NullableStr,
    reasonCode: NullableStr, detail: TimelineDetail, occurredOn: IsoDay, createdAt: Type.String(),
  })),
  nextCursor: NullableStr,
});

export const ContentResponse = Type.Object({
  envelopes: Type.Array(Type.Object({
    id: Uuid, part: Type.String(), formatVersion: Type.Integer(), ciphertext: Type.String(), serverSealed: Type.Boolean(),
    authorStaffId: Nullable(Uuid), authorName: NullableStr, signature: NullableStr, signerPublicKey: NullableStr, createdAt: Type.String(),
  })),
  keyWraps: Type.Array(Type.Object({ keyKind: Type.Literal('case'), bodyId: Uuid, bodyKeyVersion: Type.Integer(), sealedKey: Type.String() })),
  attachments: Type.Array(Type.Object({
    id: Uuid, state: Type.String(), declaredBytes: Type.Integer(), manifestEnvelopeId: Nullable(Uuid), uploadedBy: Type.String(),
  })),
});

export const MessagesResponse = Type.Object({
  items: Type.Array(Type.Object({
    id: Uuid, direction: Type.String(), authorName: NullableStr, ciphertext: Type.String(), formatVersion: Type.Integer(),
    isQuestion: Type.Boolean(), sentOn: IsoDay, seq: Type.Integer(), readByReporterOn: Nullable(IsoDay),
  })),
  nextCursor: NullableStr,
});

export const TransitionBody = Type.Object({
  transition: Type.String({ pattern: '^[a-z_]{1,40}$' }),
  expectedVersion: Type.Integer({ minimum: 1 }),
  params: Type.Optional(Type.Object({
    classification: Type.Optional(Type.Enum(CLASSIFICATIONS)),
    reasonCode: Type.Optional(Type.String({ pattern: '^[a-z_]{1,60}$' })),
    targetBodyId: Type.Optional(Uuid),
    investigatorIds: Type.Optional(Type.Array(Uuid, { minItems: 1, maxItems: 20 })),
    decisionRef: Type.Optional(Type.String({ minLength: 1, maxLength: 60, pattern: '^[0-9A-Za-z/._ -]+$' })),
    mergedIntoRef: Type.Optional(PublicRef),
    complexity: Type.Optional(Type.Enum(COMPLEXITIES)),
    externalBodyRef: Type.Optional(Type.String({ minLength: 1, maxLength: 60, pattern: '^[0-9A-Za-z/._ -]+$' })),
    isSpecific: Type.Optional(Type.Boolean()),
    outsideCompetence: Type.Optional(Type.Boolean()),
  }, { additionalProperties: false })),
}, { additionalProperties: false });
export const TransitionResponse = Type.Object({
  version: Type.Integer(), state: Type.Enum(CASE_STATES), fromState: NullableEnum(CASE_STATES), transition: Type.String(),
});

export const NoteBody = Type.Object({ ciphertext: TextEnvelope(NOTE_MAX_BYTES), formatVersion: Type.Optional(Type.Integer({ minimum: 1, maximum: 1 })) }, { additionalProperties: false });
export const IdResponse = Type.Object({ id: Uuid });
export const LabelsBody = Type.Object({ labels: Type.Array(Type.String({ pattern: LABEL_PATTERN }), { maxItems: MAX_LABELS, uniqueItems: true }) }, { additionalProperties: false });
export const LabelsResponse = Type.Object({ labels: Type.Array(Type.String()) });
export const CadreLinkBody = Type.Object({ expectedVersion: Type.Integer({ minimum: 1 }), cadreId: Type.Union([Uuid, Type.Null()]) }, { additionalProperties: false });
export const VersionResponse = Type.Object({ version: Type.Integer() });
export const LinkBody = Type.Object({ publicRef: PublicRef, kind: Type.Enum(['related', 'duplicate']) }, { additionalProperties: false });
export const KeyGrantBody = Type.Object({ bodyId: Uuid, bodyKeyVersion: Type.Integer({ minimum: 1 }), sealedKey: SealedKey }, { additionalProperties: false });
export const ConclusionBody = Type.Object({
  expectedVersion: Type.Integer({ minimum: 1 }),
  outcome: Type.Enum(CONCLUSION_OUTCOMES),
  ciphertext: TextEnvelope(CONCLUSION_MAX_BYTES),
  formatVersion: Type.Optional(Type.Integer({ minimum: 1, maximum: 1 })),
  textHash: Base64Url(32, 32, 'BLAKE2b-256 of the conclusion text (hashConclusionText)'),
  signature: Base64Url(64, 64, 'Ed25519 signConclusion({ caseRef, outcome, textHash })'),
}, { additionalProperties: false });

export const IdentityRequestBody = Type.Object({
  reasonCode: Type.Enum(IDENTITY_REQUEST_REASONS),
  reasonCiphertext: Type.Optional(TextEnvelope(MESSAGE_MAX_BYTES)),
}, { additionalProperties: false });
export const IdentityRequestParams = Type.Object({ id: Uuid });
export const IdentityRequestsQuery = Type.Object({
  state: Type.Optional(Type.Literal('pending')),
  after: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9_-]{1,200}$' })),
  limit: Limit(100),
}, { additionalProperties: false });
export const IdentityRequestsResponse = Type.Object({ items: Type.Array(IdentityRequest), nextCursor: NullableStr });
export const IdentityResponse = Type.Object({
  envelope: Type.Object({ ciphertext: Type.String(), formatVersion: Type.Integer() }),
  keyWraps: Type.Array(Type.Object({ bodyId: Uuid, bodyKeyVersion: Type.Integer(), sealedKey: Type.String() })),
});

export type QueueQuery = Static<typeof QueueQuery>;
export type CountsQuery = Static<typeof CountsQuery>;
export type CaseSummary = Static<typeof CaseSummary>;
export type QueueResponse = Static<typeof QueueResponse>;
export type CountsResponse = Static<typeof CountsResponse>;
export type CaseDetail = Static<typeof CaseDetail>;
export type IdentityRequest = Static<typeof IdentityRequest>;
export type TimelineResponse = Static<typeof TimelineResponse>;
export type ContentResponse = Static<typeof ContentResponse>;
export type MessagesResponse = Static<typeof MessagesResponse>;
export type TransitionBody = Static<typeof TransitionBody>;
export type TransitionResponse = Static<typeof TransitionResponse>;
export type ConclusionBody = Static<typeof ConclusionBody>;
export type IdentityResponse = Static<typeof IdentityResponse>;
