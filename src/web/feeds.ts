import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { notFound } from '../common/errors.js';
import { findEntityBySlug } from '../content/entities.js';
import { findStoryBySlug } from '../content/stories.js';
import { LANGUAGES } from '../content/types.js';
import { keysOfBriefs, sendCacheable, surrogateKey } from '../distribution/cache-headers.js';
import { buildFeed, type FeedScope } from '../distribution/feeds.js';
import { FEED_EXTENSIONS, FEED_FORMATS, type FeedFormat } from './paths.js';

const SlugParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 300 }) });

/** What a feed depends on besides its briefs: a new brief in the scope must purge it too. */
function scopeKeys(scope: FeedScope): string[] {
  if (scope.kind === 'site') return [surrogateKey.feeds];
  if (scope.kind === 'language') return [surrogateKey.language(scope.language)];
  if (scope.kind === 'story') return [surrogateKey.story(scope.story.id), surrogateKey.storyBriefs(scope.story.id)];
  return [surrogateKey.entity(scope.entity.id), surrogateKey.entityBriefs(scope.entity.id)];
}

/**
 * RSS, Atom and JSON Feed for the site, each language, each story and each entity, beside the
 * page each follows (paths.ts feedPath). Conditional GET comes from the one public-cache policy
 * (cache-headers.ts): the ETag is the body's hash and Last-Modified the newest item change, so a
 * polling reader with a current copy gets a bodiless 304.
 */
export const feedRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app.deps;
  const serve = async (request: FastifyRequest, reply: FastifyReply, scope: FeedScope, format: FeedFormat) => {
    const document = await buildFeed(db, config, scope, format);
    return sendCacheable(reply.type(document.contentType), request, document.body, {
      surrogateKeys: [...scopeKeys(scope), ...keysOfBriefs(document.briefs)],
      lastModified: document.lastModified,
    });
  };

  for (const format of FEED_FORMATS) {
    const file = FEED_EXTENSIONS[format];
    app.get(`/${file}`, (request, reply) => serve(request, reply, { kind: 'site' }, format));
    for (const language of LANGUAGES) {
      app.get(`/${language}/${file}`, (request, reply) => serve(request, reply, { kind: 'language', language }, format));
      app.get(`/${language}/stories/:slug/${file}`, { schema: { params: SlugParams } }, async (request, reply) => {
        const story = await findStoryBySlug(db, request.params.slug);
        if (!story) throw notFound('Story');
        return serve(request, reply, { kind: 'story', story, language }, format);
      });
      app.get(`/${language}/entities/:slug/${file}`, { schema: { params: SlugParams } }, async (request, reply) => {
        const entity = await findEntityBySlug(db, request.params.slug);
        if (!entity) throw notFound('Entity');
        return serve(request, reply, { kind: 'entity', entity, language }, format);
      });
    }
  }
};
