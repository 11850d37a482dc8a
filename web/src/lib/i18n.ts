import { deLocalizeHref, localizeHref, type Locale } from '$lib/paraglide/runtime';

/** The route path without its locale prefix: '/en/theo-doi' → '/theo-doi'. */
export function canonicalPath(pathname: string): string {
  return deLocalizeHref(pathname);
}

/** The same page in another language. */
export function pathInLocale(pathname: string, locale: Locale): string {
  return localizeHref(canonicalPath(pathname), { locale });
}

export const LOCALE_NAMES: Record<Locale, string> = { vi: 'Tiếng Việt', en: 'English' };
