// Routing: which bodies receive a report. Pure and data-driven; the rules, bodies and
// jurisdictions are administrator-maintained tables passed in. The case key is sealed at
// submission to the 'intake' and 'inspection' targets (DESIGN, Encryption); 'added'
// targets are forwarded by a staff member who holds the key, with an audited grant.
//
// Order is deterministic: intake, then inspection, then rule targets by ascending
// priority (ties by rule id), then the city Front desk when the case is flagged. A body
// appears once, with the role and explanation of its first appearance.

import type { BodyKind, Category, Level } from './vocabulary.ts';

export type Bilingual = { vi: string; en: string };

export type Jurisdiction = {
  code: string;
  level: Level;
  parentCode: string | null;
  nameVi?: string;
  nameEn?: string;
};

export type RoutingBody = {
  id: string;
  code: string;
  kind: BodyKind;
  level: Level;
  jurisdictionCode: string;
  /** Used only when `jurisdictionCode` is missing from the jurisdiction list. */
  parentJurisdictionCode?: string;
  nameVi: string;
  nameEn?: string;
};

/** 'same' = the case's jurisdiction; a level = its nearest ancestor-or-self at that level. */
export type TargetLevel = 'same' | 'parent' | Level;

export type RoutingRule = {
  id: string;
  /** Lower runs first. */
  priority: number;
  enabled: boolean;
  /** Every field given must match; `jurisdictionCode` matches that jurisdiction and everything inside it. */
  match: { category?: Category; level?: Level; jurisdictionCode?: string };
  targetBodyKind: BodyKind;
  targetLevel: TargetLevel;
  reasonVi: string;
  reasonEn: string;
};

export type CaseRoutingInput = {
  category: Category;
  jurisdictionCode: string;
  cadre?: { id: string; managingLevel: Level; managingJurisdictionCode: string };
  noticeId?: string;
};

export type RoutingContext = {
  bodies: readonly RoutingBody[];
  jurisdictions: readonly Jurisdiction[];
  rules: readonly RoutingRule[];
};

export type TargetRole = 'intake' | 'inspection' | 'added';

export type RoutingTarget = {
  bodyId: string;
  bodyCode: string;
  role: TargetRole;
  /** The rule that added the body; null for the built-in intake, inspection and fallback routes. */
  ruleId: string | null;
  explanation: Bilingual;
};

export type RoutingFlagCode =
  | 'unknown_jurisdiction'
  | 'no_front_desk'
  | 'no_city_front_desk'
  | 'cadre_jurisdiction_unknown'
  | 'no_inspection_committee'
  | 'rule_target_missing'
  | 'no_rule_matched'
  | 'notice_without_cadre';

export type RoutingFlag = { code: RoutingFlagCode; explanation: Bilingual };

/** `targets` is empty only when no city Front desk is configured; the caller must refuse then. */
export type RoutingResult = { targets: RoutingTarget[]; flagged: boolean; flags: RoutingFlag[] };

export const DEFAULT_ROUTING_RULES: readonly RoutingRule[] = [
  {
    id: 'land-resources-inspectorate',
    priority: 100,
    enabled: true,
    match: { category: 'land_resources' },
    targetBodyKind: 'inspectorate',
    targetLevel: 'same',
    reasonVi: 'nội dung về đất đai, tài nguyên thuộc lĩnh vực của Thanh tra',
    reasonEn: 'land and natural resources are within the Inspectorate’s remit',
  },
  {
    id: 'investment-construction-inspectorate',
    priority: 110,
    enabled: true,
    match: { category: 'investment_construction' },
    targetBodyKind: 'inspectorate',
    targetLevel: 'same',
    reasonVi: 'nội dung về đầu tư, xây dựng thuộc lĩnh vực của Thanh tra',
    reasonEn: 'investment and construction are within the Inspectorate’s remit',
  },
  {
    id: 'judiciary-internal-affairs',
    priority: 120,
    enabled: true,
    match: { category: 'judiciary' },
    targetBodyKind: 'internal_affairs',
    // Internal Affairs sits with the city Party Committee only.
    targetLevel: 'city',
    reasonVi: 'nội dung về hoạt động tư pháp do Ban Nội chính theo dõi',
    reasonEn: 'judicial matters are overseen by Internal Affairs',
  },
];

const INTAKE_REASON: Bilingual = {
  vi: 'mọi phản ánh đều do Mặt trận Tổ quốc nơi xảy ra sự việc tiếp nhận và phân loại trước',
  en: 'every report is first received and triaged by the Fatherland Front where the matter took place',
};
const FALLBACK_REASON: Bilingual = {
  vi: 'chưa xác định được nơi xử lý phù hợp nên Mặt trận Tổ quốc thành phố xem xét',
  en: 'no suitable body could be determined, so the city Fatherland Front reviews it',
};

const FLAG_TEXT: Record<RoutingFlagCode, (subject: string) => Bilingual> = {
  unknown_jurisdiction: (code) => ({
    vi: `Không tìm thấy địa bàn ${code} trong danh mục.`,
    en: `Jurisdiction ${code} is not in the list.`,
  }),
  no_front_desk: () => ({
    vi: 'Không có bộ phận tiếp nhận của Mặt trận ở địa bàn này hoặc cấp trên.',
    en: 'No Front intake desk at this jurisdiction or above.',
  }),
  no_city_front_desk: () => ({
    vi: 'Chưa có bộ phận tiếp nhận của Mặt trận cấp thành phố.',
    en: 'No city-level Front intake desk is configured.',
  }),
  cadre_jurisdiction_unknown: (code) => ({
    vi: `Không tìm thấy địa bàn quản lý cán bộ ${code} ở cấp đã ghi.`,
    en: `The cadre's managing jurisdiction ${code} is not known at the recorded level.`,
  }),
  no_inspection_committee: (place) => ({
    vi: `Không có Ủy ban kiểm tra ở ${place} hoặc cấp trên.`,
    en: `No inspection committee at ${place} or above.`,
  }),
  rule_target_missing: (ruleId) => ({
    vi: `Quy tắc ${ruleId} không tìm thấy đơn vị nhận phù hợp.`,
    en: `Rule ${ruleId} found no body to route to.`,
  }),
  no_rule_matched: (category) => ({
    vi: `Không có quy tắc định tuyến nào cho lĩnh vực ${category}.`,
    en: `No routing rule matches category ${category}.`,
  }),
  notice_without_cadre: () => ({
    vi: 'Ý kiến về một thông báo nhân sự nhưng chưa xác định được cán bộ.',
    en: 'Comments on a personnel notice, but no cadre was resolved.',
  }),
};

export const routeCase = (input: CaseRoutingInput, ctx: RoutingContext): RoutingResult => {
  const jurisdictions = jurisdictionMap(ctx);
  const targets: RoutingTarget[] = [];
  const flags: RoutingFlag[] = [];
  const add = (found: Found, role: TargetRole, ruleId: string | null, reason: Bilingual): void => {
    if (targets.some((t) => t.bodyId === found.body.id)) return;
    targets.push({ bodyId: found.body.id, bodyCode: found.body.code, role, ruleId, explanation: explain(found, reason) });
  };
  const flag = (code: RoutingFlagCode, subject = ''): void => {
    flags.push({ code, explanation: FLAG_TEXT[code](subject) });
  };

  const chain = ancestry(input.jurisdictionCode, jurisdictions);
  if (chain.length === 0) flag('unknown_jurisdiction', input.jurisdictionCode);
  else {
    const desk = findUp(chain, 'front_intake', ctx.bodies);
    if (desk) add(desk, 'intake', null, INTAKE_REASON);
    else flag('no_front_desk');
  }

  if (input.cadre) {
    const cadreChain = ancestry(input.cadre.managingJurisdictionCode, jurisdictions);
    const home = cadreChain[0];
    if (!home || home.level !== input.cadre.managingLevel) {
      flag('cadre_jurisdiction_unknown', input.cadre.managingJurisdictionCode);
    } else {
      const committee = findUp(cadreChain, 'inspection_committee', ctx.bodies);
      const reason = {
        vi: `cán bộ bị phản ánh thuộc diện ${nameVi(home)} quản lý`,
        en: `the cadre concerned is managed by ${nameEn(home)}`,
      };
      if (committee) add(committee, 'inspection', null, reason);
      else flag('no_inspection_committee', nameVi(home));
    }
  } else if (input.noticeId !== undefined) {
    // A notice always concerns one cadre; the caller should have resolved it.
    flag('notice_without_cadre');
  }

  const matched = ctx.rules
    .filter((r) => r.enabled && matches(r, input, chain))
    .sort((a, b) => a.priority - b.priority || compareText(a.id, b.id));
  for (const rule of matched) {
    const start = targetIndex(rule.targetLevel, chain);
    const found = start === null ? null : findUp(chain.slice(start), rule.targetBodyKind, ctx.bodies);
    if (found) add(found, 'added', rule.id, { vi: rule.reasonVi, en: rule.reasonEn });
    // An unknown jurisdiction is flagged already; its rules cannot resolve a place.
    else if (chain.length > 0) flag('rule_target_missing', rule.id);
  }
  if (matched.length === 0 && !input.cadre) flag('no_rule_matched', input.category);

  if (flags.length > 0) {
    // Whatever made routing uncertain, a person at the city Front desk settles it.
    const cityDesk = findCityDesk(chain, ctx.bodies);
    const role = targets.some((t) => t.role === 'intake') ? 'added' : 'intake';
    if (cityDesk) add({ body: cityDesk, skipped: [] }, role, null, FALLBACK_REASON);
    else flag('no_city_front_desk');
  }
  return { targets, flagged: flags.length > 0, flags };
};

type Found = { body: RoutingBody; skipped: Jurisdiction[] };

function jurisdictionMap(ctx: RoutingContext): Map<string, Jurisdiction> {
  const map = new Map<string, Jurisdiction>(ctx.jurisdictions.map((j) => [j.code, j]));
  for (const b of ctx.bodies) {
    if (map.has(b.jurisdictionCode)) continue;
    map.set(b.jurisdictionCode, { code: b.jurisdictionCode, level: b.level, parentCode: b.parentJurisdictionCode ?? null });
  }
  return map;
}

/** The jurisdiction and its ancestors, nearest first; empty when unknown. Stops on a cycle. */
function ancestry(code: string, map: Map<string, Jurisdiction>): Jurisdiction[] {
  const chain: Jurisdiction[] = [];
  for (let j = map.get(code); j && !chain.includes(j); ) {
    chain.push(j);
    j = j.parentCode === null ? undefined : map.get(j.parentCode);
  }
  return chain;
}

/** The first body of a kind walking up the chain; several at one place: lowest code wins. */
function findUp(chain: readonly Jurisdiction[], kind: BodyKind, bodies: readonly RoutingBody[]): Found | null {
  for (const [i, j] of chain.entries()) {
    const here = bodies.filter((b) => b.kind === kind && b.jurisdictionCode === j.code).sort(byCode);
    if (here[0]) return { body: here[0], skipped: chain.slice(0, i) };
  }
  return null;
}

function findCityDesk(chain: readonly Jurisdiction[], bodies: readonly RoutingBody[]): RoutingBody | null {
  const root = chain.at(-1);
  const desks = bodies.filter((b) => b.kind === 'front_intake' && b.level === 'city').sort(byCode);
  return desks.find((b) => b.jurisdictionCode === root?.code) ?? desks[0] ?? null;
}

function matches(rule: RoutingRule, input: CaseRoutingInput, chain: readonly Jurisdiction[]): boolean {
  const { category, level, jurisdictionCode } = rule.match;
  if (category !== undefined && category !== input.category) return false;
  if (level !== undefined && chain[0]?.level !== level) return false;
  if (jurisdictionCode !== undefined && !chain.some((j) => j.code === jurisdictionCode)) return false;
  return true;
}

/** Where in the chain the search starts. A level below the case's own falls back to the case's own. */
function targetIndex(target: TargetLevel, chain: readonly Jurisdiction[]): number | null {
  if (chain.length === 0) return null;
  if (target === 'same') return 0;
  if (target === 'parent') return chain.length > 1 ? 1 : null;
  const i = chain.findIndex((j) => j.level === target);
  return i < 0 ? 0 : i;
}

function explain(found: Found, reason: Bilingual): Bilingual {
  const { body, skipped } = found;
  const vi = skipped.length ? ` (${skipped.map(nameVi).join(', ')} chưa có đơn vị này nên chuyển lên cấp trên)` : '';
  const en = skipped.length ? ` (${skipped.map(nameEn).join(', ')} has no such body, so it went up a level)` : '';
  return {
    vi: `Chuyển đến ${body.nameVi} vì ${reason.vi}${vi}.`,
    en: `Routed to ${body.nameEn ?? body.nameVi} because ${reason.en}${en}.`,
  };
}

const nameVi = (j: Jurisdiction): string => j.nameVi ?? j.code;
const nameEn = (j: Jurisdiction): string => j.nameEn ?? j.nameVi ?? j.code;
// Code-unit order, not localeCompare: the same on every server and browser.
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const byCode = (a: RoutingBody, b: RoutingBody): number => compareText(a.code, b.code) || compareText(a.id, b.id);
