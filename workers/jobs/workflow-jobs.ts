// Shared by the workflow's job files: the deadline queues (the scheduler adds delayed jobs
// to them from any job) and the id pattern payloads are checked against.
import { Type } from 'typebox';
import { DEADLINE_TOPICS } from '../../server/services/deadline-schedule.ts';
import type { JobContext } from '../job-definition.ts';
import type { DeadlineSchedulerDeps } from '../reconcile-steps.ts';

export const Uuid = Type.String({ pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$' });
export const IsoDay = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' });

export const DEADLINE_REMINDER_QUEUE = '{deadline-reminder}';
export const DEADLINE_ESCALATION_QUEUE = '{deadline-escalation}';
const DEADLINE_QUEUES: Readonly<Record<string, string>> = {
  [DEADLINE_TOPICS.reminder]: DEADLINE_REMINDER_QUEUE,
  [DEADLINE_TOPICS.due]: DEADLINE_ESCALATION_QUEUE,
};

export function schedulerDeps(ctx: Pick<JobContext, 'db' | 'queues'>): DeadlineSchedulerDeps {
  return { db: ctx.db, queueFor: (topic) => ctx.queues.get(DEADLINE_QUEUES[topic] ?? '') };
}
