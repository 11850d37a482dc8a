// Administrators: bodies. Never case content, never a private key.
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { actorOfRequest } from '../../plugins/auth.ts';
import { createBodyAsAdmin, deactivateBody, listBodies } from '../../services/admin.service.ts';
import { Ok } from '../auth/schemas.ts';
import { BodyItem, Cursor, IdParams, Limit, NewBody, limitOf } from './schemas.ts';

const adminBodyRoutes: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const deps = () => ({ db: app.database.db, now: app.authDeps.now });
  const mayManage = app.authorize('body.manage');

  r.get('/api/admin/bodies', {
    preHandler: mayManage,
    schema: {
      tags: ['admin'], summary: 'Bodies, a page at a time (ordered by code)',
      querystring: Type.Object({ cursor: Cursor, limit: Limit }),
      response: { 200: Type.Object({ items: Type.Array(BodyItem), nextCursor: Type.Union([Type.String(), Type.Null()]) }) },
    },
  }, async (request) => {
    const result = await listBodies(app.database.db, { ...request.query, limit: limitOf(request.query.limit, 25, 100) });
    return {
      nextCursor: result.nextCursor,
      items: result.items.map((b) => ({
        id: b.id, code: b.code, kind: b.kind, level: b.level, jurisdictionCode: b.jurisdictionCode, nameVi: b.nameVi, nameEn: b.nameEn,
        active: b.active, members: b.members, currentKeyVersion: b.currentKeyVersion, pendingKeyVersion: b.pendingKeyVersion,
        keyRotationNeeded: b.keyRotationNeededAt !== null,
      })),
    };
  });

  r.post('/api/admin/bodies', {
    preHandler: mayManage,
    schema: { tags: ['admin'], summary: 'Creates a body; its first member creates the body key', body: NewBody, response: { 201: Type.Object({ id: Type.String() }) } },
  }, async (request, reply) => reply.status(201).send(await createBodyAsAdmin(deps(), actorOfRequest(request), request.body)));

  r.post('/api/admin/bodies/:id/deactivate', {
    preHandler: mayManage,
    schema: { tags: ['admin'], summary: 'Deactivates a body without active members', params: IdParams, response: { 200: Ok } },
  }, async (request) => {
    await deactivateBody(deps(), actorOfRequest(request), request.params.id);
    return { ok: true as const };
  });
};

export default adminBodyRoutes;
