// The reporter's inbox: the lookup token is the only credential, wrong and unknown tokens
// look alike, and staff replies reach the reporter sealed under K.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { eq } from 'drizzle-orm';
import { decryptText, deriveReceiptKeys, encryptText, fromBase64Url, openSealedKey, toBase64Url } from '../../server/crypto/index.ts';
import type * as S from '../../server/schemas/intake.ts';
import { vnToday } from '../../server/services/intake-codec.ts';
import { markReporterMessagesRead } from '../../server/repositories/message.repository.ts';
import { cases, messages } from '../../drizzle/schema/index.ts';
import { testApp, testConfig } from './harness.ts';
import { authApp, call, createAccount, signIn, testClock } from './auth-helpers.ts';
import { createWorld, post, prepareFiling, send, type Filing, type World } from './intake-fixtures.ts';

const messageFor = (filing: Filing, text: string): string =>
  toBase64Url(encryptText(filing.caseKey, { caseRef: filing.publicRef, part: 'message' }, text));

describe('the reporter’s inbox', () => {
  const clock = testClock();
  let app: FastifyInstance;
  let world: World;
  beforeAll(async () => {
    app = await authApp(clock, testConfig({ POW_DIFFICULTY: '2', LOOKUP_RATE_LIMIT: '1000' }));
    world = await createWorld(app.database.db);
  });
  afterAll(async () => {
    await app.close();
  });

  async function filed(): Promise<Filing> {
    const filing = await prepareFiling(app, world);
    expect((await send(app, filing)).statusCode).toBe(201);
    return filing;
  }

  it('gives wrong and unknown lookup tokens the same answer', async () => {
    const filing = await filed();
    const token = Buffer.from(fromBase64Url(filing.lookupToken));
    token[0] = (token[0] ?? 0) ^ 1;
    const wrong = await post(app, '/api/public/lookup', { lookupToken: token.toString('base64url') });
    const unknown = await post(app, '/api/public/lookup', { lookupToken: toBase64Url(randomBytes(32)) });
    expect(wrong.statusCode).toBe(404);
    expect(unknown.statusCode).toBe(404);
    const shape = (body: string) => body.replace(/"requestId":"[^"]+"/, '');
    expect(shape(wrong.body)).toBe(shape(unknown.body));
    expect(Object.keys(wrong.headers).sort()).toEqual(Object.keys(unknown.headers).sort());
  });

  it('shows the case, its public timeline and nothing of staff notes', async () => {
    const filing = await filed();
    const res = await post(app, '/api/public/lookup', { lookupToken: filing.lookupToken });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const body = res.json() as S.LookupResponse;
    expect(body).toMatchObject({ publicRef: filing.publicRef, state: 'received', messages: [], attachments: [] });
    expect(body.timeline).toEqual([{ kind: 'case.submit', toState: 'received', occurredOn: body.receivedOn }]);
  });

  it('carries messages both ways: the reporter’s under K, staff replies sealed in the staff browser', async () => {
    const filing = await filed();
    const sent = await post(app, '/api/public/cases/messages', { lookupToken: filing.lookupToken, ciphertext: messageFor(filing, 'Tôi bổ sung thêm') });
    expect(sent.statusCode).toBe(201);

    const reviewer = await createAccount(app, { bodyCode: world.bodyCodes.districtFront, role: 'front_reviewer' });
    const client = await signIn(app, reviewer, clock);
    const reply = await call(app, client, 'POST', `/api/cases/${filing.publicRef}/messages`, { ciphertext: messageFor(filing, 'Xin cảm ơn, chúng tôi đã nhận'), isQuestion: true });
    expect(reply.statusCode).toBe(201);
    expect(reply.json()).toMatchObject({ state: 'received' });

    type StaffMessages = { items: Array<{ direction: string; readByReporterOn: string | null }> };
    const readOn = async () => ((await call(app, client, 'GET', `/api/cases/${filing.publicRef}/messages`)).json() as StaffMessages)
      .items.filter((m) => m.direction === 'to_reporter').map((m) => m.readByReporterOn);
    expect(await readOn()).toEqual([null]);

    const lookup = (await post(app, '/api/public/lookup', { lookupToken: filing.lookupToken })).json() as S.LookupResponse;
    expect(lookup.messages.map((m) => [m.direction, m.isQuestion, m.isNew])).toEqual([['from_reporter', false, false], ['to_reporter', true, true]]);
    const { boxKeyPair } = deriveReceiptKeys(filing.receipt);
    const k = openSealedKey(fromBase64Url(lookup.reporterWrap), boxKeyPair.publicKey, boxKeyPair.privateKey);
    expect(decryptText(k, { caseRef: filing.publicRef, part: 'message' }, fromBase64Url(lookup.messages[1]?.ciphertext ?? ''))).toBe('Xin cảm ơn, chúng tôi đã nhận');

    // Shown once: the staff see the day the reporter's inbox showed it, and it is no longer new.
    expect(await readOn()).toEqual([vnToday()]);
    const again = (await post(app, '/api/public/lookup', { lookupToken: filing.lookupToken })).json() as S.LookupResponse;
    expect(again.messages.map((m) => m.isNew)).toEqual([false, false]);
  });

  it('marks read only the messages a lookup showed, so one written meanwhile is still new next time', async () => {
    const filing = await filed();
    const client = await signIn(app, await createAccount(app, { bodyCode: world.bodyCodes.districtFront, role: 'front_reviewer' }), clock);
    const say = (text: string) => call(app, client, 'POST', `/api/cases/${filing.publicRef}/messages`, { ciphertext: messageFor(filing, text), isQuestion: false });
    expect((await say('Thứ nhất')).statusCode).toBe(201);
    expect((await say('Thứ hai')).statusCode).toBe(201);
    const [row] = await app.database.db.select({ id: cases.id }).from(cases).where(eq(cases.publicRef, filing.publicRef));
    const lookup = async () => (await post(app, '/api/public/lookup', { lookupToken: filing.lookupToken })).json() as S.LookupResponse;
    // A lookup that read the case before the second message was committed marks the first only.
    const ids = (await app.database.db.select({ id: messages.id }).from(messages).where(eq(messages.caseId, row!.id)).orderBy(messages.seq)).map((m) => m.id);
    expect(ids).toHaveLength(2);
    expect(await markReporterMessagesRead(app.database.db, row!.id, [ids[0]!], vnToday())).toBe(1);
    expect((await lookup()).messages.map((m) => m.isNew)).toEqual([false, true]);
    expect((await lookup()).messages.map((m) => m.isNew)).toEqual([false, false]);
  });

  it('tells the reporter where a case outside the system’s competence was sent', async () => {
    const filing = await filed();
    const client = await signIn(app, await createAccount(app, { bodyCode: world.bodyCodes.districtFront, role: 'front_reviewer' }), clock);
    let version = 1;
    const moves: Array<[string, Record<string, unknown>]> = [
      ['start_triage', {}], ['classify', { classification: 'petition', outsideCompetence: true }], ['transfer', { externalBodyRef: 'TAND-Q1' }],
    ];
    for (const [transition, params] of moves) {
      const res = await call(app, client, 'POST', `/api/cases/${filing.publicRef}/transitions`, { transition, expectedVersion: version, params });
      expect(res.statusCode).toBe(200);
      version = (res.json() as { version: number }).version;
    }
    const lookup = (await post(app, '/api/public/lookup', { lookupToken: filing.lookupToken })).json() as S.LookupResponse;
    expect(lookup.state).toBe('transferred');
    expect(lookup.timeline.find((e) => e.kind === 'case.transfer')).toMatchObject({ externalBodyRef: 'TAND-Q1' });
    expect(lookup.timeline.filter((e) => e.externalBodyRef !== undefined)).toHaveLength(1);
  });

  it('refuses a staff reply from a body the case was not routed to', async () => {
    const filing = await filed();
    const outsider = await createAccount(app, { bodyCode: world.bodyCodes.cityFront, role: 'front_reviewer' });
    const client = await signIn(app, outsider, clock);
    const reply = await call(app, client, 'POST', `/api/cases/${filing.publicRef}/messages`, { ciphertext: messageFor(filing, 'x'), isQuestion: false });
    // A case not granted to the member's body does not exist for them.
    expect(reply.statusCode).toBe(404);
    const anonymous = await call(app, null, 'POST', `/api/cases/${filing.publicRef}/messages`, { ciphertext: messageFor(filing, 'x'), isQuestion: false });
    expect(anonymous.statusCode).toBe(401);
  });

  it('withdraws a case before it is taken up, and then refuses further changes', async () => {
    const filing = await filed();
    const res = await post(app, '/api/public/cases/withdraw', { lookupToken: filing.lookupToken });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ publicRef: filing.publicRef, state: 'withdrawn' });
    const lookup = (await post(app, '/api/public/lookup', { lookupToken: filing.lookupToken })).json() as S.LookupResponse;
    expect(lookup.state).toBe('withdrawn');
    expect(lookup.timeline.map((t) => t.kind)).toEqual(['case.submit', 'case.withdraw']);
    const again = await post(app, '/api/public/cases/withdraw', { lookupToken: filing.lookupToken });
    expect(again.statusCode).toBe(409);
    const message = await post(app, '/api/public/cases/messages', { lookupToken: filing.lookupToken, ciphertext: messageFor(filing, 'x') });
    expect(message.json().error.details).toMatchObject({ reason: 'case_ended' });
    const [row] = await app.database.sql<{ payload: { transition: string; liftHolds: { liftReason: string } } }[]>`
      SELECT o.payload FROM outbox o JOIN cases c ON o.payload->>'caseId' = c.id::text
      WHERE c.public_ref = ${filing.publicRef} AND o.topic = 'case.transitioned'`;
    expect(row?.payload).toMatchObject({ transition: 'withdraw', liftHolds: { liftReason: 'case_withdrawn' } });
  });

  it('refuses a withdrawal once the case is accepted', async () => {
    const filing = await filed();
    await app.database.sql`UPDATE cases SET state = 'accepted' WHERE public_ref = ${filing.publicRef}`;
    const res = await post(app, '/api/public/cases/withdraw', { lookupToken: filing.lookupToken });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.code).toBe('INVALID_TRANSITION');
  });
});

describe('lookup rate limit', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    app = await testApp(testConfig({ LOOKUP_RATE_LIMIT: '3' }));
  });
  afterAll(async () => {
    await app.close();
  });

  it('limits receipt lookups per client strictly', async () => {
    const ip = '10.200.1.1';
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await app.inject({ method: 'POST', url: '/api/public/lookup', remoteAddress: ip, payload: { lookupToken: toBase64Url(randomBytes(32)) } });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual([404, 404, 404, 429, 429]);
    const other = await app.inject({ method: 'POST', url: '/api/public/lookup', remoteAddress: '10.200.1.2', payload: { lookupToken: toBase64Url(randomBytes(32)) } });
    expect(other.statusCode).toBe(404);
  });
});
