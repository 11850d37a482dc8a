// What a deadline job does when it fires: a reminder to the body handling the case, or at
// the due date an escalation to the body's lead with the case marked overdue. A job for a
// clock that has since stopped, paused or moved does nothing: its replacement is scheduled.
import type { Config } from '../config.ts';
import type { Tx } from '../db/client.ts';
import { localDateOf, type Calendar } from '../domain/calendar.ts';
import { handlingBodyFor } from '../domain/case-bodies.ts';
import { findCaseRow, listRoutedBodies, type CaseRow } from '../repositories/case-event.repository.ts';
import { insertCaseEvents } from '../repositories/case.repository.ts';
import { lockDeadline, updateDeadline, type DeadlineRow } from '../repositories/deadline.repository.ts';
import { appendAudit } from './audit.service.ts';
import { countsAsStaffDelay, currentDueOn, type DeadlineJobPayload } from './deadline-schedule.ts';
import { refreshCaseClocks } from './deadline.service.ts';
import { caseStaffOf, leadsOf, notifyStaff } from './notification.service.ts';

type Deps = { config: Pick<Config, 'smtpUrl'>; calendar: Calendar; now?: Date };

export type DeadlineJobOutcome = 'done' | 'stale' | 'already_done';

/** The deadline and its case when the job still describes the running clock, else null. */
async function currentDeadline(tx: Tx, deps: Deps, p: DeadlineJobPayload): Promise<{ row: DeadlineRow; c: CaseRow } | null> {
  const row = await lockDeadline(tx, p.deadlineId);
  // Closed, paused (a paused case's clock stands still: no reminder, no escalation) or moved.
  if (!row || row.state !== 'open' || row.pausedSince !== null || currentDueOn(row, deps.calendar) !== p.dueOn) return null;
  const c = await findCaseRow(tx, row.caseId);
  return c ? { row, c } : null;
}

async function bodyOf(tx: Tx, row: DeadlineRow, c: CaseRow): Promise<string | null> {
  return row.bodyId ?? handlingBodyFor(await listRoutedBodies(tx, c.id), c.state, c.resumeState);
}

export async function remindDeadline(tx: Tx, deps: Deps, p: DeadlineJobPayload): Promise<DeadlineJobOutcome> {
  const found = await currentDeadline(tx, deps, p);
  if (!found) return 'stale';
  const { row, c } = found;
  await updateDeadline(tx, row.id, { remindedAt: deps.now ?? new Date() });
  const body = await bodyOf(tx, row, c);
  await notifyStaff(tx, deps.config, {
    caseRef: c.publicRef, kind: `deadline.reminder.${row.kind}`, dedupeKey: `deadline/${row.id}/reminder/${p.dueOn}/${p.remindOn ?? ''}`,
    recipients: body ? await caseStaffOf(tx, c, { bodyIds: [body] }) : [],
  });
  return 'done';
}

/**
 * The first day late: mark the case overdue (for staff deadlines), record it on the case's
 * timeline and in the audit log, and tell the body's lead.
 */
export async function escalateDeadline(tx: Tx, deps: Deps, p: DeadlineJobPayload): Promise<DeadlineJobOutcome> {
  const found = await currentDeadline(tx, deps, p);
  if (!found) return 'stale';
  const { row, c } = found;
  if (row.escalatedAt !== null) return 'already_done';
  const now = deps.now ?? new Date();
  const isStaffDelay = countsAsStaffDelay(row.kind);
  await updateDeadline(tx, row.id, { escalatedAt: now });
  if (isStaffDelay) await refreshCaseClocks(tx, c.id);
  const body = await bodyOf(tx, row, c);
  // Public for statutory deadlines: the reporter's inbox shows that the time limit passed and was escalated.
  await insertCaseEvents(tx, [{
    caseId: c.id, kind: isStaffDelay ? 'deadline.overdue' : 'deadline.reply_window_passed', actorKind: 'system', isPublic: isStaffDelay,
    detail: { deadlineId: row.id, deadlineKind: row.kind, dueOn: p.dueOn, bodyId: body },
    dedupeKey: `deadline/${row.id}/overdue/${p.dueOn}`, occurredOn: localDateOf(now),
  }]);
  const recipients = body === null ? [] : isStaffDelay ? await leadsOf(tx, c, body) : await caseStaffOf(tx, c, { bodyIds: [body] });
  await notifyStaff(tx, deps.config, {
    caseRef: c.publicRef, kind: isStaffDelay ? `deadline.overdue.${row.kind}` : 'deadline.reply_window_passed',
    dedupeKey: `deadline/${row.id}/escalation/${p.dueOn}`, recipients,
  });
  await appendAudit(tx, {
    actorKind: 'system', action: 'case.deadline_escalated', resourceKind: 'case', resourceId: c.id,
    detail: { deadlineId: row.id, kind: row.kind, dueOn: p.dueOn, bodyId: body, notified: recipients.length },
  });
  return 'done';
}
