// The casework routes the pages call (docs/casework-api.md). Thin: the shapes are in
// types.ts, errors are ApiError from $lib/api.
import { api, apiGet, apiPost } from '$lib/api';
import type {
  CaseContent, CaseDetail, CaseMessage, CaseSummary, IdentityContent, IdentityRequest, QueueCounts, TimelineItem, TransitionParams,
} from './types';

export type QueueFilters = {
  state?: string; category?: string; body?: string; due?: '' | 'soon' | 'overdue'; assignee?: string; label?: string; q?: string;
};

type Page<T> = { items: T[]; nextCursor: string | null };

const path = (ref: string, rest = ''): string => `/api/cases/${encodeURIComponent(ref)}${rest}`;

export const listCases = (filters: QueueFilters, after: string | null, limit = 50, signal?: AbortSignal): Promise<Page<CaseSummary>> =>
  apiGet<Page<CaseSummary>>('/api/cases', { query: { ...filters, after, limit }, signal });

export const countCases = (filters: QueueFilters, signal?: AbortSignal): Promise<QueueCounts> => {
  const { state: _state, ...rest } = filters;
  return apiGet<QueueCounts>('/api/cases/counts', { query: rest, signal });
};

export const getCase = (ref: string): Promise<CaseDetail> => apiGet<CaseDetail>(path(ref));

export const getTimeline = (ref: string, after: string | null, limit = 100): Promise<Page<TimelineItem>> =>
  apiGet<Page<TimelineItem>>(path(ref, '/timeline'), { query: { after, limit } });

export const getContent = (ref: string): Promise<CaseContent> => apiGet<CaseContent>(path(ref, '/content'));

export const attachmentUrl = (ref: string, attachmentId: string): string => path(ref, `/attachments/${encodeURIComponent(attachmentId)}`);

export const getMessages = (ref: string, after: string | null, limit = 100): Promise<Page<CaseMessage>> =>
  apiGet<Page<CaseMessage>>(path(ref, '/messages'), { query: { after, limit } });

export const postMessage = (ref: string, ciphertext: string, isQuestion: boolean): Promise<unknown> =>
  apiPost(path(ref, '/messages'), { ciphertext, isQuestion });

export type TransitionResult = { version: number; state: string };

export const postTransition = (ref: string, transition: string, expectedVersion: number, params: TransitionParams = {}): Promise<TransitionResult> =>
  apiPost<TransitionResult>(path(ref, '/transitions'), { transition, expectedVersion, params });

export const postNote = (ref: string, ciphertext: string): Promise<{ id: string }> =>
  apiPost<{ id: string }>(path(ref, '/notes'), { ciphertext, formatVersion: 1 });

export const putLabels = (ref: string, labels: string[]): Promise<unknown> => api('PUT', path(ref, '/labels'), { labels });

export const postLink = (ref: string, publicRef: string, kind: 'related' | 'duplicate'): Promise<unknown> =>
  apiPost(path(ref, '/links'), { publicRef, kind });

export const postKeyGrant = (ref: string, bodyId: string, bodyKeyVersion: number, sealedKey: string): Promise<unknown> =>
  apiPost(path(ref, '/key-grants'), { bodyId, bodyKeyVersion, sealedKey });

export const postConclusion = (
  ref: string, body: { expectedVersion: number; outcome: string; ciphertext: string; formatVersion: number; textHash: string; signature: string },
): Promise<TransitionResult> => apiPost<TransitionResult>(path(ref, '/conclusion'), body);

/** Links (or, with null, unlinks) the cadre concerned; versioned like a transition. */
export const putCadre = (ref: string, expectedVersion: number, cadreId: string | null): Promise<{ version: number }> =>
  api<{ version: number }>('PUT', path(ref, '/cadre'), { expectedVersion, cadreId });

export const postRecusal = (ref: string): Promise<unknown> => apiPost(path(ref, '/recusal'), {});

export type CadreHit = { id: string; fullName: string; position: string; unitName: string; jurisdictionCode: string };

/** The public cadre directory search (the same list the report form offers). */
export const searchCadres = (q: string, signal?: AbortSignal): Promise<Page<CadreHit>> =>
  apiGet<Page<CadreHit>>('/api/public/cadres', { query: { q, limit: 10 }, signal });

export const postExport = (ref: string): Promise<unknown> => apiPost(path(ref, '/exports'), {});

export const requestIdentity = (ref: string, reasonCode: string, reasonCiphertext?: string): Promise<IdentityRequest> =>
  apiPost<IdentityRequest>(path(ref, '/identity-requests'), { reasonCode, ...(reasonCiphertext ? { reasonCiphertext } : {}) });

export const getIdentity = (ref: string): Promise<IdentityContent> => apiGet<IdentityContent>(path(ref, '/identity'));

export async function listIdentityRequests(after: string | null): Promise<Page<IdentityRequest>> {
  const page = await apiGet<{ items: IdentityRequest[]; nextCursor?: string | null }>('/api/identity-requests', { query: { state: 'pending', after } });
  return { items: page.items, nextCursor: page.nextCursor ?? null };
}

export const decideIdentityRequest = (id: string, decision: 'approve' | 'refuse'): Promise<IdentityRequest> =>
  apiPost<IdentityRequest>(`/api/identity-requests/${encodeURIComponent(id)}/${decision}`, {});
