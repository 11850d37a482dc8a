// The public intake API (docs/intake-api.md): no cookie, no account. Shared dependencies
// are built once here; multipart parsing is registered only inside this scope.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import multipart from '@fastify/multipart';
import { createBlobStore, type BlobStore } from '../../blobs/blob-store.ts';
import { loadPowKey, type PowKey } from '../../services/pow.service.ts';
import { createReceiptTickets, type ReceiptTickets } from '../../services/nojs.service.ts';
import lookupRoutes from './lookups.ts';
import caseRoutes from './cases.ts';
import uploadRoutes from './uploads.ts';
import inboxRoutes from './inbox.ts';
import nojsRoutes from './nojs.ts';
import statsRoutes from './stats.ts';
import { createPublicStats, type PublicStats } from '../../services/stats.service.ts';
import { INTAKE_TOPICS } from '../../services/intake.service.ts';
import { createOutboxDispatcher, type OutboxDispatcher } from '../../../workers/queues.ts';
import { jobs } from '../../../workers/registry.ts';

export type PublicDeps = { blobs: BlobStore; powKey: PowKey; tickets: ReceiptTickets; dispatcher: OutboxDispatcher; stats: PublicStats };

/**
 * Every public answer is personal to one reporter or changes often: never cached, unless
 * the route says otherwise (the statistics, the same for everyone). An error never is: a
 * route may have set its cache-control before it failed (the statistics set theirs before
 * the answer is serialised), and a shared cache must not keep a 404 or a 500.
 */
export const publicCacheControl = async (_request: FastifyRequest, reply: FastifyReply): Promise<void> => {
  if (reply.statusCode >= 400 || !reply.hasHeader('cache-control')) void reply.header('cache-control', 'no-store');
};

export type PublicRoutesOptions = { blobs?: BlobStore; tickets?: ReceiptTickets };

const publicRoutes: FastifyPluginAsync<PublicRoutesOptions> = async (app, opts) => {
  const deps: PublicDeps = {
    blobs: opts.blobs ?? createBlobStore(app.config),
    powKey: await loadPowKey(app.config),
    tickets: opts.tickets ?? createReceiptTickets(),
    // A filed case's route job goes to Redis from here, after the filing's commit.
    dispatcher: createOutboxDispatcher(jobs, [INTAKE_TOPICS.received], { connection: app.redis, prefix: app.config.redisPrefix }),
    stats: createPublicStats(app.database.db),
  };
  app.addHook('onClose', async () => {
    await deps.dispatcher.close();
  });
  app.addHook('onSend', publicCacheControl);
  await app.register(multipart, { throwFileSizeLimit: true });
  await app.register(lookupRoutes, { deps });
  await app.register(caseRoutes, { deps });
  await app.register(uploadRoutes, { deps });
  await app.register(inboxRoutes, { deps });
  await app.register(nojsRoutes, { deps });
  await app.register(statsRoutes, { deps });
};

export default publicRoutes;
