// TypeBox schemas of the public intake API (docs/intake-api.md), shared by the routes and
// the web client. Pure and browser-safe: only 'typebox' and server/domain are imported, so
// byte sizes of the crypto formats are restated here (test/integration/intake.test.ts
// checks them against server/crypto).
import { Type, type Static } from 'typebox';
import { CASE_STATES, CATEGORIES, LANGUAGES, LEVELS, PERSONNEL_ACTION_KINDS } from '../domain/vocabulary.ts';

/** Unpadded base64url length of `bytes` bytes. */
export const base64UrlLength = (bytes: number): number => Math.ceil((bytes * 4) / 3);

const BASE64URL = '^[A-Za-z0-9_-]*$';
/** Binary values travel as unpadded base64url; min/max are in decoded bytes. */
export const Base64Url = (minBytes: number, maxBytes: number, description?: string) =>
  Type.String({
    pattern: BASE64URL,
    minLength: base64UrlLength(minBytes),
    maxLength: base64UrlLength(maxBytes),
    ...(description ? { description } : {}),
  });

// Sizes of the envelope formats (server/crypto/README.md).
export const SEALED_KEY_BYTES = 81;
export const PUBLIC_KEY_BYTES = 32;
export const LOOKUP_TOKEN_BYTES = 32;
export const UPLOAD_TOKEN_BYTES = 32;
/** Format byte + nonce + one 256-byte padding block + tag: the shortest text envelope. */
export const TEXT_ENVELOPE_MIN_BYTES = 1 + 24 + 256 + 16;
export const REPORT_MAX_BYTES = 256 * 1024;
export const IDENTITY_MAX_BYTES = 16 * 1024;
export const MESSAGE_MAX_BYTES = 64 * 1024;
export const MANIFEST_MAX_BYTES = 16 * 1024;
/** Header (25) + one empty final chunk (17): the smallest encrypted file. */
export const FILE_MIN_BYTES = 25 + 17;
/** Largest upload request body part: the header plus 128 ciphertext chunks (8 MiB of plaintext). */
export const UPLOAD_CHUNKS_PER_REQUEST = 128;
export const UPLOAD_MAX_REQUEST_BYTES = 25 + UPLOAD_CHUNKS_PER_REQUEST * (64 * 1024 + 17);
/** Schema ceilings; the deployment's own limits (config.uploads) are lower or equal. */
export const MAX_ATTACHMENTS_PER_REQUEST = 200;
export const MAX_WRAPS = 64;

export const PUBLIC_REF_PATTERN = '^MB-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$';
export const PublicRef = Type.String({ pattern: PUBLIC_REF_PATTERN, description: 'MB-XXXX-XXXX, Crockford base32' });
export const Uuid = Type.String({ format: 'uuid' });
export const IsoDay = Type.String({ format: 'date', description: 'YYYY-MM-DD; public records keep only the day' });
export const Category = Type.Enum(CATEGORIES);
export const Language = Type.Enum(LANGUAGES);
export const Level = Type.Enum(LEVELS);
export const CaseState = Type.Enum(CASE_STATES);
export const Bilingual = Type.Object({ vi: Type.String(), en: Type.String() });

export const SealedKey = Base64Url(SEALED_KEY_BYTES, SEALED_KEY_BYTES, 'crypto_box_seal of a 32-byte key (format 0x11)');
export const PublicKey = Base64Url(PUBLIC_KEY_BYTES, PUBLIC_KEY_BYTES, 'X25519 public key');
export const LookupToken = Base64Url(LOOKUP_TOKEN_BYTES, LOOKUP_TOKEN_BYTES, 'derived from the receipt; the server stores its hash');
export const UploadToken = Base64Url(UPLOAD_TOKEN_BYTES, UPLOAD_TOKEN_BYTES);
export const TextEnvelope = (maxBytes: number) => Base64Url(TEXT_ENVELOPE_MIN_BYTES, maxBytes, 'text envelope (format 0x21)');

// ---- Lookups for the form --------------------------------------------------------------

export const JurisdictionItem = Type.Object({
  code: Type.String(), nameVi: Type.String(), nameEn: Type.String(), level: Level, parentCode: Type.Union([Type.String(), Type.Null()]),
});
export const JurisdictionsResponse = Type.Object({ items: Type.Array(JurisdictionItem) });

export const PageQuery = {
  cursor: Type.Optional(Type.String({ maxLength: 200, pattern: BASE64URL })),
  // Query strings are not coerced (app.ts): the page size travels as digits.
  limit: Type.Optional(Type.String({ pattern: '^(?:[1-9]|[1-4][0-9]|50)$', description: '1-50' })),
};
export const CadreQuery = Type.Object({ q: Type.Optional(Type.String({ maxLength: 100 })), ...PageQuery });
export const CadreItem = Type.Object({
  id: Uuid, fullName: Type.String(), position: Type.String(), unitName: Type.String(), jurisdictionCode: Type.String(), level: Level,
});
export const CadresResponse = Type.Object({ items: Type.Array(CadreItem), nextCursor: Type.Union([Type.String(), Type.Null()]) });

export const NoticeQuery = Type.Object(PageQuery);
export const NoticeItem = Type.Object({
  id: Uuid, cadreId: Uuid, cadreName: Type.String(), position: Type.String(), kind: Type.Enum(PERSONNEL_ACTION_KINDS),
  positionTitle: Type.String(), noticeUntil: IsoDay,
});
export const NoticesResponse = Type.Object({ items: Type.Array(NoticeItem), nextCursor: Type.Union([Type.String(), Type.Null()]) });

export const RoutingPreviewBody = Type.Object({
  category: Category,
  jurisdictionCode: Type.String({ minLength: 1, maxLength: 64 }),
  cadreId: Type.Optional(Uuid),
  noticeActionId: Type.Optional(Uuid),
});
export const Recipient = Type.Object({
  bodyId: Uuid,
  bodyCode: Type.String(),
  nameVi: Type.String(),
  nameEn: Type.String(),
  role: Type.Enum(['intake', 'inspection']),
  keyVersion: Type.Integer({ minimum: 1 }),
  publicKey: PublicKey,
  signature: Type.String({ description: 'root signature over the directory entry, base64url' }),
  createdAt: IsoDay,
});
export const RoutingPreviewResponse = Type.Object({ recipients: Type.Array(Recipient), explanation: Type.Array(Bilingual) });

export const PowResponse = Type.Object({
  challenge: Type.String({ description: 'opaque, single-use; send back unchanged' }),
  difficulty: Type.Integer({ minimum: 0, maximum: 32, description: 'leading zero bits of BLAKE2b-256(challenge ‖ nonce)' }),
  expiresAt: Type.String({ format: 'date-time' }),
});
export const PowProof = Type.Object({
  challenge: Type.String({ minLength: 1, maxLength: 200 }),
  nonce: Type.String({ minLength: 1, maxLength: 64, description: 'any string; hashed as UTF-8' }),
});

// ---- Filing ------------------------------------------------------------------------------

export const Wrap = Type.Object({
  keyKind: Type.Enum(['case', 'identity']),
  recipientKind: Type.Enum(['body', 'reporter']),
  bodyId: Type.Optional(Uuid),
  bodyKeyVersion: Type.Optional(Type.Integer({ minimum: 1 })),
  sealedKey: SealedKey,
});
export const AttachmentDeclaration = Type.Object({
  ciphertextBytes: Type.Integer({ minimum: FILE_MIN_BYTES, description: 'encryptedFileSize(plaintextBytes)' }),
});
export const CreateCaseBody = Type.Object({
  publicRef: PublicRef,
  category: Category,
  jurisdictionCode: Type.String({ minLength: 1, maxLength: 64 }),
  cadreId: Type.Optional(Uuid),
  noticeActionId: Type.Optional(Uuid),
  language: Language,
  channel: Type.Literal('web'),
  report: TextEnvelope(REPORT_MAX_BYTES),
  identity: Type.Optional(TextEnvelope(IDENTITY_MAX_BYTES)),
  wraps: Type.Array(Wrap, { minItems: 2, maxItems: MAX_WRAPS }),
  lookupToken: LookupToken,
  reporterPublicKey: PublicKey,
  attachments: Type.Array(AttachmentDeclaration, { maxItems: MAX_ATTACHMENTS_PER_REQUEST }),
  pow: PowProof,
}, { additionalProperties: false });
export const UploadSlot = Type.Object({ attachmentId: Uuid, uploadToken: UploadToken, ciphertextBytes: Type.Integer() });
export const CreateCaseResponse = Type.Object({
  publicRef: PublicRef,
  receivedOn: IsoDay,
  uploads: Type.Array(UploadSlot),
  /** False while uploads are outstanding: call /complete once they are done. */
  complete: Type.Boolean(),
});

export const PublicRefParams = Type.Object({ publicRef: PublicRef });
export const AttachmentParams = Type.Object({ attachmentId: Uuid });
export const UploadHeaders = Type.Object({ 'x-upload-token': UploadToken });
export const UploadState = Type.Enum(['uploading', 'complete', 'aborted']);
export const UploadStatusResponse = Type.Object({ receivedBytes: Type.Integer(), ciphertextBytes: Type.Integer(), state: UploadState });
export const CompleteUploadBody = Type.Object({ manifest: TextEnvelope(MANIFEST_MAX_BYTES) }, { additionalProperties: false });
export const CompleteUploadResponse = Type.Object({ attachmentId: Uuid, state: UploadState });
export const LookupBody = Type.Object({ lookupToken: LookupToken }, { additionalProperties: false });
export const CompleteCaseResponse = Type.Object({ publicRef: PublicRef, state: CaseState, receivedOn: IsoDay });

// ---- The reporter's inbox ----------------------------------------------------------------

export const TimelineItem = Type.Object({
  kind: Type.String(), toState: Type.Union([CaseState, Type.Null()]), occurredOn: IsoDay,
  // Where a case outside the system's competence was sent.
  externalBodyRef: Type.Optional(Type.String()),
});
export const MessageItem = Type.Object({
  id: Uuid,
  direction: Type.Enum(['to_reporter', 'from_reporter']),
  sentOn: IsoDay,
  isQuestion: Type.Boolean(),
  // A message to the reporter that the inbox had not shown before this lookup.
  isNew: Type.Boolean(),
  ciphertext: Type.String(),
});
export const AttachmentItem = Type.Object({ id: Uuid, state: UploadState, manifest: Type.Union([Type.String(), Type.Null()]) });
export const LookupResponse = Type.Object({
  publicRef: PublicRef,
  state: CaseState,
  receivedOn: IsoDay,
  timeline: Type.Array(TimelineItem),
  reporterWrap: SealedKey,
  messages: Type.Array(MessageItem),
  attachments: Type.Array(AttachmentItem),
});
export const ReporterMessageBody = Type.Object({ lookupToken: LookupToken, ciphertext: TextEnvelope(MESSAGE_MAX_BYTES) }, { additionalProperties: false });
export const ReporterMessageResponse = Type.Object({ id: Uuid, sentOn: IsoDay });
export const AddAttachmentBody = Type.Object({
  lookupToken: LookupToken,
  ciphertextBytes: Type.Integer({ minimum: FILE_MIN_BYTES }),
}, { additionalProperties: false });
export const AddAttachmentResponse = Type.Object({ attachmentId: Uuid, uploadToken: UploadToken });
export const WithdrawResponse = Type.Object({ publicRef: PublicRef, state: CaseState });

export const StaffMessageBody = Type.Object({
  ciphertext: TextEnvelope(MESSAGE_MAX_BYTES),
  isQuestion: Type.Boolean(),
}, { additionalProperties: false });
export const StaffMessageResponse = Type.Object({ id: Uuid, sentOn: IsoDay, state: CaseState });

// ---- Without JavaScript ------------------------------------------------------------------

export const NOJS_TEXT_MAX_CHARS = 20_000;
export const NOJS_IDENTITY_MAX_CHARS = 500;
/** The file input's name; file parts must come after every text field. */
export const NOJS_FILE_FIELD = 'files';
const FormText = (max: number) => Type.String({ maxLength: max });
/** Text fields of the no-JS form (multipart/form-data); empty optional fields count as absent. */
export const NojsFields = Type.Object({
  challenge: Type.String({ minLength: 1, maxLength: 200, description: 'from GET /api/public/pow, rendered into the page' }),
  category: Category,
  jurisdictionCode: Type.String({ minLength: 1, maxLength: 64 }),
  cadreId: Type.Optional(Uuid),
  noticeActionId: Type.Optional(Uuid),
  language: Type.Optional(Language),
  what: Type.String({ minLength: 1, maxLength: NOJS_TEXT_MAX_CHARS }),
  when: Type.Optional(FormText(NOJS_TEXT_MAX_CHARS)),
  where: Type.Optional(FormText(NOJS_TEXT_MAX_CHARS)),
  othersKnow: Type.Optional(FormText(NOJS_TEXT_MAX_CHARS)),
  cadreDescription: Type.Optional(FormText(NOJS_TEXT_MAX_CHARS)),
  identityFullName: Type.Optional(FormText(NOJS_IDENTITY_MAX_CHARS)),
  identityContact: Type.Optional(FormText(NOJS_IDENTITY_MAX_CHARS)),
  identityAddress: Type.Optional(FormText(NOJS_IDENTITY_MAX_CHARS)),
}, { additionalProperties: false });
export const NojsTicketParams = Type.Object({ ticket: Base64Url(32, 32) });
export const NojsReceiptResponse = Type.Object({ receipt: Type.String(), publicRef: PublicRef });

export type JurisdictionsResponse = Static<typeof JurisdictionsResponse>;
export type CadreQuery = Static<typeof CadreQuery>;
export type CadresResponse = Static<typeof CadresResponse>;
export type NoticeQuery = Static<typeof NoticeQuery>;
export type NoticesResponse = Static<typeof NoticesResponse>;
export type RoutingPreviewBody = Static<typeof RoutingPreviewBody>;
export type Recipient = Static<typeof Recipient>;
export type RoutingPreviewResponse = Static<typeof RoutingPreviewResponse>;
export type PowResponse = Static<typeof PowResponse>;
export type PowProof = Static<typeof PowProof>;
export type Wrap = Static<typeof Wrap>;
export type CreateCaseBody = Static<typeof CreateCaseBody>;
export type CreateCaseResponse = Static<typeof CreateCaseResponse>;
export type UploadSlot = Static<typeof UploadSlot>;
export type UploadStatusResponse = Static<typeof UploadStatusResponse>;
export type CompleteUploadBody = Static<typeof CompleteUploadBody>;
export type CompleteUploadResponse = Static<typeof CompleteUploadResponse>;
export type LookupBody = Static<typeof LookupBody>;
export type CompleteCaseResponse = Static<typeof CompleteCaseResponse>;
export type TimelineItem = Static<typeof TimelineItem>;
export type MessageItem = Static<typeof MessageItem>;
export type AttachmentItem = Static<typeof AttachmentItem>;
export type LookupResponse = Static<typeof LookupResponse>;
export type ReporterMessageBody = Static<typeof ReporterMessageBody>;
export type ReporterMessageResponse = Static<typeof ReporterMessageResponse>;
export type AddAttachmentBody = Static<typeof AddAttachmentBody>;
export type AddAttachmentResponse = Static<typeof AddAttachmentResponse>;
export type WithdrawResponse = Static<typeof WithdrawResponse>;
export type StaffMessageBody = Static<typeof StaffMessageBody>;
export type StaffMessageResponse = Static<typeof StaffMessageResponse>;
export type NojsReceiptResponse = Static<typeof NojsReceiptResponse>;
export type NojsFields = Static<typeof NojsFields>;
