// Resumable, chunked uploads of encrypted evidence (multipart: field `offset`, then file `chunk`).
import type { FastifyPluginAsync } from 'fastify';
import type { Multipart } from '@fastify/multipart';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AppError } from '../../domain/errors.ts';
import {
  AttachmentParams, CompleteUploadBody, CompleteUploadResponse, UPLOAD_MAX_REQUEST_BYTES, UploadHeaders, UploadStatusResponse,
} from '../../schemas/intake.ts';
import { appendUpload, completeUpload, getUploadStatus } from '../../services/upload.service.ts';
import type { PublicDeps } from './index.ts';

const tags = ['public'];

const badForm = (): AppError => new AppError('VALIDATION_FAILED', 'Send the field "offset" first, then the file part "chunk".', { fields: ['offset', 'chunk'] });

const uploadRoutes: FastifyPluginAsync<{ deps: PublicDeps }> = async (app, { deps }) => {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const uploads = { db: app.database.db, blobs: deps.blobs, config: app.config };

  r.post('/api/public/uploads/:attachmentId', {
    // A 1 GiB report is about 128 requests; the upload token, not the rate limit, guards these.
    config: { rateLimit: { max: 600, timeWindow: '1 minute' } },
    schema: {
      tags,
      summary: 'Append whole encrypted chunks at the recorded offset (multipart/form-data: offset, chunk)',
      consumes: ['multipart/form-data'],
      params: AttachmentParams,
      headers: UploadHeaders,
      response: { 200: UploadStatusResponse },
    },
  }, async (request) => {
    const parts = request.parts({
      limits: { fields: 1, files: 1, parts: 2, fieldSize: 20, fileSize: UPLOAD_MAX_REQUEST_BYTES + 1 },
    })[Symbol.asyncIterator]();
    const first = (await parts.next()).value as Multipart | undefined;
    if (!first || first.type !== 'field' || first.fieldname !== 'offset' || typeof first.value !== 'string' || !/^\d{1,15}$/.test(first.value)) {
      throw badForm();
    }
    const second = (await parts.next()).value as Multipart | undefined;
    if (!second || second.type !== 'file' || second.fieldname !== 'chunk') throw badForm();
    const status = await appendUpload(uploads, request.params.attachmentId, request.headers['x-upload-token'], Number(first.value), second.file);
    // Let the parser reach the end of the body; a further part is a malformed request.
    if (!(await parts.next()).done) throw badForm();
    return status;
  });

  r.get('/api/public/uploads/:attachmentId', {
    schema: {
      tags, summary: 'How much of an upload the server has (to resume)', params: AttachmentParams, headers: UploadHeaders,
      response: { 200: UploadStatusResponse },
    },
  }, async (request) => getUploadStatus(uploads, request.params.attachmentId, request.headers['x-upload-token']));

  r.post('/api/public/uploads/:attachmentId/complete', {
    schema: {
      tags, summary: 'Finish an upload with its encrypted manifest', params: AttachmentParams, headers: UploadHeaders,
      body: CompleteUploadBody, response: { 200: CompleteUploadResponse },
    },
  }, async (request) => completeUpload(uploads, request.params.attachmentId, request.headers['x-upload-token'], request.body.manifest));
};

export default uploadRoutes;
