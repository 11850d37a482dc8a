// Shared vocabulary: the closed sets the schema, the API, the workers and the pages all
// use. The database has CHECK constraints built from these same arrays.

export const LEVELS = ['city', 'district', 'ward'] as const;
export type Level = (typeof LEVELS)[number];

/** Kinds of body (a desk of one organisation at one level). */
export const BODY_KINDS = [
  'front_intake', // Front (MTTQ) intake desk
  'inspection_committee', // Party inspection committee (UBKT)
  'organization_board', // Organization Board (Ban Tổ chức)
  'internal_affairs', // Internal Affairs (Ban Nội chính)
  'inspectorate', // State Inspectorate (Thanh tra)
  'administration', // deployment administration and audit
] as const;
export type BodyKind = (typeof BODY_KINDS)[number];

export const ROLES = [
  'front_member',
  'front_reviewer',
  'inspection_investigator',
  'inspection_lead',
  'personnel_officer',
  'administrator',
  'auditor',
] as const;
export type Role = (typeof ROLES)[number];

/** Focus fields a report is filed under. */
export const CATEGORIES = [
  'land_resources',
  'budget_assets',
  'investment_construction',
  'judiciary',
  'organization_personnel',
  'position_buying',
  'asset_declaration',
  'ethics_conduct',
  'other',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** Classification at triage (Law on Denunciation 2018; Art. 25 for anonymous information). */
export const CLASSIFICATIONS = [
  'feedback', // phản ánh
  'petition', // kiến nghị
  'complaint', // khiếu nại
  'denunciation', // tố cáo
  'denunciation_information', // thông tin có nội dung tố cáo (Art. 25)
] as const;
export type Classification = (typeof CLASSIFICATIONS)[number];

export const CASE_STATES = [
  'received',
  'triage',
  'needs_info',
  'returned',
  'filed',
  'transferred',
  'referred',
  'accepted',
  'not_accepted',
  'verifying',
  'paused',
  'terminated',
  'concluded',
  'closed',
  'withdrawn',
] as const;
export type CaseState = (typeof CASE_STATES)[number];

export const CHANNELS = ['web', 'web_nojs', 'in_person', 'front_member'] as const;
export type Channel = (typeof CHANNELS)[number];

export const LANGUAGES = ['vi', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

export const COMPLEXITIES = ['normal', 'complex', 'especially_complex'] as const;
export type Complexity = (typeof COMPLEXITIES)[number];

export const CONCLUSION_OUTCOMES = ['substantiated', 'partly_substantiated', 'not_substantiated'] as const;
export type ConclusionOutcome = (typeof CONCLUSION_OUTCOMES)[number];

export const PERSONNEL_ACTION_KINDS = [
  'planning', // quy hoạch
  'appointment', // bổ nhiệm
  'reappointment', // bổ nhiệm lại
  'promotion', // đề bạt
  'rotation', // luân chuyển
  'transfer', // điều động
  'nomination', // giới thiệu ứng cử
  'commendation', // khen thưởng
  // Adverse actions: watched when the cadre is a protected reporter.
  'demotion',
  'discipline',
  'removal_from_planning',
] as const;
export type PersonnelActionKind = (typeof PERSONNEL_ACTION_KINDS)[number];

export const PERSONNEL_ACTION_STATES = [
  'draft',
  'public_notice',
  'pending_decision',
  'held',
  'approved',
  'executed',
  'withdrawn',
] as const;
export type PersonnelActionState = (typeof PERSONNEL_ACTION_STATES)[number];

export const HOLD_STATES = ['proposed', 'confirmed', 'refused', 'lifted', 'lapsed'] as const;
export type HoldState = (typeof HOLD_STATES)[number];

export const DEADLINE_KINDS = ['triage', 'transfer', 'resolution', 'reporter_reply', 'hold_review'] as const;
export type DeadlineKind = (typeof DEADLINE_KINDS)[number];

export const DAY_UNITS = ['working', 'calendar'] as const;
export type DayUnit = (typeof DAY_UNITS)[number];

// Must stay in step with TEXT_PARTS in server/crypto/text-envelope.ts (bound into ciphertexts).
export const ENVELOPE_PARTS = ['report', 'identity', 'manifest', 'note', 'conclusion', 'message'] as const;
export type EnvelopePart = (typeof ENVELOPE_PARTS)[number];

export const MESSAGE_DIRECTIONS = ['to_reporter', 'from_reporter', 'internal_note'] as const;
export type MessageDirection = (typeof MESSAGE_DIRECTIONS)[number];

export const ACTOR_KINDS = ['system', 'reporter', 'staff'] as const;
export type ActorKind = (typeof ACTOR_KINDS)[number];
