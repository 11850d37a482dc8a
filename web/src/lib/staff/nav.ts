// Navigation inside the staff area keeps the locale of the URL (Vietnamese at /, English
// under /en) and stays client-side, so the keys held in memory survive it.
import { goto } from '$app/navigation';
import { localizeHref } from '$lib/paraglide/runtime';

export const staffHref = (path: string): string => localizeHref(path);

export function navigate(path: string, options: { replace?: boolean } = {}): Promise<void> {
  // The paths come from localizeHref (Paraglide), which resolve() cannot express.
  return goto(staffHref(path), { replaceState: options.replace ?? false });
}

export const STAFF_PATHS = {
  signIn: '/can-bo',
  secondFactor: '/can-bo/xac-thuc',
  enrol: '/can-bo/dang-ky-xac-thuc',
  keySetup: '/can-bo/khoa/tao',
  unlock: '/can-bo/khoa/mo',
  recovery: '/can-bo/khoi-phuc',
  passphrase: '/can-bo/doi-mat-khau',
  home: '/can-bo/trang-chu',
  bodyKey: '/can-bo/khoa-co-quan',
  admin: '/can-bo/quan-tri',
  audit: '/can-bo/kiem-toan',
  // Casework (issue 6): the queue, and one case at /can-bo/ho-so/<public ref>.
  queue: '/can-bo/ho-so',
  identityApprovals: '/can-bo/ho-so/phe-duyet',
  // Personnel work and holds (issue 7).
  directory: '/can-bo/danh-ba',
  personnel: '/can-bo/nhan-su',
  holds: '/can-bo/tam-dung',
} as const;
