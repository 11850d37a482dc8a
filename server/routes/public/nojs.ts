// The no-JS form: a plain multipart POST that the server seals in memory, answered with a
// 303 to the receipt page; the receipt itself is read once through a ticket.
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Multipart } from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AppError, isAppError } from '../../domain/errors.ts';
import { NOJS_TEXT_MAX_CHARS, NojsReceiptResponse, NojsTicketParams } from '../../schemas/intake.ts';
import { submitNojs, type FormPart } from '../../services/nojs.service.ts';
import type { PublicDeps } from './index.ts';

const tags = ['public'];
export const NOJS_RECEIPT_PAGE = '/gui-phan-anh/bien-nhan';
export const NOJS_FORM_PAGE = '/gui-phan-anh';

async function* formParts(request: FastifyRequest, maxFiles: number, maxFileBytes: number): AsyncGenerator<FormPart> {
  const parts = request.parts({
    // UTF-8 Vietnamese is up to 3 bytes a character (4 for the rare astral one).
    limits: { fields: 20, fieldSize: NOJS_TEXT_MAX_CHARS * 4, files: maxFiles + 1, fileSize: maxFileBytes + 1, parts: maxFiles + 21 },
  });
  for await (const part of parts as AsyncIterable<Multipart>) {
    if (part.type === 'field') {
      yield { kind: 'field', name: part.fieldname, value: typeof part.value === 'string' ? part.value : '', truncated: part.valueTruncated };
    } else {
      yield { kind: 'file', name: part.fieldname, filename: part.filename ?? '', mimetype: part.mimetype, stream: part.file };
    }
  }
}

const wantsHtml = (request: FastifyRequest): boolean => (request.headers.accept ?? '').includes('text/html');

const nojsRoutes: FastifyPluginAsync<{ deps: PublicDeps }> = async (app, { deps }) => {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const nojs = { db: app.database.db, sql: app.database.sql, redis: app.redis, config: app.config, powKey: deps.powKey, blobs: deps.blobs, tickets: deps.tickets };

  r.post('/api/public/nojs/cases', {
    config: { rateLimit: { max: Math.max(1, Math.floor(app.config.intake.submitsPerMinute / 2)), timeWindow: '1 minute' } },
    schema: {
      tags,
      summary: 'File a report without JavaScript (multipart form; sealed on the server in memory)',
      consumes: ['multipart/form-data'],
      response: { 303: Type.Null() },
    },
  }, async (request, reply) => {
    try {
      const { ticket } = await submitNojs(nojs, formParts(request, app.config.uploads.maxFiles, app.config.uploads.maxFileBytes));
      return reply.redirect(`${NOJS_RECEIPT_PAGE}?t=${ticket}`, 303);
    } catch (err) {
      // A browser without JavaScript cannot read a JSON error: send it back to the form with the code.
      if (!wantsHtml(request)) throw err;
      const code = isAppError(err) ? err.code : (err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE' ? 'LIMIT_EXCEEDED' : null;
      if (code === null) throw err;
      return reply.redirect(`${NOJS_FORM_PAGE}?loi=${code}`, 303);
    }
  });

  r.get('/api/public/nojs/receipt/:ticket', {
    schema: { tags, summary: 'The receipt of a no-JS filing, once', params: NojsTicketParams, response: { 200: NojsReceiptResponse } },
  }, async (request) => {
    const entry = deps.tickets.take(request.params.ticket);
    if (!entry) throw new AppError('NOT_FOUND');
    return entry;
  });
};

export default nojsRoutes;
