// Upload throughput and memory: an encrypted file (1 GiB; BENCH_UPLOAD_MIB to shrink)
// streamed through the real chunked, resumable upload path (8 MiB multipart requests at the
// recorded offset, durable before they count), beside a bare @fastify/multipart-to-disk
// route fed the same requests. Each server is its own child process, so its peak RSS
// (VmHWM) is its own.
//   node --import tsx bench/upload.bench.ts
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream, rmSync, statSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { peakRssMiB, report } from './lib.ts';
import { benchPortal, b64, drawRef, fakeSealedKey, fakeTextEnvelope, getJson, serveForBench, type BenchServer } from './intake-support.ts';
import { encryptFileStream, encryptedFileSize, generateFileKey, initCrypto } from '../server/crypto/index.ts';
import { issueChallenge } from '../server/services/pow.service.ts';
import { UPLOAD_MAX_REQUEST_BYTES, type CreateCaseResponse, type RoutingPreviewResponse } from '../server/schemas/intake.ts';

const MiB = 1024 * 1024;
const HEADER = 25;
const CHUNK = 65536 + 17;

/** A random plaintext of `bytes`, encrypted as the browser would, written to `file` (not timed). */
async function makeCiphertext(file: string, bytes: number): Promise<void> {
  await initCrypto();
  async function* plaintext(): AsyncGenerator<Uint8Array> {
    for (let left = bytes; left > 0; left -= MiB) yield randomBytes(Math.min(MiB, left));
  }
  const out = createWriteStream(file);
  for await (const piece of encryptFileStream(generateFileKey(), plaintext())) {
    if (!out.write(piece)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

/** One multipart request carrying bytes [start, end) of `file` as the part `chunk`, streamed from disk. */
function postPart(port: number, url: string, headers: Record<string, string>, file: string, start: number, end: number, fields: Record<string, string>): Promise<{ status: number; body: string }> {
  const boundary = `----bench${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(`${Object.entries(fields).map(([k, v]) => `--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`).join('')}`
    + `--${boundary}\r\nContent-Disposition: form-data; name="chunk"; filename="blob"\r\nContent-Type: application/octet-stream\r\n\r\n`);
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return new Promise((resolve, reject) => {
    const req = http.request({
      host: '127.0.0.1', port, method: 'POST', path: url,
      headers: { ...headers, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': head.length + (end - start) + tail.length },
    }, (res) => {
      let data = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { data += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
    });
    req.on('error', reject);
    req.write(head);
    const body = createReadStream(file, { start, end: end - 1, highWaterMark: 1024 * 1024 });
    body.pipe(req, { end: false });
    body.on('end', () => req.end(tail));
    body.on('error', reject);
  });
}

/** The request boundaries the browser uses: header + 128 chunks, then 128 chunks at a time. */
function slices(total: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let start = 0; start < total;) {
    const end = Math.min(total, start === 0 ? UPLOAD_MAX_REQUEST_BYTES : start + (UPLOAD_MAX_REQUEST_BYTES - HEADER));
    out.push([start, end]);
    start = end;
  }
  return out;
}

type Timed = { seconds: number; before: number; peak: number };

/** The browser's path: file a case declaring the file, then send it in 8 MiB requests. */
async function realUpload(server: BenchServer, powKey: Uint8Array, file: string, parts: Array<[number, number]>, total: number): Promise<Timed> {
  const cadre = (await getJson<{ items: Array<{ id: string; jurisdictionCode: string }> }>(server.port, '/api/public/cadres?limit=1&q=nguyen')).items[0];
  if (!cadre) throw new Error('the demo has no cadre');
  const routing = { category: 'budget_assets' as const, jurisdictionCode: cadre.jurisdictionCode, cadreId: cadre.id };
  const preview = await getJson<RoutingPreviewResponse>(server.port, '/api/public/routing-preview', routing);
  const created = await getJson<CreateCaseResponse>(server.port, '/api/public/cases', {
    publicRef: drawRef(), ...routing, language: 'vi', channel: 'web', report: fakeTextEnvelope(8),
    wraps: [
      { keyKind: 'case', recipientKind: 'reporter', sealedKey: fakeSealedKey() },
      ...preview.recipients.map((r) => ({ keyKind: 'case', recipientKind: 'body', bodyId: r.bodyId, bodyKeyVersion: r.keyVersion, sealedKey: fakeSealedKey() })),
    ],
    lookupToken: b64(randomBytes(32)), reporterPublicKey: b64(randomBytes(32)), attachments: [{ ciphertextBytes: total }],
    pow: { challenge: issueChallenge(powKey, 0).challenge, nonce: '0' },
  });
  const slot = created.uploads[0];
  if (!slot) throw new Error('no upload slot');
  const before = peakRssMiB(server.pid);
  const t0 = performance.now();
  for (const [start, end] of parts) {
    const res = await postPart(server.port, `/api/public/uploads/${slot.attachmentId}`, { 'x-upload-token': slot.uploadToken }, file, start, end, { offset: String(start) });
    if (res.status !== 200) throw new Error(`upload at ${start} → ${res.status} ${res.body}`);
  }
  const seconds = (performance.now() - t0) / 1000;
  const done = await fetch(`http://127.0.0.1:${server.port}/api/public/uploads/${slot.attachmentId}/complete`, {
    method: 'POST', headers: { 'content-type': 'application/json', 'x-upload-token': slot.uploadToken }, body: JSON.stringify({ manifest: fakeTextEnvelope(1) }),
  });
  if (done.status !== 200) throw new Error(`complete → ${done.status}`);
  return { seconds, before, peak: peakRssMiB(server.pid) };
}

async function bareUpload(server: BenchServer, file: string, parts: Array<[number, number]>): Promise<Timed> {
  const before = peakRssMiB(server.pid);
  const t0 = performance.now();
  for (const [start, end] of parts) {
    const res = await postPart(server.port, '/bench/bare-upload', {}, file, start, end, {});
    if (res.status !== 200) throw new Error(`bare upload → ${res.status} ${res.body}`);
  }
  return { seconds: (performance.now() - t0) / 1000, before, peak: peakRssMiB(server.pid) };
}

async function main(): Promise<void> {
  const mib = Number(process.env['BENCH_UPLOAD_MIB'] ?? 1024);
  const plaintextBytes = mib * MiB;
  const portal = await benchPortal('upload');
  const limits = { UPLOAD_MAX_FILE_BYTES: String(plaintextBytes + MiB), UPLOAD_MAX_REPORT_BYTES: String(plaintextBytes + MiB) };
  let server: BenchServer | null = null;
  try {
    const file = path.join(portal.dataDir, 'evidence.bin');
    console.log(`encrypting ${mib} MiB of random evidence (not timed)…`);
    await makeCiphertext(file, plaintextBytes);
    const total = statSync(file).size;
    if (total !== encryptedFileSize(plaintextBytes)) throw new Error('ciphertext size does not match encryptedFileSize');
    const parts = slices(total);
    if (parts.some(([, e]) => e !== total && (e - HEADER) % CHUNK !== 0)) throw new Error('requests must end on chunk boundaries');

    // Real, bare, bare, real, each in a fresh server process: drift on the machine cancels out.
    const real = { seconds: 0, peak: 0, growth: 0 };
    const bare = { seconds: 0, peak: 0, growth: 0 };
    for (const kind of ['real', 'bare', 'bare', 'real'] as const) {
      server = await portal.start(fileURLToPath(import.meta.url), limits);
      const upload = kind === 'real' ? await realUpload(server, portal.powKey, file, parts, total) : await bareUpload(server, file, parts);
      const into = kind === 'real' ? real : bare;
      into.seconds += upload.seconds;
      into.peak = Math.max(into.peak, upload.peak);
      into.growth = Math.max(into.growth, upload.peak - upload.before);
      await server.stop();
      server = null;
      // Neither copy is needed again; a second gigabyte on /tmp would be.
      rmSync(path.join(portal.dataDir, 'bare-upload.bin'), { force: true });
      rmSync(path.join(portal.dataDir, 'blobs'), { recursive: true, force: true });
    }
    rmSync(file, { force: true });
    const realSeconds = real.seconds / 2;
    const bareSeconds = bare.seconds / 2;
    const realRate = total / MiB / realSeconds;
    const bareRate = total / MiB / bareSeconds;
    report('upload', [
      { metric: `bare multipart-to-disk (${parts.length} × 8 MiB)`, value: bareRate, unit: 'MiB/s' },
      { metric: 'bare server peak RSS', value: bare.peak, unit: 'MiB' },
      { metric: 'resumable upload path', value: realRate, unit: 'MiB/s', note: `${(total / MiB).toFixed(0)} MiB ciphertext` },
      { metric: 'upload / bare ratio', value: realRate / bareRate, unit: 'x', note: 'target ≥ 0.8' },
      { metric: 'upload server peak RSS', value: real.peak, unit: 'MiB', note: 'target ≤ 128 MiB' },
      // Node + tsx + the whole app idle already take most of it; what an upload adds is this.
      { metric: 'upload server RSS growth', value: real.growth, unit: 'MiB', note: `bare route: ${bare.growth.toFixed(0)} MiB` },
      { metric: 'machine load (1-min average)', value: os.loadavg()[0] ?? 0, unit: '', note: `${os.cpus().length} cores` },
    ]);
  } finally {
    await server?.stop();
    await portal.close();
  }
}

if (process.argv.includes('--serve')) await serveForBench();
else await main();
