// The only reader of process.env. Every setting is parsed and validated here at
// start-up; a bad value stops the process with one line naming the variable.
import path from 'node:path';

export type AppMode = 'demo' | 'production';

export type Config = Readonly<{
  mode: AppMode;
  host: string;
  port: number;
  publicOrigin: string;
  databaseUrl: string;
  redisUrl: string;
  redisPrefix: string;
  blobDir: string;
  dataDir: string;
  webDir: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  bodyLimitBytes: number;
  trustProxy: boolean;
  serverSecretFile: string;
  smtpUrl: string | null;
  mailFrom: string;
  uploads: Readonly<{ maxFileBytes: number; maxReportBytes: number; maxFiles: number }>;
  /** Public intake abuse controls: proof-of-work bits, filings and lookups per client per minute. */
  intake: Readonly<{ powDifficulty: number; submitsPerMinute: number; lookupsPerMinute: number }>;
  outboxPollMs: number;
  reconcileEveryMs: number;
}>;

export class ConfigError extends Error {
  constructor(variable: string, problem: string) {
    super(`Configuration error: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const MiB = 1024 * 1024;

function str(env: Env, name: string, fallback: string): string {
  const v = env[name];
  if (v === undefined || v === '') return fallback;
  return v.trim();
}

function int(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(name, `must be a whole number, got "${raw}"`);
  const n = Number(raw.trim());
  if (n < min || n > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${n}`);
  return n;
}

function oneOf<T extends string>(env: Env, name: string, allowed: readonly T[], fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const v = raw.trim() as T;
  if (!allowed.includes(v)) throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got "${raw}"`);
  return v;
}

function bool(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes'].includes(raw.trim().toLowerCase())) return true;
  if (['0', 'false', 'no'].includes(raw.trim().toLowerCase())) return false;
  throw new ConfigError(name, `must be true or false, got "${raw}"`);
}

function url(env: Env, name: string, fallback: string, protocols: readonly string[]): string {
  const v = str(env, name, fallback);
  let parsed: URL;
  try {
    parsed = new URL(v);
  } catch {
    // Never echo a URL that may hold a password.
    throw new ConfigError(name, 'is not a valid URL');
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(name, `must use ${protocols.join(' or ')}`);
  }
  return v;
}

export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): Config {
  const mode = oneOf<AppMode>(env, 'APP_MODE', ['demo', 'production'], 'demo');
  const dataDir = path.resolve(cwd, str(env, 'DATA_DIR', './data'));
  const port = int(env, 'PORT', 3000, 1, 65535);
  const host = str(env, 'HOST', '127.0.0.1');
  const smtp = str(env, 'SMTP_URL', '');
  const config: Config = {
    mode,
    host,
    port,
    publicOrigin: url(env, 'PUBLIC_ORIGIN', `http://127.0.0.1:${port}`, ['http:', 'https:']).replace(/\/$/, ''),
    databaseUrl: url(env, 'DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/minhbach', ['postgres:', 'postgresql:']),
    redisUrl: url(env, 'REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:']),
    redisPrefix: str(env, 'REDIS_PREFIX', 'mb'),
    dataDir,
    blobDir: path.resolve(cwd, str(env, 'BLOB_DIR', path.join(dataDir, 'blobs'))),
    webDir: path.resolve(cwd, str(env, 'WEB_DIR', './web/build')),
    logLevel: oneOf(env, 'LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
    bodyLimitBytes: int(env, 'BODY_LIMIT_BYTES', 1 * MiB, 1024, 64 * MiB),
    trustProxy: bool(env, 'TRUST_PROXY', false),
    serverSecretFile: path.resolve(cwd, str(env, 'SERVER_SECRET_FILE', path.join(dataDir, 'server-secret.key'))),
    smtpUrl: smtp === '' ? null : url(env, 'SMTP_URL', smtp, ['smtp:', 'smtps:']),
    mailFrom: str(env, 'MAIL_FROM', 'Minh Bach <no-reply@minhbach.invalid>'),
    uploads: Object.freeze({
      maxFileBytes: int(env, 'UPLOAD_MAX_FILE_BYTES', 200 * MiB, 1024, 4096 * MiB),
      maxReportBytes: int(env, 'UPLOAD_MAX_REPORT_BYTES', 1024 * MiB, 1024, 16384 * MiB),
      maxFiles: int(env, 'UPLOAD_MAX_FILES', 20, 1, 200),
    }),
    intake: Object.freeze({
      powDifficulty: int(env, 'POW_DIFFICULTY', 18, 0, 32),
      submitsPerMinute: int(env, 'SUBMIT_RATE_LIMIT', 20, 1, 1_000_000),
      lookupsPerMinute: int(env, 'LOOKUP_RATE_LIMIT', 10, 1, 1_000_000),
    }),
    outboxPollMs: int(env, 'OUTBOX_POLL_MS', 5000, 100, 600_000),
    reconcileEveryMs: int(env, 'RECONCILE_EVERY_MS', 300_000, 1000, 86_400_000),
  };
  if (!/^[A-Za-z0-9_-]{1,32}$/.test(config.redisPrefix)) {
    throw new ConfigError('REDIS_PREFIX', 'must be 1-32 letters, digits, "-" or "_"');
  }
  if (config.mode === 'production' && !config.publicOrigin.startsWith('https://')) {
    throw new ConfigError('PUBLIC_ORIGIN', 'must be an https:// origin when APP_MODE=production');
  }
  return Object.freeze(config);
}

/** Loads config or exits with the one-line reason: the start-up contract. */
export function loadConfigOrExit(env: Env = process.env): Config {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw err;
  }
}

/** The database name in a connection URL, for creating it when missing. */
export function databaseName(databaseUrl: string): string {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, ''));
  return name === '' ? 'postgres' : name;
}
