// Serves the SvelteKit app (adapter-node's handler) on the same port: Fastify owns /api/*,
// SvelteKit everything else. In development Vite serves the pages and proxies /api here.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import fp from 'fastify-plugin';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError } from '../domain/errors.ts';

type NodeHandler = (req: IncomingMessage, res: ServerResponse, next?: () => void) => void;

export type InProcessApi = (request: Request) => Promise<Response>;

export default fp(
  async (app) => {
    const handlerFile = path.join(app.config.webDir, 'handler.js');
    if (!existsSync(handlerFile)) {
      app.log.warn('web build not found; pages are not served (run npm run build:web)');
      return;
    }
    // adapter-node reads its settings from the environment when imported; the public
    // origin must match what browsers send, or SvelteKit refuses form posts as cross-site.
    process.env['ORIGIN'] ??= app.config.publicOrigin;
    process.env['BODY_SIZE_LIMIT'] ??= String(app.config.uploads.maxFileBytes + 1024 * 1024);
    const { handler } = (await import(pathToFileURL(handlerFile).href)) as { handler: NodeHandler };

    // Server-side rendering calls the API in process instead of over the network.
    const api: InProcessApi = async (request) => {
      const url = new URL(request.url);
      const body = request.body ? Buffer.from(await request.arrayBuffer()) : undefined;
      const res = await app.inject({
        method: request.method as 'GET',
        url: url.pathname + url.search,
        headers: Object.fromEntries(request.headers),
        ...(body ? { payload: body } : {}),
      });
      return new Response(res.rawPayload.byteLength > 0 ? new Uint8Array(res.rawPayload) : null, {
        status: res.statusCode,
        headers: Object.entries(res.headers).flatMap(([k, v]) =>
          v === undefined ? [] : (Array.isArray(v) ? v.map((x) => [k, String(x)] as [string, string]) : [[k, String(v)] as [string, string]])),
      });
    };
    (globalThis as { __minhbachApi?: InProcessApi }).__minhbachApi = api;

    await app.register(async (web) => {
      // SvelteKit reads request bodies itself (form actions, no-JS uploads): leave the stream untouched.
      web.removeAllContentTypeParsers();
      web.addContentTypeParser('*', (_request, _payload, done) => done(null));
      web.route({
        method: ['GET', 'HEAD', 'POST'],
        url: '/*',
        config: { rateLimit: false },
        schema: { hide: true },
        handler: (request, reply) => {
          if (request.url === '/api' || request.url.startsWith('/api/')) {
            throw new AppError('NOT_FOUND');
          }
          reply.hijack();
          // SvelteKit sends its own page policy (with the hashes of its inline scripts). Helmet's
          // API policy (default-src 'none') must not reach the page: on a 304 the browser would
          // merge it into the cached page's headers and block every script and stylesheet.
          reply.raw.removeHeader('content-security-policy');
          handler(request.raw, reply.raw);
        },
      });
    });
  },
  { name: 'web', dependencies: ['security'] },
);
