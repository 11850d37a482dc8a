import type { PageServerLoad } from './$types';
import { isJurisdictionCode, type PublicStatsResponse } from '$schemas/stats';

export type StatsPageState = 'ok' | 'failed' | 'not_found';

// Server-side so the figures show without JavaScript; an area is a plain link (?khu-vuc=CODE).
export const load: PageServerLoad = async ({ fetch, url, setHeaders }) => {
  const area = url.searchParams.get('khu-vuc');
  const query = area && isJurisdictionCode(area) ? `?jurisdiction=${encodeURIComponent(area)}` : '';
  const answer = (state: StatsPageState, stats: PublicStatsResponse | null = null) => ({ state, stats, scoped: area !== null });
  if (area !== null && query === '') return answer('not_found');
  try {
    const response = await fetch(`/api/public/stats${query}`, { signal: AbortSignal.timeout(4000) });
    if (response.status === 404) return answer('not_found');
    if (!response.ok) return answer('failed');
    // The API computes the figures at most once a minute; the page may be kept as long.
    setHeaders({ 'cache-control': 'public, max-age=60' });
    return answer('ok', (await response.json()) as PublicStatsResponse);
  } catch {
    return answer('failed');
  }
};
