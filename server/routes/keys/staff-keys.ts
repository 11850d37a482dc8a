// A member's own keys: the ciphertexts their browser unlocks, and the first upload.
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { sessionOf } from '../../plugins/auth.ts';
import { listMyBodyKeys } from '../../services/body-keys.service.ts';
import { getMyKeys, setUpStaffKeys } from '../../services/staff-keys.service.ts';
import { B64, LoginSecret, Ok } from '../auth/schemas.ts';

const MyKeys = Type.Object({
  hasKeys: Type.Boolean(),
  boxPublicKey: Type.Optional(Type.String()),
  signPublicKey: Type.Optional(Type.String()),
  passphraseBundle: Type.Optional(Type.String()),
  recoveryBundle: Type.Optional(Type.String()),
});

const MyBodyKey = Type.Object({
  bodyId: Type.String(),
  keyVersion: Type.Integer(),
  status: Type.Union([Type.Literal('pending'), Type.Literal('current'), Type.Literal('retired')]),
  publicKey: Type.String(),
  createdAt: Type.String(),
  signature: Type.Union([Type.String(), Type.Null()]),
  sealedPrivateKey: Type.String(),
});

const staffKeyRoutes: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get('/api/keys/me', {
    preHandler: app.requireStaff({ allowPassphraseChange: true }),
    schema: { tags: ['keys'], summary: 'Your public keys and your two encrypted key bundles (passphrase, recovery key)', response: { 200: MyKeys } },
  }, async (request, reply) => {
    void reply.header('cache-control', 'no-store');
    return getMyKeys(app.authDeps, sessionOf(request));
  });

  r.post('/api/keys/me', {
    preHandler: app.requireStaff({ allowPassphraseChange: true }),
    config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
    schema: {
      tags: ['keys'],
      summary: 'First key set-up: public keys and the two encrypted bundles made in the browser (and the new passphrase if the current one is temporary)',
      body: Type.Object({
        currentLoginSecret: LoginSecret,
        newLoginSecret: Type.Optional(LoginSecret),
        boxPublicKey: B64(64),
        signPublicKey: B64(64),
        passphraseBundle: B64(),
        recoveryBundle: B64(),
      }),
      response: { 201: Ok },
    },
  }, async (request, reply) => {
    await setUpStaffKeys(app.authDeps, sessionOf(request), request.body);
    return reply.status(201).send({ ok: true as const });
  });

  r.get('/api/keys/me/body-keys', {
    preHandler: app.requireStaff(),
    schema: { tags: ['keys'], summary: 'The body key versions sealed to you', response: { 200: Type.Object({ items: Type.Array(MyBodyKey) }) } },
  }, async (request, reply) => {
    void reply.header('cache-control', 'no-store');
    return { items: await listMyBodyKeys(app.database.db, sessionOf(request).staffId) };
  });
};

export default staffKeyRoutes;
