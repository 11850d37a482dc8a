// DEMO ONLY, registered only when config.mode === 'demo': the current code of a demo
// account, so a newcomer can sign in without installing an authenticator app. The demo
// secrets are published (server/demo/demo-totp.ts); other accounts get nothing here.
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { generate } from 'otplib';
import { AppError } from '../../domain/errors.ts';
import { DEMO_STAFF } from '../../demo/demo-data.ts';
import { demoTotpSecret } from '../../demo/demo-totp.ts';
import { findStaffByUsername, getTotpState } from '../../repositories/staff.repository.ts';
import { TOTP_PERIOD_SECONDS } from '../../services/auth-rules.ts';
import { openTotpSecret, secondsLeftInStep } from '../../services/totp.service.ts';

const DEMO_USERNAMES = new Set(DEMO_STAFF.map((s) => s.username));

const demoRoutes: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get('/api/demo/totp/:username', {
    config: { rateLimit: { max: 30, timeWindow: '1 minute' } },
    schema: {
      tags: ['demo'],
      summary: 'Demo mode only: the current authenticator code of a demo account',
      params: Type.Object({ username: Type.String({ maxLength: 64 }) }),
      response: { 200: Type.Object({ code: Type.String(), secondsLeft: Type.Integer() }) },
    },
  }, async (request, reply) => {
    void reply.header('cache-control', 'no-store');
    const username = request.params.username.toLowerCase();
    if (!DEMO_USERNAMES.has(username)) throw new AppError('NOT_FOUND');
    const account = await findStaffByUsername(app.database.db, username);
    const state = account ? await getTotpState(app.database.db, account.id) : undefined;
    // Only while the account still uses the published demo secret (not after its owner re-enrolled).
    const secret = demoTotpSecret(username);
    if (!account || !state?.secretEnc || !state.enabledAt || openTotpSecret(app.authDeps.keys.totp, account.id, state.secretEnc) !== secret) {
      throw new AppError('NOT_FOUND');
    }
    // Each code works once: after it was used, offer the next step's code (accepted one step early).
    const now = app.authDeps.now();
    const step = Math.floor(now.getTime() / 1000 / TOTP_PERIOD_SECONDS);
    const usable = state.lastStep !== null && state.lastStep >= step ? step + 1 : step;
    const code = await generate({ secret, epoch: usable * TOTP_PERIOD_SECONDS });
    return { code, secondsLeft: secondsLeftInStep(now) + (usable - step) * TOTP_PERIOD_SECONDS };
  });
};

export default demoRoutes;
