import type { PageServerLoad } from './$types';
import type { NoticesResponse } from '$schemas/intake';

const CURSOR = /^[A-Za-z0-9_-]{1,400}$/;

// Server-side so the list works without JavaScript; pages are plain links carrying the cursor.
export const load: PageServerLoad = async ({ fetch, url, setHeaders }) => {
  setHeaders({ 'cache-control': 'public, max-age=60' });
  const cursor = url.searchParams.get('trang');
  const query = cursor && CURSOR.test(cursor) ? `?cursor=${encodeURIComponent(cursor)}&limit=20` : '?limit=20';
  try {
    const response = await fetch(`/api/public/notices${query}`, { signal: AbortSignal.timeout(4000) });
    if (!response.ok) return { notices: [] as NoticesResponse['items'], nextCursor: null, failed: true, paged: cursor !== null };
    const body = (await response.json()) as NoticesResponse;
    return { notices: body.items, nextCursor: body.nextCursor, failed: false, paged: cursor !== null };
  } catch {
    return { notices: [] as NoticesResponse['items'], nextCursor: null, failed: true, paged: cursor !== null };
  }
};
