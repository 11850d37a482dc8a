// The routing preview: which bodies the case key will be sealed to. No crypto here, so
// the review step can show the recipients without loading libsodium.
import type { RoutingPreviewBody, RoutingPreviewResponse } from '$schemas/intake';
import { apiPost } from './api';
import type { ReportAnswers } from './types';

export function routingFields(answers: ReportAnswers): RoutingPreviewBody {
  if (answers.category === '') throw new Error('category missing');
  return {
    category: answers.category,
    jurisdictionCode: answers.jurisdictionCode,
    ...(answers.cadre ? { cadreId: answers.cadre.id } : {}),
    ...(answers.noticeActionId ? { noticeActionId: answers.noticeActionId } : {}),
  };
}

export function routingPreview(answers: ReportAnswers, signal?: AbortSignal): Promise<RoutingPreviewResponse> {
  return apiPost<RoutingPreviewResponse>('/api/public/routing-preview', routingFields(answers), { signal });
}
