// The second factor: TOTP codes (every account), passkeys where the browser offers them.
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import { sessionOf } from '../../plugins/auth.ts';
import { confirmTotpEnrolment, startTotpEnrolment, verifyTotpSignIn } from '../../services/auth.service.ts';
import {
  passkeyRegistrationOptions, passkeySignInOptions, verifyPasskeyRegistration, verifyPasskeySignIn,
} from '../../services/webauthn.service.ts';
import { Ok, SignedIn, TotpCode } from './schemas.ts';

// WebAuthn JSON is checked field by field by @simplewebauthn; here only its outer shape.
const WebauthnJson = Type.Object({}, { additionalProperties: true });
const strict = { max: 10, timeWindow: '1 minute' };

const secondFactorRoutes: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const pending = app.requireStaff({ allowPending: true });
  const webauthnDeps = () => ({ ...app.authDeps, config: app.config });

  r.post('/api/auth/totp', {
    preHandler: pending,
    config: { rateLimit: strict },
    schema: {
      tags: ['auth'], summary: 'Second factor: a code from the authenticator app (each code works once)',
      body: Type.Object({ code: TotpCode }), response: { 200: SignedIn },
    },
  }, async (request, reply) => {
    const opened = await verifyTotpSignIn(app.authDeps, sessionOf(request), request.body.code);
    app.setSessionCookie(reply, opened.token);
    return { stage: 'complete' as const, csrfToken: opened.csrfToken };
  });

  r.post('/api/auth/totp/enrolment', {
    preHandler: pending,
    config: { rateLimit: strict },
    schema: {
      tags: ['auth'], summary: 'First sign-in: a new authenticator secret (otpauth URI and base32)',
      response: { 200: Type.Object({ secret: Type.String(), otpauthUri: Type.String() }) },
    },
  }, async (request, reply) => {
    void reply.header('cache-control', 'no-store');
    return startTotpEnrolment(app.authDeps, sessionOf(request));
  });

  r.post('/api/auth/totp/enrolment/confirm', {
    preHandler: pending,
    config: { rateLimit: strict },
    schema: {
      tags: ['auth'], summary: 'Confirms the authenticator with its first code; completes the sign-in',
      body: Type.Object({ code: TotpCode }), response: { 200: SignedIn },
    },
  }, async (request, reply) => {
    const opened = await confirmTotpEnrolment(app.authDeps, sessionOf(request), request.body.code);
    app.setSessionCookie(reply, opened.token);
    return { stage: 'complete' as const, csrfToken: opened.csrfToken };
  });

  r.post('/api/auth/passkey/options', {
    preHandler: pending,
    config: { rateLimit: strict },
    schema: { tags: ['auth'], summary: 'Second factor by passkey: the WebAuthn request options', response: { 200: WebauthnJson } },
  }, async (request) => passkeySignInOptions(webauthnDeps(), sessionOf(request)));

  r.post('/api/auth/passkey', {
    preHandler: pending,
    config: { rateLimit: strict },
    schema: { tags: ['auth'], summary: 'Second factor by passkey: the signed assertion', body: Type.Object({ response: WebauthnJson }), response: { 200: SignedIn } },
  }, async (request, reply) => {
    const opened = await verifyPasskeySignIn(webauthnDeps(), sessionOf(request), request.body.response as unknown as AuthenticationResponseJSON);
    app.setSessionCookie(reply, opened.token);
    return { stage: 'complete' as const, csrfToken: opened.csrfToken };
  });

  r.post('/api/auth/passkeys/registration-options', {
    preHandler: app.requireStaff(),
    schema: { tags: ['auth'], summary: 'Adds a passkey: the WebAuthn creation options', response: { 200: WebauthnJson } },
  }, async (request) => passkeyRegistrationOptions(webauthnDeps(), sessionOf(request)));

  r.post('/api/auth/passkeys', {
    preHandler: app.requireStaff(),
    schema: { tags: ['auth'], summary: 'Adds a passkey: the new credential', body: Type.Object({ response: WebauthnJson }), response: { 200: Ok } },
  }, async (request) => {
    await verifyPasskeyRegistration(webauthnDeps(), sessionOf(request), request.body.response as unknown as RegistrationResponseJSON);
    return { ok: true as const };
  });
};

export default secondFactorRoutes;
