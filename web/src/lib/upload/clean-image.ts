// Images are redrawn through a canvas before sealing: only pixels survive, so EXIF
// (camera serial, GPS position, time) and any other metadata are dropped. Documents
// cannot be cleaned this way; the form warns about them instead.

export const CLEANABLE_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const;

// Large photos are scaled down: a 48-megapixel canvas can exhaust a cheap phone's memory.
const MAX_SIDE = 4096;
const JPEG_QUALITY = 0.9;

export const isCleanableImage = (file: Blob): boolean => (CLEANABLE_TYPES as readonly string[]).includes(file.type);

function outputType(type: string): string {
  // PNG stays lossless (screenshots of documents must stay legible); WebP is encoded as
  // WebP where the browser can, otherwise toBlob falls back to PNG and we report that.
  return type === 'image/jpeg' ? 'image/jpeg' : type;
}

function renamed(name: string, type: string): string {
  const ext = type === 'image/jpeg' ? 'jpg' : type === 'image/png' ? 'png' : type === 'image/webp' ? 'webp' : 'bin';
  const base = name.replace(/\.[^./\\]{1,8}$/, '');
  return `${base || 'anh'}.${ext}`;
}

type Canvas2D = { canvas: OffscreenCanvas | HTMLCanvasElement; toBlob: (type: string, quality: number) => Promise<Blob | null> };

function makeCanvas(width: number, height: number): Canvas2D {
  if (typeof OffscreenCanvas !== 'undefined') {
    const canvas = new OffscreenCanvas(width, height);
    return { canvas, toBlob: (type, quality) => canvas.convertToBlob({ type, quality }).catch(() => null) };
  }
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  return { canvas, toBlob: (type, quality) => new Promise((resolve) => canvas.toBlob(resolve, type, quality)) };
}

/** The re-encoded image as a new File (name kept, extension matching the new type). */
export async function cleanImage(file: File): Promise<File> {
  // 'from-image' applies the EXIF orientation to the pixels before the tag is dropped.
  const bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  try {
    const scale = Math.min(1, MAX_SIDE / Math.max(bitmap.width, bitmap.height));
    const width = Math.max(1, Math.round(bitmap.width * scale));
    const height = Math.max(1, Math.round(bitmap.height * scale));
    const { canvas, toBlob } = makeCanvas(width, height);
    const context = canvas.getContext('2d') as OffscreenCanvasRenderingContext2D | CanvasRenderingContext2D | null;
    if (!context) throw new Error('no 2d context');
    if (file.type === 'image/jpeg') {
      // JPEG has no transparency: paint white first so nothing turns black.
      context.fillStyle = '#fff';
      context.fillRect(0, 0, width, height);
    }
    context.drawImage(bitmap, 0, 0, width, height);
    const blob = await toBlob(outputType(file.type), JPEG_QUALITY);
    if (!blob || blob.size === 0) throw new Error('encode failed');
    return new File([blob], renamed(file.name, blob.type), { type: blob.type });
  } finally {
    bitmap.close();
  }
}
