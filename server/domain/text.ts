/**
 * The search key for Vietnamese names: lower case, no diacritics, "đ" → "d", single
 * spaces. Typing "nguyen van a" then finds "Nguyễn Văn A".
 */
export function searchKey(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}
