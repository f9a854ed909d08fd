import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../accounts/policy.js';
import { addComment } from '../comments/service.js';
import { correctBrief, retractBrief } from '../content/briefs.js';
import { addBackgroundItem } from '../content/stories.js';
import { createEntity } from '../content/entities.js';
import { buildTestApp, makePublishedBrief, makeStory, type TestContext } from '../test/factories.js';
import { vnuErrors } from '../test/vnu.js';
import { linkTranslation, pinBrief } from '../content/timeline.js';
import { LANGUAGES } from '../content/types.js';
import { briefPath, entityPath, homePath, storyPath } from './paths.js';

let t: TestContext;
beforeAll(async () => {
  t = await buildTestApp();
});
afterAll(async () => {
  await t.close();
});

/** Realistic pages: a story with background, entities, linked briefs, a correction, a retraction, comments in three languages. */
async function seedPages(): Promise<Record<string, string>> {
  const story = await makeStory(t.deps, 'Dam breach on the Dnipro');
  const governor = await createEntity(t.deps, CLI_ACTOR, {
    kind: 'person', names: { en: 'Oleksandr Prokudin', uk: 'Олександр Прокудін', ru: 'Александр Прокудин' }, aliases: ['The governor'],
  });
  const city = await createEntity(t.deps, CLI_ACTOR, { kind: 'place', names: { en: 'Kherson', uk: 'Херсон', ru: 'Херсон' }, aliases: [] });
  await addBackgroundItem(t.deps, CLI_ACTOR, story.id, { text: 'The dam was built in 1956.', status: 'confirmed', attributionSource: 'Ukrhydroenergo' });
  await addBackgroundItem(t.deps, CLI_ACTOR, story.id, { text: 'Water levels may rise by 5 metres.', status: 'claimed', attributionEntityId: governor.id });
  const earlier = await makePublishedBrief(t.deps, { storyId: story.id, entityIds: [city.id], headline: 'Cracks reported in the dam', publishedAt: '2026-11-24T06:00:00Z' });
  const brief = await makePublishedBrief(t.deps, {
    storyId: story.id,
    entityIds: [governor.id, city.id],
    headline: 'Officials confirm the dam breach & order evacuations',
    publishedAt: '2026-11-25T07:30:00Z',
    sources: [
      { name: 'Kherson Regional Military Administration', url: 'https://example.org/statement?id=1&lang=en', kind: 'official_statement' },
      { name: 'Our correspondent in Kherson', url: null, kind: 'own_correspondent' },
    ],
    quotes: [
      { text: '“Water is rising in the lower town.\nLeave now — take documents and water.”', speaker: 'Oleksandr Prokudin', sourceIndex: 0 },
      { text: '“The streets near the river are already flooded.”', speaker: null, sourceIndex: 1 },
    ],
    details: [
      'Rescuers moved **400 people** overnight, *according to* the [emergency service](https://example.org/dsns).',
      'Someone typed <script>alert("x")</script> & <b>tags</b> here; they must come out as text.',
    ],
    previously: ['Earlier, the service reported cracks in the dam.'],
    previouslyLinks: [earlier.id],
    background: [
      { text: 'The dam was built in 1956.', status: 'confirmed', attribution: 'Ukrhydroenergo' },
      { text: 'Russian officials said the dam held.', status: 'denied' },
      { text: 'Shelling preceded the breach.', status: 'unverified' },
    ],
  });
  await correctBrief(t.deps, CLI_ACTOR, brief.id, { details: ['Rescuers moved **300 people** overnight.'] }, 'The number of evacuees was wrong.');
  await addComment(t.deps, { briefId: brief.id, authorName: 'Iryna', body: 'Stay safe.\nMy parents are in the lower town.' });
  await addComment(t.deps, { briefId: brief.id, authorName: '', body: 'Is the bridge <closed>?' });

  const ukBrief = await makePublishedBrief(t.deps, {
    language: 'uk', storyId: story.id, headline: 'Рятувальники евакуювали 300 людей', datelinePrecision: 'day',
    sources: [{ name: 'ДСНС', url: 'https://example.org/dsns', kind: 'official_statement' }],
    quotes: [{ text: '«Вода прибуває»', speaker: 'Речник', sourceIndex: 0 }],
    background: [{ text: 'Греблю збудовано 1956 року.', status: 'confirmed' }],
  });
  for (const body of ['Тримайтеся', 'Дякую', 'Жах']) await addComment(t.deps, { briefId: ukBrief.id, authorName: 'Читач', body });
  const retracted = await makePublishedBrief(t.deps, { language: 'ru', headline: 'Сообщение, которое не подтвердилось' });
  await retractBrief(t.deps, CLI_ACTOR, retracted.id, 'Источник отозвал заявление.');

  await linkTranslation(t.deps, CLI_ACTOR, brief.id, ukBrief.id);
  await pinBrief(t.deps, CLI_ACTOR, brief.id, true);

  // Every page that exists per language, in each of them: labels, dates and lang attributes differ.
  const perLanguage = Object.fromEntries(LANGUAGES.flatMap((language) => [
    [`home-${language}`, homePath(language)],
    [`story-${language}`, storyPath(story, language)],
    [`entity-${language}`, entityPath(governor, language)],
    [`not-found-${language}`, `/${language}/stories/no-such-story`],
  ]));
  return {
    home: '/',
    brief: briefPath(brief),
    'brief-uk': briefPath(ukBrief),
    'brief-retracted': briefPath(retracted),
    ...perLanguage,
    'not-found': '/news/no-such-brief',
  };
}

describe('HTML validity', () => {
  it('passes the Nu HTML Checker on home, brief, story, entity and error pages, the per-language ones in uk, en and ru', { timeout: 120_000 }, async () => {
    const pages = await seedPages();
    const html: Record<string, string> = {};
    for (const [name, url] of Object.entries(pages)) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.headers['content-type'], url).toContain('text/html');
      html[name] = res.body;
    }
    const errors = await vnuErrors(html);
    expect(errors).toEqual([]);
  });
});
