// The stale-intake cleanup: 24 h after an upload started and did not finish, its rows and
// blobs go; finished cases stay; running the job twice changes nothing more.
import { randomBytes } from 'node:crypto';
import { utimesSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { createBlobStore } from '../../server/blobs/blob-store.ts';
import type { Config } from '../../server/config.ts';
import type * as S from '../../server/schemas/intake.ts';
import { cleanupStaleIntake } from '../../server/services/intake-cleanup.service.ts';
import cleanupJob from '../../workers/jobs/cleanup-stale-intake.job.ts';
import { createJobProcessor } from '../../workers/job-runner.ts';
import type { OutboxJob } from '../../workers/job-definition.ts';
import { encryptedFileSize } from '../../server/crypto/index.ts';
import { testApp, testConfig } from './harness.ts';
import { blobFiles, createWorld, post, prepareFiling, send, uploadBytes, type World } from './intake-fixtures.ts';

const HEADER_AND_CHUNK = 25 + 65536 + 17;

describe('cleaning up stale intake', () => {
  let app: FastifyInstance;
  let world: World;
  let config: Config;
  beforeAll(async () => {
    config = testConfig({ POW_DIFFICULTY: '2', BLOB_DIR: `/tmp/minhbach-cleanup-${randomBytes(4).toString('hex')}`, LOOKUP_RATE_LIMIT: '1000' });
    app = await testApp(config);
    world = await createWorld(app.database.db);
  });
  afterAll(async () => {
    await app.close();
  });

  it('deletes unfinished submissions and uploads with their blobs, keeps finished ones, and is idempotent', async () => {
    // An unfinished submission: one chunk of two arrived.
    const pending = await prepareFiling(app, world, { files: [randomBytes(100_000)] });
    const pendingOut = (await send(app, pending)).json() as S.CreateCaseResponse;
    const pendingSlot = pendingOut.uploads[0] as S.UploadSlot;
    expect((await uploadBytes(app, pendingSlot, 0, (pending.files[0]?.ciphertext ?? new Uint8Array()).subarray(0, HEADER_AND_CHUNK))).statusCode).toBe(200);

    // A filed case with a second file that never finished.
    const filed = await prepareFiling(app, world);
    expect((await send(app, filed)).statusCode).toBe(201);
    const added = (await post(app, '/api/public/cases/attachments', { lookupToken: filed.lookupToken, ciphertextBytes: encryptedFileSize(100_000) })).json() as S.AddAttachmentResponse;
    const addedSlot = { attachmentId: added.attachmentId, uploadToken: added.uploadToken, ciphertextBytes: encryptedFileSize(100_000) };
    expect((await uploadBytes(app, addedSlot, 0, randomBytes(HEADER_AND_CHUNK))).statusCode).toBe(200);

    // An orphan blob from a crash long ago, and a fresh one that may still be in use.
    const blobs = createBlobStore(config);
    const oldOrphan = blobs.newKey();
    const newOrphan = blobs.newKey();
    for (const key of [oldOrphan, newOrphan]) await blobs.writeAt(key, 0, [randomBytes(10)], { maxBytes: 100 });
    const twoDaysAgo = new Date(Date.now() - 48 * 3_600_000);
    utimesSync(`${config.blobDir}/${oldOrphan.slice(0, 2)}/${oldOrphan}`, twoDaysAgo, twoDaysAgo);
    expect(blobFiles(config.blobDir)).toHaveLength(4);

    // The trigger names no case; it waits until that hour's submissions have expired.
    const [trigger] = await app.database.sql<{ id: string; dedupe_key: string; payload: unknown; due: boolean }[]>`
      SELECT id::text, dedupe_key, payload, available_at > now() + interval '23 hours' AS due FROM outbox
      WHERE topic = 'intake.cleanup-stale' ORDER BY id LIMIT 1`;
    expect(trigger).toMatchObject({ payload: {}, due: true });
    expect(trigger?.dedupe_key).toMatch(/^intake\/cleanup\/\d{4}-\d{2}-\d{2}T\d{2}$/);

    // A day passes.
    const pendingId = (await app.database.sql<{ id: string }[]>`SELECT id FROM cases WHERE public_ref = ${pending.publicRef}`)[0]?.id ?? '';
    await app.database.sql`UPDATE cases SET pending_until = now() - interval '1 minute' WHERE id = ${pendingId}`;
    await app.database.sql`UPDATE attachments SET expires_at = now() - interval '1 minute' WHERE id IN ${app.database.sql([pendingSlot.attachmentId, added.attachmentId])}`;

    const processor = createJobProcessor(cleanupJob, { database: app.database, config, log: pino({ level: 'silent' }), queues: new Map() });
    const job = {
      id: 'cleanup-test', name: 'intake.cleanup-stale', attemptsMade: 0, opts: { attempts: 1 },
      data: { outboxId: Number(trigger?.id), dedupeKey: trigger?.dedupe_key ?? '', payload: trigger?.payload ?? {} },
    } as unknown as OutboxJob;
    expect(await processor(job)).toEqual({ status: 'completed' });
    expect(await processor(job)).toEqual({ status: 'already-completed' });

    const left = await app.database.sql<{ t: string; n: number }[]>`
      SELECT 'case' AS t, count(*)::int AS n FROM cases WHERE id = ${pendingId}
      UNION ALL SELECT 'envelopes', count(*)::int FROM case_envelopes WHERE case_id = ${pendingId}
      UNION ALL SELECT 'wraps', count(*)::int FROM case_key_wraps WHERE case_id = ${pendingId}
      UNION ALL SELECT 'attachments', count(*)::int FROM attachments WHERE id IN ${app.database.sql([pendingSlot.attachmentId, added.attachmentId])}`;
    expect(Object.fromEntries(left.map((r) => [r.t, r.n]))).toEqual({ case: 0, envelopes: 0, wraps: 0, attachments: 0 });
    expect((await post(app, '/api/public/lookup', { lookupToken: filed.lookupToken })).json()).toMatchObject({ state: 'received', attachments: [] });
    const remaining = blobFiles(config.blobDir).map((f) => f.split('/').pop());
    expect(remaining).toEqual([newOrphan]);

    // The sweep itself is idempotent too.
    expect(await cleanupStaleIntake({ db: app.database.db, blobs })).toEqual({ cases: 0, attachments: 0, orphanBlobs: 0 });
    const audit = await app.database.sql`SELECT detail FROM audit_log WHERE action = 'intake.stale_deleted'`;
    expect(audit.at(-1)?.['detail']).toEqual({ submissions: 1, uploads: 1 });
  });

  it('refuses uploads to an expired slot', async () => {
    const pending = await prepareFiling(app, world, { files: [randomBytes(1000)] });
    const slot = ((await send(app, pending)).json() as S.CreateCaseResponse).uploads[0] as S.UploadSlot;
    await app.database.sql`UPDATE attachments SET expires_at = now() - interval '1 second' WHERE id = ${slot.attachmentId}`;
    const res = await uploadBytes(app, slot, 0, pending.files[0]?.ciphertext ?? new Uint8Array());
    expect(res.statusCode).toBe(404);
  });
});
