import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { presentSearch, SearchPageJsonSchema } from '../search/presenter.js';
import { searchBriefs, SearchQuerySchema } from '../search/service.js';
import { errorResponses } from './schemas.js';
import { keysOfBriefs, markPublic, surrogateKey } from '../distribution/cache-headers.js';

/** GET /v1/search: public, like the reader's search page, and the same service call. */
export const searchRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { config, db } = app.deps;

  app.get('/v1/search', {
    schema: {
      summary: 'Search public briefs and entities',
      description: [
        'Every word of `q` must match, in any inflected form (uk, en, ru: "Пригожина" finds "Пригожин", "mutinies" finds "mutiny").',
        'A name of an entity, in any of its languages or forms, also finds the briefs tagged with it in every language.',
        'Without `q`, the filters alone list briefs newest first. Published, corrected and retracted briefs are found; retracted ones say so in `status`.',
        'Pages are offsets behind an opaque cursor, at most 50 results each and 1,000 in all: narrow the query to go further.',
      ].join(' '),
      tags: ['search'], querystring: SearchQuerySchema,
      response: { 200: SearchPageJsonSchema, ...errorResponses(400) },
    },
  }, async (request, reply) => {
    const answer = await searchBriefs({ db, search: app.searchIndex, timeZone: config.timeZone }, request.query);
    // Any brief may enter the results, as it may the home page's list, so both share `home`.
    markPublic(reply, [surrogateKey.home, ...keysOfBriefs(answer.briefs), ...answer.entities.map((e) => surrogateKey.entity(e.id))]);
    return presentSearch(answer, config.publicUrl);
  });
};
