import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { sendCacheable, surrogateKey } from '../distribution/cache-headers.js';
import {
  renderBriefsSitemap, renderNewsSitemap, renderPagesSitemap, renderRobotsTxt, renderSitemapIndex, SITEMAP_CONTENT_TYPE,
} from '../distribution/sitemaps.js';
import { notFound } from '../common/errors.js';
import { newsSitemapPath, sitemapIndexPath } from './paths.js';

export interface SitemapRoutesOptions {
  /** URLs per sitemap file; the protocol's 50,000 unless a test asks for small pages. */
  pageSize?: number;
}

// The page's name carries its cursor or number; matched here rather than in the route pattern
// so that any other name under /sitemaps/ is a plain 404.
const BRIEFS_PAGE = /^briefs-([A-Za-z0-9_-]{1,300})\.xml$/;
const SITE_PAGE = /^pages-([1-9][0-9]{0,6})\.xml$/;

// Purged with the feeds: both change whenever a brief is published, corrected or withdrawn.
function sendXml(request: FastifyRequest, reply: FastifyReply, body: string): FastifyReply {
  return sendCacheable(reply.type(SITEMAP_CONTENT_TYPE), request, body, { surrogateKeys: [surrogateKey.feeds] });
}

/** The sitemap index, its pages, the Google News sitemap and robots.txt. */
export const sitemapRoutes: FastifyPluginAsync<SitemapRoutesOptions> = async (app, options) => {
  const { db, config } = app.deps;
  const scope = { db, publicUrl: config.publicUrl, pageSize: options.pageSize };

  app.get(sitemapIndexPath, async (request, reply) => sendXml(request, reply, await renderSitemapIndex(scope)));

  app.get(newsSitemapPath, async (request, reply) =>
    sendXml(request, reply, await renderNewsSitemap({ db, publicUrl: config.publicUrl, siteName: config.siteName })));

  app.get<{ Params: { name: string } }>('/sitemaps/:name', async (request, reply) => {
    const { name } = request.params;
    const briefs = BRIEFS_PAGE.exec(name);
    const pages = SITE_PAGE.exec(name);
    const body = briefs
      ? await renderBriefsSitemap({ ...scope, start: briefs[1]! })
      : pages ? await renderPagesSitemap({ ...scope, page: Number(pages[1]) }) : null;
    if (body === null) throw notFound('Sitemap');
    return sendXml(request, reply, body);
  });

  app.get('/robots.txt', async (request, reply) =>
    sendCacheable(reply.type('text/plain; charset=utf-8'), request, renderRobotsTxt(config.publicUrl)));
};
