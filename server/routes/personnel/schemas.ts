// Response and request schemas of the personnel, holds and directory routes: allow-lists,
// so nothing a service returns beyond them reaches the client.
import { Type } from 'typebox';
import { HOLD_STATES, LEVELS, PERSONNEL_ACTION_KINDS, PERSONNEL_ACTION_STATES } from '../../domain/vocabulary.ts';

export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()]);
export const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
export const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });
export const Cursor = Type.String({ pattern: '^[A-Za-z0-9_-]{1,400}$' });

export const HoldBadge = Type.Object({
  id: Type.String(), state: Type.Enum(HOLD_STATES), reviewOn: Nullable(Type.String()), proceedAnyway: Type.Boolean(),
  placingBody: Type.Object({ id: Type.String(), nameVi: Type.String(), nameEn: Type.String() }),
});

const actionFields = {
  id: Type.String(), kind: Type.Enum(PERSONNEL_ACTION_KINDS), state: Type.Enum(PERSONNEL_ACTION_STATES), version: Type.Integer(),
  positionTitle: Type.String(), proposedOn: Type.String(), noticeUntil: Nullable(Type.String()), decisionRef: Nullable(Type.String()),
  heldFromState: Nullable(Type.String()), commentCount: Type.Integer(), proposingBodyId: Type.String(),
  reviewOutcome: Nullable(Type.String()), reviewRef: Nullable(Type.String()), needsReview: Type.Boolean(),
  // Not whether the cadre is a protected reporter: that would tell the personnel desk who
  // reported. needsReview says only what the officer must know, and only for adverse actions.
  cadre: Type.Object({
    id: Type.String(), fullName: Type.String(), position: Type.String(), unitName: Type.String(), clearedAt: Nullable(Type.String()),
  }),
  holds: Type.Array(HoldBadge),
};
/**
 * What the officer sees of one history entry's detail: dates, codes and body ids. Listed
 * key by key so a detail that ever carried more (a case id, a reason text) is cut here.
 */
const HistoryDetail = Type.Object({
  reviewOn: Type.Optional(Nullable(Type.String())), liftReason: Type.Optional(Type.String()), cadreCleared: Type.Optional(Type.Boolean()),
  fromState: Type.Optional(Type.String()), toState: Type.Optional(Type.String()), noticeUntil: Type.Optional(Type.String()),
  decisionRef: Type.Optional(Type.String()), overriddenHoldIds: Type.Optional(Type.Array(Type.String())), outcome: Type.Optional(Type.String()),
  placingBodyId: Type.Optional(Type.String()), decidingBodyId: Type.Optional(Type.String()),
});

export const ActionItem = Type.Object(actionFields);
export const ActionDetail = Type.Object({
  ...actionFields,
  history: Type.Array(Type.Object({
    id: Type.Integer(), kind: Type.String(), fromState: Nullable(Type.String()), toState: Nullable(Type.String()), actorKind: Type.String(),
    holdId: Nullable(Type.String()), at: Type.String(), detail: HistoryDetail,
  })),
});
export const ActionPage = Type.Object({ items: Type.Array(ActionItem), nextCursor: Nullable(Type.String()) });

export const NewAction = Type.Object({
  cadreId: Type.String({ format: 'uuid' }), kind: Type.Enum(PERSONNEL_ACTION_KINDS), positionTitle: Text(300), proposedOn: Day,
}, { additionalProperties: false });

export const MoveBody = Type.Object({
  expectedVersion: Type.Optional(Type.Integer({ minimum: 1 })),
  noticeUntil: Type.Optional(Day),
  decisionRef: Type.Optional(Type.String({ maxLength: 200 })),
}, { additionalProperties: false });

export const ReviewBody = Type.Object({
  outcome: Type.Union([Type.Literal('no_objection'), Type.Literal('objection')]), reference: Text(200),
}, { additionalProperties: false });

export const HoldView = Type.Object({
  id: Type.String(), state: Type.Enum(HOLD_STATES), reviewOn: Nullable(Type.String()), renewals: Type.Integer(), version: Type.Integer(),
  caseId: Type.String(), personnelActionId: Type.String(), proceedAnywayRef: Nullable(Type.String()),
});

export const LeadHoldItem = Type.Object({
  id: Type.String(), state: Type.Enum(HOLD_STATES), version: Type.Integer(), reviewOn: Nullable(Type.String()), renewals: Type.Integer(),
  proposedAt: Type.String(), decidedAt: Nullable(Type.String()), legalBasis: Nullable(Type.String()), scope: Nullable(Type.String()),
  proceedAnywayRef: Nullable(Type.String()),
  case: Type.Object({ id: Type.String(), publicRef: Type.String() }),
  cadre: Type.Object({ id: Type.String(), fullName: Type.String(), position: Type.String() }),
  action: Type.Object({ id: Type.String(), kind: Type.String(), state: Type.String(), positionTitle: Type.String(), proposingBodyId: Type.String() }),
});

export const Cadre = Type.Object({
  id: Type.String(), fullName: Type.String(), position: Type.String(), unitName: Type.String(), jurisdictionCode: Type.String(),
  level: Type.Enum(LEVELS), managingLevel: Type.Enum(LEVELS), managingJurisdictionCode: Type.String(), isPublic: Type.Boolean(),
  clearedAt: Nullable(Type.String()),
});

export const CadreFields = {
  fullName: Text(120), position: Text(200), unitName: Text(200), jurisdictionCode: Text(40), level: Type.Enum(LEVELS),
  managingLevel: Type.Enum(LEVELS), managingJurisdictionCode: Text(40), isPublic: Type.Optional(Type.Boolean()),
};
