// Casework actions through the API: each move offered and accepted only for the roles the
// policy allows, refused with a stable code otherwise; stale versions; audited content
// reads; identity access by two people; signed conclusions verified before anything is written.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { and, eq } from 'drizzle-orm';
import { auditLog, caseEnvelopes, cases, identityAccessRequests } from '../../drizzle/schema/index.ts';
import {
  encryptJson, encryptText, generateSigningKeyPair, hashConclusionText, sealKey, signConclusion, toBase64Url,
} from '../../server/crypto/index.ts';
import { testConfig } from './harness.ts';
import { authApp, createAccount, signIn, testClock, type Account, type Client } from './auth-helpers.ts';
import { createWorld, prepareFiling, send, type Filing, type World } from './intake-fixtures.ts';
import { req, seedCase } from './casework-support.ts';
import { insertCaseEvents } from '../../server/repositories/case.repository.ts';
import { insertIdentityRequest } from '../../server/repositories/identity-access.repository.ts';
import { createBody } from '../../server/services/bootstrap.service.ts';
import { computeDueDate, startDeadline } from '../../server/domain/deadlines.ts';
import { loadCalendar } from '../../server/services/deadline.service.ts';
import { deleteRedisPrefix } from '../support/cleanup.ts';

type Detail = { version: number; state: string; actions: Array<{ name: string; allowed: boolean; reason: { code: string } | null }>; bodies: Array<{ id: string; role: string }> };

describe('casework actions', () => {
  const clock = testClock();
  let app: FastifyInstance;
  let world: World;
  let filing: Filing;
  let caseId: string;
  const accounts: Record<'reviewer' | 'reviewer2' | 'lead' | 'investigator' | 'cityLead', Account> = {} as never;
  const as: Record<keyof typeof accounts, Client> = {} as never;
  let ref: string;
  let front: string;
  let ubkt: string;

  const detail = async (who: Client): Promise<Detail> => (await req(app, who, 'GET', `/api/cases/${ref}`)).json() as Detail;
  const move = (who: Client, transition: string, expectedVersion: number, params: Record<string, unknown> = {}) =>
    req(app, who, 'POST', `/api/cases/${ref}/transitions`, { transition, expectedVersion, params });
  const action = (d: Detail, name: string) => d.actions.find((a) => a.name === name);
  const audits = (action: string, actorId?: string) => app.database.db.select().from(auditLog)
    .where(and(eq(auditLog.action, action), eq(auditLog.resourceId, caseId), ...(actorId ? [eq(auditLog.actorId, actorId)] : [])));

  beforeAll(async () => {
    app = await authApp(clock, testConfig({ POW_DIFFICULTY: '2' }));
    world = await createWorld(app.database.db);
    front = world.bodyIds.get(world.bodyCodes.districtFront) ?? '';
    ubkt = world.bodyIds.get(world.bodyCodes.districtUbkt) ?? '';
    const spec = {
      reviewer: [world.bodyCodes.districtFront, 'front_reviewer'], reviewer2: [world.bodyCodes.districtFront, 'front_reviewer'],
      lead: [world.bodyCodes.districtUbkt, 'inspection_lead'], investigator: [world.bodyCodes.districtUbkt, 'inspection_investigator'],
      cityLead: [world.bodyCodes.cityUbkt, 'inspection_lead'],
    } as const;
    for (const [k, [bodyCode, role]] of Object.entries(spec) as Array<[keyof typeof spec, readonly [string, 'front_reviewer']]>) {
      accounts[k] = await createAccount(app, { bodyCode, role, withKeys: k === 'lead' });
      as[k] = await signIn(app, accounts[k], clock);
    }
    filing = await prepareFiling(app, world, { identity: { fullName: 'Người báo tin', phone: '0900000000' } });
    expect((await send(app, filing)).statusCode).toBe(201);
    ref = filing.publicRef;
    caseId = (await app.database.db.select({ id: cases.id }).from(cases).where(eq(cases.publicRef, ref)))[0]?.id ?? '';
  });
  afterAll(async () => {
    await deleteRedisPrefix(app.redis, `${app.config.redisPrefix}:`);
    await app.close();
  });

  it('offers each move only to the roles the policy allows, says why not, and refuses the rest with a stable code', async () => {
    const d = await detail(as.reviewer);
    expect(d.state).toBe('received');
    expect(d.bodies.map((b) => b.id).sort()).toEqual([front, ubkt].sort());
    expect(action(d, 'start_triage')).toMatchObject({ allowed: true, reason: null });
    expect(action(d, 'classify')?.reason?.code).toBe('INVALID_TRANSITION');
    expect(action(d, 'note')?.allowed).toBe(true);
    expect(action(d, 'export')?.reason?.code).toBe('ROLE_NOT_PERMITTED');
    expect(action(d, 'request_identity')?.allowed).toBe(true);
    expect(action(await detail(as.investigator), 'start_triage')?.reason?.code).toBe('TRANSITION_NOT_PERMITTED');
    // A body the case was never sealed to does not learn that it exists.
    expect((await req(app, as.cityLead, 'GET', `/api/cases/${ref}`)).statusCode).toBe(404);

    const started = await move(as.reviewer, 'start_triage', d.version);
    expect(started.json()).toMatchObject({ state: 'triage', version: d.version + 1 });
    const stale = await move(as.reviewer, 'classify', d.version, { classification: 'feedback' });
    expect(stale.json().error).toMatchObject({ code: 'STALE_VERSION', details: { version: d.version + 1 } });
    const byInvestigator = await move(as.investigator, 'classify', d.version + 1, { classification: 'feedback' });
    expect(byInvestigator.json().error).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'TRANSITION_NOT_PERMITTED' } });
    const noReason = await move(as.reviewer, 'file', d.version + 1);
    expect(noReason.json().error.code).toBe('VALIDATION_FAILED');

    expect((await move(as.reviewer, 'classify', d.version + 1, { classification: 'feedback' })).statusCode).toBe(200);
    expect((await move(as.reviewer, 'refer', d.version + 2, { targetBodyId: ubkt, isSpecific: true })).json().state).toBe('referred');
    // Now the inspection body handles it: the Front may no longer move it.
    expect((await move(as.reviewer, 'file', d.version + 3, { reasonCode: 'outside_scope' })).json().error.details.reason).toBe('TRANSITION_NOT_PERMITTED');
    expect((await move(as.investigator, 'examine', d.version + 3, { investigatorIds: [accounts.investigator.id] })).json().error.code).toBe('FORBIDDEN');
    const wrongPerson = await move(as.lead, 'examine', d.version + 3, { investigatorIds: [accounts.reviewer.id] });
    expect(wrongPerson.json().error.code).toBe('VALIDATION_FAILED');
    expect((await move(as.lead, 'examine', d.version + 3, { investigatorIds: [accounts.investigator.id] })).json().state).toBe('verifying');
    expect((await move(as.investigator, 'pause', d.version + 4, { reasonCode: 'awaiting_other_body' })).json().error.code).toBe('FORBIDDEN');
    expect((await move(as.lead, 'pause', d.version + 4, { reasonCode: 'awaiting_other_body' })).json().state).toBe('paused');
    expect((await move(as.lead, 'resume', d.version + 5)).json().state).toBe('verifying');

    const after = await detail(as.lead);
    expect(after).toMatchObject({ state: 'verifying', version: d.version + 6 });
    expect((after as unknown as { assignees: Array<{ id: string }> }).assignees.map((a) => a.id)).toEqual([accounts.investigator.id]);
    expect(action(after, 'conclude')?.allowed).toBe(true);
    expect(action(await detail(as.investigator), 'conclude')?.reason?.code).toBe('TRANSITION_NOT_PERMITTED');
    const timeline = (await req(app, as.investigator, 'GET', `/api/cases/${ref}/timeline?limit=3`)).json() as { items: Array<{ kind: string }>; nextCursor: string };
    expect(timeline.items.map((e) => e.kind)).toEqual(['case.submit', 'case.start_triage', 'case.classify']);
    const rest = (await req(app, as.investigator, 'GET', `/api/cases/${ref}/timeline?after=${timeline.nextCursor}`)).json() as { items: Array<{ kind: string }> };
    expect(rest.items.map((e) => e.kind)).toEqual(['case.refer', 'case.examine', 'case.pause', 'case.resume']);
  });

  it('shows only allow-listed ids and codes of an event detail on the timeline', async () => {
    await insertCaseEvents(app.database.db, [{
      caseId, kind: 'case.routed', actorKind: 'system', isPublic: false, occurredOn: '2026-01-05', createdAt: new Date(), dedupeKey: 'test/detail-allow-list',
      detail: {
        version: 7, flags: ['needs_review'], reporterName: 'Người báo tin', holdId: 42,
        targets: [
          { bodyId: front, role: 'intake', vi: 'Chuyển đến A vì B.', en: 'Routed to A because B.', ruleId: null, why: 'rule text' },
          { bodyId: front, why: 'rule text' },
        ],
      },
    }]);
    const all = (await req(app, as.reviewer, 'GET', `/api/cases/${ref}/timeline?limit=200`)).json() as { items: Array<{ kind: string; detail: Record<string, unknown> }> };
    const routed = all.items.filter((e) => e.kind === 'case.routed').at(-1);
    // The routing explanation is shown; a target without one, and fields the schema does not name, are not.
    expect(routed?.detail).toEqual({
      version: 7, flags: ['needs_review'],
      targets: [{ bodyId: front, role: 'intake', vi: 'Chuyển đến A vì B.', en: 'Routed to A because B.', ruleId: null }],
    });
  });

  it('audits every read of content, and never hands out the identity part with it', async () => {
    const before = (await audits('case.content_read', accounts.investigator.id)).length;
    const res = await req(app, as.investigator, 'GET', `/api/cases/${ref}/content`);
    expect(res.statusCode).toBe(200);
    const body = res.json() as { envelopes: Array<{ part: string }>; keyWraps: Array<{ bodyId: string }> };
    expect(body.envelopes.map((e) => e.part)).toEqual(['report']);
    expect(body.keyWraps.map((w) => w.bodyId)).toEqual([ubkt]);
    expect((await audits('case.content_read', accounts.investigator.id)).length).toBe(before + 1);
    expect((await req(app, as.cityLead, 'GET', `/api/cases/${ref}/content`)).statusCode).toBe(404);
  });

  it('keeps notes under K, labels and exports, each for the roles allowed', async () => {
    const note = toBase64Url(encryptJson(filing.caseKey, { caseRef: ref, part: 'note' }, { kind: 'plan', text: 'Kế hoạch xác minh' }));
    expect((await req(app, as.investigator, 'POST', `/api/cases/${ref}/notes`, { ciphertext: note })).statusCode).toBe(201);
    expect((await req(app, as.investigator, 'PUT', `/api/cases/${ref}/labels`, { labels: ['land', 'priority'] })).json()).toEqual({ labels: ['land', 'priority'] });
    expect((await req(app, as.investigator, 'PUT', `/api/cases/${ref}/labels`, { labels: ['Not A Code'] })).json().error.code).toBe('VALIDATION_FAILED');
    expect((await req(app, as.investigator, 'POST', `/api/cases/${ref}/exports`)).json().error.details.reason).toBe('ROLE_NOT_PERMITTED');
    expect((await req(app, as.lead, 'POST', `/api/cases/${ref}/exports`)).statusCode).toBe(204);
    // Messages with the reporter, a page at a time, oldest first.
    for (const text of ['Câu hỏi 1', 'Câu hỏi 2', 'Câu hỏi 3']) {
      const ciphertext = toBase64Url(encryptText(filing.caseKey, { caseRef: ref, part: 'message' }, text));
      expect((await req(app, as.investigator, 'POST', `/api/cases/${ref}/messages`, { ciphertext, isQuestion: true })).statusCode).toBe(201);
    }
    const firstPage = (await req(app, as.investigator, 'GET', `/api/cases/${ref}/messages?limit=2`)).json() as { items: Array<{ seq: number; direction: string; authorName: string }>; nextCursor: string };
    expect(firstPage.items).toHaveLength(2);
    expect(firstPage.items[0]).toMatchObject({ direction: 'to_reporter', authorName: expect.stringMatching(/^Test \d+$/) });
    const lastPage = (await req(app, as.investigator, 'GET', `/api/cases/${ref}/messages?after=${firstPage.nextCursor}`)).json() as typeof firstPage;
    expect(lastPage.items).toHaveLength(1);
    expect(lastPage.nextCursor).toBeNull();
    expect(lastPage.items[0]?.seq).toBeGreaterThan(firstPage.items[1]?.seq ?? Infinity);
    expect(await audits('case.messages_read', accounts.investigator.id)).toHaveLength(2);
    expect(await audits('case.exported', accounts.lead.id)).toHaveLength(1);
  });

  it('opens the reporter’s identity only after a recorded reason and a different approver, and audits it', async () => {
    expect((await req(app, as.investigator, 'GET', `/api/cases/${ref}/identity`)).json().error.details.reason).toBe('IDENTITY_ACCESS_NOT_APPROVED');
    expect((await req(app, as.investigator, 'POST', `/api/cases/${ref}/identity-requests`, {})).json().error.code).toBe('VALIDATION_FAILED');
    const created = await req(app, as.investigator, 'POST', `/api/cases/${ref}/identity-requests`, {
      reasonCode: 'contact_reporter_in_person', reasonCiphertext: toBase64Url(encryptText(filing.caseKey, { caseRef: ref, part: 'note' }, 'Cần gặp trực tiếp')),
    });
    expect(created.statusCode).toBe(201);
    const request = created.json() as { id: string; state: string };
    expect(request.state).toBe('pending');
    expect((await req(app, as.investigator, 'GET', `/api/cases/${ref}/identity`)).statusCode).toBe(403);
    expect((await req(app, as.investigator, 'POST', `/api/identity-requests/${request.id}/approve`)).json().error.details.reason).toBe('ROLE_NOT_PERMITTED');
    // Even the custodian cannot approve a request of their own.
    const own = (await req(app, as.lead, 'POST', `/api/cases/${ref}/identity-requests`, { reasonCode: 'protect_reporter' })).json() as { id: string };
    expect((await req(app, as.lead, 'POST', `/api/identity-requests/${own.id}/approve`)).json().error.details.reason).toBe('SAME_PERSON');
    expect((await req(app, as.reviewer, 'POST', `/api/identity-requests/${request.id}/approve`)).json().error.details.reason).toBe('NOT_HANDLING_BODY');
    expect(((await req(app, as.lead, 'GET', '/api/identity-requests?state=pending')).json() as { items: Array<{ id: string }> }).items.map((i) => i.id)).toContain(request.id);
    expect((await req(app, as.investigator, 'GET', '/api/identity-requests')).json().items).toEqual([]);
    // The custodian's list pages by keyset, newest first, and refuses a forged cursor.
    const other = await insertIdentityRequest(app.database.db, {
      caseId, requestedBy: accounts.reviewer2.id, bodyId: front, reasonCode: 'legal_obligation', reasonEnvelopeId: null, createdAt: new Date(Date.now() + 60_000),
    });
    type ReqPage = { items: Array<{ id: string }>; nextCursor: string | null };
    const first = (await req(app, as.lead, 'GET', '/api/identity-requests?state=pending&limit=1')).json() as ReqPage;
    expect(first.items.map((i) => i.id)).toEqual([other]);
    const second = (await req(app, as.lead, 'GET', `/api/identity-requests?state=pending&limit=1&after=${first.nextCursor}`)).json() as ReqPage;
    expect(second).toEqual({ items: [expect.objectContaining({ id: request.id })], nextCursor: null });
    expect((await req(app, as.lead, 'GET', '/api/identity-requests?after=bm90LWEtY3Vyc29y')).json().error.code).toBe('VALIDATION_FAILED');
    await app.database.db.delete(identityAccessRequests).where(eq(identityAccessRequests.id, other));
    const approved = await req(app, as.lead, 'POST', `/api/identity-requests/${request.id}/approve`);
    expect(approved.json()).toMatchObject({ state: 'approved', decidedBy: { id: accounts.lead.id } });
    expect((await req(app, as.lead, 'POST', `/api/identity-requests/${request.id}/refuse`)).statusCode).toBe(409);
    // The approver does not get to read it by approving.
    expect((await req(app, as.lead, 'GET', `/api/cases/${ref}/identity`)).statusCode).toBe(403);
    const opened = await req(app, as.investigator, 'GET', `/api/cases/${ref}/identity`);
    expect(opened.statusCode).toBe(200);
    expect((opened.json() as { keyWraps: Array<{ bodyId: string }> }).keyWraps.map((w) => w.bodyId)).toEqual([ubkt]);
    expect(await audits('case.identity_read', accounts.investigator.id)).toHaveLength(1);
    expect(await audits('case.identity_access_approved', accounts.lead.id)).toHaveLength(1);

    // An approval lapses: after it, reading needs a new request and a new approval.
    await app.database.db.update(identityAccessRequests).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(identityAccessRequests.id, request.id));
    expect((await req(app, as.investigator, 'GET', `/api/cases/${ref}/identity`)).json().error.details.reason).toBe('IDENTITY_ACCESS_NOT_APPROVED');
    const lapsed = (await req(app, as.investigator, 'GET', `/api/cases/${ref}`)).json() as { identity: { exists: boolean; myRequest: { state: string } }; actions: Detail['actions'] };
    expect(lapsed.identity).toMatchObject({ exists: true, myRequest: { state: 'expired' } });
    expect(lapsed.actions.find((a) => a.name === 'request_identity')?.allowed).toBe(true);
  });

  it('refuses a conclusion with a bad signature and writes nothing, then records a signed one', async () => {
    const { version } = await detail(as.lead);
    const text = 'Nội dung phản ánh đúng một phần.';
    const textHash = hashConclusionText(text);
    const ciphertext = toBase64Url(encryptText(filing.caseKey, { caseRef: ref, part: 'conclusion' }, text));
    const keys = accounts.lead.keys;
    if (!keys) throw new Error('lead without keys');
    const forged = signConclusion(generateSigningKeyPair().privateKey, { caseRef: ref, outcome: 'partly_substantiated', textHash });
    const body = { expectedVersion: version, outcome: 'partly_substantiated', ciphertext, textHash: toBase64Url(textHash) };
    const bad = await req(app, as.lead, 'POST', `/api/cases/${ref}/conclusion`, { ...body, signature: toBase64Url(forged) });
    expect(bad.json().error).toMatchObject({ code: 'UNPROCESSABLE', details: { reason: 'BAD_SIGNATURE' } });
    // A true signature over another outcome is just as bad.
    const otherOutcome = signConclusion(keys.sign.privateKey, { caseRef: ref, outcome: 'substantiated', textHash });
    expect((await req(app, as.lead, 'POST', `/api/cases/${ref}/conclusion`, { ...body, signature: toBase64Url(otherOutcome) })).statusCode).toBe(422);
    expect((await detail(as.lead)).version).toBe(version);
    expect(await app.database.db.select().from(caseEnvelopes).where(and(eq(caseEnvelopes.caseId, caseId), eq(caseEnvelopes.part, 'conclusion')))).toHaveLength(0);
    expect(await audits('case.conclude')).toHaveLength(0);

    const good = signConclusion(keys.sign.privateKey, { caseRef: ref, outcome: 'partly_substantiated', textHash });
    const byInvestigator = await req(app, as.investigator, 'POST', `/api/cases/${ref}/conclusion`, { ...body, signature: toBase64Url(good) });
    expect(byInvestigator.json().error.details.reason).toBe('TRANSITION_NOT_PERMITTED');
    const ok = await req(app, as.lead, 'POST', `/api/cases/${ref}/conclusion`, { ...body, signature: toBase64Url(good) });
    expect(ok.json()).toMatchObject({ state: 'concluded', version: version + 1 });
    const content = (await req(app, as.lead, 'GET', `/api/cases/${ref}/content`)).json() as { envelopes: Array<{ part: string; signature: string | null; signerPublicKey: string | null }> };
    expect(content.envelopes.find((e) => e.part === 'conclusion')).toMatchObject({ signature: toBase64Url(good), signerPublicKey: toBase64Url(keys.sign.publicKey) });
    expect((await detail(as.lead)).state).toBe('concluded');
  });

  it('starts the 5-working-day transfer clock only for a case outside the system\'s competence, and records where it was sent', async () => {
    const db = app.database.db;
    type Deadlines = { deadlines: Array<{ kind: string; unit: string; amount: number; state: string; dueOn: string }> };
    const [outside, inside] = [await seedCase(db, world, { bodyIds: [front] }), await seedCase(db, world, { bodyIds: [front] })];
    const classify = (publicRef: string, params: Record<string, unknown>) =>
      req(app, as.reviewer, 'POST', `/api/cases/${publicRef}/transitions`, { transition: 'classify', expectedVersion: 1, params: { classification: 'petition', ...params } });
    expect((await classify(outside.publicRef, { outsideCompetence: true })).json()).toMatchObject({ version: 2 });
    expect((await classify(inside.publicRef, {})).json()).toMatchObject({ version: 2 });

    const clocks = async (publicRef: string) => ((await req(app, as.reviewer, 'GET', `/api/cases/${publicRef}`)).json() as Deadlines).deadlines;
    expect((await clocks(inside.publicRef)).map((d) => d.kind)).not.toContain('transfer');
    // Counted from receipt (seeded 2026-11-02), in working days, on the deployment's calendar.
    const expectedDue = computeDueDate(startDeadline('transfer', '2026-11-02'), await loadCalendar(db));
    expect((await clocks(outside.publicRef)).find((d) => d.kind === 'transfer')).toMatchObject({ unit: 'working', amount: 5, state: 'open', dueOn: expectedDue });

    const sent = await req(app, as.reviewer, 'POST', `/api/cases/${outside.publicRef}/transitions`, { transition: 'transfer', expectedVersion: 2, params: { externalBodyRef: '45/CV-MTTQ' } });
    expect(sent.json()).toMatchObject({ state: 'transferred' });
    expect((await clocks(outside.publicRef)).find((d) => d.kind === 'transfer')?.state).not.toBe('open');
    const timeline = (await req(app, as.reviewer, 'GET', `/api/cases/${outside.publicRef}/timeline`)).json() as { items: Array<{ kind: string; detail: Record<string, unknown> }> };
    expect(timeline.items.find((e) => e.kind === 'case.transfer')?.detail).toMatchObject({ externalBodyRef: '45/CV-MTTQ' });
  });

  it('merges a duplicate into another case keeping both timelines, and forwards only after a key grant', async () => {
    const db = app.database.db;
    const a = await seedCase(db, world, { bodyIds: [front] });
    const b = await seedCase(db, world, { bodyIds: [front] });
    const merged = await req(app, as.reviewer, 'POST', `/api/cases/${a.publicRef}/transitions`, { transition: 'merge', expectedVersion: 1, params: { mergedIntoRef: b.publicRef } });
    expect(merged.json()).toMatchObject({ state: 'filed' });
    const da = (await req(app, as.reviewer, 'GET', `/api/cases/${a.publicRef}`)).json();
    expect(da).toMatchObject({ mergedInto: { publicRef: b.publicRef }, links: [{ publicRef: b.publicRef, kind: 'duplicate' }] });
    const tb = (await req(app, as.reviewer, 'GET', `/api/cases/${b.publicRef}/timeline`)).json() as { items: Array<{ kind: string }> };
    expect(tb.items.map((e) => e.kind)).toContain('case.merged_in');
    expect((await req(app, as.reviewer, 'GET', `/api/cases/${b.publicRef}`)).json().links).toEqual([{ publicRef: a.publicRef, kind: 'duplicate' }]);

    // Linking the cadre concerned: the Front reviewer, versioned, on the timeline.
    const linked = await req(app, as.reviewer, 'PUT', `/api/cases/${b.publicRef}/cadre`, { expectedVersion: 1, cadreId: world.cadreId });
    expect(linked.json()).toEqual({ version: 2 });
    expect((await req(app, as.reviewer, 'PUT', `/api/cases/${b.publicRef}/cadre`, { expectedVersion: 1, cadreId: null })).json().error.code).toBe('STALE_VERSION');
    expect((await req(app, as.reviewer, 'GET', `/api/cases/${b.publicRef}`)).json().cadre).toMatchObject({ id: world.cadreId, position: 'Phó Chủ tịch UBND quận' });
    const shared = await seedCase(db, world, { bodyIds: [front, ubkt] });
    expect((await req(app, as.lead, 'PUT', `/api/cases/${shared.publicRef}/cadre`, { expectedVersion: 1, cadreId: null })).json().error.details.reason).toBe('TRANSITION_NOT_PERMITTED');

    // Recusal: the case disappears for that person only.
    expect((await req(app, as.reviewer2, 'POST', `/api/cases/${shared.publicRef}/recusal`)).statusCode).toBe(204);
    expect((await req(app, as.reviewer2, 'GET', `/api/cases/${shared.publicRef}`)).json().error.details.reason).toBe('RECUSED');
    expect((await req(app, as.reviewer, 'GET', `/api/cases/${shared.publicRef}`)).statusCode).toBe(200);

    const c = await seedCase(db, world, { bodyIds: [front] });
    const cityUbkt = world.bodyIds.get(world.bodyCodes.cityUbkt) ?? '';
    await req(app, as.reviewer, 'POST', `/api/cases/${c.publicRef}/transitions`, { transition: 'classify', expectedVersion: 1, params: { classification: 'petition' } });
    const early = await req(app, as.reviewer, 'POST', `/api/cases/${c.publicRef}/transitions`, { transition: 'refer', expectedVersion: 2, params: { targetBodyId: cityUbkt, isSpecific: true } });
    expect(early.json().error).toMatchObject({ code: 'CONFLICT', details: { reason: 'NO_KEY_GRANT' } });
    const toFront = await req(app, as.reviewer, 'POST', `/api/cases/${c.publicRef}/transitions`, { transition: 'refer', expectedVersion: 2, params: { targetBodyId: front, isSpecific: true } });
    expect(toFront.json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'targetBodyId' } });
    const pair = world.keys.get(cityUbkt);
    if (!pair) throw new Error('no key');
    const sealed = toBase64Url(sealKey(new Uint8Array(32).fill(7), pair.publicKey));
    expect((await req(app, as.investigator, 'POST', `/api/cases/${c.publicRef}/key-grants`, { bodyId: cityUbkt, bodyKeyVersion: 1, sealedKey: sealed })).statusCode).toBe(404);
    expect((await req(app, as.reviewer, 'POST', `/api/cases/${c.publicRef}/key-grants`, { bodyId: cityUbkt, bodyKeyVersion: 9, sealedKey: sealed })).json().error.code).toBe('VALIDATION_FAILED');
    // K never goes to a body whose members may not hold keys (the personnel desk), even one with a signed key.
    const board = await createBody(db, {
      code: `${world.bodyCodes.districtFront}-tcd`, kind: 'organization_board', level: 'district', jurisdictionCode: world.district, nameVi: 'Ban Tổ chức', nameEn: 'Organization board',
    }, world.rootPrivateKey);
    const toBoard = { bodyId: board.id, bodyKeyVersion: 1, sealedKey: toBase64Url(sealKey(new Uint8Array(32).fill(7), board.keyPair?.publicKey ?? new Uint8Array(32))) };
    expect((await req(app, as.reviewer, 'POST', `/api/cases/${c.publicRef}/key-grants`, toBoard)).json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'bodyId' } });
    expect((await req(app, as.reviewer, 'POST', `/api/cases/${c.publicRef}/key-grants`, { bodyId: cityUbkt, bodyKeyVersion: 1, sealedKey: sealed })).statusCode).toBe(201);
    const referred = await req(app, as.reviewer, 'POST', `/api/cases/${c.publicRef}/transitions`, { transition: 'refer', expectedVersion: 2, params: { targetBodyId: cityUbkt, isSpecific: true } });
    expect(referred.json().state).toBe('referred');
    expect((await req(app, as.cityLead, 'GET', `/api/cases/${c.publicRef}`)).json().state).toBe('referred');
    const grants = await db.select().from(auditLog).where(and(eq(auditLog.action, 'case.key_granted'), eq(auditLog.resourceId, c.id)));
    expect(grants.map((g) => g.detail)).toEqual([{ bodyId: cityUbkt, bodyKeyVersion: 1 }]);
  });

  it('never assigns, nor offers for assignment, a member who recused from the case', async () => {
    const c = await seedCase(app.database.db, world, { bodyIds: [front, ubkt], state: 'accepted', recusedStaffIds: [accounts.investigator.id] });
    const d = (await req(app, as.lead, 'GET', `/api/cases/${c.publicRef}`)).json() as Detail & { investigators: Array<{ id: string }> };
    expect(d.investigators.map((i) => i.id)).toEqual([accounts.lead.id]);
    const move = (ids: string[]) => req(app, as.lead, 'POST', `/api/cases/${c.publicRef}/transitions`, { transition: 'assign', expectedVersion: d.version, params: { investigatorIds: ids } });
    expect((await move([accounts.investigator.id])).json().error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'investigatorIds' } });
    expect((await move([accounts.lead.id])).json().state).toBe('verifying');
  });
});
