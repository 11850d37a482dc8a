// Pass two: who is asking. Loads the staff session from its cookie, and gives routes two
// guards: requireStaff() for a member's own account, authorize(action, loadResource) for
// everything the access policy decides. Routes never decide access themselves.
import fp from 'fastify-plugin';
import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { AppError } from '../domain/errors.ts';
import { assertAllowed, decide, type Action, type Actor, type ResourceFor } from '../domain/policy.ts';
import { deriveSubkey, loadServerSecret } from '../secrets.ts';
import type { RecoveryDeps } from '../services/auth-recovery.service.ts';
import { actorOf, loadSession, type StaffSession } from '../services/session.service.ts';
import { isCsrfTokenValid } from '../services/session-tokens.ts';

export type AuthPluginOptions = {
  /** Injected by tests to move time (timeouts, TOTP steps) without sleeping. */
  clock?: () => Date;
};

export type StaffGuard = {
  /** A session that has not passed the second factor yet (sign-in and enrolment steps). */
  allowPending?: boolean;
  /** Reachable while a temporary passphrase still has to be replaced. */
  allowPassphraseChange?: boolean;
};

type ResourceLoader<A extends Action> = (request: FastifyRequest, actor: Actor) => ResourceFor<A> | Promise<ResourceFor<A>>;

declare module 'fastify' {
  interface FastifyInstance {
    /** Services' dependencies for authentication: the database, server-secret subkeys, the clock. */
    authDeps: RecoveryDeps;
    requireStaff: (guard?: StaffGuard) => preHandlerAsyncHookHandler;
    authorize: <A extends Action>(action: A, ...loadResource: ResourceFor<A> extends null ? [] : [ResourceLoader<A>]) => preHandlerAsyncHookHandler;
    setSessionCookie: (reply: FastifyReply, token: string) => void;
    clearSessionCookie: (reply: FastifyReply) => void;
  }
  interface FastifyRequest {
    staffSession: StaffSession | null;
    actor: Actor | null;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The signed-in member of a guarded route (the guard has run, so it is there). */
export function sessionOf(request: FastifyRequest): StaffSession {
  if (!request.staffSession) throw new AppError('UNAUTHENTICATED');
  return request.staffSession;
}

export function actorOfRequest(request: FastifyRequest): Actor {
  if (!request.actor) throw new AppError('UNAUTHENTICATED');
  return request.actor;
}

export default fp<AuthPluginOptions>(
  async (app: FastifyInstance, opts) => {
    const secure = app.config.publicOrigin.startsWith('https://');
    // __Host- pins the cookie to this exact origin (Secure, Path=/, no Domain); over plain
    // http (the demo, an onion address) the prefix is not allowed.
    const cookieName = secure ? '__Host-mb_staff' : 'mb_staff';
    const secret = await loadServerSecret(app.config);
    const keys = {
      csrf: deriveSubkey(secret, 'csrf'),
      totp: deriveSubkey(secret, 'totp-at-rest'),
      recovery: deriveSubkey(secret, 'recovery-challenge'),
      decoy: deriveSubkey(secret, 'demo-decoy'),
    };
    const now = opts.clock ?? (() => new Date());

    await app.register(cookie);
    app.decorate('authDeps', { db: app.database.db, keys, now });
    app.decorateRequest('staffSession', null);
    app.decorateRequest('actor', null);

    app.decorate('setSessionCookie', (reply: FastifyReply, token: string) => {
      void reply.setCookie(cookieName, token, { path: '/', httpOnly: true, secure, sameSite: 'strict' });
    });
    app.decorate('clearSessionCookie', (reply: FastifyReply) => {
      void reply.clearCookie(cookieName, { path: '/', httpOnly: true, secure, sameSite: 'strict' });
    });

    app.addHook('onRequest', async (request) => {
      // Citizens carry no cookie, so public requests never cost a session lookup.
      const token = request.cookies[cookieName];
      if (!token || !request.url.startsWith('/api/')) return;
      const session = await loadSession(app.database.db, token, now());
      request.staffSession = session;
      request.actor = session?.secondFactorDone ? actorOf(session.profile) : null;
    });

    const check = (request: FastifyRequest, guard: StaffGuard): StaffSession => {
      const session = request.staffSession;
      if (!session) throw new AppError('UNAUTHENTICATED');
      if (!SAFE_METHODS.has(request.method)) {
        const header = request.headers['x-csrf-token'];
        if (!isCsrfTokenValid(keys.csrf, session.idHash, typeof header === 'string' ? header : undefined)) throw new AppError('CSRF_FAILED');
      }
      if (!session.secondFactorDone && !guard.allowPending) throw new AppError('SECOND_FACTOR_REQUIRED');
      if (session.secondFactorDone && session.profile.mustChangePassphrase && !guard.allowPassphraseChange) {
        throw new AppError('FORBIDDEN', 'Replace your temporary passphrase first.', { reason: 'PASSPHRASE_CHANGE_REQUIRED' });
      }
      return session;
    };

    app.decorate('requireStaff', (guard: StaffGuard = {}): preHandlerAsyncHookHandler => async (request) => {
      check(request, guard);
    });

    app.decorate('authorize', <A extends Action>(action: A, ...loader: [] | [ResourceLoader<A>]): preHandlerAsyncHookHandler => async (request) => {
      const session = check(request, {});
      const actor = request.actor ?? actorOf(session.profile);
      const load = loader[0];
      const resource = (load ? await load(request, actor) : null) as ResourceFor<A>;
      assertAllowed(decide(actor, action, resource));
    });
  },
  { name: 'auth', dependencies: ['infrastructure', 'errors', 'security'] },
);
