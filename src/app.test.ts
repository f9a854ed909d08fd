import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildTestApp, type TestContext } from './test/factories.js';
import { loadConfig, ConfigError } from './config/index.js';
import { buildApp } from './app.js';
import { openTestDatabase } from './test/database.js';
import { createEventBus } from './storage/events.js';

let t: TestContext;
beforeAll(async () => { t = await buildTestApp(); });
afterAll(async () => { await t.close(); });

describe('the application shell', () => {
  it('answers /healthz once the database is migrated', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('answers a malformed URL with the error body, not a crash', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/briefs/%E0%A4%A' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: { code: expect.any(String), message: expect.any(String), fields: [] } });
  });

  it('sends a strict Content-Security-Policy without unsafe-inline', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/healthz' });
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
  });
});

describe('configuration', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.dataDir.endsWith('/data')).toBe(true);
    expect(config.timeZone).toBe('Europe/Kyiv');
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT/);
    expect(() => loadConfig({ NEWSDESK_TIMEZONE: 'Mars/Olympus' })).toThrow(/NEWSDESK_TIMEZONE/);
    expect(() => loadConfig({ NEWSDESK_TRUST_PROXY: 'nginx.local' })).toThrow(/NEWSDESK_TRUST_PROXY/);
  });

  it('trusts no proxy unless told which', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ NEWSDESK_TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ NEWSDESK_TRUST_PROXY: '127.0.0.1, 10.0.0.0/8' }).trustProxy).toEqual(['127.0.0.1', '10.0.0.0/8']);
  });

  it('takes the client address from X-Forwarded-For only from a trusted proxy', async () => {
    const seen: string[] = [];
    for (const trustProxy of [false, ['127.0.0.1']] as const) {
      const database = await openTestDatabase({ migrate: false });
      const app = await buildApp({
        config: { ...loadConfig({}), trustProxy: trustProxy === false ? false : [...trustProxy] }, db: database.db,
        bus: createEventBus(), cookieSecret: 'x'.repeat(64), logger: false,
      });
      try {
        app.get('/whoami', async (request) => request.ip);
        seen.push((await app.inject({ method: 'GET', url: '/whoami', remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': '203.0.113.7' } })).body);
      } finally {
        await app.close();
        await database.close();
      }
    }
    expect(seen).toEqual(['127.0.0.1', '203.0.113.7']);
  });
});
