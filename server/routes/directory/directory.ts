// The cadre directory for personnel officers and administrators. The public search for the
// report form stays GET /api/public/cadres (public cadres only).
import type { FastifyPluginAsync } from 'fastify';
import { Type } from 'typebox';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { actorOfRequest } from '../../plugins/auth.ts';
import {
  createCadre, directoryResourceOf, editCadre, importCadres, loadCadreResource, searchCadreDirectory,
} from '../../services/directory.service.ts';
import { QueryInt, limitOf } from '../admin/schemas.ts';
import { Cadre, CadreFields, Cursor, Nullable } from '../personnel/schemas.ts';

const IdParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const tags = ['directory'];

const directoryRoutes: FastifyPluginAsync = async (app) => {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const db = app.database.db;

  r.get('/api/directory/cadres', {
    preHandler: app.authorize('cadre.manage', (_request, actor) => directoryResourceOf(actor, null, null)),
    schema: {
      tags, summary: 'Search the cadre directory by name; diacritics optional ("nguyen van a" finds "Nguyễn Văn A")',
      querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 100 })), after: Type.Optional(Cursor), limit: Type.Optional(QueryInt('page size, 1-100')) }),
      response: { 200: Type.Object({ items: Type.Array(Cadre), nextCursor: Nullable(Type.String()) }) },
    },
  }, async (request, reply) => {
    void reply.header('cache-control', 'no-store');
    return searchCadreDirectory(db, { ...request.query, limit: limitOf(request.query.limit, 50, 100) });
  });

  r.post('/api/directory/cadres', {
    preHandler: app.authorize('cadre.manage', (request, actor) => directoryResourceOf(actor, (request.body as { managingJurisdictionCode: string }).managingJurisdictionCode, null)),
    schema: { tags, summary: 'Add a cadre', body: Type.Object(CadreFields, { additionalProperties: false }), response: { 201: Cadre } },
  }, async (request, reply) => reply.status(201).send(await createCadre(db, actorOfRequest(request), request.body)));

  r.patch('/api/directory/cadres/:id', {
    preHandler: app.authorize('cadre.manage', async (request, actor) => loadCadreResource(db, actor, (request.params as { id: string }).id)),
    schema: { tags, summary: 'Edit a cadre', params: IdParams, body: Type.Partial(Type.Object(CadreFields), { additionalProperties: false, minProperties: 1 }), response: { 200: Cadre } },
  }, async (request) => editCadre(db, actorOfRequest(request), request.params.id, request.body));

  r.post('/api/directory/cadres/import', {
    preHandler: app.authorize('cadre.import', (_request, actor) => directoryResourceOf(actor, null, null)),
    // A whole file is checked in memory before one row is written; a few imports a minute are plenty.
    config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
    schema: {
      tags, summary: 'Import cadres from CSV: all rows or none; 422 lists each bad line',
      body: Type.Object({ csv: Type.String({ minLength: 1, maxLength: 900_000 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ imported: Type.Integer() }) },
    },
  }, async (request) => importCadres(db, actorOfRequest(request), request.body.csv));
};

export default directoryRoutes;
