// The public statistics: aggregate figures only, the same for everyone, cached for a minute.
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { PublicStatsResponse, StatsQuery } from '../../schemas/stats.ts';
import type { PublicDeps } from './index.ts';

const tags = ['public'];

const statsRoutes: FastifyPluginAsync<{ deps: PublicDeps }> = async (app, { deps }) => {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get('/api/public/stats', {
    schema: {
      tags,
      summary: 'Public statistics: counts of cases by stage, overdue, concluded and deadlines met; small counts withheld',
      querystring: StatsQuery,
      response: { 200: PublicStatsResponse },
    },
  }, async (request, reply) => {
    const { stats, maxAgeSeconds } = await deps.stats.get(request.query.jurisdiction);
    // Nothing here is personal: shared caches may keep it for as long as this process does.
    void reply.header('cache-control', `public, max-age=${maxAgeSeconds}`);
    return stats;
  });
};

export default statsRoutes;
