// The public statistics built from grouped counts: medians, areas, categories, bodies and
// holds per area (the rules themselves are tested in test/unit/domain/public-stats.test.ts).
import { describe, expect, it } from 'vitest';
import {
  buildPublicStats, medianOfHistogram, PUBLIC_BODY_KINDS, subtreeOf, type StatsInput,
} from '../../../server/services/stats.service.ts';
import type { JurisdictionRow } from '../../../server/repositories/directory.repository.ts';
import { isJurisdictionCode } from '../../../server/schemas/stats.ts';
import type { BodyCountRow, CaseCountRow, DaysRow, HoldTallyRow } from '../../../server/repositories/stats.repository.ts';

describe('medians of days', () => {
  it('takes the middle value of an odd count and the mean of the middle two of an even one', () => {
    expect(medianOfHistogram([{ days: 9, n: 1 }, { days: 2, n: 2 }, { days: 4, n: 2 }])).toBe(4);
    expect(medianOfHistogram([{ days: 2, n: 2 }, { days: 5, n: 2 }])).toBe(3.5);
    expect(medianOfHistogram([{ days: 7, n: 3 }, { days: 1, n: 0 }])).toBe(7);
    expect(medianOfHistogram([])).toBeNull();
  });
});

describe('area codes the page passes on', () => {
  it('are the API\'s own jurisdiction codes: letters, digits and dashes, 1 to 40 of them', () => {
    expect(['HN', 'HN-BD-01', 'x'.repeat(40)].map(isJurisdictionCode)).toEqual([true, true, true]);
    expect(['', '<x>', 'HN BD', 'x'.repeat(41)].map(isJurisdictionCode)).toEqual([false, false, false, false]);
  });
});

describe('public bodies', () => {
  it('are every kind that handles cases, not the deployment\'s administration', () => {
    expect(PUBLIC_BODY_KINDS).not.toContain('administration');
  });
});

describe('areas', () => {
  const places: JurisdictionRow[] = [
    { code: 'C', nameVi: 'C', nameEn: 'C', level: 'city', parentCode: null },
    { code: 'C-D', nameVi: 'D', nameEn: 'D', level: 'district', parentCode: 'C' },
    { code: 'C-D-W', nameVi: 'W', nameEn: 'W', level: 'ward', parentCode: 'C-D' },
    { code: 'C-E', nameVi: 'E', nameEn: 'E', level: 'district', parentCode: 'C' },
  ];
  const row = (jurisdictionCode: string, n: number, category: CaseCountRow['category'] = 'other'): CaseCountRow =>
    ({ jurisdictionCode, state: 'triage', resumeState: null, outcome: null, category, n, recent: n, overdue: 0 });
  const build = (scope: string | null, cases: CaseCountRow[], more: Partial<StatsInput> = {}) => buildPublicStats({
    today: '2025-01-10', generatedAt: new Date(0), jurisdictions: places, scope, cases, deadlines: [], onTime: [],
    bodies: [], days: [], holds: [], ...more,
  });

  it('rolls wards up into the district under the scope, with the scope\'s own cases in a row of their own', () => {
    expect(subtreeOf(places, 'C-D')).toEqual(['C-D', 'C-D-W']);
    const s = build('C', [row('C', 6), row('C-D', 3), row('C-D-W', 4), row('C-E', 8)]);
    expect(s.areas.map((a) => [a.code, a.isScope, a.hasAreas, a.received])).toEqual([
      ['C', true, false, 6], ['C-D', false, true, 7], ['C-E', false, false, 8],
    ]);
    expect(s.received.total).toBe(21);
  });

  it('without a scope shows the top level only', () => {
    expect(build(null, [row('C-D-W', 9)]).areas.map((a) => [a.code, a.received])).toEqual([['C', 9]]);
  });

  it('counts cases by category over the scope, withholding a lone small category with its complement', () => {
    const s = build('C-D', [row('C-D', 6, 'judiciary'), row('C-D-W', 2, 'land_resources'), row('C-E', 3, 'land_resources'), row('C-D-W', 7, 'other')]);
    const byCategory = Object.fromEntries(s.received.byCategory.map((c) => [c.category, c.count]));
    expect(s.received.byCategory).toHaveLength(9);
    // land_resources 2 is withheld, so judiciary 6 (the smallest other) is too.
    expect(byCategory).toMatchObject({ land_resources: null, judiciary: null, other: 7, budget_assets: 0 });
    expect(s.received.total).toBe(15);
  });

  it('takes the medians over the scope\'s cases and withholds one over fewer than 5', () => {
    const days = (jurisdictionCode: string, measure: DaysRow['measure'], d: number, n: number): DaysRow => ({ jurisdictionCode, measure, days: d, n });
    const input = { days: [days('C-D', 'triage', 2, 2), days('C-D-W', 'triage', 10, 3), days('C-E', 'triage', 1, 5), days('C-D', 'conclusion', 40, 4)] };
    const district = build('C-D', [], input).timing;
    expect(district.toTriageDecision).toEqual({ cases: 5, medianDays: 10 });
    expect(district.toConclusion).toEqual({ cases: null, medianDays: null });
    expect(build('C', [], input).timing.toTriageDecision).toEqual({ cases: 10, medianDays: 1.5 });
    expect(build('C-E', [], input).timing.toConclusion).toEqual({ cases: 0, medianDays: null });
  });

  it('lists the bodies of the published places by level and name, with the scope\'s cases routed to them', () => {
    const body = (jurisdictionCode: string, bodyId: string, bodyJurisdictionCode: string, n: number): BodyCountRow => ({
      jurisdictionCode, bodyId, bodyNameVi: `Ban ${bodyId}`, bodyNameEn: `Body ${bodyId}`, bodyKind: 'inspection_committee',
      bodyLevel: bodyJurisdictionCode === 'C' ? 'city' : bodyJurisdictionCode === 'C-D-W' ? 'ward' : 'district', bodyJurisdictionCode, n,
    });
    const bodies = [body('C-D', 'Z', 'C-D', 3), body('C-D-W', 'Z', 'C-D', 4), body('C-D', 'A', 'C', 6), body('C-D-W', 'W', 'C-D-W', 8), body('C-E', 'A', 'C', 2)];
    expect(build('C', [], { bodies }).bodies.map((b) => [b.nameEn, b.level, b.cases])).toEqual([['Body A', 'city', 8], ['Body Z', 'district', 7]]);
    expect(build('C-D', [], { bodies }).bodies.map((b) => [b.nameEn, b.cases])).toEqual([['Body Z', 7], ['Body W', 8]]);
    expect(build('C-E', [], { bodies }).bodies).toEqual([]);
    expect(build(null, [], { bodies }).bodies.map((b) => [b.nameVi, b.cases])).toEqual([['Ban A', 8]]);
    expect(Object.keys(build('C', [], { bodies }).bodies[0] ?? {}).sort()).toEqual(['cases', 'kind', 'level', 'nameEn', 'nameVi']);
    expect(build('C-D', [], { bodies: [body('C-D', 'Z', 'C-D', 4)] }).bodies[0]?.cases).toBeNull();
  });

  it('publishes the count of time limits ended but not a share that would give away 1 to 4 missed', () => {
    const deadlines = [
      { jurisdictionCode: 'C-D', kind: 'triage' as const, met: 4, missed: 1 },
      { jurisdictionCode: 'C-D', kind: 'resolution' as const, met: 5, missed: 5 },
    ];
    const s = build('C-D', [], { deadlines, onTime: [{ jurisdictionCode: 'C-D', cases: 8, onTime: 7 }] });
    expect(s.deadlines.find((d) => d.kind === 'triage')).toEqual({ kind: 'triage', ended: 5, shareMet: null });
    expect(s.deadlines.find((d) => d.kind === 'resolution')).toEqual({ kind: 'resolution', ended: 10, shareMet: 50 });
    expect(s.onTime).toEqual({ cases: 8, share: null });
  });

  it('adds up holds placed and lifted over the scope, each count withheld under 5', () => {
    const h = (jurisdictionCode: string, state: HoldTallyRow['state'], isPlaced: boolean, placedSince: boolean, liftedSince: boolean, n: number): HoldTallyRow =>
      ({ jurisdictionCode, state, isPlaced, placedSince, liftedSince, n });
    const holds = [
      h('C-D', 'confirmed', true, true, false, 4), h('C-D-W', 'lapsed', true, false, false, 3), h('C-D', 'lifted', true, true, true, 2),
      h('C-D', 'proposed', false, false, false, 9), h('C-D-W', 'lifted', false, false, true, 6), h('C-E', 'refused', false, false, false, 7),
      h('C-E', 'confirmed', true, false, false, 5),
    ];
    expect(build('C-D', [], { holds }).holds).toEqual({ placed: { last12Months: 6, total: 9 }, lifted: { last12Months: null, total: null } });
    expect(build('C', [], { holds }).holds).toEqual({ placed: { last12Months: 6, total: 14 }, lifted: { last12Months: null, total: null } });
    expect(build('C-E', [], { holds }).holds).toEqual({ placed: { last12Months: 0, total: 5 }, lifted: { last12Months: 0, total: 0 } });
  });
});
