// Filing a report: real crypto, real Postgres and Redis. What is stored is ciphertext, the
// routing is the server's own, and a refused filing leaves nothing behind.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { and, eq } from 'drizzle-orm';
import {
  bodyKeys, caseBodies, caseEnvelopes, caseEvents, caseKeyWraps, cases, outbox,
} from '../../drizzle/schema/index.ts';
import {
  decryptJson, deriveReceiptKeys, encryptedFileSize, fromBase64Url, generateBoxKeyPair, LOOKUP_TOKEN_BYTES, openSealedKey, SEALED_KEY_BYTES,
  signDirectoryEntry,
} from '../../server/crypto/index.ts';
import * as S from '../../server/schemas/intake.ts';
import { leadingZeroBits, powHash } from '../../server/services/pow.service.ts';
import { testApp, testConfig } from './harness.ts';
import { createWorld, freshProof, openAsBody, post, prepareFiling, send, type World } from './intake-fixtures.ts';

const counts = async (app: FastifyInstance): Promise<Record<string, number>> => {
  const rows = await app.database.sql<{ t: string; n: number }[]>`
    SELECT 'cases' AS t, count(*)::int AS n FROM cases UNION ALL SELECT 'envelopes', count(*)::int FROM case_envelopes
    UNION ALL SELECT 'wraps', count(*)::int FROM case_key_wraps UNION ALL SELECT 'attachments', count(*)::int FROM attachments
    UNION ALL SELECT 'events', count(*)::int FROM case_events UNION ALL SELECT 'outbox', count(*)::int FROM outbox
    UNION ALL SELECT 'audit', count(*)::int FROM audit_log`;
  return Object.fromEntries(rows.map((r) => [r.t, r.n]));
};

describe('filing a report', () => {
  let app: FastifyInstance;
  let world: World;
  beforeAll(async () => {
    app = await testApp(testConfig({ POW_DIFFICULTY: '4', BLOB_DIR: `/tmp/minhbach-intake-${randomBytes(4).toString('hex')}` }));
    world = await createWorld(app.database.db);
  });
  afterAll(async () => {
    await app.close();
  });

  it('restates the crypto format sizes the server checks', () => {
    expect(S.SEALED_KEY_BYTES).toBe(SEALED_KEY_BYTES);
    expect(S.LOOKUP_TOKEN_BYTES).toBe(LOOKUP_TOKEN_BYTES);
    expect(S.FILE_MIN_BYTES).toBe(encryptedFileSize(0));
  });

  it('stores a sealed report that every routed body opens, routed where the server says', async () => {
    const filing = await prepareFiling(app, world, { answers: { what: 'Nhận tiền để bổ nhiệm' }, identity: { fullName: 'Trần Thị B' } });
    expect(filing.preview.recipients.map((r) => r.bodyId).sort()).toEqual(
      [world.bodyIds.get(world.bodyCodes.districtFront), world.bodyIds.get(world.bodyCodes.districtUbkt)].sort(),
    );
    const res = await send(app, filing);
    expect(res.statusCode).toBe(201);
    const out = res.json() as S.CreateCaseResponse;
    expect(out).toMatchObject({ publicRef: filing.publicRef, complete: true, uploads: [] });

    const db = app.database.db;
    const [row] = await db.select().from(cases).where(eq(cases.publicRef, filing.publicRef));
    expect(row).toMatchObject({ state: 'received', isAnonymous: false, serverSealed: false, pendingUntil: null, cadreId: world.cadreId });
    expect(row?.receivedOn).toBe(out.receivedOn);
    const caseId = row?.id ?? '';
    const [report] = await db.select().from(caseEnvelopes).where(and(eq(caseEnvelopes.caseId, caseId), eq(caseEnvelopes.part, 'report')));
    for (const r of filing.preview.recipients) {
      const [wrap] = await db.select().from(caseKeyWraps)
        .where(and(eq(caseKeyWraps.caseId, caseId), eq(caseKeyWraps.bodyId, r.bodyId), eq(caseKeyWraps.keyKind, 'case')));
      const k = openAsBody(world, r.bodyId, wrap?.sealedKey ?? new Uint8Array());
      expect(decryptJson(k, { caseRef: filing.publicRef, part: 'report' }, report?.ciphertext ?? new Uint8Array())).toEqual({ what: 'Nhận tiền để bổ nhiệm' });
    }
    const routed = await db.select().from(caseBodies).where(eq(caseBodies.caseId, caseId));
    expect(routed.map((b) => b.role).sort()).toEqual(['inspection', 'intake']);
    expect(JSON.parse(routed[0]?.reason ?? '{}')).toHaveProperty('vi');
    const events = await db.select().from(caseEvents).where(eq(caseEvents.caseId, caseId));
    expect(events).toMatchObject([{ kind: 'case.submit', toState: 'received', actorKind: 'reporter', isPublic: true }]);
    const [relay] = await db.select().from(outbox).where(eq(outbox.dedupeKey, `case/${caseId}/received`));
    expect(relay).toMatchObject({ topic: 'case.received', payload: { caseId } });
    const audit = await app.database.sql`SELECT detail FROM audit_log WHERE action = 'case.submitted' AND resource_id = ${caseId}`;
    expect(audit).toHaveLength(1);
  });

  it('keeps only the day of a public submission', async () => {
    const filing = await prepareFiling(app, world);
    expect((await send(app, filing)).statusCode).toBe(201);
    const [row] = await app.database.sql<{ id: string; received_on: string; updated_ms: string }[]>`
      SELECT id, received_on::text, (extract(epoch FROM updated_at) * 1000)::bigint::text AS updated_ms FROM cases WHERE public_ref = ${filing.publicRef}`;
    const midnight = String(new Date(`${row?.received_on}T00:00:00+07:00`).getTime());
    expect(row?.updated_ms).toBe(midnight);
    const times = await app.database.sql<{ ms: string }[]>`
      SELECT (extract(epoch FROM t.at) * 1000)::bigint::text AS ms FROM (
        SELECT created_at AS at FROM case_envelopes WHERE case_id = ${row?.id ?? ''}
        UNION ALL SELECT created_at FROM case_key_wraps WHERE case_id = ${row?.id ?? ''}
        UNION ALL SELECT created_at FROM case_bodies WHERE case_id = ${row?.id ?? ''}
        UNION ALL SELECT created_at FROM case_events WHERE case_id = ${row?.id ?? ''}) t`;
    expect(times.length).toBeGreaterThan(4);
    for (const t of times) expect(t.ms).toBe(midnight);
    // The audit entry and the outbox row written with it keep only the day too.
    const trail = await app.database.sql<{ ms: string }[]>`
      SELECT (extract(epoch FROM at) * 1000)::bigint::text AS ms FROM audit_log WHERE resource_id = ${row?.id ?? ''} AND actor_kind = 'reporter'
      UNION ALL SELECT (extract(epoch FROM created_at) * 1000)::bigint::text FROM outbox WHERE payload->>'caseId' = ${row?.id ?? ''}
      UNION ALL SELECT (extract(epoch FROM available_at) * 1000)::bigint::text FROM outbox WHERE payload->>'caseId' = ${row?.id ?? ''}`;
    expect(trail.length).toBeGreaterThanOrEqual(3);
    for (const t of trail) expect(t.ms).toBe(midnight);
  });

  it('refuses a filing that does not seal K to every routed body, and writes nothing', async () => {
    const missingBody = world.bodyIds.get(world.bodyCodes.districtUbkt);
    const filing = await prepareFiling(app, world, { mutate: (b) => { b.wraps = b.wraps.filter((w) => w.bodyId !== missingBody); } });
    const before = await counts(app);
    const res = await send(app, filing);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    expect(res.json().error.details.missing).toEqual([{ keyKind: 'case', recipientKind: 'body', bodyId: missingBody, bodyKeyVersion: 1 }]);
    expect(await counts(app)).toEqual(before);
  });

  it('refuses a filing without the reporter’s wrap', async () => {
    const filing = await prepareFiling(app, world, { mutate: (b) => { b.wraps = b.wraps.filter((w) => w.recipientKind !== 'reporter'); } });
    const res = await send(app, filing);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.missing).toEqual([{ keyKind: 'case', recipientKind: 'reporter' }]);
  });

  it('refuses K sealed to a body routing did not choose', async () => {
    const other = world.bodyIds.get(world.bodyCodes.cityUbkt) ?? '';
    const filing = await prepareFiling(app, world, {
      mutate: (b) => { b.wraps.push({ ...(b.wraps[1] as S.Wrap), bodyId: other }); },
    });
    const res = await send(app, filing);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.unexpected).toEqual([{ keyKind: 'case', recipientKind: 'body', bodyId: other, bodyKeyVersion: 1 }]);
  });

  it('refuses K sealed to an old key version', async () => {
    const filing = await prepareFiling(app, world, { mutate: (b) => { const w = b.wraps[1]; if (w) w.bodyKeyVersion = 2; } });
    const res = await send(app, filing);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.missing).toHaveLength(1);
  });

  it('refuses K sealed to a key that was replaced a moment ago', async () => {
    const own = await createWorld(app.database.db);
    const filing = await prepareFiling(app, own);
    const bodyId = own.bodyIds.get(own.bodyCodes.districtFront) ?? '';
    const next = generateBoxKeyPair();
    const createdAt = new Date().toISOString().slice(0, 10);
    await app.database.db.transaction(async (tx) => {
      await tx.update(bodyKeys).set({ retiredAt: new Date() }).where(eq(bodyKeys.bodyId, bodyId));
      await tx.insert(bodyKeys).values({
        bodyId, version: 2, publicKey: next.publicKey, signature: signDirectoryEntry(own.rootPrivateKey, { bodyId, keyVersion: 2, publicKey: next.publicKey, createdAt }),
      });
    });
    const before = await counts(app);
    const res = await send(app, filing);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    expect(await counts(app)).toEqual(before);
  });

  it('refuses malformed binary values at the edge', async () => {
    for (const mutate of [
      (b: S.CreateCaseBody) => { const w = b.wraps[0]; if (w) w.sealedKey = w.sealedKey.slice(0, 100); },
      (b: S.CreateCaseBody) => { b.lookupToken = b.lookupToken.slice(0, 40); },
      (b: S.CreateCaseBody) => { b.reporterPublicKey = `${b.reporterPublicKey.slice(0, 42)}+`; },
      (b: S.CreateCaseBody) => { b.report = b.report.slice(0, 300); },
      (b: S.CreateCaseBody) => { b.report = `${b.report}AAAAAAAA`; },
      (b: S.CreateCaseBody) => { b.publicRef = 'MB-ILOU-0000'; },
    ]) {
      const res = await send(app, await prepareFiling(app, world, { mutate }));
      expect(res.statusCode, mutate.toString()).toBe(400);
      expect(res.json().error.code).toBe('VALIDATION_FAILED');
    }
  });

  it('answers 409 ref_taken for a reference in use, without burning the proof of work', async () => {
    const first = await prepareFiling(app, world);
    expect((await send(app, first)).statusCode).toBe(201);
    const second = await prepareFiling(app, world);
    const proof = second.body.pow;
    const clash = { ...second, body: { ...second.body, publicRef: first.publicRef } };
    const res = await send(app, clash);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.details).toEqual({ reason: 'ref_taken' });
    // The browser re-encrypts under a new reference and sends the same work again.
    const retry = await prepareFiling(app, world, { mutate: (b) => { b.pow = proof; } });
    expect((await send(app, retry)).statusCode).toBe(201);
  });

  it('refuses a proof of work used twice, and one with the wrong nonce', async () => {
    const first = await prepareFiling(app, world);
    expect((await send(app, first)).statusCode).toBe(201);
    const replay = await prepareFiling(app, world, { mutate: (b) => { b.pow = first.body.pow; } });
    const res = await send(app, replay);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details).toMatchObject({ field: 'pow', reason: 'used' });

    const proof = await freshProof(app);
    let nonce = 0;
    while (leadingZeroBits(powHash(proof.challenge, String(nonce))) >= 4) nonce += 1;
    const wrong = await prepareFiling(app, world, { mutate: (b) => { b.pow = { challenge: proof.challenge, nonce: String(nonce) }; } });
    expect((await send(app, wrong)).json().error.details).toMatchObject({ reason: 'wrong_nonce' });
    const forged = await prepareFiling(app, world, { mutate: (b) => { b.pow = { challenge: `${proof.challenge.slice(0, -2)}AA`, nonce: proof.nonce }; } });
    expect((await send(app, forged)).json().error.details).toMatchObject({ reason: 'malformed' });
  });

  it('refuses unknown jurisdictions and cadres without writing', async () => {
    const before = await counts(app);
    const res = await send(app, await prepareFiling(app, world, { mutate: (b) => { b.jurisdictionCode = 'NOWHERE'; } }));
    expect(res.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: { fields: ['/jurisdictionCode'] } });
    const res2 = await send(app, await prepareFiling(app, world, { mutate: (b) => { b.cadreId = '00000000-0000-4000-8000-000000000000'; } }));
    expect(res2.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: { fields: ['/cadreId'] } });
    expect(await counts(app)).toEqual(before);
  });

  it('routes a comment on a notice to the committee managing its cadre', async () => {
    const res = await post(app, '/api/public/routing-preview', { category: 'organization_personnel', jurisdictionCode: world.district, noticeActionId: world.noticeId });
    expect(res.statusCode).toBe(200);
    expect((res.json() as S.RoutingPreviewResponse).recipients.map((r) => r.role)).toEqual(['intake', 'inspection']);
  });

  it('lets the reporter open K from the receipt alone', async () => {
    const filing = await prepareFiling(app, world);
    expect((await send(app, filing)).statusCode).toBe(201);
    const res = await post(app, '/api/public/lookup', { lookupToken: filing.lookupToken });
    expect(res.statusCode).toBe(200);
    const { boxKeyPair } = deriveReceiptKeys(filing.receipt);
    const k = openSealedKey(fromBase64Url((res.json() as S.LookupResponse).reporterWrap), boxKeyPair.publicKey, boxKeyPair.privateKey);
    expect(Buffer.from(k).equals(Buffer.from(filing.caseKey))).toBe(true);
  });

  it('lists jurisdictions, finds cadres without diacritics, and lists open notices', async () => {
    const j = await app.inject({ method: 'GET', url: '/api/public/jurisdictions' });
    expect((j.json() as S.JurisdictionsResponse).items.map((i) => i.code)).toContain(world.district);
    const c = await app.inject({ method: 'GET', url: `/api/public/cadres?q=${encodeURIComponent('nguyen van thu')}&limit=50` });
    expect(c.statusCode).toBe(200);
    expect((c.json() as S.CadresResponse).items.map((i) => i.id)).toContain(world.cadreId);
    const byPosition = await app.inject({ method: 'GET', url: `/api/public/cadres?q=${encodeURIComponent('pho chu tich ubnd quan')}&limit=50` });
    expect((byPosition.json() as S.CadresResponse).items.map((i) => i.id)).toContain(world.cadreId);
    const n = await app.inject({ method: 'GET', url: '/api/public/notices?limit=50' });
    expect((n.json() as S.NoticesResponse).items.map((i) => i.id)).toContain(world.noticeId);
    const bad = await app.inject({ method: 'GET', url: '/api/public/cadres?cursor=zzzz' });
    expect(bad.statusCode).toBe(400);
  });
});

