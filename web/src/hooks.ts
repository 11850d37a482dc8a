import type { Reroute } from '@sveltejs/kit';
import { deLocalizeUrl } from '$lib/paraglide/runtime';

// /en/theo-doi renders the route /theo-doi; the locale itself comes from the URL.
export const reroute: Reroute = (request) => deLocalizeUrl(request.url).pathname;
