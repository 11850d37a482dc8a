// The inspection lead's hold decisions (tạm dừng công tác cán bộ) and the retaliation watch.
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { actorOfRequest } from '../../plugins/auth.ts';
import { HOLD_STATES } from '../../domain/vocabulary.ts';
import type { HoldAction } from '../../domain/policy.ts';
import { decideHold, listHoldsForLead, loadHoldResource, type HoldDecisionInput } from '../../services/hold.service.ts';
import { listAdverseForReview, protectReporter } from '../../services/retaliation.service.ts';
import { QueryInt, limitOf } from '../admin/schemas.ts';
import { Cursor, Day, HoldView, LeadHoldItem, Nullable, Text } from '../personnel/schemas.ts';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const tags = ['holds'];
const Version = Type.Optional(Type.Integer({ minimum: 1 }));

const DECISIONS = [
  { path: 'confirm', action: 'hold.confirm', summary: 'Confirm a proposed hold with its legal basis and scope',
    body: Type.Object({ legalBasis: Text(500), scope: Text(500), reviewOn: Type.Optional(Day), expectedVersion: Version }, { additionalProperties: false }) },
  { path: 'refuse', action: 'hold.refuse', summary: 'Refuse a proposed hold, with a reason',
    body: Type.Object({ reason: Text(1000), expectedVersion: Version }, { additionalProperties: false }) },
  { path: 'renew', action: 'hold.renew', summary: 'Renew a hold in force (or answer a missed review), with a reason',
    body: Type.Object({ reason: Text(1000), reviewOn: Type.Optional(Day), expectedVersion: Version }, { additionalProperties: false }) },
  { path: 'lift', action: 'hold.lift', summary: 'Lift a hold by the lead’s own decision, with a reason',
    body: Type.Object({ reason: Text(1000), expectedVersion: Version }, { additionalProperties: false }) },
  { path: 'proceed-anyway', action: 'hold.proceed_anyway_record', summary: 'Record a competent body’s decision to let the held action through',
    body: Type.Object({ decisionRef: Text(200), bodyId: Type.Optional(Type.String({ format: 'uuid' })), expectedVersion: Version }, { additionalProperties: false }) },
] as const;

const holdRoutes: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const db = app.database.db;
  const ownBody = (action: HoldAction) => app.authorize(action, (_request, actor) => ({ placedByBodyId: actor.bodyId, cadreId: '', recusedStaffIds: [] }));

  r.get('/api/holds', {
    preHandler: ownBody('hold.confirm'),
    schema: {
      tags, summary: 'Holds placed by your body’s cases: proposals to decide and holds in force',
      querystring: Type.Object({
        state: Type.Optional(Type.Union([Type.Enum(HOLD_STATES), Type.Literal('open')])), after: Type.Optional(Cursor),
        limit: Type.Optional(QueryInt('page size, 1-100')),
      }),
      response: { 200: Type.Object({ items: Type.Array(LeadHoldItem), nextCursor: Nullable(Type.String()) }) },
    },
  }, async (request, reply) => {
    void reply.header('cache-control', 'no-store');
    return listHoldsForLead(db, actorOfRequest(request), { ...request.query, limit: limitOf(request.query.limit, 50, 100) });
  });

  for (const d of DECISIONS) {
    r.post(`/api/holds/:id/${d.path}`, {
      preHandler: app.authorize(d.action, async (request) => loadHoldResource(db, (request.params as { id: string }).id)),
      schema: { tags, summary: d.summary, params: IdParams, body: d.body, response: { 200: HoldView } },
    }, async (request) => {
      const actor = actorOfRequest(request);
      const body = request.body as Record<string, unknown>;
      const input = (d.path === 'proceed-anyway'
        ? { decision: 'proceed_anyway', ...body, bodyId: body['bodyId'] ?? actor.bodyId }
        : { decision: d.path, ...body }) as HoldDecisionInput;
      return decideHold({ db, config: app.config }, actor, request.params.id, input);
    });
  }

  r.post('/api/holds/protected-reporters', {
    preHandler: app.authorize('hold.protect_reporter', (request, actor) => ({ placedByBodyId: actor.bodyId, cadreId: (request.body as { cadreId: string }).cadreId, recusedStaffIds: [] })),
    schema: {
      tags, summary: 'Mark the identified reporter of a case you handle, a cadre in the directory, as protected',
      body: Type.Object({ publicRef: Type.String({ pattern: '^[A-Z0-9-]{4,40}$' }), cadreId: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ cadreId: Type.String(), protectedReporter: Type.Literal(true) }) },
    },
  }, async (request) => protectReporter({ db }, actorOfRequest(request), request.body));

  r.get('/api/holds/adverse-reviews', {
    preHandler: ownBody('hold.review_adverse'),
    schema: {
      tags, summary: 'Adverse actions about reporters your body protects, awaiting or holding a review',
      querystring: Type.Object({ after: Type.Optional(Cursor), limit: Type.Optional(QueryInt('page size, 1-100')) }),
      response: { 200: Type.Object({ items: Type.Array(Type.Object({
        id: Type.String(), cadreId: Type.String(), cadreName: Type.String(), cadrePosition: Type.String(), kind: Type.String(), state: Type.String(),
        positionTitle: Type.String(), proposedOn: Type.String(), reviewOutcome: Nullable(Type.String()), reviewRef: Nullable(Type.String()),
      })), nextCursor: Nullable(Type.String()) }) },
    },
  }, async (request, reply) => {
    void reply.header('cache-control', 'no-store');
    return listAdverseForReview(db, actorOfRequest(request), { ...request.query, limit: limitOf(request.query.limit, 50, 100) });
  });
};

export default holdRoutes;
