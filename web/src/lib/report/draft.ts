// Drafts live in sessionStorage: they survive a reload of this tab and vanish with it.
// Never the server, never localStorage, never files (a File cannot be stored, and the
// evidence should not linger on a shared phone).
import { CATEGORIES } from '$domain/vocabulary';
import { emptyAnswers, emptyIdentity, type ReportAnswers, type ReporterIdentity } from './types';

const KEY = 'minhbach.report-draft.v1';

export type Draft = { step: number; answers: ReportAnswers; named: boolean; identity: ReporterIdentity };

const str = (value: unknown, max = 20_000): string => (typeof value === 'string' ? value.slice(0, max) : '');

function storage(): Storage | null {
  try {
    return typeof sessionStorage === 'undefined' ? null : sessionStorage;
  } catch {
    // Private modes may refuse storage altogether; drafts are a convenience.
    return null;
  }
}

export function loadDraft(): Draft | null {
  const raw = storage()?.getItem(KEY);
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Record<string, unknown>;
    const a = (value.answers ?? {}) as Record<string, unknown>;
    const i = (value.identity ?? {}) as Record<string, unknown>;
    const c = a.cadre as Record<string, unknown> | null | undefined;
    const answers: ReportAnswers = {
      ...emptyAnswers(),
      category: (CATEGORIES as readonly string[]).includes(str(a.category)) ? (a.category as ReportAnswers['category']) : '',
      jurisdictionCode: str(a.jurisdictionCode, 64),
      cadre:
        c && typeof c.id === 'string'
          ? {
              id: str(c.id, 64),
              fullName: str(c.fullName, 200),
              position: str(c.position, 300),
              unitName: str(c.unitName, 300),
              jurisdictionCode: str(c.jurisdictionCode, 64),
            }
          : null,
      cadreDescription: str(a.cadreDescription),
      noticeActionId: typeof a.noticeActionId === 'string' ? a.noticeActionId.slice(0, 64) : null,
      what: str(a.what),
      when: str(a.when),
      where: str(a.where),
      othersKnow: str(a.othersKnow),
    };
    const identity: ReporterIdentity = { ...emptyIdentity(), fullName: str(i.fullName, 200), contact: str(i.contact, 300), address: str(i.address, 500) };
    const step = typeof value.step === 'number' && Number.isInteger(value.step) ? value.step : 0;
    return { step, answers, named: value.named === true, identity };
  } catch {
    return null;
  }
}

export function saveDraft(draft: Draft): void {
  try {
    storage()?.setItem(KEY, JSON.stringify(draft));
  } catch {
    // Quota or a refusing browser: the form still works without a draft.
  }
}

export function clearDraft(): void {
  storage()?.removeItem(KEY);
}
