import os from 'node:os';
import path from 'node:path';

/** The one typed configuration object, read from the environment once at start-up. */
export interface Config {
  port: number;
  host: string;
  /** The embedded database's folder, and the cookie secret's on either engine. */
  dataDir: string;
  /**
   * DATABASE_URL: a `postgres://` URL runs on PostgreSQL (several instances may share it); unset,
   * the embedded SQLite file in `dataDir`.
   */
  databaseUrl: string | null;
  /**
   * REDIS_URL: a `redis://` or `rediss://` URL keeps rate-limit counters in Redis; unset, they are
   * kept in the database. Either way every worker and instance counts together.
   */
  redisUrl: string | null;
  /** Absolute origin used in printed links and canonical URLs, e.g. http://127.0.0.1:3000 */
  publicUrl: string;
  timeZone: string;
  siteName: string;
  /** Mark cookies Secure; on by default when the public URL is https. */
  secureCookies: boolean;
  logLevel: string;
  /**
   * Which proxies in front may say who the client is (X-Forwarded-For): false (none, the
   * default: the site faces readers directly), a number of hops, or addresses and CIDR ranges.
   * Per-address comment and login limits need it behind nginx, or every reader is one address.
   */
  trustProxy: false | number | string[];
  /**
   * NEWSDESK_PURGE_URL: where to POST `{"keys": [...], "event": "..."}` when content changes, to
   * purge a CDN by surrogate key (README: "Putting a CDN in front"). Unset: purges are only logged.
   */
  purgeUrl: string | null;
  /**
   * First retry delay of a failed webhook delivery; each later one doubles, up to an hour.
   * NEWSDESK_WEBHOOK_BACKOFF_MS; tests shorten it.
   */
  webhookBackoffMs: number;
  /**
   * NEWSDESK_PAGE_CACHE_MB: the byte budget of the in-process cache of public pages, feeds and API
   * reads (distribution/page-cache.ts), held here in bytes. 0 turns the cache off.
   */
  pageCacheBytes: number;
  /**
   * NEWSDESK_WORKERS: server processes sharing the port and the database (`auto`: one per core).
   * 1, the default, serves from a single process.
   */
  workers: number;
}

export class ConfigError extends Error {}

function parsePort(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 3000;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be an integer between 0 and 65535, got "${raw}"`);
  }
  return port;
}

function checkTimeZone(zone: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
  } catch {
    throw new ConfigError(`NEWSDESK_TIMEZONE is not a known IANA time zone: "${zone}"`);
  }
  return zone;
}

function parseTrustProxy(raw: string | undefined): Config['trustProxy'] {
  if (raw === undefined || raw.trim() === '' || raw === 'false') return false;
  if (/^\d+$/.test(raw.trim())) return Number(raw.trim());
  const entries = raw.split(',').map((e) => e.trim()).filter((e) => e !== '');
  const isAddress = (e: string) => /^[0-9a-f.:]+(\/\d{1,3})?$/i.test(e) || ['loopback', 'linklocal', 'uniquelocal'].includes(e);
  const bad = entries.find((e) => !isAddress(e));
  if (bad !== undefined) {
    throw new ConfigError(`NEWSDESK_TRUST_PROXY must be a number of hops or addresses/CIDR ranges separated by commas, got "${bad}"`);
  }
  return entries;
}

function parseBackoff(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 10_000;
  const ms = Number(raw);
  if (!Number.isInteger(ms) || ms < 1 || ms > 3_600_000) {
    throw new ConfigError(`NEWSDESK_WEBHOOK_BACKOFF_MS must be an integer number of milliseconds between 1 and 3600000, got "${raw}"`);
  }
  return ms;
}

function parsePurgeUrl(raw: string | undefined): string | null {
  if (raw === undefined || raw.trim() === '') return null;
  let url: URL | null = null;
  try {
    url = new URL(raw.trim());
  } catch {
    // Reported below with the same message as a URL of the wrong scheme.
  }
  if (url?.protocol !== 'http:' && url?.protocol !== 'https:') throw new ConfigError(`NEWSDESK_PURGE_URL must be an http or https URL, got "${raw}"`);
  return url.toString();
}

function parseWorkers(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return 1;
  if (raw.trim() === 'auto') return os.availableParallelism();
  const workers = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || workers < 1 || workers > 256) {
    throw new ConfigError(`NEWSDESK_WORKERS must be "auto" or an integer between 1 and 256, got "${raw}"`);
  }
  return workers;
}

/**
 * A service's URL from the environment, or null when unset. `kind` is how the message names the
 * scheme (postgres://), `unset` what leaving the variable out means, so the error says both.
 */
function parseServiceUrl(name: string, raw: string | undefined, protocols: string[], kind: string, unset: string): string | null {
  if (raw === undefined || raw.trim() === '') return null;
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ConfigError(`${name} must be a ${kind} URL, got "${raw}"`);
  }
  if (!protocols.includes(url.protocol)) {
    throw new ConfigError(`${name} must be a ${kind} URL (unset it ${unset}), got "${url.protocol}//…"`);
  }
  return raw.trim();
}

function parsePageCacheMb(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === '') return 64 * 1024 * 1024;
  const mb = Number(raw.trim());
  if (!/^\d+$/.test(raw.trim()) || mb > 65_536) {
    throw new ConfigError(`NEWSDESK_PAGE_CACHE_MB must be a whole number of megabytes between 0 (off) and 65536, got "${raw}"`);
  }
  return mb * 1024 * 1024;
}

/** Parses and checks the environment; throws ConfigError naming the variable that is wrong. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = parsePort(env.PORT);
  const host = env.HOST || '127.0.0.1';
  const publicUrl = (env.NEWSDESK_PUBLIC_URL || `http://${host.includes(':') ? `[${host}]` : host}:${port}`).replace(/\/$/, '');
  return {
    port,
    host,
    dataDir: path.resolve(env.NEWSDESK_DATA || './data'),
    databaseUrl: parseServiceUrl('DATABASE_URL', env.DATABASE_URL, ['postgres:', 'postgresql:'], 'postgres://', 'for the embedded database'),
    redisUrl: parseServiceUrl('REDIS_URL', env.REDIS_URL, ['redis:', 'rediss:'], 'redis:// or rediss://', 'to count in the database'),
    publicUrl,
    timeZone: checkTimeZone(env.NEWSDESK_TIMEZONE || 'Europe/Kyiv'),
    siteName: env.NEWSDESK_SITE_NAME || 'Newsdesk',
    secureCookies: env.NEWSDESK_SECURE_COOKIES ? env.NEWSDESK_SECURE_COOKIES === 'true' : publicUrl.startsWith('https:'),
    logLevel: env.LOG_LEVEL || 'info',
    trustProxy: parseTrustProxy(env.NEWSDESK_TRUST_PROXY),
    purgeUrl: parsePurgeUrl(env.NEWSDESK_PURGE_URL),
    webhookBackoffMs: parseBackoff(env.NEWSDESK_WEBHOOK_BACKOFF_MS),
    pageCacheBytes: parsePageCacheMb(env.NEWSDESK_PAGE_CACHE_MB),
    workers: parseWorkers(env.NEWSDESK_WORKERS),
  };
}
