// What staff browsers fetch to decrypt: the report, the file manifests and the evidence
// blobs as stored, with this body's wrap of K; a pending filing is invisible, and every
// read is audited.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { and, eq } from 'drizzle-orm';
import { auditLog } from '../../drizzle/schema/index.ts';
import { decryptFile, decryptJson, fromBase64Url, openSealedKey } from '../../server/crypto/index.ts';
import type * as S from '../../server/schemas/intake.ts';
import { testConfig } from './harness.ts';
import { authApp, createAccount, signIn, testClock, type Client } from './auth-helpers.ts';
import { createWorld, manifestFor, post, prepareFiling, send, uploadBytes, type World } from './intake-fixtures.ts';
import { req } from './casework-support.ts';
import { deleteRedisPrefix } from '../support/cleanup.ts';

describe('casework content', () => {
  const clock = testClock();
  let app: FastifyInstance;
  let world: World;
  let investigator: Client;
  let investigatorId: string;

  beforeAll(async () => {
    app = await authApp(clock, testConfig({ POW_DIFFICULTY: '2' }));
    world = await createWorld(app.database.db);
    const account = await createAccount(app, { bodyCode: world.bodyCodes.districtUbkt, role: 'inspection_investigator' });
    investigatorId = account.id;
    investigator = await signIn(app, account, clock);
  });
  afterAll(async () => {
    await deleteRedisPrefix(app.redis, `${app.config.redisPrefix}:`);
    await app.close();
  });

  it('hands out the evidence blob as stored, which opens with the file key from the manifest, and audits it', async () => {
    const plaintext = randomBytes(150_000);
    const filing = await prepareFiling(app, world, { files: [plaintext] });
    const slot = (((await send(app, filing)).json() as S.CreateCaseResponse).uploads[0]) as S.UploadSlot;
    const ref = filing.publicRef;
    // Still pending: staff cannot see it at all.
    expect((await req(app, investigator, 'GET', `/api/cases/${ref}`)).statusCode).toBe(404);
    expect((await uploadBytes(app, slot, 0, filing.files[0]?.ciphertext ?? new Uint8Array())).statusCode).toBeLessThan(300);
    const done = await app.inject({
      method: 'POST', url: `/api/public/uploads/${slot.attachmentId}/complete`, headers: { 'x-upload-token': slot.uploadToken },
      payload: { manifest: manifestFor(filing, 0, 'bang-chung.pdf') },
    });
    expect(done.statusCode).toBe(200);
    expect((await post(app, `/api/public/cases/${ref}/complete`, { lookupToken: filing.lookupToken })).statusCode).toBe(200);

    const content = (await req(app, investigator, 'GET', `/api/cases/${ref}/content`)).json() as {
      envelopes: Array<{ id: string; part: string; ciphertext: string }>; keyWraps: Array<{ bodyId: string; sealedKey: string }>;
      attachments: Array<{ id: string; state: string; manifestEnvelopeId: string }>;
    };
    const ubkt = world.bodyIds.get(world.bodyCodes.districtUbkt) ?? '';
    const pair = world.keys.get(ubkt);
    if (!pair) throw new Error('no body key');
    const k = openSealedKey(fromBase64Url(content.keyWraps[0]?.sealedKey ?? ''), pair.publicKey, pair.privateKey);
    const att = content.attachments[0];
    expect(att).toMatchObject({ id: slot.attachmentId, state: 'complete' });
    const manifestEnvelope = content.envelopes.find((e) => e.id === att?.manifestEnvelopeId);
    const manifest = decryptJson(k, { caseRef: ref, part: 'manifest' }, fromBase64Url(manifestEnvelope?.ciphertext ?? '')) as { name: string; fileKey: string };
    expect(manifest.name).toBe('bang-chung.pdf');

    const blob = await req(app, investigator, 'GET', `/api/cases/${ref}/attachments/${slot.attachmentId}`);
    expect(blob.statusCode).toBe(200);
    expect(blob.headers['content-type']).toBe('application/octet-stream');
    expect(Buffer.from(decryptFile(fromBase64Url(manifest.fileKey), blob.rawPayload))).toEqual(plaintext);
    const reads = await app.database.db.select().from(auditLog)
      .where(and(eq(auditLog.action, 'case.attachment_read'), eq(auditLog.actorId, investigatorId)));
    expect(reads.map((r) => r.detail)).toEqual([{ attachmentId: slot.attachmentId }]);
    expect((await req(app, investigator, 'GET', `/api/cases/${ref}/attachments/00000000-0000-4000-8000-000000000000`)).statusCode).toBe(404);
  });
});
