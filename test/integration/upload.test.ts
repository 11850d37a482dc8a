// Resumable uploads of encrypted evidence: whole chunks at the recorded offset, durable
// before they count, refused past the limits with nothing left behind.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import {
  decryptFile, decryptJson, deriveReceiptKeys, encryptedFileSize, fromBase64Url, openSealedKey, toBase64Url,
} from '../../server/crypto/index.ts';
import type { Config } from '../../server/config.ts';
import type * as S from '../../server/schemas/intake.ts';
import { testApp, testConfig } from './harness.ts';
import { blobFiles, createWorld, findCanary, manifestFor, post, prepareFiling, send, uploadBytes, type World } from './intake-fixtures.ts';

const HEADER = 25;
const CHUNK = 65536 + 17;

describe('uploading evidence', () => {
  let app: FastifyInstance;
  let world: World;
  let config: Config;
  beforeAll(async () => {
    config = testConfig({
      POW_DIFFICULTY: '2', BLOB_DIR: `/tmp/minhbach-upload-${randomBytes(4).toString('hex')}`,
      UPLOAD_MAX_FILES: '3', UPLOAD_MAX_FILE_BYTES: '300000', UPLOAD_MAX_REPORT_BYTES: '600000', LOOKUP_RATE_LIMIT: '1000',
    });
    app = await testApp(config);
    world = await createWorld(app.database.db);
  });
  afterAll(async () => {
    await app.close();
  });

  it('resumes from the recorded offset, refuses a wrong one, and completes only with every byte', async () => {
    const plaintext = randomBytes(200_000);
    const filing = await prepareFiling(app, world, { files: [plaintext] });
    const created = await send(app, filing);
    expect(created.statusCode).toBe(201);
    const out = created.json() as S.CreateCaseResponse;
    expect(out.complete).toBe(false);
    const slot = out.uploads[0] as S.UploadSlot;
    const cipher = filing.files[0]?.ciphertext ?? new Uint8Array();
    expect(slot.ciphertextBytes).toBe(encryptedFileSize(plaintext.length));

    // Not visible to the reporter (nor to staff) while uploads are outstanding.
    expect((await post(app, '/api/public/lookup', { lookupToken: filing.lookupToken })).statusCode).toBe(404);

    const first = await uploadBytes(app, slot, 0, cipher.subarray(0, HEADER + CHUNK));
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ receivedBytes: HEADER + CHUNK, ciphertextBytes: cipher.length, state: 'uploading' });

    const status = await app.inject({ method: 'GET', url: `/api/public/uploads/${slot.attachmentId}`, headers: { 'x-upload-token': slot.uploadToken } });
    expect(status.json()).toMatchObject({ receivedBytes: HEADER + CHUNK });

    const wrongOffset = await uploadBytes(app, slot, 0, cipher.subarray(0, HEADER + CHUNK));
    expect(wrongOffset.statusCode).toBe(409);
    expect(wrongOffset.json().error.details).toMatchObject({ reason: 'offset', receivedBytes: HEADER + CHUNK });

    const early = await post(app, `/api/public/uploads/${slot.attachmentId}/complete`, {});
    expect(early.statusCode).toBe(400);
    const tooSoon = await app.inject({
      method: 'POST', url: `/api/public/uploads/${slot.attachmentId}/complete`, headers: { 'x-upload-token': slot.uploadToken },
      payload: { manifest: manifestFor(filing, 0, 'a.pdf') },
    });
    expect(tooSoon.statusCode).toBe(409);
    expect(tooSoon.json().error.details).toMatchObject({ reason: 'incomplete', receivedBytes: HEADER + CHUNK });
    const caseTooSoon = await post(app, `/api/public/cases/${filing.publicRef}/complete`, { lookupToken: filing.lookupToken });
    expect(caseTooSoon.statusCode).toBe(409);
    expect(caseTooSoon.json().error.details).toMatchObject({ reason: 'uploads_incomplete' });

    // Half a chunk: the server keeps none of it and says where to resume.
    const partial = await uploadBytes(app, slot, HEADER + CHUNK, cipher.subarray(HEADER + CHUNK, HEADER + CHUNK + 1000));
    expect(partial.statusCode).toBe(400);
    expect(partial.json().error.details).toMatchObject({ reason: 'partial_chunk', receivedBytes: HEADER + CHUNK });

    const rest = await uploadBytes(app, slot, HEADER + CHUNK, cipher.subarray(HEADER + CHUNK));
    expect(rest.json()).toMatchObject({ receivedBytes: cipher.length });

    const done = await app.inject({
      method: 'POST', url: `/api/public/uploads/${slot.attachmentId}/complete`, headers: { 'x-upload-token': slot.uploadToken },
      payload: { manifest: manifestFor(filing, 0, 'bang-chung.pdf') },
    });
    expect(done.json()).toEqual({ attachmentId: slot.attachmentId, state: 'complete' });
    const completed = await post(app, `/api/public/cases/${filing.publicRef}/complete`, { lookupToken: filing.lookupToken });
    expect(completed.json()).toMatchObject({ state: 'received', publicRef: filing.publicRef });

    // The reporter reads the manifest with K from the receipt, and the blob opens with the file key.
    const lookup = (await post(app, '/api/public/lookup', { lookupToken: filing.lookupToken })).json() as S.LookupResponse;
    const { boxKeyPair } = deriveReceiptKeys(filing.receipt);
    const k = openSealedKey(fromBase64Url(lookup.reporterWrap), boxKeyPair.publicKey, boxKeyPair.privateKey);
    const manifest = decryptJson(k, { caseRef: filing.publicRef, part: 'manifest' }, fromBase64Url(lookup.attachments[0]?.manifest ?? '')) as { name: string; fileKey: string };
    expect(manifest.name).toBe('bang-chung.pdf');
    const [row] = await app.database.sql<{ blob_key: string }[]>`SELECT blob_key FROM attachments WHERE id = ${slot.attachmentId}`;
    const blob = readFileSync(path.join(config.blobDir, (row?.blob_key ?? '').slice(0, 2), row?.blob_key ?? ''));
    expect(Buffer.from(decryptFile(fromBase64Url(manifest.fileKey), blob)).equals(plaintext)).toBe(true);
  });

  it('leaves no plaintext of a filing with evidence in the database, the blob store or Redis', async () => {
    const canary = `CANARY-${randomBytes(6).toString('hex')}`;
    const content = Buffer.concat([randomBytes(5000), Buffer.from(canary), randomBytes(5000)]);
    const filing = await prepareFiling(app, world, { answers: { what: `Tham nhũng ${canary}` }, identity: { fullName: canary }, files: [content] });
    const slot = ((await send(app, filing)).json() as S.CreateCaseResponse).uploads[0] as S.UploadSlot;
    expect((await uploadBytes(app, slot, 0, filing.files[0]?.ciphertext ?? new Uint8Array())).statusCode).toBe(200);
    const done = await app.inject({
      method: 'POST', url: `/api/public/uploads/${slot.attachmentId}/complete`, headers: { 'x-upload-token': slot.uploadToken },
      payload: { manifest: manifestFor(filing, 0, `${canary}.jpg`) },
    });
    expect(done.statusCode).toBe(200);
    expect((await post(app, `/api/public/cases/${filing.publicRef}/complete`, { lookupToken: filing.lookupToken })).statusCode).toBe(200);
    expect(await findCanary(app, config.blobDir, canary)).toEqual([]);
  });

  it('answers a wrong upload token exactly like an unknown upload', async () => {
    const filing = await prepareFiling(app, world, { files: [randomBytes(10)] });
    const slot = ((await send(app, filing)).json() as S.CreateCaseResponse).uploads[0] as S.UploadSlot;
    const wrong = await app.inject({ method: 'GET', url: `/api/public/uploads/${slot.attachmentId}`, headers: { 'x-upload-token': toBase64Url(randomBytes(32)) } });
    const unknown = await app.inject({ method: 'GET', url: '/api/public/uploads/00000000-0000-4000-8000-000000000000', headers: { 'x-upload-token': slot.uploadToken } });
    expect(wrong.statusCode).toBe(404);
    expect(unknown.statusCode).toBe(404);
    const strip = (b: { error: Record<string, unknown> }) => ({ ...b.error, requestId: null });
    expect(strip(wrong.json())).toEqual(strip(unknown.json()));
  });

  it('refuses bytes past the declared size and keeps what it had', async () => {
    const plaintext = randomBytes(1000);
    const filing = await prepareFiling(app, world, { files: [plaintext] });
    const slot = ((await send(app, filing)).json() as S.CreateCaseResponse).uploads[0] as S.UploadSlot;
    const cipher = filing.files[0]?.ciphertext ?? new Uint8Array();
    const res = await uploadBytes(app, slot, 0, Buffer.concat([cipher, randomBytes(100)]));
    expect(res.statusCode).toBe(422);
    expect(res.json().error).toMatchObject({ code: 'LIMIT_EXCEEDED', details: { limit: 'request_bytes', max: cipher.length } });
    const status = await app.inject({ method: 'GET', url: `/api/public/uploads/${slot.attachmentId}`, headers: { 'x-upload-token': slot.uploadToken } });
    expect(status.json()).toMatchObject({ receivedBytes: 0 });
  });

  it('refuses too many or too large files with LIMIT_EXCEEDED and writes nothing', async () => {
    const snapshot = async () => {
      const [r] = await app.database.sql<{ cases: number; attachments: number; outbox: number }[]>`
        SELECT (SELECT count(*)::int FROM cases) AS cases, (SELECT count(*)::int FROM attachments) AS attachments, (SELECT count(*)::int FROM outbox) AS outbox`;
      return { ...r, blobs: blobFiles(config.blobDir).length };
    };
    const before = await snapshot();
    const cases: Array<[FilingArgs, Record<string, unknown>]> = [
      [{ sizes: [encryptedFileSize(10), encryptedFileSize(10), encryptedFileSize(10), encryptedFileSize(10)] }, { limit: 'files', max: 3 }],
      [{ sizes: [encryptedFileSize(300_001)] }, { limit: 'file_bytes', max: encryptedFileSize(300_000) }],
      [{ sizes: [encryptedFileSize(250_000), encryptedFileSize(250_000), encryptedFileSize(250_000)] }, { limit: 'report_bytes' }],
    ];
    for (const [args, details] of cases) {
      const filing = await prepareFiling(app, world, { mutate: (b) => { b.attachments = args.sizes.map((ciphertextBytes) => ({ ciphertextBytes })); } });
      const res = await send(app, filing);
      expect(res.statusCode).toBe(422);
      expect(res.json().error).toMatchObject({ code: 'LIMIT_EXCEEDED', details });
    }
    const odd = await send(app, await prepareFiling(app, world, { mutate: (b) => { b.attachments = [{ ciphertextBytes: encryptedFileSize(65536) + 1 }]; } }));
    expect(odd.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: { reason: 'not_encrypted_size' } });
    expect(await snapshot()).toEqual(before);
  });

  it('adds evidence to a filed case within the same limits', async () => {
    const filing = await prepareFiling(app, world);
    expect((await send(app, filing)).statusCode).toBe(201);
    const added = await post(app, '/api/public/cases/attachments', { lookupToken: filing.lookupToken, ciphertextBytes: encryptedFileSize(100) });
    expect(added.statusCode).toBe(201);
    const tooBig = await post(app, '/api/public/cases/attachments', { lookupToken: filing.lookupToken, ciphertextBytes: encryptedFileSize(300_001) });
    expect(tooBig.json().error).toMatchObject({ code: 'LIMIT_EXCEEDED', details: { limit: 'file_bytes' } });
  });
});

type FilingArgs = { sizes: number[] };
