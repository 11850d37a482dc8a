// What the reporter writes. Everything here is sealed in the browser; only category,
// jurisdiction, the picked cadre's id, the notice id and the language reach the server
// in the clear (docs/intake-api.md).
import type { Category } from '$domain/vocabulary';

export type PickedCadre = { id: string; fullName: string; position: string; unitName: string; jurisdictionCode: string };

export type ReportAnswers = {
  category: Category | '';
  jurisdictionCode: string;
  cadre: PickedCadre | null;
  /** Free description when the cadre is not in the directory (or in addition to it). */
  cadreDescription: string;
  noticeActionId: string | null;
  what: string;
  when: string;
  where: string;
  othersKnow: string;
};

export type ReporterIdentity = { fullName: string; contact: string; address: string };

export const emptyAnswers = (): ReportAnswers => ({
  category: '',
  jurisdictionCode: '',
  cadre: null,
  cadreDescription: '',
  noticeActionId: null,
  what: '',
  when: '',
  where: '',
  othersKnow: '',
});

export const emptyIdentity = (): ReporterIdentity => ({ fullName: '', contact: '', address: '' });

export const hasIdentity = (identity: ReporterIdentity): boolean =>
  [identity.fullName, identity.contact, identity.address].some((v) => v.trim() !== '');

/** What the printable petition is filled with (Vietnamese labels already resolved). */
export type PetitionContent = {
  fullName: string;
  address: string;
  contact: string;
  recipients: string[];
  category: string;
  cadre: string;
  what: string;
  when: string;
  where: string;
  othersKnow: string;
  files: string[];
  publicRef: string;
};
