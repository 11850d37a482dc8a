import type { LayoutServerLoad } from './$types';
import { parseMeta, UNKNOWN_META } from '$lib/meta';

export const load: LayoutServerLoad = async ({ fetch }) => {
  try {
    // Short timeout: a slow API must not hold back the public pages.
    const response = await fetch('/api/meta', { signal: AbortSignal.timeout(2000) });
    if (!response.ok) return { meta: UNKNOWN_META };
    return { meta: parseMeta(await response.json()) };
  } catch {
    return { meta: UNKNOWN_META };
  }
};
