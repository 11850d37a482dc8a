// Staff e-mail through a local SMTP sink: the case reference and a link, nothing else, once.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { SMTPServer } from 'smtp-server';
import type { Database } from '../../server/db/client.ts';
import { jobRuns, notifications, outbox } from '../../drizzle/schema/index.ts';
import { createJobProcessor } from '../../workers/job-runner.ts';
import { createWorkerLogger } from '../../workers/logger.ts';
import { jobs } from '../../workers/registry.ts';
import { createWorkflowWorld, submitCase, type WorkflowWorld } from '../factories/case.ts';
import { testDatabase } from './harness.ts';
import { notificationsFor, waitFor, workflowHarness, type Harness } from './workflow-support.ts';

type Received = { to: string[]; raw: string };

const quotedPrintable = (text: string): string =>
  Buffer.from(text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))), 'latin1').toString('utf8');

describe('e-mail notifications', () => {
  let database: Database;
  let h: Harness;
  let world: WorkflowWorld;
  let sink: SMTPServer;
  let port = 0;
  const received: Received[] = [];

  beforeAll(async () => {
    database = testDatabase();
    h = workflowHarness(database);
    world = await createWorkflowWorld(database.db);
    sink = new SMTPServer({
      authOptional: true, disabledCommands: ['STARTTLS', 'AUTH'], logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw: Buffer.concat(chunks).toString('utf8') });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', resolve));
    port = (sink.server.address() as { port: number }).port;
  });
  afterEach(() => h.cleanup());
  afterAll(async () => {
    await new Promise<void>((resolve) => sink.close(() => resolve()));
    await h.close();
    await database.close();
  });

  it('reaches the SMTP sink with the case reference and a link, and no case content, once per notification', async () => {
    const db = database.db;
    const c = h.config({ SMTP_URL: `smtp://127.0.0.1:${port}`, PUBLIC_ORIGIN: 'https://minhbach.example' });
    await h.start(c);
    const submitted = await submitCase(db, world);
    const reviewerMail = `reviewer.${world.tag.toLowerCase()}@example.test`;
    await waitFor('the e-mail', () => received.some((m) => m.to.includes(reviewerMail)));

    const mails = received.filter((m) => m.to.includes(reviewerMail));
    expect(mails).toHaveLength(1);
    const raw = mails[0]!.raw;
    expect(raw).toMatch(/Message-ID:\s+<notification-[0-9a-f-]{36}@minhbach\.invalid>/i);
    const body = quotedPrintable(raw.split(/\r?\n\r?\n/).slice(1).join('\n'));
    expect(body).toContain(`case ${submitted.publicRef}.`);
    expect(body).toContain(`https://minhbach.example/can-bo/ho-so/${submitted.publicRef}`);
    // Only the fixed wording: the e-mail is exactly what composeEmail writes for a reference and a link.
    expect(body.trim().split(/\r?\n/).filter((l) => l.trim() !== '')).toHaveLength(4);
    expect(body).not.toMatch(/budget|ngân sách|Quận|District/i);
    // The administrator has an address too, but works no cases.
    expect(received.some((m) => m.to.includes(`admin.${world.tag.toLowerCase()}@example.test`))).toBe(false);

    const [note] = (await notificationsFor(db, submitted.publicRef)).filter((n) => n.staffId === world.staff.districtReviewer);
    await waitFor('the e-mail to be recorded', async () => (await db.select().from(notifications).where(eq(notifications.id, note!.id)))[0]?.emailedAt != null);
    expect((await db.select().from(jobRuns).where(eq(jobRuns.jobKey, `email/${note!.id}`)))[0]?.result).toEqual({ state: 'sent' });

    // The job run again, even with its outbox row reopened: the ledger stops a second e-mail.
    const [row] = await db.select().from(outbox).where(eq(outbox.dedupeKey, `email/${note!.id}`));
    await db.update(outbox).set({ completedAt: null }).where(eq(outbox.id, row!.id));
    const run = createJobProcessor(jobs.find((j) => j.name === 'send-email')!, { database, config: c, log: createWorkerLogger(c), queues: new Map() });
    await run({ id: 'again', name: row!.topic, attemptsMade: 0, opts: {}, data: { outboxId: row!.id, dedupeKey: row!.dedupeKey, payload: row!.payload } } as never);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received.filter((m) => m.to.includes(reviewerMail))).toHaveLength(1);
  });

  it('sends nothing when no SMTP server is configured, which is the default', async () => {
    const db = database.db;
    const c = h.config();
    expect(c.smtpUrl).toBeNull();
    await h.start(c);
    const before = received.length;
    const submitted = await submitCase(db, world);
    await waitFor('the in-app notifications', async () => (await notificationsFor(db, submitted.publicRef)).length > 0);
    const notes = await notificationsFor(db, submitted.publicRef);
    // No e-mail is queued for any of them, and none reaches the sink.
    const queued = await Promise.all(notes.map(async (n) => db.select().from(outbox).where(eq(outbox.dedupeKey, `email/${n.id}`))));
    expect(queued.flat()).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received.length).toBe(before);
  });
});
