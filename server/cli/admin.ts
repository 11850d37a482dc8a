// `npm run admin -- <command>`: bootstrap and maintain a deployment from the command line.
//   init --admin-username U --admin-name N [--root-key-out FILE]   (passphrase from MINHBACH_ADMIN_PASSPHRASE or a prompt)
//   add-body --code C --kind K --level L --jurisdiction J --name-vi V --name-en E
//   add-staff --body C --username U --name N --role R               (temporary passphrase printed once)
//   sign-keys --root-key FILE                                       (signs body keys members created in their browsers)
//   audit verify
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { eq } from 'drizzle-orm';
import { loadConfigOrExit } from '../config.ts';
import { createDatabase } from '../db/client.ts';
import { runMigrations } from '../db/migrate.ts';
import { BODY_KINDS, LEVELS, ROLES, type BodyKind, type Level, type Role } from '../domain/vocabulary.ts';
import { toBase64Url, fingerprint, initCrypto } from '../crypto/index.ts';
import { bodies, jurisdictions } from '../../drizzle/schema/index.ts';
import { getDeployment } from '../repositories/deployment.repository.ts';
import { createBody, createDeployment, createStaff } from '../services/bootstrap.service.ts';
import { verifyAuditChain } from '../services/audit.service.ts';
import { assertDeploymentRootKey, listPendingBodyKeys, parseRootPrivateKey, signPendingBodyKeys } from '../services/body-keys.service.ts';
import { loadServerSecret, createServerSecretFile } from '../secrets.ts';
import { seedReferenceData } from '../demo/seed.ts';

const USAGE = `usage: npm run admin -- <init|add-body|add-staff|sign-keys|audit verify> [options]
  init       --admin-username U --admin-name N [--root-key-out FILE] [--city-code C --city-name-vi V --city-name-en E]
  add-body   --code C --kind ${BODY_KINDS.join('|')} --level ${LEVELS.join('|')} --jurisdiction J --name-vi V --name-en E
  add-staff  --body BODYCODE --username U --name N --role ${ROLES.join('|')}
  sign-keys  --root-key FILE [--yes]   (the offline root signing key; signs pending body keys after you compare fingerprints)
  audit verify`;

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], name: string): T {
  if (!value || !allowed.includes(value as T)) fail(`--${name} must be one of ${allowed.join(', ')}`);
  return value as T;
}

function required(value: string | undefined, name: string): string {
  if (!value || value.trim() === '') fail(`--${name} is required\n${USAGE}`);
  return value.trim();
}

async function askPassphrase(): Promise<string> {
  const fromEnv = process.env['MINHBACH_ADMIN_PASSPHRASE'];
  if (fromEnv) return fromEnv;
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const value = await rl.question('Passphrase for the first administrator (12+ characters): ');
  rl.close();
  return value;
}

async function confirm(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  const answer = await rl.question(question);
  rl.close();
  return /^y(es)?$/i.test(answer.trim());
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    'admin-username': { type: 'string' }, 'admin-name': { type: 'string' }, 'root-key-out': { type: 'string' },
    'city-code': { type: 'string' }, 'city-name-vi': { type: 'string' }, 'city-name-en': { type: 'string' },
    code: { type: 'string' }, kind: { type: 'string' }, level: { type: 'string' }, jurisdiction: { type: 'string' },
    'name-vi': { type: 'string' }, 'name-en': { type: 'string' },
    body: { type: 'string' }, username: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' },
    'root-key': { type: 'string' }, yes: { type: 'boolean' },
  },
});

const config = loadConfigOrExit();
const command = positionals.join(' ');
if (!['init', 'add-body', 'add-staff', 'sign-keys', 'audit verify'].includes(command)) fail(USAGE);

await runMigrations(config.databaseUrl);
const database = createDatabase(config.databaseUrl, { max: 2, applicationName: 'minhbach-admin' });
const { db } = database;

try {
  if (command === 'init') {
    if (await getDeployment(db)) fail('this database already has a deployment; init runs once');
    const username = required(values['admin-username'], 'admin-username');
    const displayName = required(values['admin-name'], 'admin-name');
    const passphrase = await askPassphrase();
    if (passphrase.length < 12) fail('the passphrase must have at least 12 characters');
    // The server secret (TOTP secrets at rest, CSRF) lives beside the deployment, never in the database.
    try {
      await loadServerSecret({ mode: 'production', serverSecretFile: config.serverSecretFile });
    } catch {
      await createServerSecretFile(config.serverSecretFile);
      console.log(`Server secret created at ${config.serverSecretFile} (mode 0600): back it up with the deployment, never with database dumps.`);
    }
    const cityCode = values['city-code'] ?? 'CITY';
    const root = await db.transaction(async (tx) => {
      const rootKeys = await createDeployment(tx, config.mode);
      await tx.insert(jurisdictions).values({
        code: cityCode, level: 'city', parentCode: null,
        nameVi: values['city-name-vi'] ?? 'Thành phố', nameEn: values['city-name-en'] ?? 'City',
      });
      await seedReferenceData(tx);
      const adminBody = await createBody(tx, {
        code: `${cityCode.toLowerCase()}-admin`, kind: 'administration', level: 'city', jurisdictionCode: cityCode,
        nameVi: 'Quản trị hệ thống', nameEn: 'System administration',
      }, null);
      await createStaff(tx, { bodyId: adminBody.id, username, displayName, role: 'administrator', passphrase });
      return rootKeys;
    });
    const secret = toBase64Url(root.privateKey);
    if (values['root-key-out']) {
      await writeFile(values['root-key-out'], `${secret}\n`, { mode: 0o600, flag: 'wx' });
      console.log(`Root signing key written to ${values['root-key-out']}: move it to an offline place now.`);
    } else {
      console.log('Root signing private key (shown once; store it offline, it signs body keys):');
      console.log(secret);
    }
    console.log(`Root key fingerprint (publish it; the public pages show it too): ${fingerprint(root.publicKey)}`);
    console.log(`Root public key (npm start embeds it in the web build; or set PUBLIC_ROOT_SIGNING_KEY=${toBase64Url(root.publicKey)} when building elsewhere)`);
  } else if (command === 'add-body') {
    const jurisdiction = required(values.jurisdiction, 'jurisdiction');
    const body = await db.transaction((tx) => createBody(tx, {
      code: required(values.code, 'code'),
      kind: oneOf<BodyKind>(values.kind, BODY_KINDS, 'kind'),
      level: oneOf<Level>(values.level, LEVELS, 'level'),
      jurisdictionCode: jurisdiction,
      nameVi: required(values['name-vi'], 'name-vi'),
      nameEn: required(values['name-en'], 'name-en'),
    }, null));
    console.log(`Body ${body.code} created (${body.id}). Its first member creates the body key at first sign-in.`);
  } else if (command === 'add-staff') {
    const code = required(values.body, 'body');
    const [body] = await db.select({ id: bodies.id }).from(bodies).where(eq(bodies.code, code));
    if (!body) fail(`no body with code ${code}`);
    const passphrase = randomBytes(12).toString('base64url');
    const id = await db.transaction((tx) => createStaff(tx, {
      bodyId: body.id, username: required(values.username, 'username'), displayName: required(values.name, 'name'),
      role: oneOf<Role>(values.role, ROLES, 'role'), passphrase, isTemporary: true,
    }));
    console.log(`Staff ${values.username} created (${id}). Temporary passphrase, shown once (replaced at first sign-in): ${passphrase}`);
  } else if (command === 'sign-keys') {
    const file = required(values['root-key'], 'root-key');
    await initCrypto();
    let rootPrivateKey: Uint8Array;
    try {
      rootPrivateKey = parseRootPrivateKey(await readFile(file, 'utf8'));
    } catch (err) {
      fail(`cannot read the root key from ${file}: ${(err as Error).message}`);
    }
    try {
      await assertDeploymentRootKey(db, rootPrivateKey);
      const pending = await listPendingBodyKeys(db);
      if (pending.length === 0) console.log('No body key is waiting for a signature.');
      for (const entry of pending) console.log(`pending: ${entry.bodyCode} key version ${entry.version}, fingerprint ${fingerprint(entry.publicKey)}`);
      // The database could hold a key nobody's browser made: compare each fingerprint with the
      // one shown on the creating member's screen before signing.
      const isConfirmed = pending.length > 0 && (values.yes === true || await confirm(`Sign these ${pending.length} key(s)? Each fingerprint must match the member's screen. [y/N] `));
      const signed = isConfirmed ? await signPendingBodyKeys(db, rootPrivateKey, new Date(), pending) : [];
      for (const entry of signed) console.log(`signed ${entry.bodyCode} key version ${entry.version}`);
    } catch (err) {
      fail(`not signed: ${(err as Error).message}`);
    } finally {
      rootPrivateKey.fill(0);
    }
  } else {
    const verdict = await verifyAuditChain(db);
    if (verdict.ok) {
      console.log(`audit chain intact: ${verdict.entries} entries`);
    } else {
      console.error(`audit chain BROKEN at entry ${verdict.firstBrokenId} (${verdict.problem}); ${verdict.entries} entries before it verify`);
      process.exitCode = 1;
    }
  }
} finally {
  await database.close();
}
