// The public statistics' wire format (GET /api/public/stats), shared with the web app.
// Aggregates only: the allow-list below has no field that could hold a case's content,
// reference, cadre or reporter. Pure: only 'typebox' and server/domain are imported.
import { Type, type Static } from 'typebox';
import { STATS_STAGES } from '../domain/public-stats.ts';
import { BODY_KINDS, CATEGORIES, CONCLUSION_OUTCOMES, DEADLINE_KINDS, LEVELS } from '../domain/vocabulary.ts';

/** An exact count, or null when it is withheld (a small cell, or one that would reveal a small cell). */
export const Count = Type.Union([Type.Integer({ minimum: 0 }), Type.Null()]);
/** A whole percentage, or null when nothing ended or either part (met, missed) is from 1 to threshold - 1. */
export const Share = Type.Union([Type.Integer({ minimum: 0, maximum: 100 }), Type.Null()]);

/** A median in days (a whole or half day), or null when it is over fewer than threshold cases. */
export const MedianDays = Type.Union([Type.Number({ minimum: 0 }), Type.Null()]);

/** How many cases a median is over, and the median. */
export const Timing = Type.Object({ cases: Count, medianDays: MedianDays });

/** Holds counted in the last 12 months (365 days to today) and all time. */
export const HoldCounts = Type.Object({ last12Months: Count, total: Count });

const JURISDICTION_CODE = { minLength: 1, maxLength: 40, pattern: '^[A-Za-z0-9-]+$' } as const;
export const JurisdictionCode = Type.String(JURISDICTION_CODE);
const JURISDICTION_CODE_RE = new RegExp(JURISDICTION_CODE.pattern);

/** JurisdictionCode's own check, for the page that builds the query without a schema validator. */
export const isJurisdictionCode = (s: string): boolean =>
  s.length >= JURISDICTION_CODE.minLength && s.length <= JURISDICTION_CODE.maxLength && JURISDICTION_CODE_RE.test(s);

export const StatsQuery = Type.Object({ jurisdiction: Type.Optional(JurisdictionCode) }, { additionalProperties: false });

const Place = {
  code: Type.String(),
  nameVi: Type.String(),
  nameEn: Type.String(),
  level: Type.Enum(LEVELS),
};

export const StatsArea = Type.Object({
  ...Place,
  /** The scope's own row: cases about the scope itself, not any area under it. */
  isScope: Type.Boolean(),
  hasAreas: Type.Boolean(),
  received: Count,
  open: Count,
  overdue: Count,
});

export const PublicStatsResponse = Type.Object({
  /** The day (Vietnam) the figures were computed for. */
  asOf: Type.String({ format: 'date' }),
  generatedAt: Type.String({ format: 'date-time' }),
  /** Counts from 1 to threshold - 1 are withheld. */
  threshold: Type.Integer(),
  scope: Type.Union([Type.Object(Place), Type.Null()]),
  received: Type.Object({
    total: Count,
    last30Days: Count,
    byCategory: Type.Array(Type.Object({ category: Type.Enum(CATEGORIES), count: Count })),
  }),
  open: Type.Object({
    total: Count,
    overdue: Count,
    byStage: Type.Array(Type.Object({ stage: Type.Enum(STATS_STAGES), count: Count })),
  }),
  concluded: Type.Object({
    total: Count,
    byOutcome: Type.Array(Type.Object({ outcome: Type.Enum(CONCLUSION_OUTCOMES), count: Count })),
  }),
  /** Cases decided (or closed after a decision) whose staff deadlines all ended: how many met every one. */
  onTime: Type.Object({ cases: Count, share: Share }),
  /** Staff deadlines that ended (met or missed), by kind. */
  deadlines: Type.Array(Type.Object({ kind: Type.Enum(DEADLINE_KINDS), ended: Count, shareMet: Share })),
  areas: Type.Array(StatsArea),
  /**
   * Bodies located in the scope or directly under it (the top level without a scope), by
   * their public names, with the cases of the scope routed to them (a case can go to several).
   */
  bodies: Type.Array(Type.Object({
    nameVi: Type.String(), nameEn: Type.String(), kind: Type.Enum(BODY_KINDS), level: Type.Enum(LEVELS), cases: Count,
  })),
  /** Calendar days from receipt to the triage decision, and from receipt to the conclusion. */
  timing: Type.Object({ toTriageDecision: Timing, toConclusion: Timing }),
  /**
   * Holds on personnel actions, counts only, never which cadre or action: placed is a hold the
   * inspection lead confirmed (dated by that decision; a proposal alone is not placed), lifted
   * is a placed hold since lifted (dated by the lift).
   */
  holds: Type.Object({ placed: HoldCounts, lifted: HoldCounts }),
});

export type StatsQuery = Static<typeof StatsQuery>;
export type StatsArea = Static<typeof StatsArea>;
export type PublicStatsResponse = Static<typeof PublicStatsResponse>;
