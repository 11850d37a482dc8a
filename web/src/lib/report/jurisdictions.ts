// The jurisdiction list as a tree in reading order (city, its districts, their wards),
// so a <select> shows the hierarchy without any script.
import type { JurisdictionsResponse } from '$schemas/intake';

export type Jurisdiction = JurisdictionsResponse['items'][number];
export type JurisdictionOption = Jurisdiction & { depth: number };

export function jurisdictionTree(items: readonly Jurisdiction[], locale: string): JurisdictionOption[] {
  const name = (j: Jurisdiction) => (locale === 'en' ? j.nameEn : j.nameVi);
  const byParent = new Map<string | null, Jurisdiction[]>();
  const codes = new Set(items.map((j) => j.code));
  for (const j of items) {
    // An orphan (parent missing from the list) is shown at the top rather than lost.
    const parent = j.parentCode !== null && codes.has(j.parentCode) ? j.parentCode : null;
    byParent.set(parent, [...(byParent.get(parent) ?? []), j]);
  }
  const out: JurisdictionOption[] = [];
  const walk = (parent: string | null, depth: number) => {
    const children = [...(byParent.get(parent) ?? [])].sort((a, b) => name(a).localeCompare(name(b), locale));
    for (const child of children) {
      out.push({ ...child, depth });
      walk(child.code, depth + 1);
    }
  };
  walk(null, 0);
  return out;
}

/** Indented with non-breaking spaces: <option> ignores CSS padding on most phones. */
export const optionLabel = (j: JurisdictionOption, locale: string): string =>
  `${'\u00a0\u00a0\u00a0'.repeat(j.depth)}${locale === 'en' ? j.nameEn : j.nameVi}`;

export function jurisdictionName(items: readonly Jurisdiction[], code: string, locale: string): string {
  const j = items.find((item) => item.code === code);
  return j ? (locale === 'en' ? j.nameEn : j.nameVi) : code;
}
