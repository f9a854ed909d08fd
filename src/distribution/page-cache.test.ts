import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config/index.js';
import { createEventBus, type DomainEvent } from '../storage/events.js';
import { markPrivate, markPublic } from './cache-headers.js';
import { createPageCache, invalidatePageCacheOnChange, type PageCache, type PageCacheOptions } from './page-cache.js';

// The cache on a bare Fastify app with routes whose renders the tests count and hold; the
// acceptance test (page-cache-invalidation.test.ts) runs it inside the real application.

const page = (name: string, size = 4000) => `<!doctype html><title>${name}</title><p>${`${name} is in the news. `.repeat(Math.ceil(size / 20))}</p>`;

interface Harness {
  app: FastifyInstance;
  cache: PageCache;
  renders: Map<string, number>;
  /** Holds renders of /slow/* until `open()`; each held render resolves after it. */
  gate: { wait: Promise<void>; open: () => void };
}

const harnesses: Harness[] = [];
afterEach(async () => {
  for (const h of harnesses.splice(0)) await h.app.close();
});

function newGate(): Harness['gate'] {
  let open!: () => void;
  const wait = new Promise<void>((resolve) => { open = resolve; });
  return { wait, open };
}

async function build(options: Partial<PageCacheOptions> = {}): Promise<Harness> {
  const app = Fastify();
  const cache = createPageCache({ maxBytes: 1024 * 1024, ...options });
  cache.attach(app);
  const renders = new Map<string, number>();
  const count = (url: string) => renders.set(url, (renders.get(url) ?? 0) + 1);
  const h: Harness = { app, cache, renders, gate: newGate() };
  const html = (reply: FastifyReply, body: string, keys: string[]) => markPublic(reply.type('text/html; charset=utf-8'), keys).send(body);

  app.get('/p/:name', async (request, reply) => {
    count(request.url);
    const { name } = request.params as { name: string };
    return html(reply, page(name), [`brief-${name}`, 'home']);
  });
  app.get('/small', async (request, reply) => {
    count(request.url);
    return html(reply, 'tiny', ['home']);
  });
  app.get('/slow/:name', async (request, reply) => {
    count(request.url);
    await h.gate.wait;
    const { name } = request.params as { name: string };
    if (name === 'broken') throw new Error('render failed');
    if (name === 'stream') {
      // A route that takes the response over (as the event streams do): no onSend runs.
      reply.hijack();
      reply.raw.writeHead(200, { 'content-type': 'text/plain' });
      reply.raw.end('streamed');
      return reply;
    }
    return html(reply, page(name), [`brief-${name}`]);
  });
  app.get('/private', async (request, reply) => {
    count(request.url);
    return markPrivate(reply.type('text/html')).send(page('private'));
  });
  app.get('/cookie', async (request, reply) => {
    count(request.url);
    return html(reply.header('set-cookie', 'nd_csrf=x; Path=/'), page('cookie'), []);
  });
  app.get('/lang', async (request, reply) => {
    count(request.url);
    const language = String(request.headers['accept-language'] ?? 'en').slice(0, 2);
    return html(reply.header('vary', 'accept-language'), page(`home in ${language}`), ['home']);
  });
  app.get('/api', async (request, reply) => {
    count(request.url);
    markPublic(reply, ['brief-api']);
    return { headline: 'A'.repeat(2000) };
  });
  await app.ready();
  harnesses.push(h);
  return h;
}

/** Waits for a condition the server reaches by itself (a render has begun). */
async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setImmediate(resolve));
}

const get = (h: Harness, url: string, headers: Record<string, string> = {}) => h.app.inject({ method: 'GET', url, headers });

describe('the page cache', () => {
  it('renders a public page once and answers again from memory with the same bytes and headers', async () => {
    const h = await build();
    const first = await get(h, '/p/a');
    const second = await get(h, '/p/a');
    expect(h.renders.get('/p/a')).toBe(1);
    expect(second.statusCode).toBe(200);
    expect(second.body).toBe(first.body);
    expect(second.headers['content-type']).toBe(first.headers['content-type']);
    expect(second.headers.etag).toBe(first.headers.etag);
    expect(second.headers['surrogate-key']).toBe('brief-a home');
    expect(second.headers['content-length']).toBe(String(Buffer.byteLength(first.body)));
    expect(h.cache.stats()).toMatchObject({ hits: 1, misses: 1, fills: { '/p/a': 1 }, entries: 1 });
  });

  it('keys on the URL exactly as requested, query included', async () => {
    const h = await build();
    await get(h, '/p/a');
    await get(h, '/p/a?utm_source=x');
    await get(h, '/p/a?utm_source=x');
    expect(h.renders.get('/p/a?utm_source=x')).toBe(1);
    expect(h.cache.stats().fills).toEqual({ '/p/a': 1, '/p/a?utm_source=x': 1 });
  });

  it('answers a matching If-None-Match with a bodiless 304 carrying the validators', async () => {
    const h = await build();
    const first = await get(h, '/p/a');
    const again = await get(h, '/p/a', { 'if-none-match': String(first.headers.etag) });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(first.headers.etag);
    expect(again.headers['cache-control']).toBe(first.headers['cache-control']);
    expect(again.headers.vary).toContain('accept-encoding');
    expect(h.renders.get('/p/a')).toBe(1);
    expect((await get(h, '/p/a', { 'if-none-match': '"something-else"' })).statusCode).toBe(200);
  });

  it('answers HEAD from the copy with headers only', async () => {
    const h = await build();
    const first = await get(h, '/p/a');
    const head = await h.app.inject({ method: 'HEAD', url: '/p/a' });
    expect(head.statusCode).toBe(200);
    expect(head.body).toBe('');
    expect(head.headers['content-length']).toBe(String(Buffer.byteLength(first.body)));
    expect(h.renders.get('/p/a')).toBe(1);
  });

  it('compresses once per fill: brotli preferred, then gzip, q=0 honoured, both decoding to the page', async () => {
    const h = await build();
    const plain = await get(h, '/p/a');
    await h.cache.idle();
    const br = await get(h, '/p/a', { 'accept-encoding': 'gzip, deflate, br' });
    const gz = await get(h, '/p/a', { 'accept-encoding': 'gzip, br;q=0' });
    const none = await get(h, '/p/a', { 'accept-encoding': 'identity' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(plain.body);
    expect(Number(br.headers['content-length'])).toBe(br.rawPayload.length);
    expect(br.rawPayload.length).toBeLessThan(plain.rawPayload.length);
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(plain.body);
    expect(none.headers['content-encoding']).toBeUndefined();
    expect(none.body).toBe(plain.body);
    for (const res of [br, gz, none]) expect(String(res.headers.vary)).toContain('accept-encoding');
    // Compressed copies are the same page in other bytes: a weak validator matching the strong one.
    expect(br.headers.etag).toBe(`W/${String(plain.headers.etag)}`);
    expect((await get(h, '/p/a', { 'accept-encoding': 'br', 'if-none-match': String(plain.headers.etag) })).statusCode).toBe(304);
    expect(h.renders.get('/p/a')).toBe(1);
    expect(h.cache.stats().bytes).toBe(plain.rawPayload.length + br.rawPayload.length + gz.rawPayload.length);
  });

  it('leaves tiny bodies uncompressed but compresses JSON', async () => {
    const h = await build();
    await get(h, '/small');
    await get(h, '/api');
    await h.cache.idle();
    const small = await get(h, '/small', { 'accept-encoding': 'br' });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.body).toBe('tiny');
    const api = await get(h, '/api', { 'accept-encoding': 'gzip' });
    expect(api.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(api.rawPayload).toString())).toEqual({ headline: 'A'.repeat(2000) });
    expect(h.renders.get('/api')).toBe(1);
  });

  it('never serves or stores for a request with a session or flash cookie or an Authorization header', async () => {
    const h = await build();
    await get(h, '/p/a');
    const personal: Record<string, string>[] = [{ cookie: 'nd_csrf=1; nd_session=abc' }, { cookie: 'nd_flash=hello' }, { authorization: 'Bearer x' }];
    for (const headers of personal) {
      await get(h, '/p/a', headers);
      await get(h, '/p/b', headers);
    }
    expect(h.renders.get('/p/a')).toBe(4);
    expect(h.renders.get('/p/b')).toBe(3);
    expect(h.cache.stats().fills).toEqual({ '/p/a': 1 });
    // Other cookies (the CSRF secret, analytics) do not make the page personal.
    await get(h, '/p/a', { cookie: 'nd_csrf=1; _ga=2' });
    expect(h.renders.get('/p/a')).toBe(4);
  });

  it('refuses to keep private responses, responses setting a cookie, and other methods', async () => {
    const h = await build();
    for (let i = 0; i < 2; i += 1) {
      await get(h, '/private');
      await get(h, '/cookie');
      await h.app.inject({ method: 'HEAD', url: '/p/head-only' });
    }
    expect(h.renders.get('/private')).toBe(2);
    expect(h.renders.get('/cookie')).toBe(2);
    expect(h.renders.get('/p/head-only')).toBe(2);
    expect(h.cache.stats().entries).toBe(0);
  });

  it('keeps one copy per negotiated language for a page that varies by Accept-Language', async () => {
    const h = await build();
    const uk = await get(h, '/lang', { 'accept-language': 'uk-UA,uk;q=0.9' });
    const en = await get(h, '/lang', { 'accept-language': 'en-GB' });
    const ukAgain = await get(h, '/lang', { 'accept-language': 'uk' });
    const enByDefault = await get(h, '/lang', { 'accept-language': 'de' });
    expect(uk.body).toContain('home in uk');
    expect(ukAgain.body).toBe(uk.body);
    expect(en.body).toContain('home in en');
    // German is none of ours: negotiation falls back to English, and so does the cache's key.
    expect(enByDefault.body).toBe(en.body);
    expect(h.renders.get('/lang')).toBe(2);
    expect(String(ukAgain.headers.vary)).toContain('accept-language');
  });

  it('drops exactly the entries tagged with an invalidated key', async () => {
    const h = await build();
    await get(h, '/p/a');
    await get(h, '/p/b');
    await get(h, '/small');
    expect(h.cache.invalidate(['brief-a'])).toBe(1);
    await get(h, '/p/a');
    await get(h, '/p/b');
    await get(h, '/small');
    expect(Object.fromEntries(h.renders)).toEqual({ '/p/a': 2, '/p/b': 1, '/small': 1 });
    expect(h.cache.invalidate(['home'])).toBe(3);
    expect(h.cache.stats().entries).toBe(0);
  });

  it('renders once for many identical misses arriving together', async () => {
    const h = await build();
    h.gate.open();
    await get(h, '/slow/warm'); // the route has now shown it is cacheable
    h.gate = newGate();
    const responses = Array.from({ length: 50 }, () => get(h, '/slow/cold'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    h.gate.open();
    const all = await Promise.all(responses);
    expect(h.renders.get('/slow/cold')).toBe(1);
    expect(h.cache.stats().fills['/slow/cold']).toBe(1);
    expect(new Set(all.map((res) => res.body)).size).toBe(1);
    expect(all.every((res) => res.statusCode === 200)).toBe(true);
  });

  it('lets the waiting requests render for themselves when the first one fails', async () => {
    const h = await build();
    h.gate.open();
    await get(h, '/slow/warm');
    h.gate = newGate();
    const responses = Array.from({ length: 5 }, () => get(h, '/slow/broken'));
    await new Promise((resolve) => setTimeout(resolve, 20));
    h.gate.open();
    const all = await Promise.all(responses);
    expect(all.map((res) => res.statusCode)).toEqual([500, 500, 500, 500, 500]);
    expect(h.renders.get('/slow/broken')).toBe(5);
  });

  it('lets the waiting requests go when the first one took over its response', async () => {
    const h = await build();
    h.gate.open();
    await get(h, '/slow/warm');
    h.gate = newGate();
    const responses = Array.from({ length: 3 }, () => get(h, '/slow/stream'));
    await until(() => h.renders.get('/slow/stream') === 1);
    h.gate.open();
    const all = await Promise.all(responses);
    expect(all.map((res) => res.body)).toEqual(['streamed', 'streamed', 'streamed']);
    expect(h.cache.stats().fills['/slow/stream']).toBeUndefined();
  }, 5000);

  it('does not store a render that began before an invalidation of one of its keys', async () => {
    const h = await build();
    h.gate.open();
    await get(h, '/slow/warm');
    h.gate = newGate();
    const pending = get(h, '/slow/x');
    await until(() => h.renders.get('/slow/x') === 1);
    h.cache.invalidate(['brief-x']);
    h.gate.open();
    expect((await pending).statusCode).toBe(200);
    expect(h.cache.stats().fills['/slow/x']).toBeUndefined();
    await get(h, '/slow/x');
    expect(h.cache.stats().fills['/slow/x']).toBe(1);
    // An invalidation of an unrelated key does not stop a fill.
    h.gate = newGate();
    const other = get(h, '/slow/y');
    await until(() => h.renders.get('/slow/y') === 1);
    h.cache.invalidate(['brief-z']);
    h.gate.open();
    await other;
    expect(h.cache.stats().fills['/slow/y']).toBe(1);
  });

  it('keeps within its byte budget by evicting the least recently used, and skips entries too big for it', async () => {
    const probe = await build();
    await get(probe, '/p/a');
    await probe.cache.idle();
    const perPage = probe.cache.stats().bytes;
    // Identity, gzip and brotli all count.
    expect(perPage).toBeGreaterThan(Buffer.byteLength(page('a')));

    const h = await build({ maxBytes: Math.floor(perPage * 2.5), maxEntryShare: 1 });
    await get(h, '/p/a');
    await get(h, '/p/b');
    await h.cache.idle();
    // Reading a makes b the least recently used, so c pushes b out.
    await get(h, '/p/a');
    await get(h, '/p/c');
    await h.cache.idle();
    expect(h.cache.stats()).toMatchObject({ entries: 2 });
    expect(h.cache.stats().bytes).toBeLessThanOrEqual(Math.floor(perPage * 2.5));
    await get(h, '/p/a');
    await get(h, '/p/c');
    await get(h, '/p/b');
    expect(Object.fromEntries(h.renders)).toEqual({ '/p/a': 1, '/p/b': 2, '/p/c': 1 });

    const tight = await build({ maxBytes: perPage * 4, maxEntryShare: 1 / 8 });
    await get(tight, '/p/a');
    await get(tight, '/p/a');
    expect(tight.renders.get('/p/a')).toBe(2);
    expect(tight.cache.stats().entries).toBe(0);
  });

  it('lets an entry live no longer than its maximum age', async () => {
    let now = 1_000_000;
    const h = await build({ maxAgeMs: 30_000, now: () => now });
    await get(h, '/p/a');
    now += 29_000;
    await get(h, '/p/a');
    expect(h.renders.get('/p/a')).toBe(1);
    now += 2_000;
    await get(h, '/p/a');
    expect(h.renders.get('/p/a')).toBe(2);
  });

  it('does nothing at all with a zero budget', async () => {
    const h = await build({ maxBytes: 0 });
    await get(h, '/p/a');
    await get(h, '/p/a');
    expect(h.renders.get('/p/a')).toBe(2);
    expect(h.cache.isEnabled).toBe(false);
    expect(h.cache.stats()).toMatchObject({ hits: 0, misses: 0, entries: 0 });
  });

  it('hears events from other processes, and forgets everything when it cannot tell what changed', async () => {
    const h = await build();
    const bus = createEventBus();
    const failingDb = { selectFrom: () => { throw new Error('database gone'); } } as never;
    const errors: unknown[] = [];
    const stop = invalidatePageCacheOnChange({ bus, db: failingDb, cache: h.cache, onError: (err) => errors.push(err) });
    const event = (type: DomainEvent['type'], subjectId: string): DomainEvent => ({ id: 'e1', type, subjectId, actorId: null, payload: {}, createdAt: new Date().toISOString() });
    await get(h, '/p/a');
    await get(h, '/p/b');
    await bus.emitRemote([event('comment.added', 'a')]);
    expect(h.cache.stats().entries).toBe(1);
    await get(h, '/p/a');
    expect(h.renders.get('/p/a')).toBe(2);
    // A brief event needs the brief's row; with the database failing, everything goes.
    await bus.emit([event('brief.corrected', 'a')]);
    expect(h.cache.stats().entries).toBe(0);
    expect(errors).toHaveLength(1);
    stop();
  });
});

describe('NEWSDESK_PAGE_CACHE_MB', () => {
  it('defaults to 64 MB, takes 0 to switch the cache off, and names itself when wrong', () => {
    expect(loadConfig({}).pageCacheBytes).toBe(64 * 1024 * 1024);
    expect(loadConfig({ NEWSDESK_PAGE_CACHE_MB: '0' }).pageCacheBytes).toBe(0);
    expect(loadConfig({ NEWSDESK_PAGE_CACHE_MB: '16' }).pageCacheBytes).toBe(16 * 1024 * 1024);
    for (const bad of ['-1', '1.5', 'lots', '100000']) {
      expect(() => loadConfig({ NEWSDESK_PAGE_CACHE_MB: bad })).toThrow(ConfigError);
      expect(() => loadConfig({ NEWSDESK_PAGE_CACHE_MB: bad })).toThrow(/NEWSDESK_PAGE_CACHE_MB/);
    }
  });
});
