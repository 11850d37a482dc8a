import type { PageServerLoad } from './$types';
import type { NojsReceiptResponse } from '$schemas/intake';

const TICKET = /^[A-Za-z0-9_-]{43}$/;

// The receipt of a report sent without JavaScript: the server holds it in memory for a
// few minutes and hands it out once for this one-time ticket. Never cached anywhere.
export const load: PageServerLoad = async ({ fetch, url, setHeaders }) => {
  setHeaders({ 'cache-control': 'no-store', 'x-robots-tag': 'noindex' });
  const ticket = url.searchParams.get('t') ?? '';
  if (!TICKET.test(ticket)) return { receipt: null };
  try {
    const response = await fetch(`/api/public/nojs/receipt/${ticket}`, { signal: AbortSignal.timeout(4000) });
    if (!response.ok) return { receipt: null };
    const body = (await response.json()) as NojsReceiptResponse;
    return { receipt: { receipt: body.receipt, publicRef: body.publicRef } };
  } catch {
    return { receipt: null };
  }
};
