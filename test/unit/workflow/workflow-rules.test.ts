// Small pure pieces of the workflow: who counts as case staff, and the words of a notification.
import { describe, expect, it } from 'vitest';
import { notificationLabel, composeEmail } from '../../../server/services/notification-email.service.ts';
import { CASE_ROLES } from '../../../server/services/notification.service.ts';

describe('case staff', () => {
  it('are the roles the access policy lets list cases: never administrators, auditors or personnel officers', () => {
    expect([...CASE_ROLES].sort()).toEqual(['front_reviewer', 'inspection_investigator', 'inspection_lead']);
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
