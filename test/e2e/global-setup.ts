// Browser tests run against a real portal: a fresh database with the demo deployment,
// the built web app, the API and the workers, started here and stopped afterwards.
// Set E2E_BASE_URL to drive an already running portal instead.
import type { TestProject } from 'vitest/node';
import { startPortal } from '../support/portal.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    baseUrl: string;
    portalDatabaseUrl: string;
    portalRedisPrefix: string;
    portalDataDir: string;
    portalLogFile: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const external = process.env['E2E_BASE_URL'];
  if (external) {
    project.provide('baseUrl', external.replace(/\/+$/, ''));
    project.provide('portalDatabaseUrl', '');
    project.provide('portalRedisPrefix', '');
    project.provide('portalDataDir', '');
    project.provide('portalLogFile', '');
    return async () => {};
  }
  const portal = await startPortal();
  project.provide('baseUrl', portal.baseUrl);
  project.provide('portalDatabaseUrl', portal.databaseUrl);
  project.provide('portalRedisPrefix', portal.redisPrefix);
  project.provide('portalDataDir', portal.dataDir);
  project.provide('portalLogFile', portal.logFile);
  return () => portal.stop();
}
