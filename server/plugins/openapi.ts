// The OpenAPI document is generated from the route schemas; /api/docs renders it for staff.
import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';

export const API_VERSION = '0.1.0';

export default fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Minh Bạch API',
          version: API_VERSION,
          description: 'Public intake and staff casework API. Case content is end-to-end encrypted; the API carries ciphertext and routing metadata only.',
        },
        tags: [
          { name: 'system', description: 'Health, readiness and deployment metadata' },
        ],
      },
    });
    app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
    await app.register(swaggerUi, {
      routePrefix: '/api/docs',
      // Serves its own assets from this origin; its CSP allows nothing from elsewhere.
      staticCSP: true,
      uiConfig: { docExpansion: 'list', deepLinking: false, validatorUrl: null },
    });
  },
  { name: 'openapi', dependencies: ['security'] },
);
