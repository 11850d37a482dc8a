// Body keys: the public signed directory, and the member-side creation and grants.
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { actorOfRequest } from '../../plugins/auth.ts';
import { getGrantTarget } from '../../repositories/keys.repository.ts';
import {
  bodyKeyHolderResource, createBodyKeyVersion, getBodyKeyStatus, getKeyDirectory, grantBodyKey,
} from '../../services/body-keys.service.ts';
import type { Role } from '../../domain/vocabulary.ts';
import { B64, Ok, RoleSchema } from '../auth/schemas.ts';

const DirectoryEntry = Type.Object({
  bodyId: Type.String(), bodyCode: Type.String(), kind: Type.String(), level: Type.String(), jurisdictionCode: Type.String(),
  nameVi: Type.String(), nameEn: Type.String(),
  keyVersion: Type.Integer(), publicKey: Type.String(), createdAt: Type.String({ description: 'YYYY-MM-DD, part of the signed entry' }),
  signature: Type.String(),
});
const Directory = Type.Object({ rootPublicKey: Type.String(), rootKeyFingerprint: Type.String(), entries: Type.Array(DirectoryEntry) });

const KeyVersion = Type.Object({
  keyVersion: Type.Integer(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('current'), Type.Literal('retired')]),
  publicKey: Type.String(), createdAt: Type.String(), signature: Type.Union([Type.String(), Type.Null()]),
});
const Member = Type.Object({
  staffId: Type.String(), username: Type.String(), displayName: Type.String(), role: RoleSchema,
  boxPublicKey: Type.Union([Type.String(), Type.Null()]), heldVersions: Type.Array(Type.Integer()), eligible: Type.Boolean(),
});
const BodyKeyStatus = Type.Object({ bodyId: Type.String(), rotationNeeded: Type.Boolean(), versions: Type.Array(KeyVersion), members: Type.Array(Member) });
const BodyParams = Type.Object({ bodyId: Type.String({ format: 'uuid' }) });

const bodyKeyRoutes: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const deps = () => ({ db: app.database.db, now: app.authDeps.now });
  const bodyIdOf = (request: { params: unknown }) => (request.params as { bodyId: string }).bodyId;
  // Creating a version or listing whom to grant to: what a key-granting member of the body may do.
  const asKeyHolder = app.authorize('key.grant_body_key', (request, actor) => bodyKeyHolderResource(actor, bodyIdOf(request)));

  r.get('/api/keys/directory', {
    schema: {
      tags: ['keys'],
      summary: 'Every active body’s current public key with the root key’s signature; browsers verify each against the root key built into the web app',
      response: { 200: Directory },
    },
  }, async (_request, reply) => {
    void reply.header('cache-control', 'no-store');
    return getKeyDirectory(app.database.db);
  });

  r.get('/api/keys/bodies/:bodyId', {
    preHandler: asKeyHolder,
    schema: { tags: ['keys'], summary: 'A body’s key versions and which members hold them', params: BodyParams, response: { 200: BodyKeyStatus } },
  }, async (request, reply) => {
    void reply.header('cache-control', 'no-store');
    return getBodyKeyStatus(app.database.db, actorOfRequest(request), request.params.bodyId);
  });

  r.post('/api/keys/bodies/:bodyId/versions', {
    preHandler: asKeyHolder,
    schema: {
      tags: ['keys'],
      summary: 'A new body key version made in the browser (pending until the offline root key signs it), sealed to its creator',
      params: BodyParams,
      body: Type.Object({ publicKey: B64(64), sealedPrivateKey: B64(200) }),
      response: { 201: Type.Object({ keyVersion: Type.Integer() }) },
    },
  }, async (request, reply) => {
    const created = await createBodyKeyVersion(deps(), actorOfRequest(request), request.params.bodyId, request.body);
    return reply.status(201).send(created);
  });

  r.post('/api/keys/bodies/:bodyId/grants', {
    preHandler: app.authorize('key.grant_body_key', async (request) => {
      const body = request.body as { staffId: string };
      const target = await getGrantTarget(app.database.db, body.staffId);
      // An unknown member is simply not an eligible target; the policy answers as for any other.
      return target
        ? { bodyId: bodyIdOf(request), targetStaffId: target.id, targetRole: target.role as Role, targetBodyId: target.bodyId }
        : { bodyId: bodyIdOf(request), targetStaffId: body.staffId, targetRole: 'administrator' as Role, targetBodyId: '' };
    }),
    schema: {
      tags: ['keys'],
      summary: 'Grants a body key version to a member: the private key sealed in the granter’s browser to the member’s public key',
      params: BodyParams,
      body: Type.Object({ staffId: Type.String({ format: 'uuid' }), keyVersion: Type.Integer({ minimum: 1 }), sealedPrivateKey: B64(200) }),
      response: { 201: Ok },
    },
  }, async (request, reply) => {
    await grantBodyKey(deps(), actorOfRequest(request), request.params.bodyId, request.body);
    return reply.status(201).send({ ok: true as const });
  });
};

export default bodyKeyRoutes;
