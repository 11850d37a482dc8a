import { describe, expect, it } from 'vitest';
import {
  DEFAULT_ROUTING_RULES,
  routeCase,
  type CaseRoutingInput,
  type Jurisdiction,
  type RoutingBody,
  type RoutingContext,
  type RoutingFlagCode,
  type RoutingRule,
} from '../../../server/domain/routing.ts';
import type { BodyKind, Level } from '../../../server/domain/vocabulary.ts';

// City TP; district Q1 has every desk a district can have, district Q2 has none.
// Ward P1 (in Q1) has a Front desk; P2 (in Q1) and P3 (in Q2) have none.
const jurisdictions: Jurisdiction[] = [
  { code: 'TP', level: 'city', parentCode: null, nameVi: 'Thành phố', nameEn: 'the city' },
  { code: 'Q1', level: 'district', parentCode: 'TP', nameVi: 'Quận 1', nameEn: 'District 1' },
  { code: 'Q2', level: 'district', parentCode: 'TP', nameVi: 'Quận 2', nameEn: 'District 2' },
  { code: 'P1', level: 'ward', parentCode: 'Q1', nameVi: 'Phường 1', nameEn: 'Ward 1' },
  { code: 'P2', level: 'ward', parentCode: 'Q1', nameVi: 'Phường 2', nameEn: 'Ward 2' },
  { code: 'P3', level: 'ward', parentCode: 'Q2', nameVi: 'Phường 3', nameEn: 'Ward 3' },
];

const body = (code: string, kind: BodyKind, level: Level, jurisdictionCode: string, nameVi: string, nameEn: string): RoutingBody => ({
  id: `id-${code}`,
  code,
  kind,
  level,
  jurisdictionCode,
  nameVi,
  nameEn,
});

const bodies: RoutingBody[] = [
  body('mttq-tp', 'front_intake', 'city', 'TP', 'Ban tiếp nhận MTTQ thành phố', 'City Front intake desk'),
  body('mttq-q1', 'front_intake', 'district', 'Q1', 'Ban tiếp nhận MTTQ quận 1', 'District 1 Front intake desk'),
  body('mttq-p1', 'front_intake', 'ward', 'P1', 'Ban tiếp nhận MTTQ phường 1', 'Ward 1 Front intake desk'),
  body('ubkt-tp', 'inspection_committee', 'city', 'TP', 'UBKT Thành ủy', 'City inspection committee'),
  body('ubkt-q1', 'inspection_committee', 'district', 'Q1', 'UBKT Quận ủy 1', 'District 1 inspection committee'),
  body('tt-tp', 'inspectorate', 'city', 'TP', 'Thanh tra thành phố', 'City Inspectorate'),
  body('tt-q1', 'inspectorate', 'district', 'Q1', 'Thanh tra quận 1', 'District 1 Inspectorate'),
  body('nc-tp', 'internal_affairs', 'city', 'TP', 'Ban Nội chính Thành ủy', 'City Internal Affairs'),
];

const ctx: RoutingContext = { bodies, jurisdictions, rules: DEFAULT_ROUTING_RULES };

/** Targets as 'code:role' strings, in order. */
const route = (input: CaseRoutingInput, context: RoutingContext = ctx) => {
  const r = routeCase(input, context);
  return { targets: r.targets.map((t) => `${t.bodyCode}:${t.role}`), flagged: r.flagged, flags: r.flags.map((f) => f.code) };
};

const cadre = (managingJurisdictionCode: string, managingLevel: Level) => ({ id: 'cadre-1', managingJurisdictionCode, managingLevel });

describe('routeCase with the default rules', () => {
  it.each<[string, CaseRoutingInput, string[], RoutingFlagCode[]]>([
    ['intake goes to the Front desk of the ward where it happened; land goes to the nearest Inspectorate',
      { category: 'land_resources', jurisdictionCode: 'P1' }, ['mttq-p1:intake', 'tt-q1:added'], []],
    ['a ward without a Front desk passes intake up to its district',
      { category: 'investment_construction', jurisdictionCode: 'P2' }, ['mttq-q1:intake', 'tt-q1:added'], []],
    ['a ward whose district has no desks either passes intake up to the city',
      { category: 'land_resources', jurisdictionCode: 'P3' }, ['mttq-tp:intake', 'tt-tp:added'], []],
    ['a case about a district-managed cadre goes to the district inspection committee; judiciary adds Internal Affairs',
      { category: 'judiciary', jurisdictionCode: 'P1', cadre: cadre('Q1', 'district') },
      ['mttq-p1:intake', 'ubkt-q1:inspection', 'nc-tp:added'], []],
    ['a case about a city-managed cadre goes to the city inspection committee even when reported in a district',
      { category: 'investment_construction', jurisdictionCode: 'Q1', cadre: cadre('TP', 'city') },
      ['mttq-q1:intake', 'ubkt-tp:inspection', 'tt-q1:added'], []],
    ['a ward-managed cadre whose ward has no committee goes to the committee above',
      { category: 'ethics_conduct', jurisdictionCode: 'P1', cadre: cadre('P1', 'ward') }, ['mttq-p1:intake', 'ubkt-q1:inspection'], []],
    ['a case about a cadre needs no category rule and is not flagged',
      { category: 'position_buying', jurisdictionCode: 'P1', cadre: cadre('Q1', 'district') }, ['mttq-p1:intake', 'ubkt-q1:inspection'], []],
    ['no rule matching the category flags the case and the city Front desk gets it',
      { category: 'other', jurisdictionCode: 'P1' }, ['mttq-p1:intake', 'mttq-tp:added'], ['no_rule_matched']],
    ['an unknown jurisdiction flags the case and the city Front desk takes intake',
      { category: 'land_resources', jurisdictionCode: 'XX' }, ['mttq-tp:intake'], ['unknown_jurisdiction']],
    ['an unknown managing jurisdiction for the cadre is flagged',
      { category: 'land_resources', jurisdictionCode: 'P1', cadre: cadre('Q9', 'district') },
      ['mttq-p1:intake', 'tt-q1:added', 'mttq-tp:added'], ['cadre_jurisdiction_unknown']],
    ['a managing level that does not match the jurisdiction is flagged',
      { category: 'land_resources', jurisdictionCode: 'P1', cadre: cadre('Q1', 'city') },
      ['mttq-p1:intake', 'tt-q1:added', 'mttq-tp:added'], ['cadre_jurisdiction_unknown']],
    ['a comment on a personnel notice without a resolved cadre is flagged',
      { category: 'organization_personnel', jurisdictionCode: 'Q1', noticeId: 'notice-7' },
      ['mttq-q1:intake', 'mttq-tp:added'], ['notice_without_cadre', 'no_rule_matched']],
    ['a city-level case with no matching rule is flagged without listing the city desk twice',
      { category: 'other', jurisdictionCode: 'TP' }, ['mttq-tp:intake'], ['no_rule_matched']],
  ])('%s', (_rule, input, targets, flags) => {
    expect(route(input)).toEqual({ targets, flagged: flags.length > 0, flags });
  });
});

describe('routeCase explanations', () => {
  it('explains a walked-up intake in Vietnamese and English', () => {
    const [intake] = routeCase({ category: 'land_resources', jurisdictionCode: 'P2' }, ctx).targets;
    expect(intake?.explanation).toEqual({
      vi: 'Chuyển đến Ban tiếp nhận MTTQ quận 1 vì mọi phản ánh đều do Mặt trận Tổ quốc nơi xảy ra sự việc tiếp nhận và phân loại trước (Phường 2 chưa có đơn vị này nên chuyển lên cấp trên).',
      en: 'Routed to District 1 Front intake desk because every report is first received and triaged by the Fatherland Front where the matter took place (Ward 2 has no such body, so it went up a level).',
    });
  });

  it('explains the inspection route by who manages the cadre', () => {
    const r = routeCase({ category: 'judiciary', jurisdictionCode: 'P1', cadre: cadre('Q1', 'district') }, ctx);
    expect(r.targets[1]?.explanation).toEqual({
      vi: 'Chuyển đến UBKT Quận ủy 1 vì cán bộ bị phản ánh thuộc diện Quận 1 quản lý.',
      en: 'Routed to District 1 inspection committee because the cadre concerned is managed by District 1.',
    });
    expect(r.targets[2]).toMatchObject({
      ruleId: 'judiciary-internal-affairs',
      explanation: {
        // The rule targets the city itself, so nothing was passed up.
        vi: 'Chuyển đến Ban Nội chính Thành ủy vì nội dung về hoạt động tư pháp do Ban Nội chính theo dõi.',
        en: 'Routed to City Internal Affairs because judicial matters are overseen by Internal Affairs.',
      },
    });
  });

  it('explains every flag in both languages', () => {
    const r = routeCase({ category: 'other', jurisdictionCode: 'P1' }, ctx);
    expect(r.flags).toEqual([
      { code: 'no_rule_matched', explanation: { vi: 'Không có quy tắc định tuyến nào cho lĩnh vực other.', en: 'No routing rule matches category other.' } },
    ]);
    expect(r.targets[1]?.explanation.en).toBe(
      'Routed to City Front intake desk because no suitable body could be determined, so the city Fatherland Front reviews it.',
    );
  });
});

describe('routeCase rule mechanics', () => {
  const rule = (id: string, priority: number, over: Partial<RoutingRule>): RoutingRule => ({
    id,
    priority,
    enabled: true,
    match: {},
    targetBodyKind: 'inspectorate',
    targetLevel: 'same',
    reasonVi: `lý do ${id}`,
    reasonEn: `reason ${id}`,
    ...over,
  });
  const withRules = (rules: RoutingRule[]): RoutingContext => ({ bodies, jurisdictions, rules });

  it('a disabled rule does not apply', () => {
    const rules = DEFAULT_ROUTING_RULES.map((r) => ({ ...r, enabled: false }));
    expect(route({ category: 'land_resources', jurisdictionCode: 'P1' }, withRules(rules)).flags).toEqual(['no_rule_matched']);
  });

  it('rules apply in ascending priority, ties broken by id, whatever order they are stored in', () => {
    const rules = [
      rule('b', 10, { targetBodyKind: 'internal_affairs', targetLevel: 'city' }),
      rule('z', 5, { targetBodyKind: 'inspection_committee', targetLevel: 'district' }),
      rule('a', 10, { targetBodyKind: 'inspectorate', targetLevel: 'city' }),
    ];
    const expected = ['mttq-p1:intake', 'ubkt-q1:added', 'tt-tp:added', 'nc-tp:added'];
    expect(route({ category: 'other', jurisdictionCode: 'P1' }, withRules(rules)).targets).toEqual(expected);
    expect(route({ category: 'other', jurisdictionCode: 'P1' }, withRules([...rules].reverse())).targets).toEqual(expected);
  });

  it('a body reached twice is listed once, with its first role', () => {
    const rules = [rule('dup', 1, { targetBodyKind: 'inspection_committee', targetLevel: 'city' })];
    expect(route({ category: 'other', jurisdictionCode: 'Q1', cadre: cadre('TP', 'city') }, withRules(rules)).targets).toEqual([
      'mttq-q1:intake',
      'ubkt-tp:inspection',
    ]);
  });

  it.each<[string, RoutingRule['match'], string, boolean]>([
    ['a jurisdiction match covers the wards inside it', { jurisdictionCode: 'Q1' }, 'P1', true],
    ['a jurisdiction match excludes other districts', { jurisdictionCode: 'Q1' }, 'P3', false],
    ['a level match applies at that level', { level: 'ward' }, 'P2', true],
    ['a level match does not apply at another level', { level: 'ward' }, 'Q1', false],
    ['a category match needs the same category', { category: 'budget_assets' }, 'P1', false],
  ])('%s', (_rule, match, jurisdictionCode, applies) => {
    const r = route({ category: 'other', jurisdictionCode }, withRules([rule('m', 1, { match, targetLevel: 'city' })]));
    expect(r.targets.includes('tt-tp:added')).toBe(applies);
    expect(r.flags.includes('no_rule_matched')).toBe(!applies);
  });

  it('a rule whose target cannot be found is flagged', () => {
    const rules = [rule('up', 1, { targetLevel: 'parent' })];
    expect(route({ category: 'other', jurisdictionCode: 'TP' }, withRules(rules))).toEqual({
      targets: ['mttq-tp:intake'],
      flagged: true,
      flags: ['rule_target_missing'],
    });
  });

  it('a target level below the case falls back to the case’s own jurisdiction', () => {
    const rules = [rule('low', 1, { targetLevel: 'ward' })];
    expect(route({ category: 'other', jurisdictionCode: 'Q1' }, withRules(rules)).targets).toEqual(['mttq-q1:intake', 'tt-q1:added']);
  });

  it('several desks at one place: the lowest code wins, deterministically', () => {
    const extra = body('mttq-p1-a', 'front_intake', 'ward', 'P1', 'Bàn A', 'Desk A');
    const r = route({ category: 'land_resources', jurisdictionCode: 'P1' }, { ...ctx, bodies: [...bodies, extra] });
    expect(r.targets[0]).toBe('mttq-p1:intake');
  });

  it('without any city Front desk, a flagged case has no target and says so', () => {
    const noDesks = bodies.filter((b) => b.kind !== 'front_intake');
    expect(route({ category: 'land_resources', jurisdictionCode: 'XX' }, { ...ctx, bodies: noDesks })).toEqual({
      targets: [],
      flagged: true,
      flags: ['unknown_jurisdiction', 'no_city_front_desk'],
    });
  });

  it('no Front desk anywhere up the chain falls back to any city desk and is flagged', () => {
    const orphan: Jurisdiction[] = [...jurisdictions, { code: 'X1', level: 'district', parentCode: null, nameVi: 'Khu X' }];
    const r = route({ category: 'land_resources', jurisdictionCode: 'X1' }, { ...ctx, jurisdictions: orphan });
    expect(r).toEqual({ targets: ['mttq-tp:intake'], flagged: true, flags: ['no_front_desk', 'rule_target_missing'] });
  });

  it('a body’s parent jurisdiction fills a gap in the jurisdiction list', () => {
    const gap = { ...body('mttq-p9', 'front_intake', 'ward', 'P9', 'Bàn P9', 'P9 desk'), parentJurisdictionCode: 'Q1' };
    const r = route({ category: 'land_resources', jurisdictionCode: 'P9' }, { ...ctx, bodies: [...bodies, gap] });
    expect(r).toEqual({ targets: ['mttq-p9:intake', 'tt-q1:added'], flagged: false, flags: [] });
  });

  it('a cycle in the jurisdiction data ends the walk instead of hanging', () => {
    const cyclic: Jurisdiction[] = [
      { code: 'A', level: 'ward', parentCode: 'B' },
      { code: 'B', level: 'district', parentCode: 'A' },
    ];
    const r = route({ category: 'land_resources', jurisdictionCode: 'A' }, { ...ctx, jurisdictions: cyclic });
    expect(r.flags).toEqual(['no_front_desk', 'rule_target_missing']);
    expect(r.targets).toEqual(['mttq-tp:intake']);
  });
});
