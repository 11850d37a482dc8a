// Calendar days (YYYY-MM-DD) as people write them: "28 tháng 11 năm 2026", "28 November 2026".
// Parsed by hand: no time zone may shift a public record's day.
import { m } from '$lib/paraglide/messages';

/** A day in short numeric form for the public pages: "28/11/2026" in Vietnamese, the ISO day in English. */
export const shortDay = (iso: string, locale: string): string => (locale === 'en' ? iso : iso.split('-').reverse().join('/'));

export function formatDay(iso: string, locale: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!match) return iso;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (locale === 'vi') return m.rf_date({ day: String(day), month: String(month), year: String(year) });
  return new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' }).format(Date.UTC(year, month - 1, day));
}
