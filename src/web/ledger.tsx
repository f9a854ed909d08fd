import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { notFound } from '../common/errors.js';
import { entityName, findEntitiesByIds } from '../content/entities.js';
import { itemHistory } from '../content/ledger.js';
import { findStoryBySlug, listBackground } from '../content/stories.js';
import { LANGUAGES, type Entity, type Language } from '../content/types.js';
import type { Executor } from '../storage/database.js';
import { backgroundItemPath } from './paths.js';
import { markPublic, surrogateKey } from '../distribution/cache-headers.js';
import { sendPage } from './render.js';
import { BackgroundHistoryPage, type BackgroundHistoryData } from './views/BackgroundHistoryPage.js';
import type { SiteInfo } from './views/SitePage.js';

// Checked by hand rather than by an enum schema, so /xx/… is a 404 like any other missing page.
const HistoryParams = Type.Object({
  lang: Type.String({ maxLength: 10 }),
  slug: Type.String({ minLength: 1, maxLength: 300 }),
  itemId: Type.String({ minLength: 1, maxLength: 300 }),
});

const isLanguage = (value: string): value is Language => (LANGUAGES as readonly string[]).includes(value);

function attributionOf(item: { attributionEntityId: string | null; attributionSource: string | null }, entities: Map<string, Entity>, language: Language): string | null {
  const entity = item.attributionEntityId ? entities.get(item.attributionEntityId) : undefined;
  return [entity ? entityName(entity, language) : null, item.attributionSource].filter(Boolean).join(', ') || null;
}

/** One item of a story's background with every state it was in; 404 unless the item is the story's. */
export async function loadBackgroundHistory(db: Executor, slug: string, itemId: string, language: Language): Promise<BackgroundHistoryData> {
  const story = await findStoryBySlug(db, slug);
  if (!story) throw notFound('Story');
  const item = (await listBackground(db, story.id)).find((i) => i.id === itemId);
  if (!item) throw notFound('Background item');
  const history = await itemHistory(db, item.id);
  const entities = await findEntitiesByIds(db, [...new Set([item, ...history].flatMap((s) => s.attributionEntityId ?? []))]);
  const byId = new Map(entities.map((e) => [e.id, e]));
  return {
    story,
    current: { text: item.text, status: item.status, attribution: attributionOf(item, byId, language) },
    changes: history.map((change) => ({
      kind: change.kind, text: change.text, status: change.status, attribution: attributionOf(change, byId, language),
      source: change.source, actorLabel: change.actorLabel, changedAt: change.changedAt,
    })),
  };
}

/** The history page of a background item, in each of the site's languages. */
export const ledgerRoutes: FastifyPluginAsyncTypebox<{ site: SiteInfo }> = async (app, { site }) => {
  const { db } = app.deps;

  app.get('/:lang/stories/:slug/background/:itemId', { schema: { params: HistoryParams } }, async (request, reply) => {
    const { lang, slug, itemId } = request.params;
    if (!isLanguage(lang)) throw notFound('Page');
    const data = await loadBackgroundHistory(db, slug, itemId, lang);
    const path = backgroundItemPath(data.story, itemId, lang);
    // An item's history grows with each change of it; the page also names the story.
    const keys = [surrogateKey.story(data.story.id), surrogateKey.backgroundItem(itemId)];
    return sendPage(markPublic(reply, keys), <BackgroundHistoryPage site={site} data={data} language={lang} path={path} />);
  });
};
