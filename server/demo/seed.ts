// Loads the demo deployment into an empty database, in one transaction.
import { writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import type { Db } from '../db/client.ts';
import { searchKey } from '../domain/text.ts';
import { VN_HOLIDAYS_SEED, VN_MAKE_UP_WORKING_DAYS_SEED } from '../domain/holidays.ts';
import { DEFAULT_ROUTING_RULES } from '../domain/routing.ts';
import { initCrypto, toBase64Url, type PwhashLimits } from '../crypto/index.ts';
import { demoRootKeyPair } from './demo-root.ts';
import { createBody, createDemoStaffWithKeys, createDeployment, type BodySpec, type CreatedBody } from '../services/bootstrap.service.ts';
import { mayHoldBodyKey } from '../services/body-keys.service.ts';
import { ROLES } from '../domain/vocabulary.ts';
import { deriveSubkey, loadServerSecret } from '../secrets.ts';
import { demoTotpSecret } from './demo-totp.ts';
import { insertJurisdictions } from '../repositories/org.repository.ts';
import { insertCadres, insertPersonnelActions } from '../repositories/personnel.repository.ts';
import { insertRoutingRules, upsertHolidays } from '../repositories/reference.repository.ts';
import { DEMO_ACTIONS, DEMO_BODIES, DEMO_CADRES, DEMO_JURISDICTIONS, DEMO_PASSPHRASE, DEMO_STAFF } from './demo-data.ts';

const addDays = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

export type SeedOptions = {
  /** Where the demo root private key is written (demo only; production keeps it offline). */
  rootKeyFile: string;
  /** Lower Argon2id limits for tests; the demo itself uses the interactive defaults. */
  pwhashLimits?: PwhashLimits;
  /** The server secret (TOTP secrets are stored under it); defaults to server-secret.key beside the root key file. */
  serverSecretFile?: string;
};

type DemoBody = CreatedBody & Pick<BodySpec, 'kind' | 'level' | 'jurisdictionCode'>;

/** Bodies whose key no role may hold (administration, Organization Board) get no key at all. */
const holdsKeys = (spec: BodySpec): boolean => ROLES.some((role) => mayHoldBodyKey({ id: spec.code, ...spec }, role));

export async function seedReferenceData(tx: Parameters<Parameters<Db['transaction']>[0]>[0]): Promise<void> {
  await upsertHolidays(tx, [
    ...VN_HOLIDAYS_SEED.map((h) => ({ day: h.date, nameVi: h.nameVi, nameEn: h.nameEn, kind: h.kind })),
    ...VN_MAKE_UP_WORKING_DAYS_SEED.map((h) => ({ day: h.date, nameVi: h.nameVi, nameEn: h.nameEn, kind: 'makeup', isWorkingDay: true })),
  ]);
  await insertRoutingRules(tx, DEFAULT_ROUTING_RULES.map((r) => ({
    code: r.id,
    priority: r.priority,
    enabled: r.enabled,
    matchCategory: r.match.category ?? null,
    matchLevel: r.match.level ?? null,
    matchJurisdictionCode: r.match.jurisdictionCode ?? null,
    targetBodyKind: r.targetBodyKind,
    targetLevel: r.targetLevel,
    reasonVi: r.reasonVi,
    reasonEn: r.reasonEn,
  })));
}

export async function seedDemo(db: Db, options: SeedOptions): Promise<{ staff: number; bodies: number; cadres: number }> {
  const serverSecret = await loadServerSecret({
    mode: 'demo',
    serverSecretFile: options.serverSecretFile ?? path.join(path.dirname(options.rootKeyFile), 'server-secret.key'),
  });
  const totpKey = deriveSubkey(serverSecret, 'totp-at-rest');
  const rootPrivateKey = await db.transaction(async (tx) => {
    await initCrypto();
    const root = await createDeployment(tx, 'demo', demoRootKeyPair());
    await insertJurisdictions(tx, DEMO_JURISDICTIONS.map((j) => ({ ...j })));
    await seedReferenceData(tx);

    const bodies = new Map<string, DemoBody>();
    for (const spec of DEMO_BODIES) {
      const created = await createBody(tx, spec, holdsKeys(spec) ? root.privateKey : null);
      bodies.set(spec.code, { ...created, kind: spec.kind, level: spec.level, jurisdictionCode: spec.jurisdictionCode });
    }
    const bodyOf = (code: string): DemoBody => {
      const body = bodies.get(code);
      if (!body) throw new Error(`demo data names an unknown body ${code}`);
      return body;
    };

    for (const person of DEMO_STAFF) {
      const body = bodyOf(person.bodyCode);
      await createDemoStaffWithKeys(tx, {
        bodyId: body.id, username: person.username, displayName: person.displayName, role: person.role, passphrase: DEMO_PASSPHRASE,
      }, body, {
        ...(options.pwhashLimits ? { limits: options.pwhashLimits } : {}),
        totp: { key: totpKey, secret: demoTotpSecret(person.username) },
      });
    }

    const cadres = await insertCadres(tx, DEMO_CADRES.map((c) => ({
      fullName: c.fullName, nameSearch: searchKey(c.fullName), position: c.position, unitName: c.unitName,
      jurisdictionCode: c.jurisdictionCode, level: c.level, managingLevel: c.managingLevel, managingJurisdictionCode: c.managingJurisdictionCode,
    })));
    const cadreId = new Map(DEMO_CADRES.map((c, i) => [c.key, cadres[i]?.id]));
    await insertPersonnelActions(tx, DEMO_ACTIONS.map((a) => {
      const id = cadreId.get(a.cadreKey);
      if (!id) throw new Error(`demo action names an unknown cadre ${a.cadreKey}`);
      return {
        cadreId: id, kind: a.kind, state: a.state, proposingBodyId: bodyOf(a.proposingBodyCode).id,
        positionTitle: a.positionTitle, proposedOn: addDays(a.proposedInDays),
        noticeUntil: a.noticeForDays === undefined ? null : addDays(a.noticeForDays),
      };
    }));
    return root.privateKey;
  });

  // Demo only: the root private key lands in the data directory so the admin CLI can sign
  // new body keys; a production deployment prints it once for an offline place instead.
  await mkdir(path.dirname(options.rootKeyFile), { recursive: true });
  await writeFile(options.rootKeyFile, `${toBase64Url(rootPrivateKey)}\n`, { mode: 0o600 });
  return { staff: DEMO_STAFF.length, bodies: DEMO_BODIES.length, cadres: DEMO_CADRES.length };
}
