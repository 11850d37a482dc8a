// The public statistics' pure parts: the small-cell rule and the stage a case counts in.
import { describe, expect, it } from 'vitest';
import { share, suppress, suppressBreakdown } from '../../../server/services/small-cells.ts';
import { buildPublicStats, stageOf, subtreeOf } from '../../../server/services/stats.service.ts';
import type { JurisdictionRow } from '../../../server/repositories/directory.repository.ts';
import type { CaseCountRow } from '../../../server/repositories/stats.repository.ts';

describe('small-cell suppression', () => {
  it('withholds counts from 1 to 4 and publishes 0 and 5', () => {
    expect([0, 1, 4, 5, 120].map((n) => suppress(n))).toEqual([0, null, null, 5, 120]);
  });

  it('withholds a second cell when exactly one would be worked out from the published total', () => {
    expect(suppressBreakdown([2, 9, 7, 0])).toEqual([null, 9, null, 0]);
  });

  it('leaves two withheld cells alone, and a breakdown of a withheld total as it is', () => {
    expect(suppressBreakdown([2, 3, 9])).toEqual([null, null, 9]);
    expect(suppressBreakdown([3, 0])).toEqual([null, 0]);
  });

  it('publishes a share only on a base of at least 5, rounded to a whole percent', () => {
    expect(share(3, 4)).toBeNull();
    expect(share(2, 3 + 3)).toBe(33);
    expect(share(0, 5)).toBe(0);
  });
});

describe('stage of a case', () => {
  it('follows the domain: needs_info counts where it resumes, a decided state before closure is decided', () => {
    expect(stageOf('received', null)).toBe('intake');
    expect(stageOf('needs_info', 'triage')).toBe('intake');
    expect(stageOf('needs_info', 'verifying')).toBe('inspection');
    expect(stageOf('paused', 'accepted')).toBe('inspection');
    expect(stageOf('filed', null)).toBe('decided');
    expect(stageOf('concluded', null)).toBe('decided');
  });
});

describe('areas', () => {
  const places: JurisdictionRow[] = [
    { code: 'C', nameVi: 'C', nameEn: 'C', level: 'city', parentCode: null },
    { code: 'C-D', nameVi: 'D', nameEn: 'D', level: 'district', parentCode: 'C' },
    { code: 'C-D-W', nameVi: 'W', nameEn: 'W', level: 'ward', parentCode: 'C-D' },
    { code: 'C-E', nameVi: 'E', nameEn: 'E', level: 'district', parentCode: 'C' },
  ];
  const row = (jurisdictionCode: string, n: number): CaseCountRow =>
    ({ jurisdictionCode, state: 'triage', resumeState: null, outcome: null, n, recent: n, overdue: 0 });
  const build = (scope: string | null, cases: CaseCountRow[]) => buildPublicStats({
    today: '2025-01-10', generatedAt: new Date(0), jurisdictions: places, scope, cases, deadlines: [], onTime: [],
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
});
