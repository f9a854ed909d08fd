import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { AppError, type FieldError } from '../common/errors.js';
import { listEntities } from '../content/entities.js';
import { listStories } from '../content/stories.js';
import { LANGUAGES, type Language } from '../content/types.js';
import { searchBriefs, type SearchAnswer, type SearchQuery } from '../search/service.js';
import { searchPath } from './paths.js';
import { keysOfBriefs, markPublic, surrogateKey } from '../distribution/cache-headers.js';
import { sendPage } from './render.js';
import { SearchPage, type SearchFormValues } from './views/SearchPage.js';
import type { SiteInfo } from './views/SitePage.js';

const FIELDS = ['q', 'story', 'entity', 'language', 'from', 'to', 'status', 'cursor'] as const;

/** A path with its query, leaving out empty values so links stay short and stable. */
function withQuery(path: string, query: Record<string, string | null | undefined>): string {
  const search = new URLSearchParams(Object.entries(query).filter((pair): pair is [string, string] => Boolean(pair[1]))).toString();
  return search ? `${path}?${search}` : path;
}

/**
 * The form's parameters as the service takes them. A form sends "" for "any", which means no
 * filter; a parameter given twice is refused rather than guessed at; anything else the URL
 * carries (utm_*, fbclid) is ignored so a shared link still works.
 */
function readQuery(raw: Record<string, unknown>): { query: SearchQuery; errors: FieldError[] } {
  const query: Record<string, string> = {};
  const errors: FieldError[] = [];
  for (const field of FIELDS) {
    const value = raw[field];
    if (Array.isArray(value)) errors.push({ path: field, reason: 'must be given once' });
    else if (typeof value === 'string' && value.trim() !== '') query[field] = field === 'q' ? value : value.trim();
  }
  return { query: query as SearchQuery, errors };
}

/** The reader's search page at /uk/search, /en/search and /ru/search; /search goes to English. */
export const searchRoutes: FastifyPluginAsync<{ site: SiteInfo }> = async (app, opts) => {
  const { db, config } = app.deps;
  const { site } = opts;

  app.get('/search', async (request, reply) => {
    const at = request.url.indexOf('?');
    return reply.redirect(searchPath('en') + (at >= 0 ? request.url.slice(at) : ''), 302);
  });

  for (const language of LANGUAGES) {
    app.get(searchPath(language), async (request, reply: FastifyReply) => {
      const raw = (request.query ?? {}) as Record<string, unknown>;
      const { query, errors } = readQuery(raw);
      let answer: SearchAnswer | null = null;
      let refused = errors;
      if (refused.length === 0) {
        try {
          answer = await searchBriefs({ db, search: app.searchIndex, timeZone: config.timeZone }, query);
        } catch (err) {
          // Bad input is the reader's to fix on the same page, in their language; anything else is a fault.
          if (!(err instanceof AppError) || err.status !== 400) throw err;
          refused = err.fields.length ? err.fields : [{ path: 'q', reason: err.message }];
        }
      }
      const values: SearchFormValues = Object.fromEntries(Object.entries(query).filter(([k]) => k !== 'cursor'));
      const base = searchPath(language);
      const page = (
        <SearchPage
          site={site} language={language} action={base} values={values}
          path={withQuery(base, { ...values, cursor: query.cursor })}
          stories={await listStories(db)} entities={await listEntities(db)}
          answer={answer} errors={refused}
          moreHref={answer?.next ? withQuery(base, { ...values, cursor: answer.next }) : null}
        />
      );
      // Results may change with any brief, as the home page's list does, so they share its key.
      const keys = [surrogateKey.home, ...keysOfBriefs(answer?.briefs ?? []), ...(answer?.entities ?? []).map((entity) => surrogateKey.entity(entity.id))];
      return sendPage(markPublic(reply, keys), page, refused.length ? 400 : 200);
    });
  }
};
