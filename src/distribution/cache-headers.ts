import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * How long a shared cache (a CDN) may serve a public response without asking us again. Kept short
 * because a correction or a retraction must reach readers within seconds: the purge hook
 * (purge.ts) removes changed pages at once, and this is only the ceiling when a purge is lost.
 */
export const SHARED_MAX_AGE_SECONDS = 30;
/**
 * How long after that the CDN may still answer with the old copy while it fetches a new one in
 * the background. A burst of readers then costs us one request, not one each; together with
 * s-maxage, a missed purge leaves a stale page for at most a minute.
 */
export const STALE_WHILE_REVALIDATE_SECONDS = 30;

/**
 * The one policy for everything public. max-age=0: browsers revalidate each time (cheap, thanks to
 * ETags and 304s), so a reader never keeps an uncorrected brief in their own cache, which nobody
 * can purge.
 */
export const PUBLIC_CACHE_CONTROL =
  `public, max-age=0, s-maxage=${SHARED_MAX_AGE_SECONDS}, stale-while-revalidate=${STALE_WHILE_REVALIDATE_SECONDS}`;
/**
 * Pages with a session, a reader's forms or a message for them, and every server fault. no-store
 * alone already forbids every cache, shared or private; it is what the desk and account pages send.
 */
export const PRIVATE_CACHE_CONTROL = 'no-store';

/** The surrogate keys a public response can depend on; purge.ts maps events to the same names. */
export const surrogateKey = {
  brief: (id: string) => `brief-${id}`,
  story: (id: string) => `story-${id}`,
  entity: (id: string) => `entity-${id}`,
  language: (language: string) => `lang-${language}`,
  /**
   * A story's or entity's list of briefs (its page, its feeds, the API list filtered by it), apart
   * from `story-…`/`entity-…`, which stand for its own fields (title, name, background) shown on
   * every page naming it: a brief joining the story must not drop every page that names it.
   */
  storyBriefs: (id: string) => `story-briefs-${id}`,
  /** A story's background ledger as a whole (its page, entity pages, the API), and one item of it
   * (the brief pages whose Background shows that item, marked if it changed later). */
  storyBackground: (id: string) => `story-background-${id}`,
  backgroundItem: (id: string) => `background-item-${id}`,
  /** The background items naming an entity (its page's Background section). */
  entityBackground: (id: string) => `entity-background-${id}`,
  entityBriefs: (id: string) => `entity-briefs-${id}`,
  /** Every list of all briefs: the home page, search, the unfiltered API list. */
  home: 'home',
  /** Every machine-read list of all briefs in every language: the site feed, sitemaps, ninjs. */
  feeds: 'feeds',
  /** Lists of all stories or all entities (API); a new one must appear there. */
  stories: 'stories',
  entities: 'entities',
} as const;

/** What a list of briefs depends on: each brief (headline, comment count) and its story's title. */
export function keysOfBriefs(briefs: readonly { id: string; storyId?: string | null }[]): string[] {
  return briefs.flatMap((brief) => [
    surrogateKey.brief(brief.id),
    ...(brief.storyId ? [surrogateKey.story(brief.storyId)] : []),
  ]);
}

/** Unique keys in first-seen order, so the header stays short and stable between requests. */
function uniqueKeys(keys: Iterable<string>): string[] {
  return [...new Set([...keys].filter((key) => key !== ''))];
}

function headerList(value: ReturnType<FastifyReply['getHeader']>, separator: RegExp): string[] {
  return typeof value === 'string' ? value.split(separator).filter(Boolean) : [];
}

/**
 * Names what the response depends on, in both common spellings: `Surrogate-Key` (Fastly, space
 * separated) and `Cache-Tag` (Cloudflare, comma separated). Adds to keys set earlier.
 */
export function setSurrogateKeys(reply: FastifyReply, keys: Iterable<string>): FastifyReply {
  const all = uniqueKeys([...headerList(reply.getHeader('surrogate-key'), / +/), ...keys]);
  if (all.length === 0) return reply;
  return reply.header('surrogate-key', all.join(' ')).header('cache-tag', all.join(','));
}

/** Marks a response as the same for everyone, cacheable by a CDN under the given keys. */
export function markPublic(reply: FastifyReply, keys: Iterable<string> = []): FastifyReply {
  return setSurrogateKeys(reply.header('cache-control', PUBLIC_CACHE_CONTROL), keys);
}

/** Marks a response as personal or passing: no cache, shared or private, may keep it. */
export function markPrivate(reply: FastifyReply): FastifyReply {
  reply.removeHeader('surrogate-key');
  reply.removeHeader('cache-tag');
  return reply.header('cache-control', PRIVATE_CACHE_CONTROL);
}

/** A strong validator from the exact bytes: the same body always gets the same tag. */
export function etagOf(body: string | Buffer): string {
  return `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
}

/**
 * Whether the client's copy is current. If-None-Match uses the weak comparison (RFC 9110 13.1.2),
 * so `W/"x"` matches `"x"`; If-Modified-Since counts only when there is no If-None-Match.
 */
export function isFresh(request: FastifyRequest, etag: string, lastModified?: Date | null): boolean {
  const ifNoneMatch = request.headers['if-none-match'];
  if (typeof ifNoneMatch === 'string') {
    const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
    return ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some((tag) => opaque(tag) === opaque(etag));
  }
  const ifModifiedSince = request.headers['if-modified-since'];
  if (typeof ifModifiedSince === 'string' && lastModified) {
    const since = Date.parse(ifModifiedSince);
    // HTTP dates have whole seconds; compare at that precision or nothing is ever fresh.
    return !Number.isNaN(since) && Math.floor(lastModified.getTime() / 1000) * 1000 <= since;
  }
  return false;
}

const isReadMethod = (request: FastifyRequest) => request.method === 'GET' || request.method === 'HEAD';

/**
 * Sends a public body the way every public surface should: the shared cache policy, surrogate
 * keys, an ETag from the body, Last-Modified when known, and a bodiless 304 when the client
 * already holds this version. The content type is the caller's to set before.
 */
export function sendCacheable(
  reply: FastifyReply,
  request: FastifyRequest,
  body: string | Buffer,
  options: { surrogateKeys?: Iterable<string>; lastModified?: Date | null; status?: number } = {},
): FastifyReply {
  const status = options.status ?? 200;
  markPublic(reply, options.surrogateKeys ?? []);
  if (options.lastModified) reply.header('last-modified', options.lastModified.toUTCString());
  if (status !== 200) return reply.code(status).send(body);
  const etag = etagOf(body);
  reply.header('etag', etag);
  if (isReadMethod(request) && isFresh(request, etag, options.lastModified)) return reply.code(304).send();
  return reply.code(200).send(body);
}

/**
 * For public responses built elsewhere (JSON that Fastify serialises, pages sent by older code):
 * once the body is final, add an ETag unless the route chose one, and turn a current client's
 * request into a 304. Only for 200s marked public, so personal pages and errors pass untouched.
 */
export async function conditionalGet(request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
  if (!isReadMethod(request) || reply.statusCode !== 200) return payload;
  if (reply.getHeader('cache-control') !== PUBLIC_CACHE_CONTROL) return payload;
  if (typeof payload !== 'string' && !Buffer.isBuffer(payload)) return payload;
  const existing = reply.getHeader('etag');
  const etag = typeof existing === 'string' ? existing : etagOf(payload);
  reply.header('etag', etag);
  const lastModified = reply.getHeader('last-modified');
  if (!isFresh(request, etag, typeof lastModified === 'string' ? new Date(lastModified) : null)) return payload;
  reply.code(304);
  return '';
}
