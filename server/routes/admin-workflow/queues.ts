// The queue dashboard for administrators (bull-board), at /api/admin/queues. Read-only:
// bull-board's own buttons cannot carry the CSRF header every staff change needs, and a
// failed job is retried through POST /api/admin/queues-failed/:queue/:jobId/retry instead.
// Its page gets a CSP of its own (bull-board needs inline styles), still nothing from
// other origins: the web font it links to is cut from the page and refused by the policy.
//
// bull-board (with @fastify/static, @fastify/view and ejs) is loaded on an administrator's
// first request, into a Fastify instance of its own that this route forwards to: the
// public API process should not carry it for a page few people open.
import Fastify, { type FastifyInstance, type FastifyPluginAsync, type FastifyReply, type FastifyRequest } from 'fastify';
import type { Queue } from 'bullmq';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AppError, isAppError } from '../../domain/errors.ts';
import { errorBody } from '../../plugins/errors.ts';
import { createQueues } from '../../../workers/queues.ts';
import { jobs } from '../../../workers/registry.ts';
import { jobIdFor } from '../../../workers/job-definition.ts';

export const DASHBOARD_PATH = '/api/admin/queues';

const NOT_FOUND_MARK = 'x-dashboard-not-found';
const HOP_BY_HOP = new Set(['connection', 'content-length', 'transfer-encoding', 'keep-alive', NOT_FOUND_MARK]);

/** bull-board on a Fastify instance that never listens; it only answers forwarded requests. */
async function buildDashboard(queues: Map<string, Queue>): Promise<FastifyInstance> {
  const [{ createBullBoard }, { BullMQAdapter }, { FastifyAdapter }] = await Promise.all([
    import('@bull-board/api'), import('@bull-board/api/bullMQAdapter'), import('@bull-board/fastify'),
  ]);
  const inner = Fastify({ logger: false, routerOptions: { ignoreTrailingSlash: true, maxParamLength: 200 } });
  inner.setNotFoundHandler((_request, reply) => reply.status(404).header(NOT_FOUND_MARK, '1').send());
  const serverAdapter = new FastifyAdapter();
  serverAdapter.setBasePath(DASHBOARD_PATH);
  createBullBoard({
    queues: [...queues.values()].map((q) => new BullMQAdapter(q, { readOnlyMode: true })),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Minh Bạch — queues' } },
  });
  await inner.register(serverAdapter.registerPlugin(), { prefix: DASHBOARD_PATH });
  await inner.ready();
  return inner;
}

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
    let dashboard: Promise<FastifyInstance> | undefined;
    app.addHook('onClose', async () => {
      if (dashboard) await (await dashboard).close();
    });
    const forward = async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply> => {
      if (!dashboard) {
        dashboard = buildDashboard(queues);
        dashboard.catch(() => { dashboard = undefined; });
      }
      const res = await (await dashboard).inject({
        method: request.method as 'GET',
        url: request.raw.url ?? request.url,
        headers: request.headers,
        ...(request.body === undefined || request.body === null ? {} : { payload: request.body as string | object }),
      });
      // A path bull-board does not know is answered by this API's own 404.
      if (res.headers[NOT_FOUND_MARK]) {
        reply.callNotFound();
        return reply;
      }
      for (const [name, value] of Object.entries(res.headers)) {
        if (value !== undefined && !HOP_BY_HOP.has(name)) void reply.header(name, value);
      }
      const type = String(res.headers['content-type'] ?? '');
      // Pages as text, so the onSend hook above can cut foreign stylesheets from them.
      return reply.status(res.statusCode).send(type.startsWith('text/html') ? res.payload : res.rawPayload);
    };
    board.all(DASHBOARD_PATH, forward);
    board.all(`${DASHBOARD_PATH}/*`, forward);
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
