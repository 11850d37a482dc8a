// Small pure pieces of the workflow: who counts as case staff, multi-site routing, the
// handling body, and the words of a notification.
import { describe, expect, it } from 'vitest';
import { handlingBodyFor } from '../../../server/services/case-transition.service.ts';
import { notificationLabel, composeEmail } from '../../../server/services/notification-email.service.ts';
import { CASE_ROLES } from '../../../server/services/notification.service.ts';
import { isMultiSite } from '../../../server/services/workflow.service.ts';
import type { RoutedBody } from '../../../server/repositories/case-event.repository.ts';

const body = (bodyId: string, role: string, jurisdictionCode: string, ruleId: string | null = null): RoutedBody => ({
  bodyId, role, jurisdictionCode, kind: 'front_intake', level: 'district', reason: JSON.stringify({ vi: 'v', en: 'e', ruleId }),
});

describe('case staff', () => {
  it('are the roles the access policy lets list cases: never administrators, auditors or personnel officers', () => {
    expect([...CASE_ROLES].sort()).toEqual(['front_reviewer', 'inspection_investigator', 'inspection_lead']);
  });
});

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

describe('notification words', () => {
  it('names transitions with their label and known kinds in both languages', () => {
    expect(notificationLabel('case.refer').vi).toBe('Chuyển kiểm tra');
    expect(notificationLabel('deadline.overdue.triage')).toEqual({ vi: 'Hồ sơ đã quá hạn xử lý', en: 'A case is overdue' });
    expect(notificationLabel('something.new').en).toBe('New notification');
  });

  it('an e-mail carries the reference and a link, and a stable Message-ID', () => {
    const mail = composeEmail({ id: 'n-1', kind: 'case.routed', caseRef: 'MB-AB12-CD34', email: 'a@example.test' }, 'https://portal.example');
    expect(mail.messageId).toBe('<notification-n-1@minhbach.invalid>');
    expect(mail.subject).toContain('MB-AB12-CD34');
    expect(mail.text).toContain('https://portal.example/can-bo/ho-so/MB-AB12-CD34');
  });
});
