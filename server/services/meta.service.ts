import type { Config } from '../config.ts';
import type { DbOrTx } from '../db/client.ts';
import { API_VERSION } from '../plugins/openapi.ts';
import { getDeployment } from '../repositories/deployment.repository.ts';
import { fingerprint, initCrypto } from '../crypto/index.ts';

export type PublicMeta = { demo: boolean; rootKeyFingerprint: string | null; version: string };

let cachedFingerprint: string | null = null;

export async function getPublicMeta(deps: { db: DbOrTx; config: Pick<Config, 'mode'> }): Promise<PublicMeta> {
  if (cachedFingerprint === null) {
    // The root key never changes for a deployment, so one read per process is enough.
    const deployment = await getDeployment(deps.db);
    if (deployment) {
      await initCrypto();
      cachedFingerprint = fingerprint(deployment.rootSignPublicKey);
    }
  }
  return { demo: deps.config.mode === 'demo', rootKeyFingerprint: cachedFingerprint, version: API_VERSION };
}
