import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../accounts/policy.js';
import { correctBrief, createBrief, deleteBrief, retractBrief, submitBrief } from '../content/briefs.js';
import { createEntity, updateEntity } from '../content/entities.js';
import type { BriefInput } from '../content/schema.js';
import { briefInput, buildTestApp, makeBareBrief, makeStory, type TestContext } from '../test/factories.js';
import type { HighlightedText } from './highlight.js';
import type { SearchFilters } from './types.js';

let t: TestContext;
beforeEach(async () => { t = await buildTestApp(); });
afterEach(async () => { await t.close(); });

const publish = (overrides: Partial<BriefInput>) => makeBareBrief(t.deps, overrides);

async function found(query: string, filters: SearchFilters = {}): Promise<string[]> {
  const results = await t.search.search(query, filters, { offset: 0, limit: 50 });
  return results.briefs.map((b) => b.id).sort();
}

const marked = (h: HighlightedText | null) => (h ? h.ranges.map((r) => h.text.slice(r.start, r.end)) : []);

async function prigozhin() {
  return createEntity(t.deps, CLI_ACTOR, {
    kind: 'person', names: { en: 'Yevgeny Prigozhin', uk: 'Євген Пригожин', ru: 'Евгений Пригожин' }, aliases: ['Prigozhin', 'Пригожин'],
  });
}

describe('matching in each language', () => {
  it('uk: "Пригожина" finds a brief that says "Пригожин", and marks the word', async () => {
    const brief = await publish({ language: 'uk', headline: 'Пригожин оголосив про відхід колони', details: ['Колона повернула назад.'] });
    await publish({ language: 'uk', headline: 'Лукашенко провів переговори' });
    expect(await found('Пригожина')).toEqual([brief.id]);
    expect(await found('пригожину')).toEqual([brief.id]);
    const [hit] = (await t.search.search('Пригожина', {}, { offset: 0, limit: 10 })).briefs;
    expect(marked(hit!.headline)).toEqual(['Пригожин']);
  });

  it('uk: inflected common words and apostrophe variants match', async () => {
    const brief = await publish({ language: 'uk', headline: 'Заколот у Ростові', details: ['Прем’єр зібрав засідання через заколоту загрозу.'] });
    expect(await found('заколоті')).toEqual([brief.id]);
    expect(await found("прем'єр")).toEqual([brief.id]);
    expect(await found('премʼєра')).toEqual([brief.id]);
  });

  it('ru: "Пригожину" and "Кремлём"/"Кремль" find their other forms; ё and е are one letter', async () => {
    const brief = await publish({ language: 'ru', headline: 'Пригожин договорился с Кремлём', details: ['Переговоры шли весь день.'] });
    const other = await publish({ language: 'ru', headline: 'Колонна остановилась под Москвой' });
    expect(await found('Пригожину')).toEqual([brief.id]);
    expect(await found('Кремль')).toEqual([brief.id]);
    expect(await found('кремлем')).toEqual([brief.id]);
    expect(await found('Москва')).toEqual([other.id]);
    const [hit] = (await t.search.search('Кремль', {}, { offset: 0, limit: 10 })).briefs;
    expect(marked(hit!.headline)).toEqual(['Кремлём']);
  });

  it('en: "mutinies" finds "mutiny", and a possessive finds the name and back', async () => {
    const mutiny = await publish({ headline: 'The mutiny ends overnight', details: ['Columns turned back.'] });
    const possessive = await publish({ headline: 'Prigozhin\u2019s fighters leave Rostov' });
    const plain = await publish({ headline: 'Talks with Prigozhin continue' });
    expect(await found('mutinies')).toEqual([mutiny.id]);
    expect(await found('MUTINY')).toEqual([mutiny.id]);
    expect(await found("Prigozhin's")).toEqual([possessive.id, plain.id].sort());
    expect(await found('prigozhin')).toEqual([possessive.id, plain.id].sort());
    expect(await found('fighter')).toEqual([possessive.id]);
  });

  it('needs every word of the query, ignoring only stop words', async () => {
    const both = await publish({ headline: 'Columns leave Rostov', details: ['The mutiny is over.'] });
    await publish({ headline: 'Columns reach Voronezh' });
    expect(await found('columns mutiny')).toEqual([both.id]);
    expect(await found('the columns of Rostov')).toEqual([both.id]);
  });

  it('reads operators and quotes in a query as words, never as FTS syntax', async () => {
    await publish({ headline: 'Columns leave Rostov' });
    for (const q of ['"', 'NOT', 'AND OR (', 'col*', 'headline:columns', '^columns', 'NEAR(a b)', '-', '*', 'NEAR(', '-columns', '\u0000', 'columns\u200b']) {
      await expect(t.search.search(q, {}, { offset: 0, limit: 10 })).resolves.toBeDefined();
    }
    // Punctuation alone is no query, not a request for everything.
    expect(await found('!!! ---')).toEqual([]);
  });

  it('reads tsquery operators, quotes and backslashes as word breaks, in Latin and Cyrillic', async () => {
    const rostov = await publish({ headline: 'Columns leave Rostov' });
    const voronezh = await publish({ headline: 'Columns reach Voronezh' });
    const cyrillic = await publish({ language: 'uk', headline: 'Колони рушили на Ростов' });
    expect(await found('columns & !rostov')).toEqual([rostov.id]);
    expect(await found("'columns' | voronezh")).toEqual([voronezh.id]);
    expect(await found('(columns):* <-> \\rostov\\')).toEqual([rostov.id]);
    expect(await found("'columns'' rostov's")).toEqual([rostov.id]);
    expect(await found("'колони' | !ростов:*")).toEqual([cyrillic.id]);
    expect(await found('«Колони»&(Ростов)')).toEqual([cyrillic.id]);
    for (const q of ["'", "''", '\\', '&|!():*\\', '<->', ':*', "'\\''"]) expect(await found(q), q).toEqual([]);
    // No words at all is the filters alone.
    expect(await found('')).toEqual([rostov.id, voronezh.id, cyrillic.id].sort());
    expect(await found('   ')).toEqual([rostov.id, voronezh.id, cyrillic.id].sort());
  });

  it('matches whole stems, not prefixes of them, on every engine', async () => {
    const columns = await publish({ headline: 'Columns leave Rostov' });
    await publish({ headline: 'A columnist writes about Rostovites' });
    const kremlin = await publish({ language: 'ru', headline: 'Кремль молчит' });
    await publish({ language: 'uk', headline: 'Кремлівський речник мовчить' });
    expect(await found('columns')).toEqual([columns.id]);
    expect(await found('Rostov')).toEqual([columns.id]);
    expect(await found('Кремль')).toEqual([kremlin.id]);
  });
});

describe('entities', () => {
  it('a query naming an entity in any language or form finds briefs tagged with it in every language', async () => {
    const person = await prigozhin();
    const english = await publish({ headline: 'The Wagner chief agrees to leave for Belarus', entityIds: [person.id] });
    const untagged = await publish({ headline: 'The Wagner chief was not named here' });
    const russian = await publish({ language: 'ru', headline: 'Пригожин уезжает в Беларусь', entityIds: [person.id] });
    expect(await found('Пригожина')).toEqual([english.id, russian.id].sort());
    expect(await found('Пригожин')).toEqual([english.id, russian.id].sort());
    expect(await found('Prigozhin')).toEqual([english.id, russian.id].sort());
    expect(await found('Wagner chief')).toEqual([english.id, untagged.id].sort());
    // The entity's name narrows together with the other words.
    expect(await found('Пригожин Belarus')).toEqual([english.id]);
  });

  it('lists the entities the query names or matches, with every name', async () => {
    const person = await prigozhin();
    await createEntity(t.deps, CLI_ACTOR, { kind: 'place', names: { en: 'Rostov-on-Don', uk: 'Ростов-на-Дону', ru: 'Ростов-на-Дону' }, aliases: [] });
    const results = await t.search.search('Пригожина', {}, { offset: 0, limit: 10 });
    expect(results.entities.map((e) => e.id)).toEqual([person.id]);
    expect(results.entities[0]!.names.en).toBe('Yevgeny Prigozhin');
    expect((await t.search.search('Ростове', {}, { offset: 0, limit: 10 })).entities.map((e) => e.names.en)).toEqual(['Rostov-on-Don']);
  });

  it('a renamed entity or a new alias reaches the briefs tagged with it', async () => {
    const person = await prigozhin();
    const brief = await publish({ headline: 'The Wagner chief agrees to leave', entityIds: [person.id] });
    expect(await found('Putin\u2019s chef')).toEqual([]);
    await updateEntity(t.deps, CLI_ACTOR, person.id, { kind: 'person', names: person.names, aliases: ['Putin\u2019s chef'] });
    expect(await found('Putin\u2019s chef')).toEqual([brief.id]);
  });
});

describe('filters', () => {
  it('entity and date range narrow exactly', async () => {
    const person = await prigozhin();
    const place = await createEntity(t.deps, CLI_ACTOR, { kind: 'place', names: { en: 'Rostov', uk: 'Ростов', ru: 'Ростов' }, aliases: [] });
    const at = (day: number, hour: number) => `2026-06-${String(day).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00.000Z`;
    const early = await publish({ headline: 'Columns move north', entityIds: [person.id], publishedAt: at(23, 22) });
    const middle = await publish({ headline: 'Columns near Voronezh', entityIds: [person.id, place.id], publishedAt: at(24, 9) });
    const otherEntity = await publish({ headline: 'Columns in Rostov', entityIds: [place.id], publishedAt: at(24, 10) });
    const late = await publish({ headline: 'Columns turn back', entityIds: [person.id], publishedAt: at(25, 6) });
    expect(await found('columns')).toEqual([early.id, middle.id, otherEntity.id, late.id].sort());
    expect(await found('columns', { entityId: person.id })).toEqual([early.id, middle.id, late.id].sort());
    const day24 = { from: at(24, 0), until: at(25, 0) };
    expect(await found('columns', day24)).toEqual([middle.id, otherEntity.id].sort());
    expect(await found('columns', { ...day24, entityId: person.id })).toEqual([middle.id]);
    // The bounds: from is inclusive, until exclusive.
    expect(await found('columns', { from: at(24, 9), until: at(25, 6) })).toEqual([middle.id, otherEntity.id].sort());
    // Without words the filters alone list the briefs.
    expect(await found('', { entityId: place.id })).toEqual([middle.id, otherEntity.id].sort());
  });

  it('story and language narrow', async () => {
    const story = await makeStory(t.deps);
    const inStory = await publish({ headline: 'Columns move', storyId: story.id });
    const outside = await publish({ headline: 'Columns stop' });
    const russian = await publish({ language: 'ru', headline: 'Колонны идут', details: ['Columns'] });
    expect(await found('columns', { storyId: story.id })).toEqual([inStory.id]);
    expect(await found('columns', { language: 'en' })).toEqual([inStory.id, outside.id].sort());
    expect(await found('columns', { language: 'ru' })).toEqual([russian.id]);
  });

  it('status narrows to corrected or retracted briefs', async () => {
    const plain = await publish({ headline: 'Columns move' });
    const corrected = await publish({ headline: 'Columns stop' });
    await correctBrief(t.deps, CLI_ACTOR, corrected.id, { details: ['Added.'] }, 'Added a detail.');
    const retracted = await publish({ headline: 'Columns vanish' });
    await retractBrief(t.deps, CLI_ACTOR, retracted.id, 'The source withdrew it.');
    expect(await found('columns', { statuses: ['corrected'] })).toEqual([corrected.id]);
    expect(await found('columns', { statuses: ['published'] })).toEqual([plain.id]);
    expect(await found('columns', { statuses: ['retracted'] })).toEqual([retracted.id]);
  });
});

describe('what the index holds', () => {
  it('never finds drafts, briefs in review or deleted briefs', async () => {
    const draft = await createBrief(t.deps, CLI_ACTOR, briefInput({ headline: 'Secret columns draft' }));
    const review = await createBrief(t.deps, CLI_ACTOR, briefInput({ headline: 'Secret columns review' }));
    await submitBrief(t.deps, CLI_ACTOR, review.id);
    const removed = await publish({ headline: 'Secret columns published' });
    expect(await found('secret')).toEqual([removed.id]);
    await deleteBrief(t.deps, CLI_ACTOR, removed.id);
    expect(await found('secret')).toEqual([]);
    expect(await found('', { language: 'en' })).toEqual([]);
    expect(draft.status).toBe('draft');
  });

  it('finds a corrected brief by its new text and not its old', async () => {
    const brief = await publish({ headline: 'Evacuation under way', details: ['Rescuers moved 400 people from Oleshky.'] });
    expect(await found('Oleshky')).toEqual([brief.id]);
    await correctBrief(t.deps, CLI_ACTOR, brief.id, { details: ['Rescuers moved 300 people from Hola Prystan.'] }, 'Wrong town.');
    expect(await found('Oleshky')).toEqual([]);
    expect(await found('Prystan')).toEqual([brief.id]);
  });

  it('keeps a retracted brief findable, marked retracted, by the text it had', async () => {
    const brief = await publish({ headline: 'Dam said to be intact', details: ['Officials said the dam held.'] });
    await retractBrief(t.deps, CLI_ACTOR, brief.id, 'The statement was withdrawn.');
    const results = await t.search.search('dam intact', {}, { offset: 0, limit: 10 });
    expect(results.briefs.map((b) => [b.id, b.status])).toEqual([[brief.id, 'retracted']]);
  });

  it('indexes quotes, previously and background as well as details', async () => {
    const quote = await publish({ headline: 'One', quotes: [{ text: '“Water is rising in Mykolaiv.”', speaker: 'Spokesperson', sourceIndex: 0 }] });
    const previously = await publish({ headline: 'Two', previously: ['Earlier, sirens sounded in Zaporizhzhia.'] });
    const background = await publish({ headline: 'Three', background: [{ text: 'The plant near Enerhodar was shelled.', status: 'claimed' }] });
    const details = await publish({ headline: 'Four', details: ['Ferries stopped at **Ochakiv**.'] });
    expect(await found('Mykolaiv')).toEqual([quote.id]);
    expect(await found('Zaporizhzhia')).toEqual([previously.id]);
    expect(await found('Enerhodar')).toEqual([background.id]);
    const [hit] = (await t.search.search('Ochakiv', {}, { offset: 0, limit: 10 })).briefs;
    expect(hit!.id).toBe(details.id);
    // Snippets show what readers read: the Markdown markup is gone.
    expect(hit!.snippet).toEqual({ text: 'Ferries stopped at Ochakiv.', ranges: [{ start: 19, end: 26 }] });
  });

  it('ranks a headline match above a body match, and pages without repeats', async () => {
    const body = await publish({ headline: 'Evening update', details: ['Columns were seen near Tula.'] });
    const head = await publish({ headline: 'Columns seen near Tula' });
    const third = await publish({ headline: 'Morning update', details: ['No columns today.'] });
    const first = await t.search.search('columns', {}, { offset: 0, limit: 2 });
    expect(first.total).toBe(3);
    expect(first.briefs[0]!.id).toBe(head.id);
    expect(first.nextOffset).toBe(2);
    const second = await t.search.search('columns', {}, { offset: 2, limit: 2 });
    expect(second.nextOffset).toBeNull();
    expect([...first.briefs, ...second.briefs].map((b) => b.id).sort()).toEqual([body.id, head.id, third.id].sort());
  });

  it('ranks a headline match above a tagged name, and a tagged name above a body match', async () => {
    const group = await createEntity(t.deps, CLI_ACTOR, { kind: 'organisation', names: { en: 'Wagner Group', uk: 'Група Вагнера', ru: 'Группа Вагнера' }, aliases: [] });
    const at = (hour: number) => `2026-06-24T${String(hour).padStart(2, '0')}:00:00.000Z`;
    // Oldest first, so recency (the tie-break) cannot produce the order asserted.
    const head = await publish({ headline: 'Wagner fighters moved north', publishedAt: at(8) });
    const tagged = await publish({ headline: 'Evening update from the region', entityIds: [group.id], publishedAt: at(9) });
    const body = await publish({ headline: 'Morning update from the region', details: ['Wagner fighters moved north.'], publishedAt: at(10) });
    const ranked = await t.search.search('wagner', {}, { offset: 0, limit: 10 });
    expect(ranked.briefs.map((b) => b.id)).toEqual([head.id, tagged.id, body.id]);
  });

  it('breaks ties in rank newest first, then by id, and lists an empty query newest first', async () => {
    const at = (hour: number) => `2026-06-24T${String(hour).padStart(2, '0')}:00:00.000Z`;
    const older = await publish({ headline: 'Columns seen', publishedAt: at(8) });
    const newer = await publish({ headline: 'Columns seen', publishedAt: at(10) });
    const sameTime = [await publish({ headline: 'Columns seen', publishedAt: at(9) }), await publish({ headline: 'Columns seen', publishedAt: at(9) })];
    const [higherId, lowerId] = sameTime.map((b) => b.id).sort().reverse();
    const expected = [newer.id, higherId, lowerId, older.id];
    const ranked = await t.search.search('columns', {}, { offset: 0, limit: 10 });
    expect(ranked.briefs.map((b) => b.id)).toEqual(expected);
    const listed = await t.search.search('', {}, { offset: 0, limit: 10 });
    expect(listed.briefs.map((b) => b.id)).toEqual(expected);
    expect(listed).toMatchObject({ total: 4, nextOffset: null, entities: [] });
    const paged = await t.search.search('columns', {}, { offset: 1, limit: 2 });
    expect(paged.briefs.map((b) => b.id)).toEqual(expected.slice(1, 3));
    expect(paged).toMatchObject({ total: 4, nextOffset: 3, entities: [] });
  });

  it('rebuild restores a lost index, and ensureCurrent rebuilds only for a new analyser', async () => {
    const brief = await publish({ headline: 'Columns move' });
    await t.db.withTables<{ search_brief_docs: { id: number } }>().deleteFrom('search_brief_docs').execute();
    expect(await found('columns')).toEqual([]);
    expect(await t.search.ensureCurrent()).toBe(true);
    expect(await found('columns')).toEqual([brief.id]);
    expect(await t.search.ensureCurrent()).toBe(false);
    expect(await t.search.rebuild()).toEqual({ briefs: 1, entities: 0 });
    expect(await found('columns')).toEqual([brief.id]);
  });
});
