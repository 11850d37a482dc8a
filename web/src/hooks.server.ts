import type { Handle, HandleFetch } from '@sveltejs/kit';
import { env } from '$env/dynamic/private';
import { paraglideMiddleware } from '$lib/paraglide/server';

export const handle: Handle = ({ event, resolve }) =>
  paraglideMiddleware(event.request, ({ request, locale }) => {
    event.request = request;
    return resolve(event, {
      transformPageChunk: ({ html }) => html.replace('%paraglide.lang%', locale),
    });
  });

// Headers passed on to the API from a server-side load. Nothing that could identify a
// citizen (address, user agent, forwarding headers) crosses.
const FORWARDED_HEADERS = ['accept', 'content-type', 'cookie'];

// SvelteKit answers same-origin event.fetch calls itself, so '/api/...' would hit the
// SvelteKit router and 404. Send those to the Fastify API instead.
export const handleFetch: HandleFetch = async ({ event, request, fetch }) => {
  const url = new URL(request.url);
  if (url.origin !== event.url.origin || !url.pathname.startsWith('/api/')) {
    return fetch(request);
  }
  const apiOrigin = env.API_ORIGIN ?? 'http://127.0.0.1:3000';
  const headers = new Headers();
  for (const name of FORWARDED_HEADERS) {
    // SvelteKit adds the page's cookies only after this hook, so take them from the page
    // request (staff sessions); citizens have none.
    const value =
      request.headers.get(name) ?? (name === 'cookie' ? event.request.headers.get(name) : null);
    if (value !== null) headers.set(name, value);
  }
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  // Served by `npm start`, the Fastify process that hosts these pages answers in process
  // (server/plugins/web.ts installs the bridge); `vite dev` falls back to the network.
  const inProcess = (globalThis as { __minhbachApi?: (r: Request) => Promise<Response> }).__minhbachApi;
  if (inProcess) {
    return inProcess(new Request(new URL(url.pathname + url.search, event.url.origin), {
      method: request.method,
      headers,
      body: hasBody ? await request.arrayBuffer() : undefined,
    }));
  }
  return globalThis.fetch(new URL(url.pathname + url.search, apiOrigin), {
    method: request.method,
    headers,
    body: hasBody ? await request.arrayBuffer() : undefined,
    redirect: 'manual',
    signal: request.signal,
  });
};
