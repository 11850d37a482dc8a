// Staff replies to the reporter. The reply is encrypted in the staff member's browser under
// the case key K (part 'message'); the reporter opens it with K from their receipt's wrap.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { actorOfRequest } from '../../plugins/auth.ts';
import { PublicRefParams, StaffMessageBody, StaffMessageResponse } from '../../schemas/intake.ts';
import { loadCaseResource, sendStaffMessage } from '../../services/inbox-staff.service.ts';

// The case the policy decided on, handed from the guard to the handler without a second read.
const decidedCase = new WeakMap<FastifyRequest, string>();

const caseMessageRoutes: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const db = app.database.db;

  r.post('/api/cases/:publicRef/messages', {
    preHandler: app.authorize('case.message_reporter', async (request) => {
      const { publicRef } = request.params as { publicRef: string };
      const resource = await loadCaseResource(db, publicRef);
      decidedCase.set(request, resource.caseId);
      return resource;
    }),
    schema: {
      tags: ['cases'], summary: 'Reply to (or ask) the reporter', params: PublicRefParams, body: StaffMessageBody,
      response: { 201: StaffMessageResponse },
    },
  }, async (request, reply) => {
    const caseId = decidedCase.get(request);
    if (!caseId) throw new Error('authorize did not run');
    const result = await sendStaffMessage({ db }, {
      caseId, staffId: actorOfRequest(request).staffId, ciphertext: request.body.ciphertext, isQuestion: request.body.isQuestion,
    });
    return reply.status(201).send(result);
  });
};

export default caseMessageRoutes;
