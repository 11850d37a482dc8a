// E-mail for staff notifications, through nodemailer to config.smtpUrl (off by default).
// An e-mail names the case by its reference and links to the portal; it never carries
// case content, and the inbox it lands in is outside the portal's protection.
import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from '../config.ts';
import type { Db } from '../db/client.ts';
import { TRANSITION_LABELS, type Label } from '../domain/labels.ts';
import { isTransitionName } from '../domain/case-transitions.ts';
import { findEmailTarget, markEmailed, readEmailLedger, writeEmailLedger } from '../repositories/notification.repository.ts';

/** Where staff open a case; the staff pages live under /can-bo. */
export const staffCaseLink = (origin: string, caseRef: string): string => `${origin}/can-bo/ho-so/${encodeURIComponent(caseRef)}`;

const KIND_LABELS: Record<string, Label> = {
  'case.routed': { vi: 'Hồ sơ mới được chuyển đến đơn vị', en: 'A new case was routed to your body' },
  'case.reporter_message': { vi: 'Người phản ánh gửi tin nhắn mới', en: 'The reporter sent a new message' },
  'case.evidence_added': { vi: 'Người phản ánh bổ sung tài liệu', en: 'The reporter added evidence' },
  'deadline.reminder': { vi: 'Sắp đến hạn xử lý', en: 'A deadline is approaching' },
  'deadline.overdue': { vi: 'Hồ sơ đã quá hạn xử lý', en: 'A case is overdue' },
  'deadline.reply_window_passed': { vi: 'Người phản ánh chưa bổ sung trong thời hạn', en: 'The reporter has not replied in time' },
  'hold.proposed': { vi: 'Có đề xuất tạm dừng công tác cán bộ chờ quyết định', en: 'A proposed hold on a personnel action awaits your decision' },
  'hold.review_due_soon': { vi: 'Sắp đến hạn xem xét lại việc tạm dừng công tác cán bộ', en: 'A hold on a personnel action is due for review soon' },
  'hold.review_missed': { vi: 'Quá hạn xem xét lại việc tạm dừng công tác cán bộ', en: 'A hold on a personnel action was not reviewed in time' },
};

/** The bilingual words for a notification kind: 'case.<transition>' reads the transition's label. */
export function notificationLabel(kind: string): Label {
  const exact = KIND_LABELS[kind] ?? KIND_LABELS[kind.split('.').slice(0, 2).join('.')];
  if (exact) return exact;
  const transition = kind.startsWith('case.') ? kind.slice(5) : '';
  if (isTransitionName(transition)) return TRANSITION_LABELS[transition].action;
  return { vi: 'Thông báo mới', en: 'New notification' };
}

export type MailMessage = { to: string; subject: string; text: string; messageId: string };
export type Mailer = { send(message: MailMessage): Promise<void> };

const transports = new Map<string, Transporter>();

/** One pooled SMTP transport per URL and process; null when e-mail is off. */
export function smtpMailer(config: Pick<Config, 'smtpUrl' | 'mailFrom'>): Mailer | null {
  const url = config.smtpUrl;
  if (url === null) return null;
  let transport = transports.get(url);
  if (!transport) {
    transport = nodemailer.createTransport(url);
    transports.set(url, transport);
  }
  const t = transport;
  return { send: async (m) => { await t.sendMail({ from: config.mailFrom, ...m }); } };
}

export function composeEmail(target: { id: string; kind: string; caseRef: string | null; email: string }, origin: string): MailMessage {
  const label = notificationLabel(target.kind);
  const ref = target.caseRef ?? '';
  const link = target.caseRef ? staffCaseLink(origin, target.caseRef) : `${origin}/can-bo/trang-chu`;
  return {
    to: target.email,
    subject: `[Minh Bạch] ${ref ? `${ref}: ` : ''}${label.vi} / ${label.en}`,
    text: [
      `${label.vi}${ref ? ` — hồ sơ ${ref}` : ''}.`,
      `${label.en}${ref ? ` — case ${ref}` : ''}.`,
      '',
      `Xem trên cổng thông tin / Open in the portal: ${link}`,
      '',
      'Thư này không chứa nội dung hồ sơ. / This e-mail holds no case content.',
    ].join('\n'),
    // Deterministic: a resend after a crash carries the same id, so mail systems can drop the copy.
    messageId: `<notification-${target.id}@minhbach.invalid>`,
  };
}

export type EmailOutcome = 'sent' | 'already_sent' | 'skipped';

/**
 * Sends one notification's e-mail. The job_runs ledger is written before ('sending') and
 * after ('sent'): a retry after a crash in between sends again with the same Message-ID
 * (at least once), a retry after 'sent' never does.
 */
export async function sendNotificationEmail(
  deps: { db: Db; config: Pick<Config, 'publicOrigin'>; mailer: Mailer | null }, notificationId: string,
): Promise<EmailOutcome> {
  if (deps.mailer === null) return 'skipped';
  const target = await findEmailTarget(deps.db, notificationId);
  if (!target || !target.email || !target.active) return 'skipped';
  const key = `email/${notificationId}`;
  if (target.emailedAt !== null || (await readEmailLedger(deps.db, key)) === 'sent') return 'already_sent';
  await writeEmailLedger(deps.db, key, 'sending');
  await deps.mailer.send(composeEmail({ ...target, email: target.email }, deps.config.publicOrigin));
  await deps.db.transaction(async (tx) => {
    await writeEmailLedger(tx, key, 'sent');
    await markEmailed(tx, notificationId);
  });
  return 'sent';
}
