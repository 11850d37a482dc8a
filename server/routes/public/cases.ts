// Filing a report and completing it once its uploads are done.
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { CompleteCaseResponse, CreateCaseBody, CreateCaseResponse, LookupBody, PublicRefParams } from '../../schemas/intake.ts';
import { completeCase, createCase } from '../../services/intake.service.ts';
import type { PublicDeps } from './index.ts';

const tags = ['public'];

const caseRoutes: FastifyPluginAsync<{ deps: PublicDeps }> = async (app, { deps }) => {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const intake = {
    db: app.database.db, sql: app.database.sql, redis: app.redis, config: app.config, powKey: deps.powKey, blobs: deps.blobs,
    dispatcher: deps.dispatcher, log: app.log,
  };

  r.post('/api/public/cases', {
    config: { rateLimit: { max: app.config.intake.submitsPerMinute, timeWindow: '1 minute' } },
    schema: {
      tags, summary: 'File an encrypted report', body: CreateCaseBody, response: { 201: CreateCaseResponse },
    },
  }, async (request, reply) => reply.status(201).send(await createCase(intake, request.body)));

  r.post('/api/public/cases/:publicRef/complete', {
    config: { rateLimit: { max: app.config.intake.lookupsPerMinute, timeWindow: '1 minute' } },
    schema: {
      tags, summary: 'Finish a filing whose uploads are all complete', params: PublicRefParams, body: LookupBody,
      response: { 200: CompleteCaseResponse },
    },
  }, async (request) => completeCase(intake, request.params.publicRef, request.body.lookupToken));
};

export default caseRoutes;
