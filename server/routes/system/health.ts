import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { checkReadiness } from '../../services/readiness.service.ts';
import { getPublicMeta } from '../../services/meta.service.ts';

const Health = Type.Object({ status: Type.Literal('ok') });
const Check = Type.Object({ ok: Type.Boolean(), latencyMs: Type.Number(), error: Type.Optional(Type.String()) });
const Ready = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('unavailable')]),
  checks: Type.Object({ postgres: Check, redis: Check }),
  failing: Type.Array(Type.String()),
});
const Meta = Type.Object({
  demo: Type.Boolean(),
  rootKeyFingerprint: Type.Union([Type.String(), Type.Null()]),
  version: Type.String(),
});

const healthRoutes: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get('/api/health', {
    config: { rateLimit: false },
    schema: { tags: ['system'], summary: 'The process is alive', response: { 200: Health } },
  }, async () => ({ status: 'ok' as const }));

  r.get('/api/ready', {
    config: { rateLimit: false },
    schema: {
      tags: ['system'],
      summary: 'Postgres and Redis answer',
      response: { 200: Ready, 503: Ready },
    },
  }, async (_request, reply) => {
    const result = await checkReadiness({ sql: app.database.sql, redis: app.redis });
    return reply.status(result.status === 'ready' ? 200 : 503).send(result);
  });

  r.get('/api/meta', {
    schema: { tags: ['system'], summary: 'Public deployment metadata for the pages', response: { 200: Meta } },
  }, async (_request, reply) => {
    void reply.header('cache-control', 'no-store');
    return getPublicMeta({ db: app.database.db, config: app.config });
  });
};

export default healthRoutes;
