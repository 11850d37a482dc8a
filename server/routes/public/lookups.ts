// What the report form looks up before filing.
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  CadreQuery, CadresResponse, JurisdictionsResponse, NoticeQuery, NoticesResponse, PowResponse, RoutingPreviewBody, RoutingPreviewResponse,
} from '../../schemas/intake.ts';
import { findCadres, findNotices, getJurisdictions, previewRouting } from '../../services/intake-directory.service.ts';
import { issueChallenge } from '../../services/pow.service.ts';
import type { PublicDeps } from './index.ts';

const tags = ['public'];

const lookupRoutes: FastifyPluginAsync<{ deps: PublicDeps }> = async (app, { deps }) => {
  const r = app.withTypeProvider<TypeBoxTypeProvider>();
  const db = app.database.db;

  r.get('/api/public/jurisdictions', {
    schema: { tags, summary: 'Jurisdictions a report can concern', response: { 200: JurisdictionsResponse } },
  }, async () => getJurisdictions(db));

  r.get('/api/public/cadres', {
    schema: { tags, summary: 'Search the cadre directory (diacritics optional)', querystring: CadreQuery, response: { 200: CadresResponse } },
  }, async (request) => findCadres(db, request.query));

  r.get('/api/public/notices', {
    schema: { tags, summary: 'Personnel actions open for public comment', querystring: NoticeQuery, response: { 200: NoticesResponse } },
  }, async (request) => findNotices(db, request.query));

  r.post('/api/public/routing-preview', {
    schema: {
      tags, summary: 'The bodies the case key must be sealed to, with their signed keys', body: RoutingPreviewBody,
      response: { 200: RoutingPreviewResponse },
    },
  }, async (request) => previewRouting(db, request.body));

  r.get('/api/public/pow', {
    // Issuing is one HMAC and stores nothing; the work and the single use are the control.
    config: { rateLimit: { max: 600, timeWindow: '1 minute' } },
    schema: { tags, summary: 'A single-use proof-of-work challenge', response: { 200: PowResponse } },
  }, async () => {
    const c = issueChallenge(deps.powKey, app.config.intake.powDifficulty);
    return { challenge: c.challenge, difficulty: c.difficulty, expiresAt: c.expiresAt.toISOString() };
  });
};

export default lookupRoutes;
