import type { PageServerLoad } from './$types';
import type { CadresResponse, JurisdictionsResponse, NoticesResponse, PowResponse } from '$schemas/intake';

type Notice = NoticesResponse['items'][number];
type Cadre = CadresResponse['items'][number];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Open notices are few; a handful of pages is plenty, and bounds the work per request.
const MAX_NOTICE_PAGES = 5;

async function getJson<T>(fetch: typeof globalThis.fetch, path: string): Promise<T | null> {
  try {
    const response = await fetch(path, { signal: AbortSignal.timeout(4000) });
    return response.ok ? ((await response.json()) as T) : null;
  } catch {
    return null;
  }
}

async function findNotice(fetch: typeof globalThis.fetch, id: string): Promise<Notice | null> {
  let cursor: string | null = null;
  for (let page = 0; page < MAX_NOTICE_PAGES; page++) {
    const query: string = cursor ? `?cursor=${encodeURIComponent(cursor)}` : '';
    const body: NoticesResponse | null = await getJson<NoticesResponse>(fetch, `/api/public/notices${query}`);
    if (!body) return null;
    const hit = body.items.find((n) => n.id === id);
    if (hit) return hit;
    cursor = body.nextCursor;
    if (!cursor) return null;
  }
  return null;
}

async function findCadre(fetch: typeof globalThis.fetch, notice: Notice): Promise<Cadre | null> {
  const body = await getJson<CadresResponse>(fetch, `/api/public/cadres?q=${encodeURIComponent(notice.cadreName)}&limit=50`);
  return body?.items.find((c) => c.id === notice.cadreId) ?? null;
}

// Server-side so the form works without JavaScript: the jurisdiction list and a notice
// named in ?thong-bao= are rendered into the page.
export const load: PageServerLoad = async ({ fetch, url, setHeaders }) => {
  // The page carries a single-use challenge: no shared cache may keep it. Not no-store, so
  // the browser's back button still returns to a no-JS form with what was typed in it.
  setHeaders({ 'cache-control': 'private, no-cache' });
  const noticeId = url.searchParams.get('thong-bao');
  const [jurisdictions, notice, pow] = await Promise.all([
    getJson<JurisdictionsResponse>(fetch, '/api/public/jurisdictions'),
    noticeId && UUID.test(noticeId) ? findNotice(fetch, noticeId) : Promise.resolve(null),
    // Only the no-JS form posts it; the JS flow fetches a fresh one when sending.
    getJson<PowResponse>(fetch, '/api/public/pow'),
  ]);
  const cadre = notice ? await findCadre(fetch, notice) : null;
  return {
    jurisdictions: jurisdictions?.items ?? [],
    jurisdictionsFailed: jurisdictions === null,
    notice,
    noticeCadre: cadre,
    noticeRequested: noticeId !== null,
    nojsChallenge: pow?.challenge ?? '',
    // An error code from a refused no-JS submission (the server redirects back with it).
    nojsError: url.searchParams.get('loi')?.slice(0, 40) ?? null,
  };
};
