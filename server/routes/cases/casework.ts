// The staff casework API (docs/casework-api.md): the queue, one case's data, and the
// actions on it. Every route asks the policy through app.authorize; a case the actor may
// not see answers NOT_FOUND. Services do the work.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { createBlobStore } from '../../blobs/blob-store.ts';
import type { Actor, CaseAction } from '../../domain/policy.ts';
import { QUEUE_PAGE_DEFAULT } from '../../domain/queue.ts';
import { actorOfRequest } from '../../plugins/auth.ts';
import {
  AttachmentParams, CadreLinkBody, CaseDetail, CaseRefParams, ConclusionBody, ContentResponse, CountsQuery, CountsResponse, IdResponse, IdentityRequest,
  IdentityRequestBody, IdentityResponse, KeyGrantBody, LabelsBody, LabelsResponse, LinkBody, MessagesResponse, NoteBody, PageAfterQuery,
  QueueQuery, QueueResponse, TimelineResponse, TransitionBody, TransitionResponse, VersionResponse,
} from '../../schemas/casework.ts';
import { addNote, grantCaseKey, openAttachment, readContent } from '../../services/case-content.service.ts';
import { countCases, listQueue } from '../../services/case-queue.service.ts';
import {
  addLink, getCaseDetail, linkCadre, recuse, getMessages, getTimeline, loadCaseFor, recordExport, setLabels, transitionCase, type LoadedCase,
} from '../../services/casework.service.ts';
import { concludeCase } from '../../services/conclusion.service.ts';
import { readIdentity, requestIdentity } from '../../services/identity-access.service.ts';

// The case the policy decided on, handed from the guard to the handler without a second read.
const decided = new WeakMap<FastifyRequest, LoadedCase & { publicRef: string }>();

const pageOf = (q: { after?: string | undefined; limit?: string | undefined }, max: number) => ({
  after: q.after ? Number(q.after) : 0,
  limit: Math.min(q.limit ? Number(q.limit) : QUEUE_PAGE_DEFAULT, max),
});

const caseworkRoutes: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const db = app.database.db;
  const blobs = createBlobStore(app.config);

  const guard = (action: Exclude<CaseAction, 'case.list' | 'case.submit_on_behalf'>) =>
    app.authorize(action, async (request: FastifyRequest, actor: Actor) => {
      const { publicRef } = request.params as { publicRef: string };
      const res = await loadCaseFor(db, publicRef, actor);
      decided.set(request, { ...res, publicRef });
      return res;
    });
  const caseOf = (request: FastifyRequest): LoadedCase & { publicRef: string } => {
    const res = decided.get(request);
    if (!res) throw new Error('authorize did not run');
    return res;
  };
  const tags = ['casework'];

  r.get('/api/cases', {
    preHandler: app.authorize('case.list', (_request, actor) => ({ bodyId: actor.bodyId })),
    schema: { tags, summary: 'The signed-in staff member’s queue, in deadline order, a keyset page at a time', querystring: QueueQuery, response: { 200: QueueResponse } },
  }, async (request) => listQueue({ db }, actorOfRequest(request), request.query));

  r.get('/api/cases/counts', {
    preHandler: app.authorize('case.list', (_request, actor) => ({ bodyId: actor.bodyId })),
    schema: { tags, summary: 'Counts of the queue under the same filters', querystring: CountsQuery, response: { 200: CountsResponse } },
  }, async (request) => countCases({ db }, actorOfRequest(request), request.query));

  r.get('/api/cases/:publicRef', {
    preHandler: guard('case.read_metadata'),
    schema: { tags, summary: 'One case: metadata, bodies, deadlines and the actions open to the actor', params: CaseRefParams, response: { 200: CaseDetail } },
  }, async (request) => getCaseDetail(db, actorOfRequest(request), caseOf(request)));

  r.get('/api/cases/:publicRef/timeline', {
    preHandler: guard('case.read_metadata'),
    schema: { tags, summary: 'The case timeline (ids and codes)', params: CaseRefParams, querystring: PageAfterQuery, response: { 200: TimelineResponse } },
  }, async (request) => {
    const { after, limit } = pageOf(request.query, 200);
    return getTimeline(db, caseOf(request), after, limit);
  });

  r.get('/api/cases/:publicRef/content', {
    preHandler: guard('case.read_content'),
    schema: { tags, summary: 'Envelopes, this body’s wraps of K and the attachment list (audited)', params: CaseRefParams, response: { 200: ContentResponse } },
  }, async (request) => readContent(db, actorOfRequest(request), caseOf(request)));

  r.get('/api/cases/:publicRef/attachments/:attachmentId', {
    preHandler: guard('case.read_content'),
    schema: { tags, summary: 'One attachment’s ciphertext (audited)', params: AttachmentParams },
  }, async (request, reply) => {
    const file = await openAttachment({ db, blobs }, actorOfRequest(request), caseOf(request), request.params.attachmentId);
    const { Readable } = await import('node:stream');
    return reply.type('application/octet-stream').header('content-length', String(file.bytes)).header('cache-control', 'no-store')
      .send(Readable.from(file.stream));
  });

  r.get('/api/cases/:publicRef/messages', {
    preHandler: guard('case.read_content'),
    schema: { tags, summary: 'Messages with the reporter', params: CaseRefParams, querystring: PageAfterQuery, response: { 200: MessagesResponse } },
  }, async (request) => {
    const { after, limit } = pageOf(request.query, 200);
    return getMessages(db, actorOfRequest(request), caseOf(request), after, limit);
  });

  r.post('/api/cases/:publicRef/transitions', {
    // Visibility here; the transition itself is decided in the service (decide + planTransition).
    preHandler: guard('case.read_metadata'),
    schema: { tags, summary: 'Move the case (classify, refer, accept, pause, …)', params: CaseRefParams, body: TransitionBody, response: { 200: TransitionResponse } },
  }, async (request) => transitionCase(db, actorOfRequest(request), caseOf(request), request.body));

  r.post('/api/cases/:publicRef/notes', {
    preHandler: guard('case.note'),
    schema: { tags, summary: 'An internal note encrypted under K', params: CaseRefParams, body: NoteBody, response: { 201: IdResponse } },
  }, async (request, reply) => reply.status(201).send({ id: await addNote(db, actorOfRequest(request), caseOf(request), request.body.ciphertext) }));

  r.put('/api/cases/:publicRef/labels', {
    preHandler: guard('case.note'),
    schema: { tags, summary: 'Replace the case’s labels (short codes)', params: CaseRefParams, body: LabelsBody, response: { 200: LabelsResponse } },
  }, async (request) => ({ labels: await setLabels(db, actorOfRequest(request), caseOf(request), request.body.labels) }));

  r.post('/api/cases/:publicRef/links', {
    preHandler: guard('case.note'),
    schema: { tags, summary: 'Link another case the actor can see', params: CaseRefParams, body: LinkBody },
  }, async (request, reply) => {
    await addLink(db, actorOfRequest(request), caseOf(request), request.body.publicRef, request.body.kind);
    return reply.status(204).send();
  });

  r.put('/api/cases/:publicRef/cadre', {
    // Decided in the service as 'whoever may classify now' (the Front reviewer in triage).
    preHandler: guard('case.read_metadata'),
    schema: { tags, summary: 'Link the cadre the report concerns (or null to unlink)', params: CaseRefParams, body: CadreLinkBody, response: { 200: VersionResponse } },
  }, async (request) => linkCadre(db, actorOfRequest(request), caseOf(request), request.body.cadreId, request.body.expectedVersion));

  r.post('/api/cases/:publicRef/recusal', {
    preHandler: guard('case.recuse'),
    schema: { tags, summary: 'Recuse yourself from the case (it disappears from your queue and pages)', params: CaseRefParams },
  }, async (request, reply) => {
    await recuse(db, actorOfRequest(request), caseOf(request));
    return reply.status(204).send();
  });

  r.post('/api/cases/:publicRef/key-grants', {
    preHandler: guard('case.forward'),
    schema: { tags, summary: 'Grant K, sealed in the browser, to a body the case was not sealed to (audited)', params: CaseRefParams, body: KeyGrantBody },
  }, async (request, reply) => {
    const added = await grantCaseKey(db, actorOfRequest(request), caseOf(request), request.body);
    return reply.status(added ? 201 : 200).send();
  });

  r.post('/api/cases/:publicRef/conclusion', {
    preHandler: guard('case.read_metadata'),
    schema: { tags, summary: 'Sign and record the conclusion, then conclude', params: CaseRefParams, body: ConclusionBody, response: { 200: TransitionResponse } },
  }, async (request) => concludeCase(db, actorOfRequest(request), caseOf(request), request.body));

  r.post('/api/cases/:publicRef/exports', {
    preHandler: guard('case.export'),
    schema: { tags, summary: 'Record that the case was exported (the page is made in the browser)', params: CaseRefParams },
  }, async (request, reply) => {
    await recordExport(db, actorOfRequest(request), caseOf(request));
    return reply.status(204).send();
  });

  r.post('/api/cases/:publicRef/identity-requests', {
    preHandler: guard('case.read_content'),
    schema: { tags, summary: 'Ask to open the reporter’s identity, with a reason', params: CaseRefParams, body: IdentityRequestBody, response: { 201: IdentityRequest } },
  }, async (request, reply) => reply.status(201).send(await requestIdentity(db, actorOfRequest(request), caseOf(request), request.body)));

  r.get('/api/cases/:publicRef/identity', {
    preHandler: guard('case.read_identity'),
    schema: { tags, summary: 'The sealed identity part, after an approved request (audited)', params: CaseRefParams, response: { 200: IdentityResponse } },
  }, async (request) => readIdentity(db, actorOfRequest(request), caseOf(request)));
};

export default caseworkRoutes;
