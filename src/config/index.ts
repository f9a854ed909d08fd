import path from 'node:path';

/** The one typed configuration object, read from the environment once at start-up. */
export interface Config {
  port: number;
  host: string;
  dataDir: string;
  /** Absolute origin used in printed links and canonical URLs, e.g. http://127.0.0.1:3000 */
  publicUrl: string;
  timeZone: string;
  siteName: string;
  /** Mark cookies Secure; on by default when the public URL is https. */
  secureCookies: boolean;
  logLevel: string;
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

/** Parses and checks the environment; throws ConfigError naming the variable that is wrong. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = parsePort(env.PORT);
  const host = env.HOST || '127.0.0.1';
  const publicUrl = (env.NEWSDESK_PUBLIC_URL || `http://${host.includes(':') ? `[${host}]` : host}:${port}`).replace(/\/$/, '');
  return {
    port,
    host,
    dataDir: path.resolve(env.NEWSDESK_DATA || './data'),
    publicUrl,
    timeZone: checkTimeZone(env.NEWSDESK_TIMEZONE || 'Europe/Kyiv'),
    siteName: env.NEWSDESK_SITE_NAME || 'Newsdesk',
    secureCookies: env.NEWSDESK_SECURE_COOKIES ? env.NEWSDESK_SECURE_COOKIES === 'true' : publicUrl.startsWith('https:'),
    logLevel: env.LOG_LEVEL || 'info',
  };
}
