import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { VNode } from 'preact';
import Type from 'typebox';
import { describeError } from '../common/http-errors.js';
import { accountRoutes } from './account.js';
import { commentRoutes, commentViewerFor, isPersonalView } from './comments.js';
import { ledgerRoutes } from './ledger.js';
import { liveRoutes } from './live.js';
import { feedRoutes } from './feeds.js';
import { commentSortOf } from './brief-view.js';
import { LanguageSchema } from '../content/schema.js';
import { loadBriefPage, loadEntityPage, loadHomePage, loadStoryPage } from './loaders.js';
import { findEntityBySlug } from '../content/entities.js';
import { findStoryBySlug } from '../content/stories.js';
import { LANGUAGES, type Language } from '../content/types.js';
import { notFound } from '../common/errors.js';
import { languageFromAcceptLanguage } from './messages.js';
import { entityPath, homePath, storyPath } from './paths.js';
import { renderDocument, sendPage } from './render.js';
import { keysOfBriefs, markPrivate, sendCacheable, surrogateKey } from '../distribution/cache-headers.js';
import { searchRoutes } from './search.js';
import { sitemapRoutes } from './sitemaps.js';
import { BriefPage } from './views/BriefPage.js';
import { EntityPage } from './views/EntityPage.js';
import { ErrorPage, type ErrorKind } from './views/ErrorPage.js';
import { HomePage } from './views/HomePage.js';
import type { SiteInfo } from './views/SitePage.js';
import { StoryPage } from './views/StoryPage.js';

// Unknown query parameters (utm_*, fbclid) are let through: a shared link should not break.
const CursorQuery = Type.Object({ cursor: Type.Optional(Type.String({ maxLength: 200 })) });
const HomeQuery = Type.Object({ lang: Type.Optional(LanguageSchema), cursor: Type.Optional(Type.String({ maxLength: 200 })) });
const SlugParams = Type.Object({ slug: Type.String({ minLength: 1, maxLength: 300 }) });
// The comments' order and page; an unknown sort is read as the default rather than refused.
const BriefQuery = Type.Object({ sort: Type.Optional(Type.String({ maxLength: 20 })), cursor: Type.Optional(Type.String({ maxLength: 200 })) });

/** A path with its query, leaving out empty values so canonical URLs stay stable. */
function withQuery(path: string, query: Record<string, string | null | undefined>): string {
  const params = new URLSearchParams(Object.entries(query).filter((pair): pair is [string, string] => Boolean(pair[1])));
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}

/**
 * A page the same for every reader: the shared cache policy (distribution/cache-headers.ts), an
 * ETag, and the surrogate keys naming what it shows, so a change purges exactly these pages.
 */
function sendPublicPage(reply: FastifyReply, node: VNode, status = 200, surrogateKeys: string[] = []): FastifyReply {
  return sendCacheable(reply.type('text/html; charset=utf-8'), reply.request, renderDocument(node), { status, surrogateKeys });
}

/**
 * The language of a page without one of its own (`/`, an error at an unprefixed address): the
 * reader's Accept-Language among ours, English otherwise. Such a page varies by that header, and
 * says so, so a shared cache keeps one copy per language rather than serving one to everyone.
 */
function negotiatedLanguage(request: FastifyRequest, reply: FastifyReply): Language {
  reply.header('vary', 'accept-language');
  return languageFromAcceptLanguage(request.headers['accept-language']);
}

/** The language an address names by its first segment (`/uk/…`), if any. */
function pathLanguage(url: string): Language | null {
  const first = /^\/([a-z]{2})(?:[/?]|$)/.exec(url)?.[1];
  return LANGUAGES.find((language) => language === first) ?? null;
}

function errorKind(status: number): ErrorKind {
  if (status === 400) return 'badRequest';
  if (status === 404) return 'notFound';
  if (status === 410) return 'gone';
  return status < 500 ? 'other' : 'internal';
}

/** The reader site: home, briefs, stories and entities, rendered on the server as plain HTML. */
export const webRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, config } = app.deps;
  const site: SiteInfo = { siteName: config.siteName, publicUrl: config.publicUrl, timeZone: config.timeZone };

  app.setNotFoundHandler((request, reply) => {
    const language = pathLanguage(request.url) ?? negotiatedLanguage(request, reply);
    return sendPublicPage(reply, <ErrorPage site={site} kind="notFound" path={request.url} language={language} />, 404);
  });

  app.setErrorHandler((err, request, reply) => {
    const { status, isUnexpected } = describeError(err);
    if (isUnexpected) request.log.error({ err }, 'unexpected error');
    const language = pathLanguage(request.url) ?? negotiatedLanguage(request, reply);
    const page = <ErrorPage site={site} kind={errorKind(status)} path={request.url} language={language} />;
    // A 500 may be a passing fault; caches must not keep it.
    if (status >= 500) return sendPage(markPrivate(reply), page, status);
    return sendPublicPage(reply, page, status);
  });

  await app.register(accountRoutes, { prefix: '/account', site });
  await app.register(commentRoutes, { site });
  await app.register(searchRoutes, { site });
  await app.register(ledgerRoutes, { site });
  await app.register(liveRoutes);
  await app.register(sitemapRoutes);
  await app.register(feedRoutes);

  // The all-languages home speaks the reader's language; `?lang=` was the per-language home
  // before it had its own address, and shared links to it still land there.
  app.get('/', { schema: { querystring: HomeQuery } }, async (request, reply) => {
    const { lang, cursor } = request.query;
    if (lang) return reply.redirect(withQuery(homePath(lang), { cursor }), 301);
    const language = negotiatedLanguage(request, reply);
    const data = await loadHomePage(db, { cursor });
    const olderHref = data.next ? withQuery('/', { cursor: data.next }) : null;
    reply.header('content-language', language);
    const keys = [surrogateKey.home, ...keysOfBriefs(data.items.map((item) => item.brief))];
    return sendPublicPage(reply, <HomePage site={site} data={data} path={withQuery('/', { cursor })} olderHref={olderHref} language={language} />, 200, keys);
  });

  app.get('/news/:slug', { schema: { params: SlugParams, querystring: BriefQuery } }, async (request, reply) => {
    const page = { sort: commentSortOf(request.query.sort), cursor: request.query.cursor ?? null };
    const view = await loadBriefPage(db, request.params.slug, config, page);
    const viewer = await commentViewerFor(request, reply);
    const node = <BriefPage site={site} view={view} viewer={viewer} />;
    // With the reader's forms (their CSRF token, their name) or a message for them, the page is
    // theirs alone; otherwise it is the same for everyone, but only for those without a session.
    if (isPersonalView(viewer)) return sendPage(markPrivate(reply), node);
    // The briefs it links to (Previously, Also in) too: one retracted or deleted changes the link.
    const keys = [
      ...keysOfBriefs([view.brief]), ...view.entities.map((entity) => surrogateKey.entity(entity.id)),
      ...view.previouslyLinks.map((link) => surrogateKey.brief(link.id)), ...view.translationIds.map((id) => surrogateKey.brief(id)),
      // Its Background entries that are story items: a later change to one marks it here.
      ...view.brief.background.flatMap((entry) => (entry.itemId ? [surrogateKey.backgroundItem(entry.itemId)] : [])),
    ];
    return sendPublicPage(reply.header('vary', 'cookie'), node, 200, keys);
  });

  // One route per language rather than a `/:lang` parameter, so `/xx/…` is a plain 404.
  for (const language of LANGUAGES) {
    app.get(homePath(language), { schema: { querystring: CursorQuery } }, async (request, reply) => {
      const data = await loadHomePage(db, { lang: language, cursor: request.query.cursor });
      const base = homePath(language);
      const olderHref = data.next ? withQuery(base, { cursor: data.next }) : null;
      const keys = [surrogateKey.language(language), ...keysOfBriefs(data.items.map((item) => item.brief))];
      return sendPublicPage(reply, <HomePage site={site} data={data} path={withQuery(base, { cursor: request.query.cursor })} olderHref={olderHref} language={language} />, 200, keys);
    });
    app.get(`/${language}`, async (_request, reply) => reply.redirect(homePath(language), 301));

    app.get(`/${language}/stories/:slug`, { schema: { params: SlugParams, querystring: CursorQuery } }, async (request, reply) => {
      const data = await loadStoryPage(db, request.params.slug, language, request.query);
      const base = storyPath(data.story, language);
      const olderHref = data.next ? withQuery(base, { cursor: data.next }) : null;
      const keys = [
        surrogateKey.story(data.story.id), surrogateKey.storyBriefs(data.story.id), surrogateKey.storyBackground(data.story.id),
        ...keysOfBriefs([...data.keyEvents, ...data.items].map((item) => item.brief)),
        ...data.entities.map((entity) => surrogateKey.entity(entity.id)),
      ];
      return sendPublicPage(reply, <StoryPage site={site} data={data} path={withQuery(base, { cursor: request.query.cursor })} olderHref={olderHref} />, 200, keys);
    });

    app.get(`/${language}/entities/:slug`, { schema: { params: SlugParams, querystring: CursorQuery } }, async (request, reply) => {
      const data = await loadEntityPage(db, request.params.slug, request.query);
      const base = entityPath(data.entity, language);
      const olderHref = data.next ? withQuery(base, { cursor: data.next }) : null;
      const keys = [
        surrogateKey.entity(data.entity.id), surrogateKey.entityBriefs(data.entity.id),
        ...keysOfBriefs(data.items.map((item) => item.brief)),
        ...data.background.map((group) => surrogateKey.story(group.story.id)),
        // Its Background section: a change to an item naming the entity (purge.ts) re-renders it.
        ...(request.query.cursor ? [] : [surrogateKey.entityBackground(data.entity.id)]),
      ];
      return sendPublicPage(reply, <EntityPage site={site} data={data} path={withQuery(base, { cursor: request.query.cursor })} olderHref={olderHref} language={language} />, 200, keys);
    });
  }

  // The addresses from before pages had a language: moved for good, a story to its own language,
  // an entity (which has no language of its own) to English.
  app.get('/stories/:slug', { schema: { params: SlugParams, querystring: CursorQuery } }, async (request, reply) => {
    const story = await findStoryBySlug(db, request.params.slug);
    if (!story) throw notFound('Story');
    return reply.redirect(withQuery(storyPath(story, story.language), { cursor: request.query.cursor }), 301);
  });

  app.get('/entities/:slug', { schema: { params: SlugParams, querystring: CursorQuery } }, async (request, reply) => {
    const entity = await findEntityBySlug(db, request.params.slug);
    if (!entity) throw notFound('Entity');
    return reply.redirect(withQuery(entityPath(entity, 'en'), { cursor: request.query.cursor }), 301);
  });
};
