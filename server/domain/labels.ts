// Vietnamese and English labels for the shared closed sets. Keyed by the vocabulary, so a
// value added there fails the typecheck here until it has both labels.
// Case state labels live in case-states.ts, reason codes in case-reasons.ts.

import type {
  BodyKind,
  Category,
  Classification,
  Complexity,
  ConclusionOutcome,
  HoldState,
  Level,
  PersonnelActionKind,
  PersonnelActionState,
  Role,
} from './vocabulary.ts';
import type { TransitionName } from './case-transitions.ts';

export type Label = { vi: string; en: string };

/**
 * Three Vietnamese terms that look alike and must never be mixed up in the UI: the hold
 * on personnel actions (what this system does to a cadre's pending actions), pausing a
 * case (what the inspection lead does to a case), and suspension from duty (a personnel
 * measure this system never takes).
 */
export const TERMS = {
  hold: { vi: 'Tạm dừng công tác cán bộ', en: 'Hold on personnel actions' },
  casePause: { vi: 'Tạm đình chỉ giải quyết', en: 'Case paused' },
  suspensionFromDuty: { vi: 'Tạm đình chỉ công tác', en: 'Suspension from duty (not done by this system)' },
} as const satisfies Record<string, Label>;

export const CLASSIFICATION_LABELS: Record<Classification, Label> = {
  feedback: { vi: 'Phản ánh', en: 'Feedback' },
  petition: { vi: 'Kiến nghị', en: 'Petition' },
  complaint: { vi: 'Khiếu nại', en: 'Complaint' },
  denunciation: { vi: 'Tố cáo', en: 'Denunciation' },
  denunciation_information: {
    vi: 'Thông tin có nội dung tố cáo',
    en: 'Information with denunciation content (Art. 25)',
  },
};

export const CATEGORY_LABELS: Record<Category, Label> = {
  land_resources: { vi: 'Đất đai, tài nguyên', en: 'Land and natural resources' },
  budget_assets: { vi: 'Ngân sách, tài sản công', en: 'Budget and public assets' },
  investment_construction: { vi: 'Đầu tư, xây dựng', en: 'Investment and construction' },
  judiciary: { vi: 'Hoạt động tư pháp', en: 'Judiciary' },
  organization_personnel: { vi: 'Tổ chức, cán bộ', en: 'Organization and personnel' },
  position_buying: { vi: 'Chạy chức, chạy quyền', en: 'Buying of positions and power' },
  asset_declaration: { vi: 'Kê khai tài sản, thu nhập', en: 'Asset and income declarations' },
  ethics_conduct: { vi: 'Đạo đức, lối sống', en: 'Ethics and conduct' },
  other: { vi: 'Lĩnh vực khác', en: 'Other' },
};

export const CONCLUSION_OUTCOME_LABELS: Record<ConclusionOutcome, Label> = {
  substantiated: { vi: 'Đúng', en: 'Substantiated' },
  partly_substantiated: { vi: 'Đúng một phần', en: 'Partly substantiated' },
  not_substantiated: { vi: 'Sai', en: 'Not substantiated' },
};

export const COMPLEXITY_LABELS: Record<Complexity, Label> = {
  normal: { vi: 'Bình thường', en: 'Normal' },
  complex: { vi: 'Phức tạp', en: 'Complex' },
  especially_complex: { vi: 'Đặc biệt phức tạp', en: 'Especially complex' },
};

export const PERSONNEL_ACTION_KIND_LABELS: Record<PersonnelActionKind, Label> = {
  planning: { vi: 'Quy hoạch', en: 'Planning' },
  appointment: { vi: 'Bổ nhiệm', en: 'Appointment' },
  reappointment: { vi: 'Bổ nhiệm lại', en: 'Re-appointment' },
  promotion: { vi: 'Đề bạt', en: 'Promotion' },
  rotation: { vi: 'Luân chuyển', en: 'Rotation' },
  transfer: { vi: 'Điều động', en: 'Transfer' },
  nomination: { vi: 'Giới thiệu ứng cử', en: 'Nomination for election' },
  commendation: { vi: 'Khen thưởng', en: 'Commendation' },
  demotion: { vi: 'Giáng chức', en: 'Demotion' },
  discipline: { vi: 'Kỷ luật', en: 'Discipline' },
  removal_from_planning: { vi: 'Đưa ra khỏi quy hoạch', en: 'Removal from planning' },
};

export const PERSONNEL_ACTION_STATE_LABELS: Record<PersonnelActionState, Label> = {
  draft: { vi: 'Dự thảo', en: 'Draft' },
  public_notice: { vi: 'Đang công khai lấy ý kiến', en: 'Published for public comment' },
  pending_decision: { vi: 'Chờ quyết định', en: 'Awaiting decision' },
  held: { vi: 'Đang tạm dừng', en: 'On hold' },
  approved: { vi: 'Đã quyết định', en: 'Approved' },
  executed: { vi: 'Đã thực hiện', en: 'Carried out' },
  withdrawn: { vi: 'Đã rút lại', en: 'Withdrawn' },
};

export const HOLD_STATE_LABELS: Record<HoldState, Label> = {
  proposed: { vi: 'Đề xuất tạm dừng', en: 'Hold proposed' },
  confirmed: { vi: 'Đang tạm dừng', en: 'Hold in force' },
  refused: { vi: 'Không tạm dừng', en: 'Hold refused' },
  lifted: { vi: 'Đã bỏ tạm dừng', en: 'Hold lifted' },
  // A lapsed hold still blocks: the lapse escalates, it never lifts the hold by itself.
  lapsed: { vi: 'Tạm dừng quá hạn xem xét lại', en: 'Hold overdue for review (still in force)' },
};

export const ROLE_LABELS: Record<Role, Label> = {
  front_member: { vi: 'Thành viên MTTQ', en: 'Front member' },
  front_reviewer: { vi: 'Cán bộ tiếp nhận MTTQ', en: 'Front reviewer' },
  inspection_investigator: { vi: 'Cán bộ xác minh UBKT', en: 'Inspection investigator' },
  inspection_lead: { vi: 'Lãnh đạo UBKT', en: 'Inspection lead' },
  personnel_officer: { vi: 'Cán bộ Ban Tổ chức', en: 'Personnel officer' },
  administrator: { vi: 'Quản trị hệ thống', en: 'Administrator' },
  auditor: { vi: 'Kiểm toán nhật ký', en: 'Auditor' },
};

export const BODY_KIND_LABELS: Record<BodyKind, Label> = {
  front_intake: { vi: 'Bộ phận tiếp nhận MTTQ', en: 'Front intake desk' },
  inspection_committee: { vi: 'Ủy ban kiểm tra', en: 'Inspection committee' },
  organization_board: { vi: 'Ban Tổ chức', en: 'Organization Board' },
  internal_affairs: { vi: 'Ban Nội chính', en: 'Internal Affairs' },
  inspectorate: { vi: 'Thanh tra', en: 'Inspectorate' },
  administration: { vi: 'Quản trị hệ thống', en: 'Administration' },
};

export const LEVEL_LABELS: Record<Level, Label> = {
  city: { vi: 'Thành phố', en: 'City' },
  district: { vi: 'Quận, huyện', en: 'District' },
  ward: { vi: 'Phường, xã', en: 'Ward' },
};

export const CASE_FLAG_LABELS = {
  overdue: { vi: 'Quá hạn', en: 'Overdue' },
  urgent: { vi: 'Khẩn', en: 'Urgent' },
  merged: { vi: 'Đã gộp', en: 'Merged' },
  congressWindow: { vi: 'Nhận trong thời gian trước đại hội', en: 'Received before a party congress' },
  signsOfViolation: { vi: 'Có dấu hiệu vi phạm', en: 'Signs of violation' },
} as const satisfies Record<string, Label>;

export type TransitionLabel = {
  /** The staff-facing name of the move (buttons, staff timeline). */
  action: Label;
  /** The reporter's timeline entry; null when the move is not shown to the reporter. */
  publicEvent: Label | null;
};

export const TRANSITION_LABELS: Record<TransitionName, TransitionLabel> = {
  submit: {
    action: { vi: 'Gửi', en: 'Submit' },
    publicEvent: { vi: 'Đã nhận nội dung bạn gửi', en: 'What you sent was received' },
  },
  start_triage: {
    action: { vi: 'Bắt đầu phân loại', en: 'Start triage' },
    publicEvent: { vi: 'Bắt đầu xem xét', en: 'Review started' },
  },
  classify: { action: { vi: 'Phân loại', en: 'Classify' }, publicEvent: null },
  request_info: {
    action: { vi: 'Yêu cầu bổ sung', en: 'Ask the reporter' },
    publicEvent: { vi: 'Chúng tôi cần bạn bổ sung thông tin', en: 'We asked you for more information' },
  },
  reporter_reply: {
    action: { vi: 'Bổ sung thông tin', en: 'Reply' },
    publicEvent: { vi: 'Bạn đã bổ sung thông tin', en: 'You replied' },
  },
  proceed_without_reply: {
    action: { vi: 'Tiếp tục khi chưa có bổ sung', en: 'Continue without a reply' },
    publicEvent: { vi: 'Tiếp tục xử lý với thông tin đã có', en: 'Work continues with the information at hand' },
  },
  return: {
    action: { vi: 'Trả đơn, hướng dẫn', en: 'Return with guidance' },
    publicEvent: { vi: 'Đã hướng dẫn nơi gửi phù hợp', en: 'You were told where to turn instead' },
  },
  file: {
    action: { vi: 'Lưu đơn', en: 'File' },
    publicEvent: { vi: 'Đã lưu, không xử lý tiếp', en: 'Kept on file without further action' },
  },
  merge: {
    action: { vi: 'Gộp đơn', en: 'Merge into another case' },
    publicEvent: { vi: 'Được xử lý cùng một nội dung trùng đã nhận', en: 'Handled together with an identical report' },
  },
  transfer: {
    action: { vi: 'Chuyển đơn', en: 'Transfer' },
    publicEvent: { vi: 'Đã chuyển đến cơ quan có thẩm quyền', en: 'Sent on to the competent authority' },
  },
  refer: {
    action: { vi: 'Chuyển kiểm tra', en: 'Refer for inspection' },
    publicEvent: { vi: 'Đã chuyển đến cơ quan kiểm tra', en: 'Sent to the inspection body' },
  },
  accept: {
    action: { vi: 'Thụ lý', en: 'Accept' },
    publicEvent: { vi: 'Đã được thụ lý để giải quyết', en: 'Accepted for resolution' },
  },
  not_accept: {
    action: { vi: 'Không thụ lý', en: 'Do not accept' },
    publicEvent: { vi: 'Không được thụ lý', en: 'Not accepted' },
  },
  examine: {
    action: { vi: 'Xem xét, xác minh', en: 'Examine' },
    publicEvent: { vi: 'Đang được xem xét, xác minh', en: 'Being examined' },
  },
  assign: {
    action: { vi: 'Giao xác minh', en: 'Assign investigators' },
    publicEvent: { vi: 'Bắt đầu xác minh', en: 'Verification started' },
  },
  mark_signs_of_violation: { action: { vi: 'Ghi nhận dấu hiệu vi phạm', en: 'Mark signs of violation' }, publicEvent: null },
  extend_resolution: {
    action: { vi: 'Gia hạn giải quyết', en: 'Extend the time limit' },
    publicEvent: { vi: 'Thời hạn giải quyết được gia hạn', en: 'The time limit was extended' },
  },
  pause: {
    action: { vi: 'Tạm đình chỉ giải quyết', en: 'Pause the case' },
    publicEvent: { vi: 'Việc giải quyết tạm đình chỉ', en: 'Handling was paused' },
  },
  resume: {
    action: { vi: 'Tiếp tục giải quyết', en: 'Resume the case' },
    publicEvent: { vi: 'Việc giải quyết được tiếp tục', en: 'Handling resumed' },
  },
  terminate: {
    action: { vi: 'Đình chỉ giải quyết', en: 'Terminate' },
    publicEvent: { vi: 'Đã đình chỉ giải quyết', en: 'Handling ended without a conclusion' },
  },
  conclude: {
    action: { vi: 'Ký kết luận', en: 'Sign the conclusion' },
    publicEvent: { vi: 'Đã có kết luận', en: 'A conclusion was reached' },
  },
  close: {
    action: { vi: 'Đóng', en: 'Close' },
    publicEvent: { vi: 'Đã hoàn tất', en: 'Finished' },
  },
  withdraw: {
    action: { vi: 'Rút nội dung đã gửi', en: 'Withdraw' },
    publicEvent: { vi: 'Bạn đã rút nội dung này', en: 'You withdrew this report' },
  },
};
