// The demo deployment: a fictional city with two districts, one ward, the bodies of each
// kind, a cadre directory and pending personnel actions. Every name here is invented.
import type { PersonnelActionKind, PersonnelActionState, Role } from '../domain/vocabulary.ts';
import type { BodySpec } from '../services/bootstrap.service.ts';

/** Shared by every demo account; the README lists them. Demo mode refuses to run as production. */
export const DEMO_PASSPHRASE = 'minhbach-demo-2026';

export const DEMO_JURISDICTIONS = [
  { code: 'MA', nameVi: 'Thành phố Minh An', nameEn: 'Minh An City', level: 'city', parentCode: null },
  { code: 'MA-BM', nameVi: 'Quận Bình Minh', nameEn: 'Binh Minh District', level: 'district', parentCode: 'MA' },
  { code: 'MA-SX', nameVi: 'Huyện Sông Xanh', nameEn: 'Song Xanh District', level: 'district', parentCode: 'MA' },
  { code: 'MA-BM-AL', nameVi: 'Phường An Lạc', nameEn: 'An Lac Ward', level: 'ward', parentCode: 'MA-BM' },
] as const;

function desks(code: string, level: 'city' | 'district', place: { vi: string; en: string }): BodySpec[] {
  const prefix = code.toLowerCase();
  return [
    { code: `${prefix}-mttq`, kind: 'front_intake', level, jurisdictionCode: code, nameVi: `Ban Tiếp nhận phản ánh, Ủy ban MTTQ ${place.vi}`, nameEn: `Front intake desk, ${place.en}` },
    { code: `${prefix}-ubkt`, kind: 'inspection_committee', level, jurisdictionCode: code, nameVi: `Ủy ban Kiểm tra ${place.vi}`, nameEn: `Inspection Committee, ${place.en}` },
    { code: `${prefix}-btc`, kind: 'organization_board', level, jurisdictionCode: code, nameVi: `Ban Tổ chức ${place.vi}`, nameEn: `Organization Board, ${place.en}` },
  ];
}

export const DEMO_BODIES: BodySpec[] = [
  ...desks('MA', 'city', { vi: 'Thành ủy Minh An', en: 'Minh An City' }),
  { code: 'ma-bnc', kind: 'internal_affairs', level: 'city', jurisdictionCode: 'MA', nameVi: 'Ban Nội chính Thành ủy Minh An', nameEn: 'Internal Affairs, Minh An City' },
  { code: 'ma-tt', kind: 'inspectorate', level: 'city', jurisdictionCode: 'MA', nameVi: 'Thanh tra Thành phố Minh An', nameEn: 'Inspectorate, Minh An City' },
  { code: 'ma-qt', kind: 'administration', level: 'city', jurisdictionCode: 'MA', nameVi: 'Quản trị hệ thống Minh Bạch', nameEn: 'Minh Bach administration' },
  ...desks('MA-BM', 'district', { vi: 'Quận ủy Bình Minh', en: 'Binh Minh District' }),
  ...desks('MA-SX', 'district', { vi: 'Huyện ủy Sông Xanh', en: 'Song Xanh District' }),
];

export type DemoStaff = { username: string; displayName: string; role: Role; bodyCode: string; note: string };

export const DEMO_STAFF: DemoStaff[] = [
  { username: 'quantri', displayName: 'Trần Quản Trị', role: 'administrator', bodyCode: 'ma-qt', note: 'bodies, staff, routing, holidays' },
  { username: 'kiemtoan', displayName: 'Lê Kiểm Toán', role: 'auditor', bodyCode: 'ma-qt', note: 'reads and verifies the audit log' },
  { username: 'mttq.tiepnhan', displayName: 'Nguyễn Thị Tiếp Nhận', role: 'front_reviewer', bodyCode: 'ma-mttq', note: 'city Front intake reviewer' },
  { username: 'mttq.thanhvien', displayName: 'Phạm Văn Mặt Trận', role: 'front_member', bodyCode: 'ma-mttq', note: 'files reports on behalf of citizens' },
  { username: 'mttq.binhminh', displayName: 'Đỗ Thị Bình', role: 'front_reviewer', bodyCode: 'ma-bm-mttq', note: 'Binh Minh district Front reviewer' },
  { username: 'ubkt.lanhdao', displayName: 'Hoàng Văn Lãnh Đạo', role: 'inspection_lead', bodyCode: 'ma-ubkt', note: 'city inspection lead' },
  { username: 'ubkt.xacminh', displayName: 'Vũ Thị Xác Minh', role: 'inspection_investigator', bodyCode: 'ma-ubkt', note: 'city inspection investigator' },
  { username: 'ubkt.binhminh', displayName: 'Bùi Văn Kiểm', role: 'inspection_lead', bodyCode: 'ma-bm-ubkt', note: 'Binh Minh district inspection lead' },
  { username: 'btc.nhansu', displayName: 'Ngô Thị Nhân Sự', role: 'personnel_officer', bodyCode: 'ma-btc', note: 'city personnel officer' },
];

export type DemoCadre = {
  key: string; fullName: string; position: string; unitName: string;
  jurisdictionCode: string; level: 'city' | 'district' | 'ward';
  managingLevel: 'city' | 'district'; managingJurisdictionCode: string;
};

export const DEMO_CADRES: DemoCadre[] = [
  { key: 'a', fullName: 'Nguyễn Văn An', position: 'Giám đốc Sở Tài nguyên và Môi trường', unitName: 'Sở Tài nguyên và Môi trường', jurisdictionCode: 'MA', level: 'city', managingLevel: 'city', managingJurisdictionCode: 'MA' },
  { key: 'b', fullName: 'Trần Thị Bích', position: 'Phó Giám đốc Sở Xây dựng', unitName: 'Sở Xây dựng', jurisdictionCode: 'MA', level: 'city', managingLevel: 'city', managingJurisdictionCode: 'MA' },
  { key: 'c', fullName: 'Lê Quang Cường', position: 'Chánh Văn phòng UBND thành phố', unitName: 'Văn phòng UBND thành phố', jurisdictionCode: 'MA', level: 'city', managingLevel: 'city', managingJurisdictionCode: 'MA' },
  { key: 'd', fullName: 'Phạm Minh Đức', position: 'Chủ tịch UBND quận', unitName: 'UBND quận Bình Minh', jurisdictionCode: 'MA-BM', level: 'district', managingLevel: 'city', managingJurisdictionCode: 'MA' },
  { key: 'e', fullName: 'Võ Thị Hồng Nhung', position: 'Trưởng phòng Tài chính – Kế hoạch', unitName: 'UBND quận Bình Minh', jurisdictionCode: 'MA-BM', level: 'district', managingLevel: 'district', managingJurisdictionCode: 'MA-BM' },
  { key: 'f', fullName: 'Đặng Hữu Phước', position: 'Trưởng phòng Quản lý đô thị', unitName: 'UBND quận Bình Minh', jurisdictionCode: 'MA-BM', level: 'district', managingLevel: 'district', managingJurisdictionCode: 'MA-BM' },
  { key: 'g', fullName: 'Huỳnh Văn Giang', position: 'Chủ tịch UBND phường', unitName: 'UBND phường An Lạc', jurisdictionCode: 'MA-BM-AL', level: 'ward', managingLevel: 'district', managingJurisdictionCode: 'MA-BM' },
  { key: 'h', fullName: 'Ngô Thanh Hải', position: 'Chủ tịch UBND huyện', unitName: 'UBND huyện Sông Xanh', jurisdictionCode: 'MA-SX', level: 'district', managingLevel: 'city', managingJurisdictionCode: 'MA' },
  { key: 'i', fullName: 'Dương Thị Ích', position: 'Trưởng phòng Tài nguyên và Môi trường', unitName: 'UBND huyện Sông Xanh', jurisdictionCode: 'MA-SX', level: 'district', managingLevel: 'district', managingJurisdictionCode: 'MA-SX' },
  { key: 'k', fullName: 'Lý Văn Khánh', position: 'Chánh án Tòa án nhân dân huyện', unitName: 'Tòa án nhân dân huyện Sông Xanh', jurisdictionCode: 'MA-SX', level: 'district', managingLevel: 'city', managingJurisdictionCode: 'MA' },
];

export type DemoAction = {
  cadreKey: string; kind: PersonnelActionKind; state: PersonnelActionState; proposingBodyCode: string;
  positionTitle: string; proposedInDays: number; noticeForDays?: number;
};

export const DEMO_ACTIONS: DemoAction[] = [
  { cadreKey: 'a', kind: 'reappointment', state: 'public_notice', proposingBodyCode: 'ma-btc', positionTitle: 'Giám đốc Sở Tài nguyên và Môi trường (nhiệm kỳ 2027–2032)', proposedInDays: 45, noticeForDays: 20 },
  { cadreKey: 'a', kind: 'nomination', state: 'pending_decision', proposingBodyCode: 'ma-btc', positionTitle: 'Giới thiệu ứng cử Ban Chấp hành Đảng bộ thành phố', proposedInDays: 60 },
  { cadreKey: 'b', kind: 'promotion', state: 'public_notice', proposingBodyCode: 'ma-btc', positionTitle: 'Giám đốc Sở Xây dựng', proposedInDays: 30, noticeForDays: 15 },
  { cadreKey: 'd', kind: 'rotation', state: 'pending_decision', proposingBodyCode: 'ma-btc', positionTitle: 'Phó Trưởng ban Tổ chức Thành ủy', proposedInDays: 40 },
  { cadreKey: 'e', kind: 'appointment', state: 'public_notice', proposingBodyCode: 'ma-bm-btc', positionTitle: 'Phó Chủ tịch UBND quận Bình Minh', proposedInDays: 35, noticeForDays: 25 },
  { cadreKey: 'f', kind: 'planning', state: 'draft', proposingBodyCode: 'ma-bm-btc', positionTitle: 'Quy hoạch Phó Chủ tịch UBND quận nhiệm kỳ 2026–2031', proposedInDays: 90 },
  { cadreKey: 'g', kind: 'commendation', state: 'pending_decision', proposingBodyCode: 'ma-bm-btc', positionTitle: 'Bằng khen của UBND thành phố', proposedInDays: 20 },
  { cadreKey: 'h', kind: 'reappointment', state: 'public_notice', proposingBodyCode: 'ma-btc', positionTitle: 'Chủ tịch UBND huyện Sông Xanh', proposedInDays: 50, noticeForDays: 30 },
  { cadreKey: 'i', kind: 'transfer', state: 'pending_decision', proposingBodyCode: 'ma-sx-btc', positionTitle: 'Trưởng phòng Nội vụ huyện Sông Xanh', proposedInDays: 25 },
  { cadreKey: 'k', kind: 'commendation', state: 'draft', proposingBodyCode: 'ma-btc', positionTitle: 'Chiến sĩ thi đua cấp thành phố', proposedInDays: 70 },
  { cadreKey: 'c', kind: 'appointment', state: 'pending_decision', proposingBodyCode: 'ma-btc', positionTitle: 'Phó Chủ tịch UBND thành phố', proposedInDays: 28 },
  { cadreKey: 'c', kind: 'planning', state: 'public_notice', proposingBodyCode: 'ma-btc', positionTitle: 'Quy hoạch Ủy viên Ban Thường vụ Thành ủy nhiệm kỳ 2030–2035', proposedInDays: 55, noticeForDays: 12 },
  { cadreKey: 'k', kind: 'nomination', state: 'public_notice', proposingBodyCode: 'ma-btc', positionTitle: 'Giới thiệu ứng cử Hội thẩm nhân dân thành phố', proposedInDays: 40, noticeForDays: 18 },
];
