// E-mails one staff notification (reference and link only). Mail leaves Postgres, so it
// is sent before runOnce and keeps its own ledger in job_runs (see notification-email.service.ts).
import { Type } from 'typebox';
import { sendNotificationEmail, smtpMailer } from '../../server/services/notification-email.service.ts';
import { defineJob } from '../job-definition.ts';
import { Uuid } from './workflow-jobs.ts';

export default defineJob({
  name: 'send-email',
  queue: '{email}',
  topics: ['notification.email'],
  payload: Type.Object({ notificationId: Uuid }),
  // An SMTP server that is down for a while: keep trying for about an hour and a half.
  jobOptions: { attempts: 10, backoff: { type: 'exponential', delay: 10_000, jitter: 0.2 } },
  async handler(ctx, payload) {
    const outcome = await sendNotificationEmail({ db: ctx.db, config: ctx.config, mailer: smtpMailer(ctx.config) }, payload.notificationId);
    ctx.log.debug({ outcome }, 'notification e-mail');
    return outcome;
  },
});
