// Security headers and abuse limits.
import { createHmac, randomBytes } from 'node:crypto';
import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import { errorBody } from './errors.ts';

/**
 * Rate-limit buckets are keyed by an HMAC of the client address under a key that exists
 * only in this process's memory and dies with it: the address itself is never kept, logged
 * or sent to Redis. The cost: each API process counts on its own.
 */
const bucketKey = randomBytes(32);
export function clientBucket(ip: string): string {
  return createHmac('sha256', bucketKey).update(ip).digest('base64url').slice(0, 22);
}

export default fp(
  async (app) => {
    await app.register(helmet, {
      global: true,
      // Pages get their own policy from SvelteKit (with hashes for its inline bootstrap);
      // this one covers the API and every other response: nothing from other origins.
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'none'"],
          baseUri: ["'none'"],
          formAction: ["'self'"],
          frameAncestors: ["'none'"],
        },
      },
      crossOriginEmbedderPolicy: false,
      frameguard: { action: 'deny' },
      referrerPolicy: { policy: 'no-referrer' },
      strictTransportSecurity: app.config.publicOrigin.startsWith('https://')
        ? { maxAge: 31_536_000, includeSubDomains: true }
        : false,
    });

    await app.register(rateLimit, {
      global: true,
      max: 600,
      timeWindow: '1 minute',
      keyGenerator: (request) => clientBucket(request.ip),
      // The error handler maps 429 to RATE_LIMITED with the standard shape.
      errorResponseBuilder: (_request, context) => {
        const err = new Error('rate limited') as Error & { statusCode: number; headers: Record<string, string> };
        err.statusCode = 429;
        err.headers = { 'retry-after': String(Math.ceil(context.ttl / 1000)) };
        return err;
      },
    });

    // Unknown addresses are rate limited too, so probing for routes is not free.
    app.setNotFoundHandler(
      { preHandler: app.rateLimit({ max: 120, timeWindow: '1 minute' }) },
      async (request, reply) => reply.status(404).send(errorBody('NOT_FOUND', request.id)),
    );
  },
  { name: 'security', dependencies: ['infrastructure', 'errors'] },
);
