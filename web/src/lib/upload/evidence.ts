// The evidence list a reporter builds before sending: limits checked up front, images
// cleaned of metadata as they are added, everything else flagged with a warning.
import { cleanImage, isCleanableImage } from './clean-image';

// The deployment defaults (README: UPLOAD_MAX_*); the server enforces its own values.
export const MAX_FILES = 20;
export const MAX_FILE_BYTES = 200 * 1024 * 1024;
export const MAX_REPORT_BYTES = 1024 * 1024 * 1024;

export type EvidenceKind = 'image' | 'document' | 'image_uncleaned';

export type EvidenceItem = {
  id: string;
  /** What will be sealed: the cleaned image, or the file as chosen. */
  file: File | null;
  originalName: string;
  kind: EvidenceKind;
  status: 'cleaning' | 'ready';
};

export type Refusal = { name: string; reason: 'too_many' | 'too_large' | 'total_too_large' | 'empty' };

export const totalBytes = (items: readonly EvidenceItem[]): number =>
  items.reduce((sum, item) => sum + (item.file?.size ?? 0), 0);

let counter = 0;
const nextId = (): string => `ev-${Date.now().toString(36)}-${(counter++).toString(36)}`;

/**
 * Splits picked files into accepted items (images still to be cleaned) and refusals,
 * against the limits and what is already counted (this list, or files sent earlier).
 */
export function admit(already: { count: number; bytes: number }, picked: readonly File[]): { items: EvidenceItem[]; refused: Refusal[]; sources: Map<string, File> } {
  const items: EvidenceItem[] = [];
  const refused: Refusal[] = [];
  const sources = new Map<string, File>();
  let count = already.count;
  let total = already.bytes;
  for (const file of picked) {
    if (file.size === 0) refused.push({ name: file.name, reason: 'empty' });
    else if (count >= MAX_FILES) refused.push({ name: file.name, reason: 'too_many' });
    else if (file.size > MAX_FILE_BYTES) refused.push({ name: file.name, reason: 'too_large' });
    else if (total + file.size > MAX_REPORT_BYTES) refused.push({ name: file.name, reason: 'total_too_large' });
    else {
      const id = nextId();
      const isImage = isCleanableImage(file);
      items.push({ id, file: isImage ? null : file, originalName: file.name, kind: isImage ? 'image' : 'document', status: isImage ? 'cleaning' : 'ready' });
      sources.set(id, file);
      count += 1;
      total += file.size;
    }
  }
  return { items, refused, sources };
}

/** Cleans one image; when the browser cannot decode it, the original is kept and flagged. */
export async function prepare(item: EvidenceItem, source: File): Promise<EvidenceItem> {
  if (item.kind !== 'image') return { ...item, file: source, status: 'ready' };
  try {
    return { ...item, file: await cleanImage(source), status: 'ready' };
  } catch {
    return { ...item, file: source, kind: 'image_uncleaned', status: 'ready' };
  }
}

/** "1,2 MB", in binary units so sizes compare directly with the limits above. */
export function formatBytes(bytes: number, locale: string): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', { maximumFractionDigits: digits }).format(value)} ${units[unit]}`;
}
