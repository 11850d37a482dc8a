// The casework routes appear in the OpenAPI document the typed web client is checked against.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { testApp } from './harness.ts';

describe('casework OpenAPI', () => {
  let app: FastifyInstance;
  beforeAll(async () => { app = await testApp(); });
  afterAll(async () => { await app.close(); });

  it('documents every casework route with its schemas', async () => {
    const res = await app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(res.statusCode).toBe(200);
    const paths = Object.keys((res.json() as { paths: Record<string, unknown> }).paths);
    for (const p of ['/api/cases', '/api/cases/counts', '/api/cases/{publicRef}', '/api/cases/{publicRef}/transitions', '/api/cases/{publicRef}/conclusion', '/api/identity-requests/{id}/approve']) {
      expect(paths).toContain(p);
    }
  });
});
