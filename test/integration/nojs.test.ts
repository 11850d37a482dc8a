// The no-JS form: sealed on the server in memory with the same library, stored as the same
// envelopes (marked server_sealed), and the receipt shown once from process memory.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import {
  decryptFile, decryptJson, deriveReceiptKeys, fromBase64Url, initCrypto, toBase64Url,
} from '../../server/crypto/index.ts';
import type { Config } from '../../server/config.ts';
import { testApp, testConfig } from './harness.ts';
import { blobFiles, clientIp, createWorld, findCanary, openAsBody, post, type World } from './intake-fixtures.ts';

type Part = { name: string; value: string } | { name: string; filename: string; type: string; content: Uint8Array };

function form(parts: Part[]): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----nojs${randomBytes(8).toString('hex')}`;
  const chunks: Buffer[] = [];
  for (const p of parts) {
    if ('value' in p) {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"\r\n\r\n${p.value}\r\n`));
    } else {
      chunks.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"; filename="${p.filename}"\r\nContent-Type: ${p.type}\r\n\r\n`));
      chunks.push(Buffer.from(p.content), Buffer.from('\r\n'));
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe('filing without JavaScript', () => {
  let app: FastifyInstance;
  let world: World;
  let config: Config;
  beforeAll(async () => {
    config = testConfig({ BLOB_DIR: `/tmp/minhbach-nojs-${randomBytes(4).toString('hex')}`, UPLOAD_MAX_FILE_BYTES: '200000', LOOKUP_RATE_LIMIT: '1000' });
    app = await testApp(config);
    world = await createWorld(app.database.db);
    await initCrypto();
  });
  afterAll(async () => {
    await app.close();
  });

  async function challenge(): Promise<string> {
    return (await app.inject({ method: 'GET', url: '/api/public/pow', remoteAddress: clientIp() })).json().challenge as string;
  }

  const fields = async (extra: Record<string, string> = {}): Promise<Part[]> => Object.entries({
    challenge: await challenge(), category: 'budget_assets', jurisdictionCode: world.district, cadreId: world.cadreId, noticeActionId: '',
    language: 'vi', what: 'Nội dung', when: '', where: '', othersKnow: '', cadreDescription: '', identityFullName: '', identityContact: '', identityAddress: '',
    ...extra,
  }).map(([name, value]) => ({ name, value }));

  const submit = (parts: Part[], accept = 'text/html') => {
    const f = form(parts);
    return app.inject({ method: 'POST', url: '/api/public/nojs/cases', remoteAddress: clientIp(), headers: { ...f.headers, accept }, payload: f.payload });
  };

  it('seals on the server, marks it server_sealed, and hands the receipt over once', async () => {
    const canary = `CANARY-${randomBytes(6).toString('hex')}`;
    const content = Buffer.concat([randomBytes(70_000), Buffer.from(canary), randomBytes(100)]);
    const res = await submit([
      ...(await fields({ what: `Ông ấy nhận tiền ${canary}`, identityFullName: `Lê Văn ${canary}` })),
      { name: 'files', filename: `bien-ban-${canary}.pdf`, type: 'application/pdf', content },
      { name: 'files', filename: '', type: 'application/octet-stream', content: new Uint8Array() },
    ]);
    expect(res.statusCode).toBe(303);
    const location = String(res.headers.location);
    expect(location).toMatch(/^\/gui-phan-anh\/bien-nhan\?t=[A-Za-z0-9_-]{43}$/);
    const ticket = location.split('t=')[1] ?? '';

    const once = await app.inject({ method: 'GET', url: `/api/public/nojs/receipt/${ticket}` });
    expect(once.statusCode).toBe(200);
    const { receipt, publicRef } = once.json() as { receipt: string; publicRef: string };
    expect((await app.inject({ method: 'GET', url: `/api/public/nojs/receipt/${ticket}` })).statusCode).toBe(404);

    const [row] = await app.database.sql<{ id: string; server_sealed: boolean; channel: string; is_anonymous: boolean }[]>`
      SELECT id, server_sealed, channel, is_anonymous FROM cases WHERE public_ref = ${publicRef}`;
    expect(row).toMatchObject({ server_sealed: true, channel: 'web_nojs', is_anonymous: false });
    const envelopes = await app.database.sql<{ part: string; server_sealed: boolean; ciphertext: Buffer; id: string }[]>`
      SELECT id, part, server_sealed, ciphertext FROM case_envelopes WHERE case_id = ${row?.id ?? ''} ORDER BY part`;
    expect(envelopes.map((e) => [e.part, e.server_sealed])).toEqual([['identity', true], ['manifest', true], ['report', true]]);

    const bodyId = world.bodyIds.get(world.bodyCodes.districtFront) ?? '';
    const [wrap] = await app.database.sql<{ sealed_key: Buffer }[]>`
      SELECT sealed_key FROM case_key_wraps WHERE case_id = ${row?.id ?? ''} AND body_id = ${bodyId} AND key_kind = 'case'`;
    const k = openAsBody(world, bodyId, new Uint8Array(wrap?.sealed_key ?? []));
    const env = (part: string) => new Uint8Array(envelopes.find((e) => e.part === part)?.ciphertext ?? []);
    expect(decryptJson(k, { caseRef: publicRef, part: 'report' }, env('report'))).toMatchObject({
      what: `Ông ấy nhận tiền ${canary}`, category: 'budget_assets', cadre: { id: world.cadreId },
    });
    const manifest = decryptJson(k, { caseRef: publicRef, part: 'manifest' }, env('manifest')) as { name: string; fileKey: string; plaintextBytes: number };
    expect(manifest).toMatchObject({ name: `bien-ban-${canary}.pdf`, plaintextBytes: content.length });
    const [att] = await app.database.sql<{ blob_key: string; state: string; server_sealed: boolean }[]>`
      SELECT blob_key, state, server_sealed FROM attachments WHERE case_id = ${row?.id ?? ''}`;
    expect(att).toMatchObject({ state: 'complete', server_sealed: true });
    const blob = readFileSync(path.join(config.blobDir, (att?.blob_key ?? '').slice(0, 2), att?.blob_key ?? ''));
    expect(Buffer.from(decryptFile(fromBase64Url(manifest.fileKey), blob)).equals(content)).toBe(true);

    // The receipt opens the inbox like any other.
    const lookup = await post(app, '/api/public/lookup', { lookupToken: toBase64Url(deriveReceiptKeys(receipt).lookupToken) });
    expect(lookup.json()).toMatchObject({ publicRef, state: 'received' });

    expect(await findCanary(app, config.blobDir, canary)).toEqual([]);
  });

  it('sends a browser back to the form with the code, and deletes the blobs of a refused filing', async () => {
    const before = blobFiles(config.blobDir).length;
    const [{ n: casesBefore }] = await app.database.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM cases` as unknown as [{ n: number }];
    const res = await submit([
      ...(await fields()),
      { name: 'files', filename: 'ok.txt', type: 'text/plain', content: randomBytes(1000) },
      { name: 'files', filename: 'big.bin', type: 'application/octet-stream', content: randomBytes(200_001) },
    ]);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/gui-phan-anh?loi=LIMIT_EXCEEDED');
    const json = await submit([...(await fields()), { name: 'files', filename: 'big.bin', type: 'x/y', content: randomBytes(200_001) }], 'application/json');
    expect(json.statusCode).toBe(422);
    expect(json.json().error.details).toEqual({ limit: 'file_bytes', max: 200_000 });
    expect(blobFiles(config.blobDir).length).toBe(before);
    const [{ n: casesAfter }] = await app.database.sql<{ n: number }[]>`SELECT count(*)::int AS n FROM cases` as unknown as [{ n: number }];
    expect(casesAfter).toBe(casesBefore);
  });

  it('refuses a form without a fresh challenge, and a challenge used twice', async () => {
    const bad = await submit(await fields({ challenge: 'forged' }), 'application/json');
    expect(bad.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'pow' } });
    const parts = await fields();
    expect((await submit(parts)).statusCode).toBe(303);
    const replay = await submit(parts, 'application/json');
    expect(replay.json().error.details).toMatchObject({ reason: 'used' });
  });

  it('refuses unknown fields and a missing narrative', async () => {
    const res = await submit(await fields({ what: '', extra: 'x' }), 'application/json');
    expect(res.statusCode).toBe(400);
  });
});
