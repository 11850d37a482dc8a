// The queue dashboard for administrators (bull-board), at /api/admin/queues. Read-only:
// bull-board's own buttons cannot carry the CSRF header every staff change needs, and a
// failed job is retried through POST /api/admin/queues-failed/:queue/:jobId/retry instead.
// Its page gets a CSP of its own (bull-board needs inline styles), still nothing from
// other origins: the web font it links to is cut from the page and refused by the policy.
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { AppError, isAppError } from '../../domain/errors.ts';
import { errorBody } from '../../plugins/errors.ts';
import { createQueues } from '../../../workers/queues.ts';
import { jobs } from '../../../workers/registry.ts';
import { jobIdFor } from '../../../workers/job-definition.ts';

export const DASHBOARD_PATH = '/api/admin/queues';

const DASHBOARD_CSP = [
  "default-src 'none'", "script-src 'self'", "style-src 'self' 'unsafe-inline'", "img-src 'self' data:", "font-src 'self'",
  "connect-src 'self'", "base-uri 'self'", "form-action 'none'", "frame-ancestors 'none'",
].join('; ');

const FOREIGN_STYLESHEET = /<link[^>]+href="https?:\/\/[^"]*"[^>]*>/g;

const queueDashboard: FastifyPluginAsync = async (app) => {
  const queues = createQueues(jobs, { connection: app.redis, prefix: app.config.redisPrefix });
  app.addHook('onClose', async () => {
    await Promise.allSettled([...queues.values()].map((q) => q.close()));
  });
  const guard = app.authorize('queue.dashboard');

  await app.register(async (board: FastifyInstance) => {
    // bull-board answers errors with its own handler, so refusals are sent here in ours.
    board.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      try {
        await guard.call(board, request, reply);
      } catch (err) {
        const e = isAppError(err) ? err : new AppError('INTERNAL');
        const body = errorBody(e.code, request.id);
        if (e.status < 500) body.error.message = e.message;
        return reply.status(e.status).type('application/json; charset=utf-8').send(body);
      }
      return undefined;
    });
    board.addHook('onSend', async (_request, reply, payload) => {
      void reply.header('content-security-policy', DASHBOARD_CSP).header('cache-control', 'no-store');
      const type = String(reply.getHeader('content-type') ?? '');
      return typeof payload === 'string' && type.startsWith('text/html') ? payload.replace(FOREIGN_STYLESHEET, '') : payload;
    });
    const serverAdapter = new FastifyAdapter();
    serverAdapter.setBasePath(DASHBOARD_PATH);
    createBullBoard({
      queues: [...queues.values()].map((q) => new BullMQAdapter(q, { readOnlyMode: true })),
      serverAdapter,
      options: { uiConfig: { boardTitle: 'Minh Bạch — queues' } },
    });
    await board.register(serverAdapter.registerPlugin(), { prefix: DASHBOARD_PATH });
  });

  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  r.post('/api/admin/queues-failed/:queue/:jobId/retry', {
    preHandler: guard,
    schema: {
      tags: ['admin'], summary: 'Retries a job kept in the failed list of a queue (its outbox row makes a retry safe)',
      params: Type.Object({ queue: Type.String({ maxLength: 60 }), jobId: Type.String({ minLength: 1, maxLength: 300 }) }),
      response: { 200: Type.Object({ ok: Type.Literal(true) }) },
    },
  }, async (request) => {
    const queue = queues.get(request.params.queue);
    // The id as shown on the dashboard (already escaped), or the outbox dedupe key.
    const job = queue ? (await queue.getJob(request.params.jobId)) ?? (await queue.getJob(jobIdFor(request.params.jobId))) : undefined;
    if (!job) throw new AppError('NOT_FOUND');
    if (!(await job.isFailed())) throw new AppError('CONFLICT', 'Only a failed job can be retried.', { reason: 'not_failed' });
    await job.retry('failed');
    return { ok: true as const };
  });
};

export default queueDashboard;
