import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { buildApp } from '../app.js';
import { ConfigError, loadConfig } from '../config/index.js';
import { createSearchIndex } from '../search/engine.js';
import type { Db } from '../storage/database.js';
import { createEventBus } from '../storage/events.js';
import { openTestDatabase, type TestDatabase } from '../test/database.js';
import { databaseRateLimitStore } from './rate-limit-store.js';

// Two app instances on one database stand for two servers (or two cluster workers) behind one
// load balancer: what one counts, the other must see.

const LIMIT = 10; // every rate-limited route allows ten a minute
const TEST_REDIS_URL = process.env.NEWSDESK_TEST_REDIS_URL || 'redis://127.0.0.1:6379';

/** An app as main.ts builds it, on a database another app may share. */
async function buildAppOn(db: Db, env: NodeJS.ProcessEnv = {}): Promise<FastifyInstance> {
  const config = { ...loadConfig(env), publicUrl: 'http://newsdesk.test' };
  const app = await buildApp({ config, db, bus: createEventBus(), cookieSecret: randomBytes(32).toString('hex'), logger: false, search: createSearchIndex(db) });
  await app.ready();
  return app;
}

// The limit runs before the body is read, so a login without a password counts like a wrong one
// and answers fast (400) instead of costing a password hash per attempt.
const logIn = (app: FastifyInstance, client = '198.51.100.7') =>
  app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email: 'nobody@example.org' }, remoteAddress: client });
const signUp = (app: FastifyInstance, client = '198.51.100.7') =>
  app.inject({ method: 'POST', url: '/api/v1/auth/signup', payload: {}, remoteAddress: client });

async function hitTimes(times: number, hit: () => Promise<{ statusCode: number }>): Promise<number[]> {
  const codes: number[] = [];
  for (let i = 0; i < times; i++) codes.push((await hit()).statusCode);
  return codes;
}

let database: TestDatabase;
let apps: FastifyInstance[];

beforeEach(async () => {
  database = await openTestDatabase();
  apps = [];
});
afterEach(async () => {
  vi.useRealTimers();
  for (const app of apps) await app.close();
  await database.close();
});

async function twoInstances(env: NodeJS.ProcessEnv = {}): Promise<[FastifyInstance, FastifyInstance]> {
  const a = await buildAppOn(database.db, env);
  apps.push(a);
  const b = await buildAppOn(database.db, env);
  apps.push(b);
  return [a, b];
}

interface Instances {
  a: FastifyInstance;
  b: FastifyInstance;
  /** Ends the current windows, as if a minute had passed. */
  expire(): Promise<void>;
}

/** What a shared store owes, whichever holds the counters. */
function sharedLimitBehaviour(setup: () => Promise<Instances>) {
  it('limits on instance B a client that reached the login limit on instance A', async () => {
    const { a, b } = await setup();
    expect(await hitTimes(LIMIT / 2, () => logIn(a))).toEqual(Array(LIMIT / 2).fill(400));
    const onB = await logIn(b);
    expect(onB.statusCode).toBe(400);
    expect(onB.headers['x-ratelimit-remaining']).toBe(String(LIMIT / 2 - 1));
    expect(await hitTimes(LIMIT / 2 - 1, () => logIn(b))).toEqual(Array(LIMIT / 2 - 1).fill(400));
    expect((await logIn(a)).statusCode).toBe(429);
    const limitedOnB = await logIn(b);
    expect(limitedOnB.statusCode).toBe(429);
    expect(Number(limitedOnB.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(limitedOnB.headers['retry-after'])).toBeLessThanOrEqual(60);
  });

  it('lets the client in again once the window has passed, with a fresh count', async () => {
    const { a, b, expire } = await setup();
    await hitTimes(LIMIT, () => logIn(a));
    expect((await logIn(b)).statusCode).toBe(429);
    await expire();
    const again = await logIn(b);
    expect(again.statusCode).toBe(400);
    expect(again.headers['x-ratelimit-remaining']).toBe(String(LIMIT - 1));
    expect((await logIn(a)).headers['x-ratelimit-remaining']).toBe(String(LIMIT - 2));
  });

  it('counts clients apart, and a client\'s logins apart from its sign-ups', async () => {
    const { a, b } = await setup();
    await hitTimes(LIMIT, () => logIn(a, '198.51.100.7'));
    expect((await logIn(b, '198.51.100.7')).statusCode).toBe(429);
    expect((await logIn(b, '203.0.113.9')).statusCode).toBe(400);
    expect((await logIn(a, '203.0.113.9')).headers['x-ratelimit-remaining']).toBe(String(LIMIT - 2));
    const signUpOnB = await signUp(b, '198.51.100.7');
    expect(signUpOnB.statusCode).toBe(400);
    expect(signUpOnB.headers['x-ratelimit-remaining']).toBe(String(LIMIT - 1));
  });

  it('loses no hit when both instances count at once', async () => {
    const { a, b } = await setup();
    const answers = await Promise.all(Array.from({ length: 2 * LIMIT }, (_, i) => logIn(i % 2 === 0 ? a : b)));
    const codes = answers.map((r) => r.statusCode);
    expect(codes.filter((c) => c === 429)).toHaveLength(LIMIT);
    expect(codes.filter((c) => c === 400)).toHaveLength(LIMIT);
  });
}

describe('rate limits in the database', () => {
  async function setup(): Promise<Instances> {
    const [a, b] = await twoInstances();
    return {
      a, b,
      async expire() {
        // Only the clock moves: timers stay real, so the database drivers keep working.
        vi.useFakeTimers({ toFake: ['Date'] });
        vi.setSystemTime(Date.now() + 61_000);
      },
    };
  }
  sharedLimitBehaviour(setup);

  it('counts on every rate-limited route: desk login, reader login and sign-up, API', async () => {
    const { a, b } = await setup();
    for (const url of ['/desk/login', '/account/login', '/account/signup', '/api/v1/auth/login', '/api/v1/auth/signup']) {
      const post = (app: FastifyInstance) => app.inject({ method: 'POST', url, payload: {}, remoteAddress: '192.0.2.44' });
      const codes = await hitTimes(LIMIT, () => post(a));
      expect(codes.filter((c) => c === 429), url).toEqual([]);
      expect((await post(b)).statusCode, url).toBe(429);
    }
    const rows = await database.db.selectFrom('rate_limits').select(['key', 'count']).orderBy('key').execute();
    expect(rows).toHaveLength(5);
    expect(rows.every((r) => Number(r.count) === LIMIT + 1 && r.key.endsWith('-192.0.2.44'))).toBe(true);
  });

  it('sweeps expired rows as it counts, a bounded batch at a time, and keeps live ones', async () => {
    const { db } = database;
    const past = new Date(Date.now() - 1000).toISOString();
    const future = new Date(Date.now() + 60_000).toISOString();
    await db.insertInto('rate_limits').values([
      ...['e1', 'e2', 'e3', 'e4', 'e5'].map((key) => ({ key, count: 3, reset_at: past })),
      { key: 'live', count: 2, reset_at: future },
    ]).execute();
    const { Store, settled } = databaseRateLimitStore({ db, onError: (err) => { throw err; }, sweepIntervalMs: 0, sweepBatch: 2 });
    const store = new Store({});
    const incr = (key: string) => new Promise<{ current: number; ttl: number }>((resolve, reject) => {
      store.incr(key, (err, result) => (err ? reject(err) : resolve(result!)), 60_000, LIMIT);
    });
    const expiredLeft = async () => (await db.selectFrom('rate_limits').select('key').where('reset_at', '<=', new Date().toISOString()).execute()).length;

    expect(await incr('fresh')).toMatchObject({ current: 1 });
    await settled();
    expect(await expiredLeft()).toBe(3);
    expect(await incr('live')).toMatchObject({ current: 3 });
    await settled();
    expect(await expiredLeft()).toBe(1);
    await incr('fresh');
    await settled();
    expect(await expiredLeft()).toBe(0);
    const left = await db.selectFrom('rate_limits').select(['key', 'count']).orderBy('key').execute();
    expect(left.map((r) => [r.key, Number(r.count)])).toEqual([['fresh', 2], ['live', 3]]);
  });
});

describe('rate limits in Redis (REDIS_URL)', () => {
  let prefix: string;
  let admin: Redis;
  beforeEach(() => {
    // Every test its own key prefix: runs in parallel on one Redis never count each other's hits.
    prefix = `nd-test-${process.pid}-${randomBytes(5).toString('hex')}:`;
    admin = new Redis(TEST_REDIS_URL);
  });
  afterEach(async () => {
    const keys = await ourKeys();
    if (keys.length > 0) await admin.del(...keys);
    await admin.quit();
  });
  const ourKeys = () => admin.keys(`${prefix}*`);

  async function setup(): Promise<Instances> {
    const url = new URL(TEST_REDIS_URL);
    url.searchParams.set('keyPrefix', prefix);
    const [a, b] = await twoInstances({ REDIS_URL: url.toString() });
    return {
      a, b,
      async expire() {
        // Redis ends windows by its own clock: bring each key's end forward to now.
        for (const key of await ourKeys()) await admin.pexpire(key, 1);
        await new Promise((resolve) => setTimeout(resolve, 20));
      },
    };
  }
  sharedLimitBehaviour(setup);

  it('keeps its counters in Redis, under the URL\'s key prefix, and none in the database', async () => {
    const { a } = await setup();
    await hitTimes(3, () => logIn(a));
    const keys = await ourKeys();
    expect(keys).toEqual([`${prefix}newsdesk-rate-limit-POST/api/v1/auth/login-198.51.100.7`]);
    expect(await admin.get(keys[0]!)).toBe('3');
    expect(await database.db.selectFrom('rate_limits').select('key').execute()).toEqual([]);
  });
});

describe('REDIS_URL', () => {
  it('is off when unset or blank, kept as given when a redis:// or rediss:// URL, refused otherwise', () => {
    expect(loadConfig({}).redisUrl).toBeNull();
    expect(loadConfig({ REDIS_URL: ' ' }).redisUrl).toBeNull();
    expect(loadConfig({ REDIS_URL: 'redis://10.0.0.5:6379/2' }).redisUrl).toBe('redis://10.0.0.5:6379/2');
    expect(loadConfig({ REDIS_URL: 'rediss://:secret@cache.example:6380' }).redisUrl).toBe('rediss://:secret@cache.example:6380');
    expect(() => loadConfig({ REDIS_URL: 'http://cache.example' })).toThrow(ConfigError);
    expect(() => loadConfig({ REDIS_URL: 'cache.example:6379' })).toThrow(/REDIS_URL/);
  });
});
