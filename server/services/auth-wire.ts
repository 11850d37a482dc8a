// Binary values travel as unpadded base64url. Decoding failures name the field, never the value.
import { AppError } from '../domain/errors.ts';

export function fromWire(value: string, field: string, opts: { length?: number; max?: number } = {}): Uint8Array {
  const bytes = /^[A-Za-z0-9_-]*$/.test(value) ? Buffer.from(value, 'base64url') : null;
  const isValid = bytes !== null && bytes.toString('base64url') === value
    && (opts.length === undefined || bytes.length === opts.length)
    && (opts.max === undefined || bytes.length <= opts.max);
  if (!isValid) throw new AppError('VALIDATION_FAILED', undefined, { fields: [field] });
  return new Uint8Array(bytes);
}

export const toWire = (bytes: Uint8Array): string => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64url');
