import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { deriveSubkey, loadServerSecret, openAtRest, sealAtRest, ServerSecretError } from '../../../server/secrets.ts';

const dir = () => mkdtempSync(path.join(tmpdir(), 'minhbach-secret-'));

describe('server secret file', () => {
  it('is created with mode 0600 on the first demo start and read back unchanged', async () => {
    const file = path.join(dir(), 'nested', 'server-secret.key');
    const secret = await loadServerSecret({ mode: 'demo', serverSecretFile: file });
    expect(secret).toHaveLength(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(await loadServerSecret({ mode: 'demo', serverSecretFile: file })).toEqual(secret);
  });

  it('must already exist in production', async () => {
    await expect(loadServerSecret({ mode: 'production', serverSecretFile: path.join(dir(), 'none.key') })).rejects.toThrow(ServerSecretError);
  });

  it('refuses a file that does not hold 32 bytes', async () => {
    const file = path.join(dir(), 'short.key');
    writeFileSync(file, 'too-short\n');
    await expect(loadServerSecret({ mode: 'production', serverSecretFile: file })).rejects.toThrow(/32 bytes/);
  });
});

describe('values sealed at rest', () => {
  const secret = new Uint8Array(32).fill(3);
  const key = deriveSubkey(secret, 'totp-at-rest');

  it('derives independent subkeys per use', () => {
    expect(deriveSubkey(secret, 'csrf')).not.toEqual(key);
  });

  it('open only under the same key and for the same record', () => {
    const sealed = sealAtRest(key, new TextEncoder().encode('JBSWY3DPEHPK3PXPJBSWY3DP'), 'totp:staff-1');
    expect(new TextDecoder().decode(openAtRest(key, sealed, 'totp:staff-1'))).toBe('JBSWY3DPEHPK3PXPJBSWY3DP');
    expect(() => openAtRest(key, sealed, 'totp:staff-2')).toThrow(ServerSecretError);
    expect(() => openAtRest(deriveSubkey(secret, 'csrf'), sealed, 'totp:staff-1')).toThrow(ServerSecretError);
    expect(Buffer.from(sealed).toString('latin1')).not.toContain('JBSWY3DP');
  });
});
