// Reason codes that transitions require. Codes, not free text: they are stored in case
// events and audit entries (which hold no content) and shown on the reporter's timeline.

import type { Label } from './labels.ts';

/** Lưu đơn: why a report gets no further action. */
export const FILING_REASONS = [
  'no_specific_content',
  'duplicate',
  'already_resolved',
  'outside_scope',
  'anonymous_without_specifics',
  'no_reply_to_request',
  'abusive_or_test',
] as const;
export type FilingReason = (typeof FILING_REASONS)[number];

/** Không thụ lý: why a denunciation is not accepted (Law on Denunciation 2018, Art. 29). */
export const NOT_ACCEPT_REASONS = [
  'already_resolved_no_new_facts',
  'no_basis_to_identify_violation',
  'cannot_be_verified',
  'not_competent',
  'petition_requirements_unmet',
] as const;
export type NotAcceptReason = (typeof NOT_ACCEPT_REASONS)[number];

/** Đình chỉ: why handling ends without a conclusion. */
export const TERMINATION_REASONS = [
  'reporter_withdrew',
  'accused_died',
  'already_decided_elsewhere',
  'accused_organisation_dissolved',
] as const;
export type TerminationReason = (typeof TERMINATION_REASONS)[number];

/** Tạm đình chỉ giải quyết: why the case (and its clock) is paused. */
export const PAUSE_REASONS = [
  'awaiting_other_body',
  'awaiting_expert_assessment',
  'party_unavailable',
] as const;
export type PauseReason = (typeof PAUSE_REASONS)[number];

/** Trả đơn, hướng dẫn: where the reporter is told to turn instead. */
export const RETURN_GUIDANCE = [
  'complaint_to_issuing_body',
  'court_or_prosecution',
  'civil_dispute',
  'administrative_procedure',
  'not_about_a_cadre',
  'other_competent_body',
] as const;
export type ReturnGuidance = (typeof RETURN_GUIDANCE)[number];

export const FILING_REASON_LABELS: Record<FilingReason, Label> = {
  no_specific_content: { vi: 'Không có nội dung cụ thể', en: 'No specific content' },
  duplicate: { vi: 'Trùng với đơn đã nhận', en: 'Duplicate of a report already received' },
  already_resolved: { vi: 'Đã được giải quyết, không có tình tiết mới', en: 'Already resolved, nothing new' },
  outside_scope: { vi: 'Không thuộc phạm vi xử lý', en: 'Outside the scope of this system' },
  anonymous_without_specifics: {
    vi: 'Thông tin không rõ người gửi, không nêu cụ thể người và hành vi',
    en: 'Anonymous, without a named person and a specific act',
  },
  no_reply_to_request: { vi: 'Không bổ sung thông tin theo yêu cầu', en: 'Requested information not supplied' },
  abusive_or_test: { vi: 'Nội dung xúc phạm hoặc thử nghiệm', en: 'Abusive or test content' },
};

export const NOT_ACCEPT_REASON_LABELS: Record<NotAcceptReason, Label> = {
  already_resolved_no_new_facts: {
    vi: 'Vụ việc đã được giải quyết, không có thông tin, tình tiết mới',
    en: 'Already resolved, with no new information',
  },
  no_basis_to_identify_violation: {
    vi: 'Không có cơ sở xác định người vi phạm, hành vi vi phạm',
    en: 'No basis to identify a violator or a violation',
  },
  cannot_be_verified: { vi: 'Không đủ điều kiện kiểm tra, xác minh', en: 'Cannot be verified' },
  not_competent: { vi: 'Không thuộc thẩm quyền giải quyết', en: 'Not within this body’s competence' },
  petition_requirements_unmet: {
    vi: 'Đơn không đáp ứng yêu cầu về hình thức',
    en: 'The petition does not meet the formal requirements',
  },
};

export const TERMINATION_REASON_LABELS: Record<TerminationReason, Label> = {
  reporter_withdrew: { vi: 'Người tố cáo rút tố cáo', en: 'The reporter withdrew' },
  accused_died: { vi: 'Người bị tố cáo đã chết', en: 'The person concerned has died' },
  already_decided_elsewhere: {
    vi: 'Nội dung đã được cơ quan có thẩm quyền khác giải quyết',
    en: 'Already decided by another competent body',
  },
  accused_organisation_dissolved: { vi: 'Tổ chức bị tố cáo đã giải thể', en: 'The organisation concerned was dissolved' },
};

export const PAUSE_REASON_LABELS: Record<PauseReason, Label> = {
  awaiting_other_body: { vi: 'Chờ kết quả của cơ quan khác', en: 'Awaiting another body’s result' },
  awaiting_expert_assessment: { vi: 'Chờ kết quả giám định', en: 'Awaiting an expert assessment' },
  party_unavailable: {
    vi: 'Người liên quan đang điều trị bệnh hoặc không thể làm việc',
    en: 'A party is ill or otherwise unavailable',
  },
};

export const RETURN_GUIDANCE_LABELS: Record<ReturnGuidance, Label> = {
  complaint_to_issuing_body: {
    vi: 'Khiếu nại gửi đến cơ quan đã ban hành quyết định',
    en: 'Send the complaint to the body that made the decision',
  },
  court_or_prosecution: { vi: 'Thuộc thẩm quyền của tòa án, viện kiểm sát', en: 'For the courts or the procuracy' },
  civil_dispute: { vi: 'Tranh chấp dân sự, gửi tòa án hoặc hòa giải', en: 'A civil dispute: courts or mediation' },
  administrative_procedure: {
    vi: 'Thủ tục hành chính, liên hệ bộ phận một cửa',
    en: 'An administrative procedure: contact the one-stop desk',
  },
  not_about_a_cadre: { vi: 'Không liên quan đến cán bộ, đảng viên', en: 'Not about a cadre or party member' },
  other_competent_body: { vi: 'Gửi đến cơ quan có thẩm quyền khác', en: 'Send it to another competent body' },
};
