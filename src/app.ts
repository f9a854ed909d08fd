import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import cookie from '@fastify/cookie';
import csrf from '@fastify/csrf-protection';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import qs from 'qs';
import type { Config } from './config/index.js';
import { AppError } from './common/errors.js';
import { describeError } from './common/http-errors.js';
import type { Db } from './storage/database.js';
import type { EventBus } from './storage/events.js';
import { webRoutes } from './web/routes.js';
import { deskRoutes } from './desk/routes.js';
import { apiRoutes } from './api/routes.js';
import { createLiveHub, type LiveHub } from './live/hub.js';
import { sharedRateLimits } from './accounts/rate-limit-store.js';
import { conditionalGet, markPrivate } from './distribution/cache-headers.js';
import { createPageCache, invalidatePageCacheOnChange, type PageCache } from './distribution/page-cache.js';
import { createSearchIndex } from './search/engine.js';
import { registerHealthRoutes } from './health.js';
import type { SearchIndex } from './search/types.js';

/** Everything the surfaces need, passed in so tests build an app on a private database. */
export interface AppDeps {
  config: Config;
  db: Db;
  bus: EventBus;
  /** Signs cookies (CSRF secret); kept in the data folder so restarts keep sessions valid. */
  cookieSecret: string;
  /** Pino logger options; false in tests. */
  logger?: boolean | object;
  /**
   * The search index, kept current by whoever owns the event bus (openRuntime, buildTestApp).
   * Without one the app answers searches from the SQLite index as it stands, unmaintained.
   */
  search?: SearchIndex;
}

declare module 'fastify' {
  interface FastifyInstance {
    deps: AppDeps;
    /** Live updates (Server-Sent Events) for open pages, fed by the domain events. */
    live: LiveHub;
    /** Full-text search over public briefs and entities (`search` is Fastify's SEARCH method). */
    searchIndex: SearchIndex;
    /** This instance's copies of public responses, filled on first request, dropped by events. */
    pageCache: PageCache;
  }
}

const here = path.dirname(fileURLToPath(import.meta.url));
/** Built CSS and client islands; the same folder whether running from src/ (tests) or dist/. */
export const ASSETS_DIR = path.resolve(here, '..', 'dist', 'assets');
export const BODY_LIMIT = 1024 * 1024;

/** Builds the application without listening (Fastify's testing guide: build apart from listen). */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const app = Fastify({
    logger: deps.logger ?? false,
    bodyLimit: BODY_LIMIT,
    // A number of hops trusts that many proxies nearest to us, as proxy-addr does for a number.
    trustProxy: typeof deps.config.trustProxy === 'number' ? ((hops: number) => (_address: string, hop: number) => hop < hops)(deps.config.trustProxy) : deps.config.trustProxy,
    ajv: { customOptions: { allErrors: true, coerceTypes: 'array', removeAdditional: false } },
    // Errors raised before routing (a malformed percent-encoding) get the same body as ours.
    frameworkErrors: (err, _request, reply) => {
      const { status, body } = describeError(err);
      void (reply as unknown as FastifyReply).code(status).send(body);
    },
  }).withTypeProvider<TypeBoxTypeProvider>();
  app.decorate('deps', deps);
  // First of all hooks: a cached page is answered before any other work (helmet's headers are
  // part of the stored copy), and its onSend runs before conditionalGet turns a 200 into a 304.
  const pageCache = createPageCache({ maxBytes: deps.config.pageCacheBytes });
  app.decorate('pageCache', pageCache);
  pageCache.attach(app);
  const stopInvalidating = invalidatePageCacheOnChange({
    bus: deps.bus, db: deps.db, cache: pageCache,
    onError: (err, event) => app.log.error({ err, event: event.type, subject: event.subjectId }, 'page cache invalidation failed'),
  });
  app.addHook('onClose', async () => stopInvalidating());
  const live = createLiveHub(deps.bus);
  app.decorate('live', live);
  app.decorate('searchIndex', deps.search ?? createSearchIndex(deps.db));
  // Open event streams would keep close() waiting for ever; ending the hub lets them go.
  app.addHook('preClose', async () => live.close());
  // Every public 200 (web, API, feeds) gets an ETag and answers 304 to a client that has it.
  app.addHook('onSend', conditionalGet);

  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'https:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
        manifestSrc: ["'self'"],
      },
    },
    crossOriginEmbedderPolicy: false,
  });
  await app.register(cookie, { secret: deps.cookieSecret });
  await app.register(csrf, {
    cookieKey: 'nd_csrf',
    cookieOpts: { signed: true, httpOnly: true, sameSite: 'lax', path: '/', secure: deps.config.secureCookies },
    getToken: (req) => (req.body as Record<string, string> | undefined)?._csrf ?? (req.headers['x-csrf-token'] as string | undefined),
  });
  // qs understands nested names (sources[0][name]), which the desk's repeatable fields use.
  await app.register(formbody, { bodyLimit: BODY_LIMIT, parser: (body) => qs.parse(body, { arrayLimit: 200, depth: 4, parameterLimit: 5000 }) });
  // Counted where every worker and instance looks, so a client limited on one is limited on all.
  const rateLimits = sharedRateLimits({ db: deps.db, redisUrl: deps.config.redisUrl, onError: (err) => app.log.error({ err }, 'rate-limit storage failed') });
  app.addHook('onClose', rateLimits.close);
  await app.register(rateLimit, { global: false, ...rateLimits.options });
  // preCompressed: the build writes .br and .gz beside each text asset (scripts/build-assets.mjs).
  await app.register(fastifyStatic, { root: ASSETS_DIR, prefix: '/assets/', maxAge: '1h', decorateReply: false, preCompressed: true });

  app.setErrorHandler((err, request, reply) => {
    const { status, body, isUnexpected, retryAfter } = describeError(err);
    if (isUnexpected) request.log.error({ err }, 'unexpected error');
    const wait = err instanceof AppError ? err.retryAfter : retryAfter;
    if (wait !== undefined) reply.header('retry-after', String(wait));
    // A fault may pass; no cache may keep it, even if the route had marked its answer public.
    if (status >= 500) markPrivate(reply);
    return reply.code(status).send(body);
  });

  registerHealthRoutes(app, { db: deps.db });

  await app.register(apiRoutes, { prefix: '/api' });
  await app.register(deskRoutes, { prefix: '/desk' });
  await app.register(webRoutes);
  return app;
}
