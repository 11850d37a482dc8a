// Personnel actions: the Organization Board records and moves them; approval and execution
// are refused with ACTION_HELD while a hold is in force (see docs/personnel-api.md).
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { actorOfRequest } from '../../plugins/auth.ts';
import { PERSONNEL_ACTION_STATES } from '../../domain/vocabulary.ts';
import type { PersonnelAction } from '../../domain/policy.ts';
import { createAction, getActionDetail, listBodyActions, loadActionResource, moveAction, type MoveInput } from '../../services/personnel.service.ts';
import { loadReviewResource, reviewAdverseAction } from '../../services/retaliation.service.ts';
import { QueryInt, limitOf } from '../admin/schemas.ts';
import { ActionDetail, ActionPage, Cursor, MoveBody, NewAction, ReviewBody } from './schemas.ts';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const tags = ['personnel'];

const MOVES: Array<{ path: string; transition: MoveInput['transition']; action: PersonnelAction; summary: string }> = [
  { path: 'publish-notice', transition: 'publish_notice', action: 'personnel.publish_notice', summary: 'Publish for public comment until noticeUntil' },
  { path: 'submit', transition: 'submit_for_decision', action: 'personnel.update', summary: 'Submit for decision (after the comment period)' },
  { path: 'approve', transition: 'approve', action: 'personnel.approve', summary: 'Approve; refused with ACTION_HELD while held' },
  { path: 'execute', transition: 'execute', action: 'personnel.execute', summary: 'Execute an approved action; refused with ACTION_HELD while held' },
  { path: 'withdraw', transition: 'withdraw', action: 'personnel.withdraw', summary: 'Withdraw; its holds are lifted with that reason' },
];

const personnelRoutes: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const db = app.database.db;
  const deps = { db, config: app.config };
  const byId = async (request: { params: unknown }) => loadActionResource(db, (request.params as { id: string }).id);

  r.get('/api/personnel/actions', {
    preHandler: app.authorize('personnel.update', (_request, actor) => ({ ownerBodyId: actor.bodyId, cadreId: '', holdBodyIds: [] })),
    schema: {
      tags, summary: 'The personnel actions your body records, by proposed date',
      querystring: Type.Object({
        state: Type.Optional(Type.Enum(PERSONNEL_ACTION_STATES)), cadreId: Type.Optional(Type.String({ format: 'uuid' })),
        after: Type.Optional(Cursor), limit: Type.Optional(QueryInt('page size, 1-100')),
      }),
      response: { 200: ActionPage },
    },
  }, async (request, reply) => {
    void reply.header('cache-control', 'no-store');
    return listBodyActions(db, actorOfRequest(request), { ...request.query, limit: limitOf(request.query.limit, 50, 100) });
  });

  r.post('/api/personnel/actions', {
    preHandler: app.authorize('personnel.create', (request, actor) => ({ ownerBodyId: actor.bodyId, cadreId: (request.body as { cadreId: string }).cadreId, holdBodyIds: [] })),
    schema: { tags, summary: 'Record a draft action (a running inspection of the cadre proposes a hold on it)', body: NewAction, response: { 201: ActionDetail } },
  }, async (request, reply) => reply.status(201).send(await createAction(deps, actorOfRequest(request), request.body)));

  r.get('/api/personnel/actions/:id', {
    preHandler: app.authorize('personnel.view_holds', byId),
    schema: { tags, summary: 'One action with its holds (body and review date only) and its history', params: IdParams, response: { 200: ActionDetail } },
  }, async (request, reply) => {
    void reply.header('cache-control', 'no-store');
    return getActionDetail(db, request.params.id);
  });

  for (const move of MOVES) {
    r.post(`/api/personnel/actions/:id/${move.path}`, {
      preHandler: app.authorize(move.action, byId),
      schema: { tags, summary: move.summary, params: IdParams, body: MoveBody, response: { 200: ActionDetail } },
    }, async (request) => moveAction(deps, actorOfRequest(request), request.params.id, { transition: move.transition, ...request.body }));
  }

  r.post('/api/personnel/actions/:id/review', {
    preHandler: app.authorize('hold.review_adverse', async (request) => loadReviewResource(db, (request.params as { id: string }).id)),
    schema: {
      tags, summary: 'The inspection committee’s review of an adverse action about a protected reporter', params: IdParams, body: ReviewBody,
      response: { 200: Type.Object({ id: Type.String(), reviewOutcome: Type.String(), reviewRef: Type.String(), version: Type.Integer() }) },
    },
  }, async (request) => reviewAdverseAction({ db }, actorOfRequest(request), request.params.id, request.body));
};

export default personnelRoutes;
