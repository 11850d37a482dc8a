// Localised names of roles and kinds of body for the staff pages.
import { m } from '$lib/paraglide/messages';
import type { Role } from '$domain/vocabulary';

export function roleName(role: Role): string {
  switch (role) {
    case 'front_member': return m.staff_role_front_member();
    case 'front_reviewer': return m.staff_role_front_reviewer();
    case 'inspection_investigator': return m.staff_role_inspection_investigator();
    case 'inspection_lead': return m.staff_role_inspection_lead();
    case 'personnel_officer': return m.staff_role_personnel_officer();
    case 'administrator': return m.staff_role_administrator();
    case 'auditor': return m.staff_role_auditor();
  }
}

export function roleDuties(role: Role): string {
  switch (role) {
    case 'front_member': return m.staff_duties_front_member();
    case 'front_reviewer': return m.staff_duties_front_reviewer();
    case 'inspection_investigator': return m.staff_duties_inspection_investigator();
    case 'inspection_lead': return m.staff_duties_inspection_lead();
    case 'personnel_officer': return m.staff_duties_personnel_officer();
    case 'administrator': return m.staff_duties_administrator();
    case 'auditor': return m.staff_duties_auditor();
  }
}

export function bodyKindName(kind: string): string {
  switch (kind) {
    case 'front_intake': return m.staff_kind_front_intake();
    case 'inspection_committee': return m.staff_kind_inspection_committee();
    case 'organization_board': return m.staff_kind_organization_board();
    case 'internal_affairs': return m.staff_kind_internal_affairs();
    case 'inspectorate': return m.staff_kind_inspectorate();
    case 'administration': return m.staff_kind_administration();
    default: return kind;
  }
}

export function levelName(level: string): string {
  switch (level) {
    case 'city': return m.staff_level_city();
    case 'district': return m.staff_level_district();
    case 'ward': return m.staff_level_ward();
    default: return level;
  }
}

export const formatDateTime = (iso: string, locale: string): string =>
  new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'vi-VN', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));
