// A small world of its own for the intake tests (a city and a district, Front desks and
// inspection committees with key pairs kept here, a cadre with an open notice), and a
// client that files reports exactly as the browser does: PoW, routing preview, receipt,
// K sealed to every recipient, ciphertext only.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import type { Db } from '../../server/db/client.ts';
import {
  deriveReceiptKeys, encryptFile, encryptJson, encryptedFileSize, generateCaseKey, generateFileKey, generateReceipt, generateSigningKeyPair,
  initCrypto, openSealedKey, sealKey, toBase64Url, verifyDirectoryEntry, fromBase64Url, type BoxKeyPair,
} from '../../server/crypto/index.ts';
import { searchKey } from '../../server/domain/text.ts';
import { createBody } from '../../server/services/bootstrap.service.ts';
import { insertJurisdictions } from '../../server/repositories/org.repository.ts';
import { insertCadres, insertPersonnelActions } from '../../server/repositories/personnel.repository.ts';
import { solveChallenge } from '../../server/services/pow.service.ts';
import type { CreateCaseBody, RoutingPreviewResponse, UploadSlot } from '../../server/schemas/intake.ts';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

export type World = {
  city: string;
  district: string;
  keys: Map<string, BoxKeyPair>;
  bodyCodes: { cityFront: string; cityUbkt: string; districtFront: string; districtUbkt: string };
  bodyIds: Map<string, string>;
  rootPublicKey: Uint8Array;
  rootPrivateKey: Uint8Array;
  cadreId: string;
  noticeId: string;
};

export async function createWorld(db: Db): Promise<World> {
  await initCrypto();
  const tag = randomBytes(3).toString('hex').toUpperCase();
  const city = `T${tag}`;
  const district = `T${tag}-D`;
  const root = generateSigningKeyPair();
  const keys = new Map<string, BoxKeyPair>();
  const bodyIds = new Map<string, string>();
  const code = (s: string): string => `t${tag.toLowerCase()}-${s}`;
  const bodyCodes = { cityFront: code('mttq'), cityUbkt: code('ubkt'), districtFront: code('d-mttq'), districtUbkt: code('d-ubkt') };
  const result = await db.transaction(async (tx) => {
    await insertJurisdictions(tx, [
      { code: city, nameVi: `Thành phố ${tag}`, nameEn: `${tag} City`, level: 'city', parentCode: null },
      { code: district, nameVi: `Quận ${tag}`, nameEn: `${tag} District`, level: 'district', parentCode: city },
    ]);
    const specs = [
      { code: bodyCodes.cityFront, kind: 'front_intake', level: 'city', jurisdictionCode: city },
      { code: bodyCodes.cityUbkt, kind: 'inspection_committee', level: 'city', jurisdictionCode: city },
      { code: bodyCodes.districtFront, kind: 'front_intake', level: 'district', jurisdictionCode: district },
      { code: bodyCodes.districtUbkt, kind: 'inspection_committee', level: 'district', jurisdictionCode: district },
    ] as const;
    for (const s of specs) {
      const body = await createBody(tx, { ...s, nameVi: `Đơn vị ${s.code}`, nameEn: `Body ${s.code}` }, root.privateKey);
      if (!body.keyPair) throw new Error('body without keys');
      keys.set(body.id, body.keyPair);
      bodyIds.set(s.code, body.id);
    }
    const [cadre] = await insertCadres(tx, [{
      fullName: `Nguyễn Văn Thử ${tag}`, nameSearch: searchKey(`Nguyễn Văn Thử ${tag}`), position: 'Phó Chủ tịch UBND quận', unitName: `UBND quận ${tag}`,
      jurisdictionCode: district, level: 'district', managingLevel: 'district', managingJurisdictionCode: district,
    }]);
    if (!cadre) throw new Error('no cadre');
    const noticeId = randomUUIDv4();
    await insertPersonnelActions(tx, [{
      id: noticeId, cadreId: cadre.id, kind: 'promotion', state: 'public_notice', proposingBodyId: bodyIds.get(bodyCodes.cityFront) ?? '',
      positionTitle: 'Chủ tịch UBND quận', proposedOn: '2030-01-01', noticeUntil: '2099-12-31',
    }]);
    return { cadreId: cadre.id, noticeId };
  });
  return { city, district, keys, bodyCodes, bodyIds, rootPublicKey: root.publicKey, rootPrivateKey: root.privateKey, ...result };
}

const randomUUIDv4 = (): string => {
  const b = randomBytes(16);
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x40;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
};

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const drawRef = (): string => {
  const s = Array.from(randomBytes(8), (x) => CROCKFORD.charAt(x & 31)).join('');
  return `MB-${s.slice(0, 4)}-${s.slice(4)}`;
};

/** A fresh address per call, so per-client rate limits do not couple tests. */
export const clientIp = (): string => `10.${randomBytes(1)[0]}.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;

export async function freshProof(app: FastifyInstance): Promise<{ challenge: string; nonce: string }> {
  const res = await app.inject({ method: 'GET', url: '/api/public/pow', remoteAddress: clientIp() });
  expect(res.statusCode).toBe(200);
  const { challenge, difficulty } = res.json() as { challenge: string; difficulty: number };
  return { challenge, nonce: await solveChallenge(challenge, difficulty) };
}

export type Filing = {
  receipt: string;
  lookupToken: string;
  caseKey: Uint8Array;
  publicRef: string;
  body: CreateCaseBody;
  preview: RoutingPreviewResponse;
  files: Array<{ plaintext: Uint8Array; fileKey: Uint8Array; ciphertext: Uint8Array }>;
};

export type FilingOptions = {
  answers?: Record<string, unknown>;
  identity?: Record<string, unknown>;
  files?: Uint8Array[];
  category?: CreateCaseBody['category'];
  withCadre?: boolean;
  /** Tamper with the body before it is sent. */
  mutate?: (body: CreateCaseBody) => void;
};

/** Builds a filing the way the browser does; `send` posts it. */
export async function prepareFiling(app: FastifyInstance, world: World, opts: FilingOptions = {}): Promise<Filing> {
  await initCrypto();
  const routing = { category: opts.category ?? 'budget_assets', jurisdictionCode: world.district, ...(opts.withCadre === false ? {} : { cadreId: world.cadreId }) };
  const previewRes = await app.inject({ method: 'POST', url: '/api/public/routing-preview', payload: routing, remoteAddress: clientIp() });
  expect(previewRes.statusCode).toBe(200);
  const preview = previewRes.json() as RoutingPreviewResponse;
  for (const r of preview.recipients) {
    verifyDirectoryEntry(world.rootPublicKey, { bodyId: r.bodyId, keyVersion: r.keyVersion, publicKey: fromBase64Url(r.publicKey), createdAt: r.createdAt }, fromBase64Url(r.signature));
  }
  const receipt = generateReceipt();
  const { lookupToken, boxKeyPair } = deriveReceiptKeys(receipt);
  const caseKey = generateCaseKey();
  const identityKey = opts.identity ? generateCaseKey() : null;
  const publicRef = drawRef();
  const files = (opts.files ?? []).map((plaintext) => {
    const fileKey = generateFileKey();
    return { plaintext, fileKey, ciphertext: encryptFile(fileKey, plaintext) };
  });
  const wraps: CreateCaseBody['wraps'] = [{ keyKind: 'case', recipientKind: 'reporter', sealedKey: toBase64Url(sealKey(caseKey, boxKeyPair.publicKey)) }];
  for (const r of preview.recipients) {
    wraps.push({ keyKind: 'case', recipientKind: 'body', bodyId: r.bodyId, bodyKeyVersion: r.keyVersion, sealedKey: toBase64Url(sealKey(caseKey, fromBase64Url(r.publicKey))) });
    if (identityKey) {
      wraps.push({ keyKind: 'identity', recipientKind: 'body', bodyId: r.bodyId, bodyKeyVersion: r.keyVersion, sealedKey: toBase64Url(sealKey(identityKey, fromBase64Url(r.publicKey))) });
    }
  }
  const body: CreateCaseBody = {
    publicRef, ...routing, language: 'vi', channel: 'web',
    report: toBase64Url(encryptJson(caseKey, { caseRef: publicRef, part: 'report' }, opts.answers ?? { what: 'Nội dung phản ánh thử nghiệm' })),
    ...(identityKey && opts.identity ? { identity: toBase64Url(encryptJson(identityKey, { caseRef: publicRef, part: 'identity' }, opts.identity)) } : {}),
    wraps,
    lookupToken: toBase64Url(lookupToken),
    reporterPublicKey: toBase64Url(boxKeyPair.publicKey),
    attachments: files.map((f) => ({ ciphertextBytes: f.ciphertext.length })),
    pow: await freshProof(app),
  };
  opts.mutate?.(body);
  return { receipt, lookupToken: toBase64Url(lookupToken), caseKey, publicRef, body, preview, files };
}

export const send = (app: FastifyInstance, filing: Filing): Promise<LightMyRequestResponse> =>
  app.inject({ method: 'POST', url: '/api/public/cases', payload: filing.body, remoteAddress: clientIp() });

export const post = (app: FastifyInstance, url: string, payload: unknown): Promise<LightMyRequestResponse> =>
  app.inject({ method: 'POST', url, payload: payload as Record<string, unknown>, remoteAddress: clientIp() });

/** A body member's view: open K from the body's wrap, as staff do in their browser. */
export function openAsBody(world: World, bodyId: string, sealedKey: Uint8Array): Uint8Array {
  const pair = world.keys.get(bodyId);
  if (!pair) throw new Error('unknown body');
  return openSealedKey(sealedKey, pair.publicKey, pair.privateKey);
}

/** multipart/form-data for an upload request: the field `offset`, then the file part `chunk`. */
export function uploadForm(offset: number, chunk: Uint8Array): { payload: Buffer; headers: Record<string, string> } {
  const boundary = `----mb${randomBytes(8).toString('hex')}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="offset"\r\n\r\n${offset}\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="chunk"; filename="blob"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    Buffer.from(chunk),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

export function blobFiles(dir: string): string[] {
  try {
    return readdirSync(dir).flatMap((d) => readdirSync(path.join(dir, d)).map((f) => path.join(dir, d, f)));
  } catch {
    return [];
  }
}

export async function uploadBytes(app: FastifyInstance, slot: UploadSlot, offset: number, bytes: Uint8Array) {
  const form = uploadForm(offset, bytes);
  return app.inject({
    method: 'POST', url: `/api/public/uploads/${slot.attachmentId}`, remoteAddress: clientIp(),
    headers: { ...form.headers, 'x-upload-token': slot.uploadToken }, payload: form.payload,
  });
}

export const manifestFor = (filing: Filing, i: number, name: string) => {
  const f = filing.files[i];
  if (!f) throw new Error('no such file');
  return toBase64Url(encryptJson(filing.caseKey, { caseRef: filing.publicRef, part: 'manifest' }, {
    name, type: 'application/pdf', plaintextBytes: f.plaintext.length, fileKey: toBase64Url(f.fileKey),
  }));
};

export { encryptedFileSize };

/** Every place a plaintext canary shows up: database rows (text and bytea as hex), blob files, Redis keys. */
export async function findCanary(app: FastifyInstance, blobDir: string, canary: string): Promise<string[]> {
  const needles = [canary.toLowerCase(), Buffer.from(canary, 'utf8').toString('hex')];
  const found: string[] = [];
  const tables = await app.database.sql<{ tablename: string }[]>`SELECT tablename FROM pg_tables WHERE schemaname = 'public'`;
  for (const { tablename } of tables) {
    const rows = await app.database.sql.unsafe<{ row: string }[]>(`SELECT t::text AS row FROM "${tablename.replace(/"/g, '""')}" t`);
    if (rows.some((r) => needles.some((n) => r.row.toLowerCase().includes(n)))) found.push(`table ${tablename}`);
  }
  const raw = Buffer.from(canary, 'utf8');
  for (const file of blobFiles(blobDir)) {
    if (readFileSync(file).includes(raw)) found.push(`blob ${path.basename(file)}`);
  }
  const keys = await app.redis.keys(`${app.config.redisPrefix}*`);
  if (keys.some((k) => k.toLowerCase().includes(needles[0] ?? ''))) found.push('redis key');
  return found;
}
