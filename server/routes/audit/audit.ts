// Auditors read the log and verify its chain. Entries hold ids and codes, never content.
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { actorOfRequest } from '../../plugins/auth.ts';
import { readAuditPageDesc } from '../../repositories/audit.repository.ts';
import { appendAudit, verifyAuditChain } from '../../services/audit.service.ts';
import { toWire } from '../../services/auth-wire.ts';
import { QueryInt, limitOf } from '../admin/schemas.ts';

const Entry = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  actorKind: Type.String(),
  actorId: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  resourceKind: Type.Union([Type.String(), Type.Null()]),
  resourceId: Type.Union([Type.String(), Type.Null()]),
  detail: Type.Record(Type.String(), Type.Unknown()),
  hash: Type.String(),
});

const Verdict = Type.Object({
  ok: Type.Boolean(),
  entries: Type.Integer(),
  firstBrokenId: Type.Optional(Type.Integer()),
  problem: Type.Optional(Type.String()),
});

const auditRoutes: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();

  r.get('/api/audit', {
    preHandler: app.authorize('audit.read'),
    schema: {
      tags: ['audit'],
      summary: 'The audit log, newest first; pass nextCursor as `before` for the next page',
      querystring: Type.Object({
        before: Type.Optional(QueryInt('nextCursor of the previous page')),
        limit: Type.Optional(QueryInt('page size, 1-200')),
        action: Type.Optional(Type.String({ pattern: '^[a-z_.:]{1,80}$' })),
        actorId: Type.Optional(Type.String({ format: 'uuid' })),
      }),
      response: { 200: Type.Object({ items: Type.Array(Entry), nextCursor: Type.Union([Type.Integer(), Type.Null()]) }) },
    },
  }, async (request, reply) => {
    void reply.header('cache-control', 'no-store');
    const limit = limitOf(request.query.limit, 50, 200);
    const rows = await readAuditPageDesc(app.database.db, {
      beforeId: request.query.before ? Number(request.query.before) : null, limit: limit + 1,
      ...(request.query.action ? { action: request.query.action } : {}),
      ...(request.query.actorId ? { actorId: request.query.actorId } : {}),
    });
    const items = rows.slice(0, limit);
    return {
      items: items.map((row) => ({
        id: row.id, at: row.at.toISOString(), actorKind: row.actorKind, actorId: row.actorId, action: row.action,
        resourceKind: row.resourceKind, resourceId: row.resourceId, detail: row.detail as Record<string, unknown>, hash: toWire(row.hash),
      })),
      nextCursor: rows.length > limit ? (items.at(-1)?.id ?? null) : null,
    };
  });

  r.get('/api/audit/verify', {
    preHandler: app.authorize('audit.verify'),
    // Walks the whole chain: a few per minute are plenty.
    config: { rateLimit: { max: 6, timeWindow: '1 minute' } },
    schema: { tags: ['audit'], summary: 'Recomputes the hash chain and names the first entry that does not fit', response: { 200: Verdict } },
  }, async (request, reply) => {
    void reply.header('cache-control', 'no-store');
    const verdict = await verifyAuditChain(app.database.db);
    const actor = actorOfRequest(request);
    // Recorded after the walk, so the entry itself is never part of the verdict it reports.
    await app.database.db.transaction((tx) => appendAudit(tx, {
      actorKind: 'staff', actorId: actor.staffId, action: 'audit.verified',
      detail: verdict.ok ? { ok: true, entries: verdict.entries } : { ok: false, entries: verdict.entries, firstBrokenId: verdict.firstBrokenId },
    }));
    return verdict;
  });
};

export default auditRoutes;
