import { brotliCompress, constants as zlibConstants, gzip } from 'node:zlib';
import type { OutgoingHttpHeaders } from 'node:http';
import { promisify } from 'node:util';
import acceptNegotiator from '@fastify/accept-negotiator';
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestHookHandler, onSendHookHandler } from 'fastify';
import { LRUCache } from 'lru-cache';
import { SESSION_COOKIE } from '../desk/auth.js';
import type { Executor } from '../storage/database.js';
import type { DomainEvent, EventBus } from '../storage/events.js';
import { languageFromAcceptLanguage } from '../web/messages.js';
import { etagOf, isFresh, PUBLIC_CACHE_CONTROL, SHARED_MAX_AGE_SECONDS } from './cache-headers.js';
import { keysForEvent } from './purge.js';

// An in-process copy of every public response, so a flash crowd on one page costs one render.
// Misses go through Fastify as before; the onSend hook keeps what a public 200 sent, tagged with
// its surrogate keys, and the onRequest hook (the app's first) answers the next request for that
// URL from memory with raw writes, before cookies, CSRF or routing hooks cost anything. Committed
// events drop exactly the entries tagged with the keys purge.ts maps them to.

/**
 * The message cookie the comment forms leave for one reader (web/comments.tsx): a request with it
 * must reach the route, which shows and clears the message.
 */
const FLASH_COOKIE = 'nd_flash';
const PERSONAL_COOKIE = new RegExp(`(?:^|;)\\s*(?:${SESSION_COOKIE}|${FLASH_COOKIE})=`);
/** Below this a compressed copy saves less than its own headers and bookkeeping cost. */
const MIN_COMPRESS_BYTES = 1024;
const COMPRESSIBLE = /^(?:text\/|application\/(?:[\w.+-]*\+)?(?:json|xml)|application\/javascript)/;
/**
 * Every fill after an invalidation pays the compression, so it must stay in the render's order of
 * cost. Measured on a brief page (5.8 KB) and the home page (11.7 KB): quality 5 gives 1,603 and
 * 1,257 bytes in 1–2 ms, 11 gives 1,395 and 1,107 (13–15 % smaller) in 50–180 ms, 4 is no faster
 * than 5 and 8 % bigger. gzip keeps zlib's default level 6 (1,820 and 1,516 bytes; level 9 gains nothing).
 */
const BROTLI_QUALITY = 5;
/** Fills whose keys were invalidated are remembered until this many, then forgotten wholesale. */
const MAX_REMEMBERED_TAGS = 10_000;
const MAX_COUNTED_URLS = 10_000;
/** Vary values a copy may carry: the cache itself keys on each (or refuses the request). */
const HANDLED_VARY = new Set(['accept-language', 'cookie', 'accept-encoding']);

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);
const encodings = new acceptNegotiator.Negotiator<'br' | 'gzip'>({
  supportedValues: ['br', 'gzip'],
  cache: new LRUCache<string, string>({ max: 200 }) as unknown as acceptNegotiator.CacheStore,
});

interface Variant {
  body: Buffer;
  etag: string;
  headers: OutgoingHttpHeaders;
  notModified: OutgoingHttpHeaders;
}

interface Entry {
  key: string;
  url: string;
  tags: readonly string[];
  lastModified: Date | null;
  identity: Variant;
  gzip: Variant | null;
  br: Variant | null;
}

/** A cacheable request that missed: what the fill must know when the response is ready. */
interface MissState {
  url: string;
  /** The invalidation sequence when the request arrived; a later invalidation of a tag wins. */
  startSeq: number;
  release: (() => void) | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    pageCacheMiss: MissState | null;
  }
}

export interface PageCacheOptions {
  /** The byte budget: identity, gzip and brotli bodies of every entry together. 0 disables. */
  maxBytes: number;
  /** The largest share of the budget one entry may take; bigger ones pass uncached. */
  maxEntryShare?: number;
  /**
   * Ceiling on an entry's life. Invalidation is by event; this catches what no event announces:
   * what moves with the clock (comments closing by age, the news sitemap's two-day window).
   * Defaults to the shared caches' s-maxage, the staleness the site already accepts from a CDN.
   */
  maxAgeMs?: number;
  /** How long coalesced requests wait for the first one before rendering on their own. */
  coalesceWaitMs?: number;
  /** The clock, for tests of expiry. */
  now?: () => number;
}

export interface PageCacheStats {
  hits: number;
  misses: number;
  /** Responses stored, per URL (path and query as requested), over the cache's life. */
  fills: Record<string, number>;
  bytes: number;
  entries: number;
}

export interface PageCache {
  readonly isEnabled: boolean;
  /** Adds the hooks; call before any other plugin or hook is registered. */
  attach(app: FastifyInstance): void;
  /** Drops every entry tagged with any of the keys; returns how many were dropped. */
  invalidate(keys: Iterable<string>): number;
  clear(): void;
  stats(): PageCacheStats;
  /** Resolves when the compressions started so far have been stored. */
  idle(): Promise<void>;
}

const headerText = (value: unknown): string => (Array.isArray(value) ? value.join(', ') : value === undefined ? '' : String(value));

/** A request the cache may answer or fill: a plain read by someone without a session. */
function isCacheableRequest(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const headers = request.headers;
  if (headers.authorization !== undefined) return false;
  const cookie = headers.cookie;
  return cookie === undefined || !PERSONAL_COOKIE.test(cookie);
}

/** The key of a copy that varies by language: the URL and the language negotiated from the header. */
const languageKey = (request: FastifyRequest) => `${request.url}\0${languageFromAcceptLanguage(request.headers['accept-language'])}`;

function varyOf(headers: Record<string, unknown>): string[] | null {
  const values = headerText(headers.vary).toLowerCase().split(',').map((v) => v.trim()).filter(Boolean);
  return values.every((v) => HANDLED_VARY.has(v)) ? values : null;
}

function variantOf(body: Buffer, etag: string, base: OutgoingHttpHeaders, encoding: string | null, vary: string): Variant {
  const headers: OutgoingHttpHeaders = { ...base, etag, vary, 'content-length': body.length };
  if (encoding) headers['content-encoding'] = encoding;
  const notModified: OutgoingHttpHeaders = { etag, vary, 'cache-control': base['cache-control'] };
  return { body, etag, headers, notModified };
}

/** Creates the cache; `attach` it to an app and feed it events with `invalidatePageCacheOnChange`. */
export function createPageCache(options: PageCacheOptions): PageCache {
  const { maxBytes, maxEntryShare = 1 / 8, maxAgeMs = SHARED_MAX_AGE_SECONDS * 1000, coalesceWaitMs = 10_000 } = options;
  const isEnabled = maxBytes > 0;
  const tagIndex = new Map<string, Set<string>>();
  const indexTags = (entry: Entry) => {
    for (const tag of entry.tags) tagIndex.set(tag, (tagIndex.get(tag) ?? new Set<string>()).add(entry.key));
  };
  const untag = (entry: Entry) => {
    for (const tag of entry.tags) {
      const keys = tagIndex.get(tag);
      keys?.delete(entry.key);
      if (keys?.size === 0) tagIndex.delete(tag);
    }
  };
  const entries = new LRUCache<string, Entry>({
    maxSize: Math.max(maxBytes, 1),
    maxEntrySize: Math.max(Math.floor(maxBytes * maxEntryShare), 1),
    sizeCalculation: (entry) => entry.identity.body.length + (entry.gzip?.body.length ?? 0) + (entry.br?.body.length ?? 0) || 1,
    ttl: maxAgeMs,
    // A replacement under the same key (compressed copies added) keeps its tags.
    dispose: (entry, _key, reason) => { if (reason !== 'set') untag(entry); },
    // An injected clock jumps; lru-cache's cached reading of it would hide the jump.
    ...(options.now ? { perf: { now: options.now }, ttlResolution: 0 } : {}),
  });

  let seq = 0;
  /** Requests that arrived before this sequence may not fill: something they read may be gone. */
  let floorSeq = 0;
  const invalidatedAt = new Map<string, number>();
  /** The misses being rendered now, by URL: identical requests wait for them. */
  const pending = new Map<string, Promise<void>>();
  /** Routes that have produced a stored copy: only their misses are worth waiting for (not streams). */
  const cacheableRoutes = new Set<string>();
  const fills = new Map<string, number>();
  const compressions = new Set<Promise<void>>();
  let hits = 0;
  let misses = 0;

  const lookup = (request: FastifyRequest): Entry | undefined => entries.get(request.url) ?? entries.get(languageKey(request));

  function serve(request: FastifyRequest, reply: FastifyReply, entry: Entry): void {
    hits += 1;
    const encoding = entry.gzip || entry.br ? encodings.negotiate(headerText(request.headers['accept-encoding'])) : null;
    const variant = (encoding === 'br' ? entry.br : encoding === 'gzip' ? entry.gzip : null) ?? entry.identity;
    reply.hijack();
    const res = reply.raw;
    if (isFresh(request, variant.etag, entry.lastModified)) {
      res.writeHead(304, variant.notModified);
      res.end();
      return;
    }
    res.writeHead(200, variant.headers);
    if (request.method === 'HEAD') res.end();
    else res.end(variant.body);
  }

  const routeOf = (request: FastifyRequest) => `${request.method === 'HEAD' ? 'GET' : request.method} ${request.routeOptions.url ?? ''}`;

  const onRequest: onRequestHookHandler = function pageCacheOnRequest(request, reply, done) {
    if (!isCacheableRequest(request)) return done();
    const entry = lookup(request);
    if (entry) return serve(request, reply, entry);
    misses += 1;
    if (request.method !== 'GET') return done();
    const url = request.url;
    const state: MissState = { url, startSeq: seq, release: null };
    request.pageCacheMiss = state;
    const leader = pending.get(url);
    if (leader) {
      // Nothing stored (the first one failed, or its page changed meanwhile): render, and fill
      // if nothing this render read has changed since the request arrived, as any miss would.
      leader.then(() => {
        const filled = lookup(request);
        if (filled) serve(request, reply, filled);
        else done();
      }).catch((err: Error) => done(err));
      return;
    }
    if (cacheableRoutes.has(routeOf(request))) {
      // Released when the response is decided (onSend), when the connection closes whatever
      // happened (an error, a client gone, a hijacked stream), or at the latest after the wait.
      let release!: () => void;
      const promise = new Promise<void>((resolve) => { release = resolve; });
      const timer = setTimeout(() => state.release?.(), coalesceWaitMs);
      timer.unref();
      state.release = () => {
        state.release = null;
        clearTimeout(timer);
        if (pending.get(url) === promise) pending.delete(url);
        release();
      };
      pending.set(url, promise);
      reply.raw.once('close', () => state.release?.());
    }
    done();
  };

  const mayFill = (state: MissState, tags: readonly string[]) =>
    state.startSeq >= floorSeq && tags.every((tag) => (invalidatedAt.get(tag) ?? 0) <= state.startSeq);

  function fill(request: FastifyRequest, reply: FastifyReply, state: MissState, payload: unknown): void {
    if (request.method !== 'GET' || reply.statusCode !== 200) return;
    if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return;
    const headers = reply.getHeaders();
    if (headers['cache-control'] !== PUBLIC_CACHE_CONTROL || headers['set-cookie'] !== undefined) return;
    const contentType = headerText(headers['content-type']);
    const vary = varyOf(headers);
    if (contentType === '' || vary === null) return;
    const tags = headerText(headers['surrogate-key']).split(' ').filter(Boolean);
    if (!mayFill(state, tags)) return;
    const body = Buffer.isBuffer(payload) ? payload : Buffer.from(payload);
    if (body.length > entries.maxEntrySize) return;
    const existingEtag = headers.etag;
    const etag = typeof existingEtag === 'string' ? existingEtag : etagOf(body);
    // conditionalGet, next in line, reuses it instead of hashing the body again.
    reply.header('etag', etag);

    const { 'content-length': _length, etag: _etag, vary: _vary, ...base } = headers;
    const isByLanguage = vary.includes('accept-language');
    const key = isByLanguage ? languageKey(request) : state.url;
    const isCompressible = body.length >= MIN_COMPRESS_BYTES && COMPRESSIBLE.test(contentType);
    const varyHeader = [...new Set([...vary, ...(isCompressible ? ['accept-encoding'] : [])])].join(', ');
    const lastModified = typeof headers['last-modified'] === 'string' ? new Date(headers['last-modified']) : null;
    const entry: Entry = {
      key, url: state.url, tags, lastModified, gzip: null, br: null,
      identity: variantOf(body, etag, base as OutgoingHttpHeaders, null, varyHeader),
    };
    entries.set(key, entry);
    if (entries.peek(key) !== entry) return;
    indexTags(entry);
    fills.set(state.url, (fills.get(state.url) ?? 0) + 1);
    if (fills.size > MAX_COUNTED_URLS) fills.delete(fills.keys().next().value!);
    cacheableRoutes.add(routeOf(request));
    if (isCompressible) compressLater(entry, base as OutgoingHttpHeaders, varyHeader);
  }

  /**
   * Compresses in zlib's thread pool, so the render that filled the entry answers at once and
   * the work lands on another core; until then the entry serves identity.
   */
  function compressLater(entry: Entry, base: OutgoingHttpHeaders, vary: string): void {
    const body = entry.identity.body;
    const weak = `W/${entry.identity.etag}`;
    const work = Promise.all([
      gzipAsync(body),
      brotliAsync(body, {
        params: {
          [zlibConstants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
          [zlibConstants.BROTLI_PARAM_MODE]: zlibConstants.BROTLI_MODE_TEXT,
          [zlibConstants.BROTLI_PARAM_SIZE_HINT]: body.length,
        },
      }),
    ]).then(([gzipped, brotlied]) => {
      // Invalidated or replaced meanwhile: these bytes describe a page nobody should get.
      if (entries.peek(entry.key) !== entry) return;
      // An encoded copy is the same page in other bytes: a weak tag, as nginx gives it.
      const compressed: Entry = {
        ...entry,
        gzip: gzipped.length < body.length ? variantOf(gzipped, weak, base, 'gzip', vary) : null,
        br: brotlied.length < body.length ? variantOf(brotlied, weak, base, 'br', vary) : null,
      };
      entries.set(entry.key, compressed, { noUpdateTTL: true });
      if (entries.peek(entry.key) === compressed) return;
      // Too big with its compressed copies: keep the plain one rather than nothing.
      untag(compressed);
      entries.set(entry.key, entry, { noUpdateTTL: true });
      indexTags(entry);
    }, () => undefined);
    compressions.add(work);
    void work.finally(() => compressions.delete(work));
  }

  const onSend: onSendHookHandler = function pageCacheOnSend(request, reply, payload, done) {
    const state = request.pageCacheMiss;
    if (!state) return done(null, payload);
    try {
      fill(request, reply, state, payload);
    } finally {
      state.release?.();
    }
    done(null, payload);
  };

  return {
    isEnabled,
    attach(app) {
      if (!isEnabled) return;
      app.decorateRequest('pageCacheMiss', null);
      app.addHook('onRequest', onRequest);
      app.addHook('onSend', onSend);
    },
    invalidate(keys) {
      seq += 1;
      let dropped = 0;
      for (const tag of keys) {
        invalidatedAt.set(tag, seq);
        for (const key of [...(tagIndex.get(tag) ?? [])]) if (entries.delete(key)) dropped += 1;
        tagIndex.delete(tag);
      }
      if (invalidatedAt.size > MAX_REMEMBERED_TAGS) {
        // Forgetting which tags changed means no render begun before now may fill: still exact.
        invalidatedAt.clear();
        floorSeq = seq;
      }
      return dropped;
    },
    clear() {
      seq += 1;
      floorSeq = seq;
      entries.clear();
      tagIndex.clear();
    },
    stats: () => ({ hits, misses, fills: Object.fromEntries(fills), bytes: entries.calculatedSize, entries: entries.size }),
    async idle() {
      while (compressions.size > 0) await Promise.all([...compressions]);
    },
  };
}

/** Events whose effect on pages has no surrogate key: every page may show it. */
const SITE_WIDE = new Set<DomainEvent['type']>(['moderation.settings_changed']);

/**
 * Keeps the cache exact: each committed event, this process's or (relayed) another's, drops the
 * entries tagged with the keys purge.ts maps it to. The bus awaits this before the writer's
 * request answers, so a reader's next request after "published" already misses.
 */
export function invalidatePageCacheOnChange(options: {
  bus: EventBus;
  db: Executor;
  cache: PageCache;
  onError?: (err: unknown, event: DomainEvent) => void;
}): () => void {
  const { bus, db, cache, onError = () => {} } = options;
  if (!cache.isEnabled) return () => {};
  return bus.subscribe(async (event) => {
    if (SITE_WIDE.has(event.type)) return cache.clear();
    try {
      cache.invalidate(await keysForEvent(db, event));
    } catch (err) {
      // Not knowing what changed, forget everything rather than serve what may be stale.
      cache.clear();
      onError(err, event);
    }
  }, { remote: true });
}
