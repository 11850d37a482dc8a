// The staff home: who you are, your body, and what the policy lets you do from there.
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { actorOfRequest, sessionOf } from '../../plugins/auth.ts';
import { decide } from '../../domain/policy.ts';
import { getBody } from '../../repositories/body.repository.ts';
import { listBodyGrants, listBodyKeyVersions } from '../../repositories/keys.repository.ts';
import { listBodyMembers } from '../../repositories/staff.repository.ts';
import { countPasskeys } from '../../repositories/staff-webauthn.repository.ts';
import { bodyKeyHolderResource } from '../../services/body-keys.service.ts';
import { sessionEndsAt } from '../../services/session-tokens.ts';

const Me = Type.Object({
  may: Type.Object({
    manageBodies: Type.Boolean(),
    manageStaff: Type.Boolean(),
    readAudit: Type.Boolean(),
    manageBodyKey: Type.Boolean(),
    listCases: Type.Boolean(),
    managePersonnel: Type.Boolean(),
    manageDirectory: Type.Boolean(),
    decideHolds: Type.Boolean(),
  }),
  bodyKey: Type.Object({
    hasCurrentKey: Type.Boolean(),
    pendingVersion: Type.Union([Type.Integer(), Type.Null()]),
    rotationNeeded: Type.Boolean(),
    holdsCurrentKey: Type.Boolean(),
    membersWaiting: Type.Integer(),
  }),
  passkeys: Type.Integer(),
  sessionEndsAt: Type.String({ format: 'date-time' }),
});

const staffRoutes: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get('/api/staff/me', {
    preHandler: app.requireStaff(),
    schema: { tags: ['staff'], summary: 'The staff home: your permissions and your body’s key tasks', response: { 200: Me } },
  }, async (request, reply) => {
    void reply.header('cache-control', 'no-store');
    const session = sessionOf(request);
    const actor = actorOfRequest(request);
    const db = app.database.db;
    const manageBodyKey = decide(actor, 'key.grant_body_key', bodyKeyHolderResource(actor, actor.bodyId)).allowed;
    const [body, versions, grants, members, passkeys] = await Promise.all([
      getBody(db, actor.bodyId), listBodyKeyVersions(db, actor.bodyId), listBodyGrants(db, actor.bodyId),
      listBodyMembers(db, actor.bodyId), countPasskeys(db, actor.staffId),
    ]);
    const current = versions.find((v) => v.signature !== null && v.retiredAt === null);
    const pending = versions.find((v) => v.signature === null);
    const holds = (staffId: string, version: number | undefined) => grants.some((g) => g.staffId === staffId && g.keyVersion === version);
    const eligible = members.filter((m) => m.id !== actor.staffId && m.boxPublicKey !== null
      && decide(actor, 'key.grant_body_key', { bodyId: actor.bodyId, targetStaffId: m.id, targetRole: m.role, targetBodyId: actor.bodyId }).allowed);
    return {
      may: {
        manageBodies: decide(actor, 'body.manage', null).allowed,
        manageStaff: decide(actor, 'staff.manage', { targetStaffId: '' }).allowed,
        readAudit: decide(actor, 'audit.read', null).allowed,
        manageBodyKey,
        listCases: decide(actor, 'case.list', { bodyId: actor.bodyId }).allowed,
        managePersonnel: decide(actor, 'personnel.create', { ownerBodyId: actor.bodyId, cadreId: '', holdBodyIds: [] }).allowed,
        manageDirectory: decide(actor, 'cadre.manage', { managingBodyId: actor.bodyId, cadreId: null }).allowed,
        decideHolds: decide(actor, 'hold.confirm', { placedByBodyId: actor.bodyId, cadreId: '', recusedStaffIds: [] }).allowed,
      },
      bodyKey: {
        hasCurrentKey: current !== undefined,
        pendingVersion: pending?.version ?? null,
        rotationNeeded: body?.keyRotationNeededAt != null,
        holdsCurrentKey: holds(actor.staffId, current?.version),
        membersWaiting: manageBodyKey ? eligible.filter((m) => !holds(m.id, current?.version ?? pending?.version)).length : 0,
      },
      passkeys,
      sessionEndsAt: sessionEndsAt({ ...session, revokedAt: null, secondFactorAt: session.createdAt }, app.authDeps.now()).toISOString(),
    };
  });
};

export default staffRoutes;
