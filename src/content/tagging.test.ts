import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_ACTOR, type Actor } from '../accounts/policy.js';
import type { Db } from '../storage/database.js';
import { openTestDatabase, type TestDatabase } from '../test/database.js';
import { deskClient } from '../desk/test-client.js';
import { buildTestApp, makeStory, makeUser } from '../test/factories.js';
import { createEventBus } from '../storage/events.js';
import { findBrief } from './brief-repository.js';
import { createBrief, publishBrief, updateBrief } from './briefs.js';
import { createEntity, listEntities, loadGazetteer } from './entities.js';
import { GAZETTEER, type GazetteerKey } from './fixtures/gazetteer.js';
import { confirmEntityTag, cyrillicForms, findMentions, removeEntityTag, suggestedEntityIds, tagText } from './tagging.js';
import { addBackgroundItem } from './stories.js';
import type { Entity } from './types.js';

// The starting gazetteer with its handles as ids, so each row reads as the entities it expects.
const ENTITIES: Entity[] = Object.entries(GAZETTEER).map(([key, input]) => ({
  id: key, slug: key, kind: input.kind, names: { ...input.names }, aliases: [...input.aliases],
}));

const found = (text: string) => findMentions(text, ENTITIES).map((m) => m.entityId).sort();

// The entity table: a snippet as it appears in running text → exactly the entities it names.
const TABLE: [text: string, expected: GazetteerKey[]][] = [
  // English, names, surnames alone, possessives, hyphenated compounds.
  ['Yevgeny Prigozhin said his men would turn back.', ['prigozhin']],
  ['Prigozhin’s fighters left the city overnight.', ['prigozhin']],
  ["Prigozhin's convoy stopped 200 km from the capital.", ['prigozhin']],
  ['Alexander Lukashenko brokered the deal.', ['lukashenko']],
  ['Belarusian opposition calls him Lukashenka.', ['lukashenko']],
  ['Putin called it a stab in the back.', ['putin']],
  ['A Kremlin-backed channel repeated the claim.', ['kremlin']],
  ['Fighters of the Wagner Group entered Rostov-on-Don.', ['rostov', 'wagner']],
  ["Wagner's fighters were offered contracts.", ['wagner']],
  ['The Russian Defence Ministry denied striking the camp.', ['defenceMinistry']],
  ['Sergei Shoigu has not appeared in public since Friday.', ['shoigu']],
  ['ZELENSKY SAYS THE MUTINY SHOWS WEAKNESS', ['zelensky']],
  ['Zelenskyy spoke to Biden.', ['zelensky']],
  // Romanisations generated from the Cyrillic names (none of these is an alias), accents dropped.
  ['Ukrainian outlets spell him Pryhozhyn.', ['prigozhin']],
  ['Yevhen Pryhozhyn’s statement', ['prigozhin']],
  ['Oleksandr Lukashenko and Zelenskyi', ['lukashenko', 'zelensky']],
  ['Lukashenka’s office', ['lukashenko']],
  ['Herasymov and Pieskov were silent.', ['gerasimov', 'peskov']],
  ['Fighters left Rostov-na-Donu; the Kreml was silent, Bilorus agreed.', ['belarus', 'kremlin', 'rostov']],
  ['Aliaksandr Lukašenka met him in Minsk.', ['lukashenko', 'minsk']],
  // Ukrainian, inflected.
  ['Пригожин заявив про «марш справедливості».', ['prigozhin']],
  ['Колона Пригожина рухалася до Москви.', ['moscow', 'prigozhin']],
  ['Лукашенко провів переговори з Пригожиним.', ['lukashenko', 'prigozhin']],
  ['За словами Лукашенка, угоду досягнуто.', ['lukashenko']],
  ['Пригожину запропонували виїхати до Білорусі.', ['belarus', 'prigozhin']],
  ['Путіну доповіли про ситуацію в Ростові-на-Дону.', ['putin', 'rostov']],
  ['У Кремлі відмовилися коментувати.', ['kremlin']],
  ['Бійці «Вагнера» залишили місто.', ['wagner']],
  ['ПВК «Вагнер» оголосила про відхід.', ['wagner']],
  ['Домовленість з Білоруссю підтвердили в Мінську.', ['belarus', 'minsk']],
  ['Зеленський прокоментував заколот.', ['zelensky']],
  ['Заява Міністерства оборони Росії з’явилася вночі.', ['defenceMinistry']],
  ['Пєсков не відповів на запитання.', ['peskov']],
  ['Зеленського запитали про Бахмут.', ['bakhmut', 'zelensky']],
  ['Війська повернулися до України.', ['ukraine']],
  // Russian, inflected, with ё written or not.
  ['Пригожин обвинил Шойгу.', ['prigozhin', 'shoigu']],
  ['Песков заявил, что Путин встречался с Пригожиным.', ['peskov', 'prigozhin', 'putin']],
  ['В Кремле заявили, что уголовное дело прекратят.', ['kremlin']],
  ['Переговоры с Кремлём шли весь день.', ['kremlin']],
  ['Лукашенко предложил Пригожину уехать в Беларусь.', ['belarus', 'lukashenko', 'prigozhin']],
  ['Бойцы ЧВК «Вагнер» прибыли в Беларуси.', ['belarus', 'wagner']],
  ['Колонна двигалась к Москве через Воронеж.', ['moscow', 'voronezh']],
  ['Над Воронежем збили безпілотник.', ['voronezh']],
  ['Минобороны России опровергло сообщения.', ['defenceMinistry']],
  ['Герасимова не видели с пятницы.', ['gerasimov']],
  // Belarusian spelling; apostrophes of every kind.
  ['Лукашэнка сустрэўся з Пригожиным.', ['lukashenko', 'prigozhin']],
  ['Прес-служба Лукашенка з’ясувала деталі.', ['lukashenko']],
  ['Прес-служба Лукашенка зʼясувала деталі в Києві.', ['kyiv', 'lukashenko']],
  ["Прес-служба Лукашенка з'ясувала деталі.", ['lukashenko']],
  // Every mention counts once, whatever its form.
  ['Пригожин, Пригожина, Пригожину, Prigozhin.', ['prigozhin']],
];

// Innocent text: names inside other words or other names, which must find nothing.
// Decisions: a derived word is not the entity (Putinism is an idea, Беларусбанк a bank, a
// Belarusian a person), so only whole words and their case forms match; "Wagner" alone is the
// Wagner Group on a news desk, but "Richard Wagner" is a listed homonym and names nobody we know.
const INNOCENT: string[] = [
  'Putinism as an ideology outlived the summer.',
  'Беларусбанк підняв ставки.',
  'Belarusian tractors are sold across Asia.',
  "Richard Wagner's operas sold out in Bayreuth.",
  'Вечір музики Ріхарда Вагнера відбувся в опері.',
  'Кремлівський стиль управління не змінився.',
  'Він купив путівку до моря.',
  'The kremlinology seminar starts at noon.',
  'Moscovium is a synthetic element.',
  'Лукашенківщина як явище.',
  'Україномовні видання писали про погоду.',
  'Олена Зеленська відвідала школу.',
];

describe('findMentions: the entity table', () => {
  it.each(TABLE)('%s', (text, expected) => {
    expect(found(text)).toEqual([...expected].sort());
  });

  it.each(INNOCENT)('finds nothing in: %s', (text) => {
    expect(found(text)).toEqual([]);
  });

  it('has the rows the acceptance asks for', () => {
    expect(TABLE.length).toBeGreaterThanOrEqual(40);
    expect(INNOCENT.length).toBeGreaterThanOrEqual(8);
  });
});

describe('findMentions', () => {
  it('reports each entity once, at its first mention, with the words as written', () => {
    expect(findMentions('Лукашенка і Пригожина; потім Prigozhin і Лукашенко.', ENTITIES)).toEqual([
      { entityId: 'lukashenko', match: 'Лукашенка' },
      { entityId: 'prigozhin', match: 'Пригожина' },
    ]);
  });

  it('prefers the longest name: the ministry of Russia is not also Russia', () => {
    expect(found('Міністерство оборони Росії заявило')).toEqual(['defenceMinistry']);
    expect(found('Росія заявила')).toEqual(['russia']);
  });

  it('matches a name in the other script when the entity has only an English name', () => {
    const onlyEnglish: Entity = { id: 'x', slug: 'x', kind: 'person', names: { en: 'Dmitry Utkin', uk: '', ru: '' }, aliases: [] };
    expect(findMentions('Дмитрий Уткин погиб вместе с ним.', [onlyEnglish]).map((m) => m.entityId)).toEqual(['x']);
    expect(findMentions('Дмитро Уткін', [onlyEnglish])).toEqual([]);
  });

  it('sees an edited entity at once (the matcher is rebuilt when the list changes)', () => {
    const entity: Entity = { id: 'y', slug: 'y', kind: 'place', names: { en: 'Kherson', uk: 'Херсон', ru: 'Херсон' }, aliases: [] };
    expect(findMentions('У Херсоні', [entity])).toHaveLength(1);
    expect(findMentions('У Олешках', [entity])).toHaveLength(0);
    expect(findMentions('У Олешках', [{ ...entity, aliases: ['Олешки'] }])).toHaveLength(0);
    expect(findMentions('Олешки', [{ ...entity, aliases: ['Олешки'] }])).toHaveLength(1);
  });

  it('finds nothing without a gazetteer', () => {
    expect(findMentions('Prigozhin', [])).toEqual([]);
  });
});

describe('cyrillicForms', () => {
  it.each([
    ['пригожин', ['пригожина', 'пригожину', 'пригожиним', 'пригожиным', 'пригожині', 'пригожине']],
    ['кремль', ['кремля', 'кремлю', 'кремлем', 'кремлі', 'кремле']],
    ['білорусь', ['білорусі', 'білоруссю']],
    ['беларусь', ['беларуси', 'беларусью']],
    ['вагнер', ['вагнера', 'вагнером']],
    ['лукашенко', ['лукашенка', 'лукашенком', 'лукашенкові']],
    ['зеленський', ['зеленського', 'зеленському', 'зеленським']],
    ['москва', ['москви', 'москві', 'москву', 'москвою', 'москвы', 'москве', 'москвой']],
    ['росія', ['росії', 'росію', 'росією']],
  ])('%s declines', (word, forms) => {
    expect(cyrillicForms(word)).toEqual(expect.arrayContaining(forms));
  });

  it('leaves indeclinable words and abbreviations alone', () => {
    expect(cyrillicForms('шойгу')).toEqual(['шойгу']);
    expect(cyrillicForms('пвк')).toEqual(['пвк']);
  });
});

describe('tagging briefs on save', () => {
  let database: TestDatabase;
  let db: Db;
  let deps: { db: Db; bus: ReturnType<typeof createEventBus> };
  let ids: Record<GazetteerKey, string>;
  beforeEach(async () => {
    database = await openTestDatabase();
    db = database.db;
    deps = { db, bus: createEventBus() };
    await loadGazetteer(deps, CLI_ACTOR);
    const byName = new Map((await listEntities(db)).map((e) => [e.names.en, e.id]));
    ids = Object.fromEntries(Object.entries(GAZETTEER).map(([key, input]) => [key, byName.get(input.names.en)!])) as Record<GazetteerKey, string>;
  });
  afterEach(async () => {
    await database.close();
  });

  const origins = async (briefId: string) =>
    Object.fromEntries((await db.selectFrom('brief_entities').select(['entity_id', 'origin']).where('brief_id', '=', briefId).execute()).map((r) => [r.entity_id, r.origin]));
  const draft = (over: Record<string, unknown> = {}) => ({
    language: 'uk' as const, headline: 'Пригожин погодився виїхати до Білорусі',
    details: ['Про це повідомила пресслужба Лукашенка.'], ...over,
  });

  it('loads the gazetteer once: a second run adds nothing', async () => {
    const again = await loadGazetteer(deps, CLI_ACTOR);
    expect(again.created).toEqual([]);
    expect(again.existing).toBe(Object.keys(GAZETTEER).length);
    expect(await listEntities(db)).toHaveLength(Object.keys(GAZETTEER).length);
  });

  it('tagText reads the stored gazetteer', async () => {
    expect((await tagText(db, 'Пригожина бачили в Ростові')).map((m) => m.entityId).sort()).toEqual([ids.prigozhin, ids.rostov].sort());
  });

  it('adds the entities a new brief names as automatic tags, next to the editor\'s own', async () => {
    const brief = await createBrief(deps, CLI_ACTOR, { ...draft(), entityIds: [ids.putin] });
    expect(await origins(brief.id)).toEqual({ [ids.putin]: 'editor', [ids.prigozhin]: 'auto', [ids.belarus]: 'auto', [ids.lukashenko]: 'auto' });
    expect([...brief.entityIds].sort()).toEqual([ids.putin, ids.prigozhin, ids.belarus, ids.lukashenko].sort());
    expect([...(await findBrief(db, brief.id))!.entityIds].sort()).toEqual([...brief.entityIds].sort());
    expect((await suggestedEntityIds(db, brief.id)).sort()).toEqual([ids.prigozhin, ids.belarus, ids.lukashenko].sort());
  });

  it('scans quotes, previously and background too', async () => {
    const brief = await createBrief(deps, CLI_ACTOR, {
      language: 'en', headline: 'Convoy turns back', quotes: [{ text: 'We are turning our columns around', speaker: 'Prigozhin' }],
      previously: ['Fighters took Rostov-on-Don on Saturday.'], background: [{ text: 'The Kremlin said the case would be dropped.', status: 'claimed' }],
    });
    // The speaker field is a label, not text: Prigozhin is not named in what he said.
    expect(new Set(brief.entityIds)).toEqual(new Set([ids.rostov, ids.kremlin]));
  });

  it('does not bring back a tag the editor removed, on a later save', async () => {
    const brief = await createBrief(deps, CLI_ACTOR, draft());
    await removeEntityTag(deps, CLI_ACTOR, brief.id, ids.belarus);
    const saved = await updateBrief(deps, CLI_ACTOR, brief.id, { headline: 'Пригожин погодився виїхати до Білорусі, — Мінськ' });
    expect(saved.entityIds).not.toContain(ids.belarus);
    expect(await origins(brief.id)).toEqual({ [ids.prigozhin]: 'auto', [ids.lukashenko]: 'auto', [ids.minsk]: 'auto' });
  });

  it('treats a suggestion left out of the entity list as removed, and an explicit choice as lifting that', async () => {
    const brief = await createBrief(deps, CLI_ACTOR, draft());
    const withoutBelarus = brief.entityIds.filter((id) => id !== ids.belarus);
    const saved = await updateBrief(deps, CLI_ACTOR, brief.id, { entityIds: withoutBelarus });
    expect(saved.entityIds).not.toContain(ids.belarus);
    expect((await updateBrief(deps, CLI_ACTOR, brief.id, { details: ['Знову про Білорусь.'] })).entityIds).not.toContain(ids.belarus);
    const chosen = await updateBrief(deps, CLI_ACTOR, brief.id, { entityIds: [...withoutBelarus, ids.belarus] });
    expect((await origins(chosen.id))[ids.belarus]).toBe('editor');
  });

  it('keeps a confirmed tag when the text stops naming it, and drops an unconfirmed one', async () => {
    const brief = await createBrief(deps, CLI_ACTOR, draft());
    await confirmEntityTag(deps, CLI_ACTOR, brief.id, ids.prigozhin);
    expect((await origins(brief.id))[ids.prigozhin]).toBe('editor');
    const saved = await updateBrief(deps, CLI_ACTOR, brief.id, { headline: 'Колона повернула назад', details: ['Деталі невідомі.'] });
    expect(await origins(saved.id)).toEqual({ [ids.prigozhin]: 'editor' });
  });

  it('retags on publish and picks up entities created after the draft', async () => {
    const brief = await createBrief(deps, CLI_ACTOR, { ...draft(), sources: [{ name: 'Reuters', url: null, kind: 'news_agency' }], details: ['Біля Павлограда.'] });
    const pavlohrad = await createEntity(deps, CLI_ACTOR, { kind: 'place', names: { en: 'Pavlohrad', uk: 'Павлоград', ru: 'Павлоград' }, aliases: [] });
    const published = await publishBrief(deps, CLI_ACTOR, brief.id);
    expect(published.entityIds).toContain(pavlohrad.id);
  });

  it('refuses to change the tags of a brief that does not exist, or a tag it does not have', async () => {
    const brief = await createBrief(deps, CLI_ACTOR, draft());
    await expect(confirmEntityTag(deps, CLI_ACTOR, 'nope', ids.prigozhin)).rejects.toMatchObject({ status: 404 });
    await expect(removeEntityTag(deps, CLI_ACTOR, brief.id, ids.moscow)).rejects.toMatchObject({ status: 404 });
  });

  it('lets only an editor change the tags of a published brief', async () => {
    const contributor: Actor = { userId: null, role: 'contributor', label: 'test contributor' };
    const brief = await createBrief(deps, CLI_ACTOR, { ...draft(), sources: [{ name: 'Reuters', url: null, kind: 'news_agency' }] });
    await publishBrief(deps, CLI_ACTOR, brief.id);
    await expect(removeEntityTag(deps, contributor, brief.id, ids.prigozhin)).rejects.toMatchObject({ status: 403 });
    await removeEntityTag(deps, CLI_ACTOR, brief.id, ids.prigozhin);
    expect((await findBrief(db, brief.id))!.entityIds).not.toContain(ids.prigozhin);
  });
});

describe('the entity page', () => {
  it('lists the briefs tagged with the entity in every language and the background items naming it', async () => {
    const t = await buildTestApp();
    try {
      const { created } = await loadGazetteer(t.deps, CLI_ACTOR);
      const prigozhin = created.find((e) => e.names.en === 'Yevgeny Prigozhin')!;
      const story = await makeStory(t.deps, 'Mutiny');
      const other = await makeStory(t.deps, 'Aftermath');
      await addBackgroundItem(t.deps, CLI_ACTOR, story.id, { text: 'Пригожина бачили в Мінську.', status: 'unverified' });
      await addBackgroundItem(t.deps, CLI_ACTOR, story.id, { text: 'The convoy stopped.', status: 'claimed', attributionEntityId: prigozhin.id });
      await addBackgroundItem(t.deps, CLI_ACTOR, other.id, { text: 'Criminal case dropped.', status: 'confirmed', attributionSource: 'Reuters, citing Prigozhin’s press service' });
      await addBackgroundItem(t.deps, CLI_ACTOR, other.id, { text: 'Putinism outlived the summer.', status: 'claimed' });
      for (const [language, headline] of [['uk', 'Пригожин погодився виїхати'], ['ru', 'Пригожину предложили уехать']] as const) {
        const brief = await createBrief(t.deps, CLI_ACTOR, { language, headline, sources: [{ name: 'Reuters', url: null, kind: 'news_agency' }] });
        await publishBrief(t.deps, CLI_ACTOR, brief.id);
      }
      const page = await t.app.inject({ method: 'GET', url: `/en/entities/${prigozhin.slug}` });
      expect(page.statusCode).toBe(200);
      for (const text of ['Пригожин погодився виїхати', 'Пригожину предложили уехать', 'Пригожина бачили в Мінську.', 'The convoy stopped.', 'Criminal case dropped.', 'Mutiny', 'Aftermath']) {
        expect(page.body).toContain(text);
      }
      expect(page.body).not.toContain('Putinism');
      expect(page.body).toContain(`/en/stories/${story.slug}/background/`);
    } finally {
      await t.close();
    }
  });
});

describe('suggested entities in the desk editor', () => {
  it('shows automatic tags as suggestions the editor confirms or removes', async () => {
    const t = await buildTestApp();
    try {
      const { created } = await loadGazetteer(t.deps, CLI_ACTOR);
      const idOf = (en: string) => created.find((e) => e.names.en === en)!.id;
      const brief = await createBrief(t.deps, CLI_ACTOR, { language: 'en', headline: 'Prigozhin leaves for Belarus' });
      const user = await makeUser(t.db, 'editor');
      const desk = deskClient(t.app);
      await desk.logIn(user.email, user.password);

      const page = (await desk.get(`/desk/briefs/${brief.id}`)).body;
      expect(page).toContain('Suggested entities');
      expect(page).toMatch(/Suggested: <strong>Yevgeny Prigozhin<\/strong>/);
      expect(page).toMatch(/Suggested: <strong>Belarus<\/strong>/);

      const confirmed = await desk.post(`/desk/briefs/${brief.id}/entities/${idOf('Yevgeny Prigozhin')}`, { op: 'confirm' });
      expect(confirmed.statusCode).toBe(303);
      const removed = await desk.post(`/desk/briefs/${brief.id}/entities/${idOf('Belarus')}`, { op: 'remove' });
      expect(removed.statusCode).toBe(303);
      const after = (await desk.get(`/desk/briefs/${brief.id}?done=tag-removed`)).body;
      expect(after).not.toContain('Suggested entities');
      expect(after).toContain('it will not be suggested again');
      const stored = await t.db.selectFrom('brief_entities').select(['entity_id', 'origin']).where('brief_id', '=', brief.id).execute();
      expect(stored).toEqual([{ entity_id: idOf('Yevgeny Prigozhin'), origin: 'editor' }]);

      const bad = await desk.post(`/desk/briefs/${brief.id}/entities/${idOf('Yevgeny Prigozhin')}`, { op: 'delete' });
      expect(bad.statusCode).toBe(400);
    } finally {
      await t.close();
    }
  });
});
