import { describe, expect, it } from 'vitest';
import { caseHoldsNewActions, type RunningCaseFacts } from '../../../server/domain/holds.ts';
import { planHoldTransition } from '../../../server/domain/hold-lifecycle.ts';
import { createCalendar } from '../../../server/domain/calendar.ts';
import { AppError } from '../../../server/domain/errors.ts';

const base: RunningCaseFacts = {
  caseId: 'c1', cadreId: 'k1', isAnonymous: false, isCorroborated: false, state: 'verifying', signsOfViolation: false, wasAccepted: true,
};

describe('holds on actions created while a case runs', () => {
  it('a running accepted case about the cadre proposes a hold on a new action', () => {
    expect(caseHoldsNewActions(base)).toBe(true);
    expect(caseHoldsNewActions({ ...base, state: 'paused' })).toBe(true);
    expect(caseHoldsNewActions({ ...base, wasAccepted: false, signsOfViolation: true })).toBe(true);
  });
  it('a case resting on an anonymous report alone never does, nor a finished or unaccepted one', () => {
    expect(caseHoldsNewActions({ ...base, isAnonymous: true })).toBe(false);
    expect(caseHoldsNewActions({ ...base, isAnonymous: true, isCorroborated: true })).toBe(true);
    expect(caseHoldsNewActions({ ...base, state: 'concluded' })).toBe(false);
    expect(caseHoldsNewActions({ ...base, wasAccepted: false })).toBe(false);
    expect(caseHoldsNewActions({ ...base, cadreId: null })).toBe(false);
  });
});

describe('choosing a review date', () => {
  const calendar = createCalendar();
  const hold = { id: 'h1', state: 'proposed' as const, personnelActionId: 'a1', caseId: 'c1', reviewOn: null };
  const confirm = (reviewOn?: string) => planHoldTransition(hold, 'confirm', {
    today: '2026-03-01', legalBasis: 'Quy định 22-QĐ/TW', scope: 'bổ nhiệm', calendar, ...(reviewOn ? { reviewOn } : {}),
  });
  it('defaults to the policy period and accepts an earlier date', () => {
    expect(confirm().reviewOn).toBe('2026-03-31');
    expect(confirm('2026-03-15').reviewOn).toBe('2026-03-15');
  });
  it('refuses a date past the period or not after today', () => {
    for (const d of ['2026-04-01', '2026-03-01']) {
      expect(() => confirm(d)).toThrow(AppError);
    }
  });
});
