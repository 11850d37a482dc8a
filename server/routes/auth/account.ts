// Passphrase change (signed in) and recovery with the recovery key (signed out).
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { sessionOf } from '../../plugins/auth.ts';
import { completeRecovery, startRecovery } from '../../services/auth-recovery.service.ts';
import { changePassphrase } from '../../services/staff-keys.service.ts';
import { B64, LoginSecret, Ok, TotpCode, Username } from './schemas.ts';

const accountRoutes: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.post('/api/auth/passphrase', {
    preHandler: app.requireStaff({ allowPassphraseChange: true }),
    config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
    schema: {
      tags: ['auth'],
      summary: 'Changes the passphrase: the new login secret and the keys re-wrapped in the browser, together; other sessions end',
      body: Type.Object({
        currentLoginSecret: LoginSecret,
        newLoginSecret: LoginSecret,
        passphraseBundle: Type.Optional(B64()),
        recoveryBundle: Type.Optional(B64()),
      }),
      response: { 200: Ok },
    },
  }, async (request) => {
    await changePassphrase(app.authDeps, sessionOf(request), request.body);
    return { ok: true as const };
  });

  r.post('/api/auth/recovery', {
    config: { rateLimit: { max: 5, timeWindow: '1 minute' } },
    schema: {
      tags: ['auth'],
      summary: 'Recovery, step 1: the recovery bundle to open in the browser and a challenge to sign',
      body: Type.Object({ username: Username }),
      response: { 200: Type.Object({ challenge: Type.String(), recoveryBundle: Type.String(), needsSecondFactor: Type.Boolean() }) },
    },
  }, async (request, reply) => {
    void reply.header('cache-control', 'no-store');
    return startRecovery(app.authDeps, request.body.username);
  });

  r.post('/api/auth/recovery/complete', {
    config: { rateLimit: { max: 5, timeWindow: '1 minute' } },
    schema: {
      tags: ['auth'],
      summary: 'Recovery, step 2: proof of the recovery key, the second factor, and the new passphrase with re-wrapped keys',
      body: Type.Object({
        username: Username,
        challenge: B64(),
        signature: B64(),
        totpCode: Type.Optional(TotpCode),
        newLoginSecret: LoginSecret,
        passphraseBundle: B64(),
        recoveryBundle: B64(),
      }),
      response: { 200: Ok },
    },
  }, async (request) => {
    await completeRecovery(app.authDeps, request.body);
    return { ok: true as const };
  });
};

export default accountRoutes;
