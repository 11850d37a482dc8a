// Administrators: staff accounts. A new account gets a temporary passphrase, shown once.
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { actorOfRequest } from '../../plugins/auth.ts';
import {
  createStaffAsAdmin, deactivateStaff, listStaff, moveStaffAsAdmin, resetPassphrase, resetSecondFactor,
} from '../../services/admin.service.ts';
import { Ok, RoleSchema } from '../auth/schemas.ts';
import { Cursor, IdParams, Limit, NewStaff, StaffItem, TemporaryPassphrase, limitOf } from './schemas.ts';

const adminStaffRoutes: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const deps = () => ({ db: app.database.db, now: app.authDeps.now });
  const mayList = app.authorize('staff.manage', () => ({ targetStaffId: '' }));
  // The target is part of the decision: nobody changes their own account.
  const mayManage = app.authorize('staff.manage', (request) => ({ targetStaffId: (request.params as { id: string }).id }));

  r.get('/api/admin/staff', {
    preHandler: mayList,
    schema: {
      tags: ['admin'], summary: 'Staff accounts, a page at a time (ordered by username)',
      querystring: Type.Object({ cursor: Cursor, limit: Limit, bodyId: Type.Optional(Type.String({ format: 'uuid' })) }),
      response: { 200: Type.Object({ items: Type.Array(StaffItem), nextCursor: Type.Union([Type.String(), Type.Null()]) }) },
    },
  }, async (request) => {
    const result = await listStaff(app.database.db, { ...request.query, limit: limitOf(request.query.limit, 25, 100) });
    const now = app.authDeps.now();
    return {
      nextCursor: result.nextCursor,
      items: result.items.map((s) => ({
        id: s.id, username: s.username, displayName: s.displayName, role: s.role, active: s.active, bodyId: s.bodyId, bodyCode: s.bodyCode,
        secondFactor: s.totpEnabled, hasKeys: s.hasKeys, mustChangePassphrase: s.mustChangePassphrase,
        locked: s.lockedUntil !== null && s.lockedUntil.getTime() > now.getTime(), createdAt: s.createdAt.toISOString(),
      })),
    };
  });

  r.post('/api/admin/staff', {
    preHandler: mayList,
    schema: {
      tags: ['admin'], summary: 'Creates an account with a temporary passphrase (shown once, replaced at first sign-in)',
      body: NewStaff, response: { 201: TemporaryPassphrase },
    },
  }, async (request, reply) => {
    void reply.header('cache-control', 'no-store');
    return reply.status(201).send(await createStaffAsAdmin(deps(), actorOfRequest(request), request.body));
  });

  r.post('/api/admin/staff/:id/deactivate', {
    preHandler: mayManage,
    schema: { tags: ['admin'], summary: 'Deactivates an account: sessions end, body-key grants are revoked, the body rotates its key', params: IdParams, response: { 200: Ok } },
  }, async (request) => {
    await deactivateStaff(deps(), actorOfRequest(request), request.params.id);
    return { ok: true as const };
  });

  r.post('/api/admin/staff/:id/move', {
    preHandler: mayManage,
    schema: {
      tags: ['admin'], summary: 'Moves an account to another body or role: grants of the old body are revoked',
      params: IdParams, body: Type.Object({ bodyId: Type.String({ format: 'uuid' }), role: RoleSchema }), response: { 200: Ok },
    },
  }, async (request) => {
    await moveStaffAsAdmin(deps(), actorOfRequest(request), request.params.id, request.body);
    return { ok: true as const };
  });

  r.post('/api/admin/staff/:id/reset-second-factor', {
    preHandler: mayManage,
    schema: { tags: ['admin'], summary: 'Removes the authenticator and passkeys; the member enrols again at the next sign-in', params: IdParams, response: { 200: Ok } },
  }, async (request) => {
    await resetSecondFactor(deps(), actorOfRequest(request), request.params.id);
    return { ok: true as const };
  });

  r.post('/api/admin/staff/:id/reset-passphrase', {
    preHandler: mayManage,
    schema: {
      tags: ['admin'], summary: 'Sets a new temporary passphrase (shown once); the member re-wraps their keys with the recovery key',
      params: IdParams, response: { 200: TemporaryPassphrase },
    },
  }, async (request, reply) => {
    void reply.header('cache-control', 'no-store');
    const result = await resetPassphrase(deps(), actorOfRequest(request), request.params.id);
    return { id: request.params.id, temporaryPassphrase: result.temporaryPassphrase };
  });
};

export default adminStaffRoutes;
