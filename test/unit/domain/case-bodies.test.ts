// Which of a case's bodies has it now, and whether its checks span several places.
import { describe, expect, it } from 'vitest';
import { handlingBodyFor, isMultiSite } from '../../../server/domain/case-bodies.ts';

const body = (bodyId: string, role: string, jurisdictionCode: string, ruleId: string | null = null) => ({ bodyId, role, jurisdictionCode, ruleId });

describe('isMultiSite', () => {
  it('counts the places of the bodies that check, not the city desk added to settle an uncertain route', () => {
    expect(isMultiSite([body('a', 'intake', 'D'), body('b', 'added', 'C')])).toBe(false);
    expect(isMultiSite([body('a', 'intake', 'D'), body('b', 'inspection', 'C')])).toBe(true);
    expect(isMultiSite([body('a', 'intake', 'D'), body('b', 'added', 'C', 'judiciary-internal-affairs')])).toBe(true);
    expect(isMultiSite([body('a', 'intake', 'D'), body('b', 'inspection', 'D')])).toBe(false);
  });
});

describe('handlingBodyFor', () => {
  const routed = [body('front', 'intake', 'D'), body('ubkt', 'inspection', 'D'), body('target', 'forwarded', 'C')];
  it('is the Front desk at intake, the referral target for inspection, and the state resumed to while waiting', () => {
    expect(handlingBodyFor(routed, 'triage', null)).toBe('front');
    expect(handlingBodyFor(routed, 'verifying', null)).toBe('target');
    expect(handlingBodyFor(routed.slice(0, 2), 'accepted', null)).toBe('ubkt');
    expect(handlingBodyFor(routed, 'needs_info', 'triage')).toBe('front');
    expect(handlingBodyFor(routed, 'withdrawn', null)).toBeNull();
    expect(handlingBodyFor(routed, 'referred', null, 'other')).toBe('other');
  });
});
