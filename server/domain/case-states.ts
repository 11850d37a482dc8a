// What each case state means: its staff label, the plain words the reporter's timeline
// shows, which stage of the work it belongs to, and which deadline clock runs in it.

import type { Label } from './labels.ts';
import type { CaseState, DeadlineKind, Role } from './vocabulary.ts';

/**
 * Stage of the work. Front staff act in 'intake', inspection staff in 'inspection';
 * 'waiting' (needs_info) takes the stage of the state it will resume to.
 */
export type CasePhase = 'intake' | 'inspection' | 'waiting' | 'ended';

export type CaseStateInfo = {
  label: Label;
  /** Plain language for the reporter; never names a hold or a person. */
  publicLabel: Label;
  phase: CasePhase;
  /** The deadline clock that runs (or, in paused, stands still) in this state. */
  clock: DeadlineKind | null;
  isFinal: boolean;
};

export const CASE_STATE_INFO: Record<CaseState, CaseStateInfo> = {
  received: {
    label: { vi: 'Đã tiếp nhận', en: 'Received' },
    publicLabel: { vi: 'Chúng tôi đã nhận được nội dung bạn gửi', en: 'We have received what you sent' },
    phase: 'intake',
    clock: 'triage',
    isFinal: false,
  },
  triage: {
    label: { vi: 'Đang phân loại', en: 'In triage' },
    publicLabel: { vi: 'Đang được xem xét, phân loại', en: 'Being reviewed' },
    phase: 'intake',
    clock: 'triage',
    isFinal: false,
  },
  needs_info: {
    label: { vi: 'Chờ bổ sung', en: 'Awaiting information' },
    publicLabel: { vi: 'Cần bạn bổ sung thông tin', en: 'We need more information from you' },
    phase: 'waiting',
    clock: 'reporter_reply',
    isFinal: false,
  },
  returned: {
    label: { vi: 'Trả đơn, hướng dẫn', en: 'Returned with guidance' },
    publicLabel: {
      vi: 'Không thuộc phạm vi xử lý tại đây; xem hướng dẫn nơi gửi',
      en: 'Not handled here; see where to turn instead',
    },
    phase: 'intake',
    clock: null,
    isFinal: false,
  },
  filed: {
    label: { vi: 'Lưu đơn', en: 'Filed' },
    publicLabel: { vi: 'Đã lưu, không xử lý tiếp (xem lý do)', en: 'Kept on file without further action (see the reason)' },
    phase: 'intake',
    clock: null,
    isFinal: false,
  },
  transferred: {
    label: { vi: 'Đã chuyển đơn', en: 'Transferred' },
    publicLabel: { vi: 'Đã chuyển đến cơ quan có thẩm quyền', en: 'Sent on to the competent authority' },
    phase: 'intake',
    clock: null,
    isFinal: false,
  },
  referred: {
    label: { vi: 'Chuyển kiểm tra', en: 'Referred for inspection' },
    publicLabel: { vi: 'Đã chuyển đến cơ quan kiểm tra', en: 'Sent to the inspection body' },
    phase: 'inspection',
    clock: 'triage',
    isFinal: false,
  },
  accepted: {
    label: { vi: 'Đã thụ lý', en: 'Accepted' },
    publicLabel: { vi: 'Đã được thụ lý để giải quyết', en: 'Accepted for resolution' },
    phase: 'inspection',
    clock: 'resolution',
    isFinal: false,
  },
  not_accepted: {
    label: { vi: 'Không thụ lý', en: 'Not accepted' },
    publicLabel: { vi: 'Không được thụ lý (xem lý do)', en: 'Not accepted (see the reason)' },
    phase: 'inspection',
    clock: null,
    isFinal: false,
  },
  verifying: {
    label: { vi: 'Đang xác minh', en: 'Verifying' },
    publicLabel: { vi: 'Đang được xác minh', en: 'Being verified' },
    phase: 'inspection',
    clock: 'resolution',
    isFinal: false,
  },
  paused: {
    label: { vi: 'Tạm đình chỉ giải quyết', en: 'Case paused' },
    publicLabel: {
      vi: 'Việc giải quyết tạm đình chỉ; thời hạn không tính trong thời gian này',
      en: 'Handling is paused; the time limit stops meanwhile',
    },
    phase: 'inspection',
    clock: 'resolution',
    isFinal: false,
  },
  terminated: {
    label: { vi: 'Đình chỉ', en: 'Terminated' },
    publicLabel: { vi: 'Đã đình chỉ giải quyết (xem lý do)', en: 'Handling ended without a conclusion (see the reason)' },
    phase: 'inspection',
    clock: null,
    isFinal: false,
  },
  concluded: {
    label: { vi: 'Đã kết luận', en: 'Concluded' },
    publicLabel: { vi: 'Đã có kết luận', en: 'A conclusion has been reached' },
    phase: 'inspection',
    clock: null,
    isFinal: false,
  },
  closed: {
    label: { vi: 'Đã đóng', en: 'Closed' },
    publicLabel: { vi: 'Đã hoàn tất', en: 'Finished' },
    phase: 'ended',
    clock: null,
    isFinal: true,
  },
  withdrawn: {
    label: { vi: 'Đã rút', en: 'Withdrawn' },
    publicLabel: { vi: 'Bạn đã rút nội dung này', en: 'You withdrew this report' },
    phase: 'ended',
    clock: null,
    isFinal: true,
  },
};

/** Which stage a staff role works in; roles without a stage never act on cases. */
export const ROLE_PHASE: Partial<Record<Role, 'intake' | 'inspection'>> = {
  front_member: 'intake',
  front_reviewer: 'intake',
  inspection_investigator: 'inspection',
  inspection_lead: 'inspection',
};

/** The stage a case is in; needs_info belongs to the stage it will resume to. */
export const phaseOf = (state: CaseState, resumeState: CaseState | null): CasePhase => {
  const phase = CASE_STATE_INFO[state].phase;
  if (phase !== 'waiting') return phase;
  return resumeState === null ? 'waiting' : CASE_STATE_INFO[resumeState].phase;
};
