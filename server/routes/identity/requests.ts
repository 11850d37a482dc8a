// Deciding identity requests: the custodian's list and the approve/refuse decision.
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { actorOfRequest } from '../../plugins/auth.ts';
import { IdentityRequest, IdentityRequestParams, IdentityRequestsQuery, IdentityRequestsResponse } from '../../schemas/casework.ts';
import { decideRequest, listDecidableRequests } from '../../services/identity-access.service.ts';

const identityRequestRoutes: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const db = app.database.db;
  const tags = ['casework'];

  // Each request is decided per case by the policy inside the service.
  r.get('/api/identity-requests', {
    preHandler: app.requireStaff(),
    schema: { tags, summary: 'Pending identity requests the actor may decide', querystring: IdentityRequestsQuery, response: { 200: IdentityRequestsResponse } },
  }, async (request) => listDecidableRequests(db, actorOfRequest(request), request.query.after, Math.min(Number(request.query.limit ?? 50), 100)));

  for (const verdict of ['approve', 'refuse'] as const) {
    r.post(`/api/identity-requests/:id/${verdict}`, {
      preHandler: app.requireStaff(),
      schema: { tags, summary: `${verdict === 'approve' ? 'Approve' : 'Refuse'} an identity request (a second person)`, params: IdentityRequestParams, response: { 200: IdentityRequest } },
    }, async (request) => decideRequest(db, actorOfRequest(request), request.params.id, verdict === 'approve' ? 'approved' : 'refused'));
  }
};

export default identityRequestRoutes;
