// The public statistics (issue #5): aggregate counts over case metadata, small cells
// withheld (the rules are in server/domain/public-stats.ts). The counts are read for every
// jurisdiction at once and kept in the process for a minute, so the public page cannot be
// used to load the database. Case content, references, cadres and reporters never enter.
import type { Db } from '../db/client.ts';
import { addCalendarDays } from '../domain/calendar.ts';
import { AppError } from '../domain/errors.ts';
import {
  CONCLUDED_STATE, DECIDED_OR_CLOSED, HOLD_PLACED_EVENT, isOpen, share, stageOf, STATS_STAGES, suppress, suppressBreakdown,
  suppressMedian, SUPPRESSION_THRESHOLD, tallyHolds, TRIAGE_DECISION_STATES,
} from '../domain/public-stats.ts';
import { BODY_KINDS, CATEGORIES, CONCLUSION_OUTCOMES, DEADLINE_KINDS, LEVELS } from '../domain/vocabulary.ts';
import type { PublicStatsResponse, StatsArea } from '../schemas/stats.ts';
import { listJurisdictions, type JurisdictionRow } from '../repositories/directory.repository.ts';
import {
  countCasesByBody, countCasesForStats, countCasesOnTime, countDaysToDecisions, countEndedDeadlines, countHolds,
  type BodyCountRow, type CaseCountRow, type DaysRow, type DeadlineCountRow, type HoldTallyRow, type OnTimeRow,
} from '../repositories/stats.repository.ts';
import { countsAsStaffDelay } from './deadline-schedule.ts';
import { startOfDay, vnToday } from './intake-codec.ts';

export const STATS_TTL_MS = 60_000;
const RECENT_DAYS = 30;
/** "The last 12 months" of the hold counts: 365 days up to and including today. */
const YEAR_DAYS = 365;

const STAFF_DEADLINE_KINDS = DEADLINE_KINDS.filter(countsAsStaffDelay);

/** Bodies the public knows: every kind that handles cases, not the deployment's administration. */
export const PUBLIC_BODY_KINDS = BODY_KINDS.filter((k) => k !== 'administration');

export type StatsInput = {
  today: string;
  generatedAt: Date;
  jurisdictions: readonly JurisdictionRow[];
  scope: string | null;
  cases: readonly CaseCountRow[];
  deadlines: readonly DeadlineCountRow[];
  onTime: readonly OnTimeRow[];
  bodies: readonly BodyCountRow[];
  days: readonly DaysRow[];
  holds: readonly HoldTallyRow[];
};

/** The scope's own code and every code under it. */
export function subtreeOf(jurisdictions: readonly JurisdictionRow[], code: string): string[] {
  const out = [code];
  for (let i = 0; i < out.length; i++) {
    for (const j of jurisdictions) if (j.parentCode === out[i]) out.push(j.code);
  }
  return out;
}

/** Which published area a jurisdiction's cases count in: the scope itself, or the area under it (top level without a scope). */
function areaIndex(jurisdictions: readonly JurisdictionRow[], scope: string | null): Map<string, string> {
  const parent = new Map(jurisdictions.map((j) => [j.code, j.parentCode]));
  const index = new Map<string, string>();
  for (const j of jurisdictions) {
    let code: string = j.code;
    if (code === scope) { index.set(j.code, code); continue; }
    for (let up = parent.get(code) ?? null; up !== scope && up !== null; up = parent.get(up) ?? null) code = up;
    if (scope === null || parent.get(code) === scope) index.set(j.code, code);
  }
  return index;
}

const sum = <T>(rows: readonly T[], f: (r: T) => number): number => rows.reduce((a, r) => a + f(r), 0);

/** The median of a histogram of whole days (the mean of the middle two for an even count). */
export function medianOfHistogram(rows: readonly { days: number; n: number }[]): number | null {
  const total = sum(rows, (r) => r.n);
  if (total === 0) return null;
  const sorted = [...rows].filter((r) => r.n > 0).sort((a, b) => a.days - b.days);
  // The k-th smallest value (1-based).
  const nth = (k: number): number => {
    let seen = 0;
    for (const r of sorted) {
      seen += r.n;
      if (seen >= k) return r.days;
    }
    return sorted[sorted.length - 1]?.days ?? 0;
  };
  return total % 2 === 1 ? nth((total + 1) / 2) : (nth(total / 2) + nth(total / 2 + 1)) / 2;
}

const levelRank = (level: (typeof LEVELS)[number]): number => LEVELS.indexOf(level);

/** Pure: the published figures from the grouped counts. */
export function buildPublicStats(input: StatsInput): PublicStatsResponse {
  const { jurisdictions, scope } = input;
  const scopeRow = scope === null ? null : jurisdictions.find((j) => j.code === scope) ?? null;
  const codes = scope === null ? null : new Set(subtreeOf(jurisdictions, scope));
  const inScope = (r: { jurisdictionCode: string }): boolean => codes === null || codes.has(r.jurisdictionCode);
  const cases = input.cases.filter(inScope);
  const deadlines = input.deadlines.filter(inScope);
  const onTime = input.onTime.filter(inScope);
  const days = input.days.filter(inScope);
  const holds = tallyHolds(input.holds.filter(inScope));
  const open = cases.filter((r) => isOpen(r.state));

  const stageCells = STATS_STAGES.map((stage) => sum(open.filter((r) => stageOf(r.state, r.resumeState) === stage), (r) => r.n));
  const stageCounts = suppressBreakdown(stageCells);
  const concluded = cases.filter((r) => r.outcome !== null);
  const outcomeCounts = suppressBreakdown(CONCLUSION_OUTCOMES.map((o) => sum(concluded.filter((r) => r.outcome === o), (r) => r.n)));

  const areaOf = areaIndex(jurisdictions, scope);
  const places = jurisdictions.filter((j) => (scope === null ? j.parentCode === null : j.code === scope || j.parentCode === scope));
  const perArea = places.map((p) => {
    const rows = cases.filter((r) => areaOf.get(r.jurisdictionCode) === p.code);
    const openRows = rows.filter((r) => isOpen(r.state));
    return { received: sum(rows, (r) => r.n), open: sum(openRows, (r) => r.n), overdue: sum(openRows, (r) => r.overdue) };
  });
  const column = (f: (a: (typeof perArea)[number]) => number): (number | null)[] => suppressBreakdown(perArea.map(f));
  const [received, openCol, overdue] = [column((a) => a.received), column((a) => a.open), column((a) => a.overdue)];
  const areas: StatsArea[] = places.map((p, i) => ({
    code: p.code, nameVi: p.nameVi, nameEn: p.nameEn, level: p.level,
    isScope: p.code === scope,
    hasAreas: p.code !== scope && jurisdictions.some((j) => j.parentCode === p.code),
    received: received[i] ?? null, open: openCol[i] ?? null, overdue: overdue[i] ?? null,
  }));

  // Bodies sit in the published places; their cases are the scope's cases routed to them.
  const placeCodes = new Set(places.map((p) => p.code));
  const bodyRows = new Map<string, { nameVi: string; nameEn: string; kind: BodyCountRow['bodyKind']; level: BodyCountRow['bodyLevel']; n: number }>();
  for (const r of input.bodies) {
    if (!inScope(r) || !placeCodes.has(r.bodyJurisdictionCode)) continue;
    const row = bodyRows.get(r.bodyId) ?? { nameVi: r.bodyNameVi, nameEn: r.bodyNameEn, kind: r.bodyKind, level: r.bodyLevel, n: 0 };
    row.n += r.n;
    bodyRows.set(r.bodyId, row);
  }
  // Ordered by level and name, never by count: the order must not rank the withheld cells.
  const bodyList = [...bodyRows.values()]
    .sort((a, b) => levelRank(a.level) - levelRank(b.level) || a.nameVi.localeCompare(b.nameVi, 'vi') || a.nameEn.localeCompare(b.nameEn))
    .map((b) => ({ nameVi: b.nameVi, nameEn: b.nameEn, kind: b.kind, level: b.level, cases: suppress(b.n) }));

  const timing = (measure: DaysRow['measure']) => {
    const rows = days.filter((r) => r.measure === measure);
    const n = sum(rows, (r) => r.n);
    return { cases: suppress(n), medianDays: suppressMedian(medianOfHistogram(rows), n) };
  };

  const onTimeCases = sum(onTime, (r) => r.cases);
  const categoryCounts = suppressBreakdown(CATEGORIES.map((c) => sum(cases.filter((r) => r.category === c), (r) => r.n)));
  return {
    asOf: input.today,
    generatedAt: input.generatedAt.toISOString(),
    threshold: SUPPRESSION_THRESHOLD,
    scope: scopeRow && { code: scopeRow.code, nameVi: scopeRow.nameVi, nameEn: scopeRow.nameEn, level: scopeRow.level },
    received: {
      total: suppress(sum(cases, (r) => r.n)),
      last30Days: suppress(sum(cases, (r) => r.recent)),
      byCategory: CATEGORIES.map((category, i) => ({ category, count: categoryCounts[i] ?? null })),
    },
    open: {
      total: suppress(sum(open, (r) => r.n)),
      overdue: suppress(sum(open, (r) => r.overdue)),
      byStage: STATS_STAGES.map((stage, i) => ({ stage, count: stageCounts[i] ?? null })),
    },
    concluded: {
      total: suppress(sum(concluded, (r) => r.n)),
      byOutcome: CONCLUSION_OUTCOMES.map((outcome, i) => ({ outcome, count: outcomeCounts[i] ?? null })),
    },
    onTime: { cases: suppress(onTimeCases), share: share(sum(onTime, (r) => r.onTime), onTimeCases) },
    deadlines: STAFF_DEADLINE_KINDS.map((kind) => {
      const rows = deadlines.filter((r) => r.kind === kind);
      const met = sum(rows, (r) => r.met);
      const ended = met + sum(rows, (r) => r.missed);
      return { kind, ended: suppress(ended), shareMet: share(met, ended) };
    }),
    areas,
    bodies: bodyList,
    timing: { toTriageDecision: timing('triage'), toConclusion: timing('conclusion') },
    holds: {
      placed: { last12Months: suppress(holds.placedSince), total: suppress(holds.placed) },
      lifted: { last12Months: suppress(holds.liftedSince), total: suppress(holds.lifted) },
    },
  };
}

type Snapshot = Omit<StatsInput, 'scope'> & { byScope: Map<string, PublicStatsResponse> };

/** Every jurisdiction's counts in one read-only snapshot, so the figures agree with each other. */
async function readSnapshot(db: Db, now: Date): Promise<Snapshot> {
  const today = vnToday(now);
  const read = await db.transaction(async (tx) => ({
    jurisdictions: await listJurisdictions(tx),
    cases: await countCasesForStats(tx, { since: addCalendarDays(today, -(RECENT_DAYS - 1)) }),
    deadlines: await countEndedDeadlines(tx, { kinds: STAFF_DEADLINE_KINDS }),
    onTime: await countCasesOnTime(tx, { states: DECIDED_OR_CLOSED, kinds: STAFF_DEADLINE_KINDS }),
    bodies: await countCasesByBody(tx, { kinds: PUBLIC_BODY_KINDS }),
    days: await countDaysToDecisions(tx, { triageDecisions: TRIAGE_DECISION_STATES, concluded: CONCLUDED_STATE }),
    holds: await countHolds(tx, { placedEvent: HOLD_PLACED_EVENT, since: startOfDay(addCalendarDays(today, -(YEAR_DAYS - 1))) }),
  }), { isolationLevel: 'repeatable read', accessMode: 'read only' });
  return { today, generatedAt: now, ...read, byScope: new Map() };
}

export type PublicStatsAnswer = { stats: PublicStatsResponse; maxAgeSeconds: number };
export type PublicStats = { get(jurisdiction?: string): Promise<PublicStatsAnswer> };

/**
 * The statistics from counts read at most once per `ttlMs` for all jurisdictions together:
 * asking for many areas costs no more database work than asking for one. Concurrent requests
 * share one read; a failed read is not kept. An unknown jurisdiction is refused from the
 * snapshot's own list, and each area's figures are kept with the snapshot they came from.
 */
export function createPublicStats(db: Db, opts: { ttlMs?: number; now?: () => number } = {}): PublicStats {
  const ttlMs = opts.ttlMs ?? STATS_TTL_MS;
  const now = opts.now ?? Date.now;
  let current: { expiresAt: number; snapshot: Promise<Snapshot> } | null = null;

  const fresh = (): { expiresAt: number; snapshot: Promise<Snapshot> } => {
    const t = now();
    if (current && current.expiresAt > t) return current;
    const entry = { expiresAt: t + ttlMs, snapshot: readSnapshot(db, new Date(t)) };
    entry.snapshot.catch(() => {
      if (current === entry) current = null;
    });
    current = entry;
    return entry;
  };

  return {
    async get(jurisdiction) {
      const entry = fresh();
      const snapshot = await entry.snapshot;
      if (jurisdiction !== undefined && !snapshot.jurisdictions.some((j) => j.code === jurisdiction)) throw new AppError('NOT_FOUND');
      const key = jurisdiction ?? '';
      let stats = snapshot.byScope.get(key);
      if (!stats) {
        stats = buildPublicStats({ ...snapshot, scope: jurisdiction ?? null });
        snapshot.byScope.set(key, stats);
      }
      return { stats, maxAgeSeconds: Math.max(0, Math.ceil((entry.expiresAt - now()) / 1000)) };
    },
  };
}
