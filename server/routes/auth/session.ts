import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { sessionOf } from '../../plugins/auth.ts';
import { countPasskeys } from '../../repositories/staff-webauthn.repository.ts';
import { signIn, signOut, signOutEverywhere, stageOf } from '../../services/auth.service.ts';
import { deriveCsrfToken, SESSION_IDLE_MS } from '../../services/session-tokens.ts';
import { isPasskeyAvailable } from '../../services/webauthn.service.ts';
import { LoginSecret, Ok, SessionInfo, SignedIn, Username } from './schemas.ts';

const sessionRoutes: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get('/api/auth/session', {
    schema: { tags: ['auth'], summary: 'The current staff session, its stage and CSRF token', response: { 200: SessionInfo } },
  }, async (request, reply) => {
    void reply.header('cache-control', 'no-store');
    const session = request.staffSession;
    if (!session) return { signedIn: false };
    const p = session.profile;
    return {
      signedIn: true,
      stage: await stageOf(app.database.db, session),
      csrfToken: deriveCsrfToken(app.authDeps.keys.csrf, session.idHash),
      expiresAt: session.expiresAt.toISOString(),
      idleTimeoutSeconds: SESSION_IDLE_MS / 1000,
      mustChangePassphrase: p.mustChangePassphrase,
      hasKeys: p.hasKeys,
      secondFactor: { totp: p.totpEnabled, passkeys: await countPasskeys(app.database.db, p.id) },
      passkeysAvailable: isPasskeyAvailable(app.config.publicOrigin),
      staff: {
        id: p.id, username: p.username, displayName: p.displayName, role: p.role,
        body: { id: p.bodyId, code: p.bodyCode, kind: p.bodyKind, level: p.bodyLevel, jurisdictionCode: p.bodyJurisdiction, nameVi: p.bodyNameVi, nameEn: p.bodyNameEn },
      },
    };
  });

  r.post('/api/auth/sign-in', {
    // Per client: 10 tries a minute. Per account: the lock with backoff in auth.service.
    config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
    schema: {
      tags: ['auth'],
      summary: 'First step of a staff sign-in: the login secret derived from the passphrase in the browser',
      body: Type.Object({ username: Username, loginSecret: LoginSecret }),
      response: { 200: SignedIn },
    },
  }, async (request, reply) => {
    const result = await signIn(app.authDeps, request.body);
    app.setSessionCookie(reply, result.session.token);
    return { stage: result.stage, csrfToken: result.session.csrfToken };
  });

  r.post('/api/auth/sign-out', {
    preHandler: app.requireStaff({ allowPending: true, allowPassphraseChange: true }),
    schema: { tags: ['auth'], summary: 'Ends this session', response: { 200: Ok } },
  }, async (request, reply) => {
    await signOut(app.authDeps, sessionOf(request));
    app.clearSessionCookie(reply);
    return { ok: true as const };
  });

  r.post('/api/auth/sign-out-everywhere', {
    preHandler: app.requireStaff({ allowPassphraseChange: true }),
    schema: { tags: ['auth'], summary: 'Ends every session of this account, on every device', response: { 200: Type.Object({ ok: Type.Literal(true), sessionsEnded: Type.Integer() }) } },
  }, async (request, reply) => {
    const sessionsEnded = await signOutEverywhere(app.authDeps, sessionOf(request));
    app.clearSessionCookie(reply);
    return { ok: true as const, sessionsEnded };
  });
};

export default sessionRoutes;
