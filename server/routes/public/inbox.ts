// The reporter's inbox, opened with the receipt's lookup token. Strictly rate limited:
// the token has 95 bits, but each guess must still cost the guesser.
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  AddAttachmentBody, AddAttachmentResponse, LookupBody, LookupResponse, ReporterMessageBody, ReporterMessageResponse, WithdrawResponse,
} from '../../schemas/intake.ts';
import { addAttachment, lookupCase, sendReporterMessage, withdrawCase } from '../../services/inbox.service.ts';
import type { PublicDeps } from './index.ts';

const tags = ['public'];

const inboxRoutes: FastifyPluginAsync<{ deps: PublicDeps }> = async (app, { deps }) => {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const inbox = { db: app.database.db, config: app.config, blobs: deps.blobs };
  const rateLimit = { max: app.config.intake.lookupsPerMinute, timeWindow: '1 minute' };

  r.post('/api/public/lookup', {
    config: { rateLimit },
    schema: { tags, summary: 'Read a case with its receipt', body: LookupBody, response: { 200: LookupResponse } },
  }, async (request) => lookupCase(inbox, request.body.lookupToken));

  r.post('/api/public/cases/messages', {
    config: { rateLimit },
    schema: { tags, summary: 'Write to the staff handling the case', body: ReporterMessageBody, response: { 201: ReporterMessageResponse } },
  }, async (request, reply) => reply.status(201).send(await sendReporterMessage(inbox, request.body.lookupToken, request.body.ciphertext)));

  r.post('/api/public/cases/attachments', {
    config: { rateLimit },
    schema: { tags, summary: 'Add evidence to a filed case', body: AddAttachmentBody, response: { 201: AddAttachmentResponse } },
  }, async (request, reply) => reply.status(201).send(await addAttachment(inbox, request.body.lookupToken, request.body.ciphertextBytes)));

  r.post('/api/public/cases/withdraw', {
    config: { rateLimit },
    schema: { tags, summary: 'Withdraw the report (only before it is taken up)', body: LookupBody, response: { 200: WithdrawResponse } },
  }, async (request) => withdrawCase(inbox, request.body.lookupToken));
};

export default inboxRoutes;
