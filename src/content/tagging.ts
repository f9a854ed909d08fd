import { assertCan, type Actor } from '../accounts/policy.js';
import { notFound } from '../common/errors.js';
import type { Executor, Trx } from '../storage/database.js';
import { inTransaction } from '../storage/events.js';
import type { ContentDeps } from './briefs.js';
import { listEntities } from './entities.js';
import { isCyrillic, toCyrillic, toLatin } from './transliterate.js';
import type { Brief, ClaimStatus, Entity } from './types.js';

/** One entity named in a text: which one, and the words that named it, as written. */
export interface EntityMention {
  entityId: string;
  match: string;
}

// ---- Words -----------------------------------------------------------------------------------

// Apostrophe variants collapse to one so that "Мар’їнка", "Мар'їнка" and "Марʼїнка" are one
// word, and "Prigozhin’s" is "Prigozhin's".
const APOSTROPHES = /[’ʼ‘`´]/g;
// A word is letters and digits, with apostrophes inside it; hyphens, quotes («Вагнер») and other
// punctuation separate words, so "Kremlin-backed" names the Kremlin.
const WORD = /[\p{L}\p{N}]+(?:['’ʼ‘`´][\p{L}\p{N}]+)*/gu;

const LATIN_DIGRAPHS: Record<string, string> = { š: 'sh', ž: 'zh', č: 'ch', ł: 'l' };

function normaliseWord(word: string): string {
  // Scholarly and Belarusian Latin spellings (Lukašenka, Łukašenka) read as the press writes them;
  // other accents on Latin letters go, but not on Cyrillic ones: й and ї are letters of their own.
  const lower = word.toLowerCase().replace(APOSTROPHES, "'").replace(/ё/g, 'е').replace(/[šžčł]/g, (c) => LATIN_DIGRAPHS[c]!);
  return lower.normalize('NFD').replace(/(\p{Script=Latin})\p{M}+/gu, '$1').normalize('NFC');
}

interface Word { form: string; start: number; end: number }

function wordsOf(text: string): Word[] {
  return [...text.matchAll(WORD)].map((m) => ({ form: normaliseWord(m[0]), start: m.index, end: m.index + m[0].length }));
}

// ---- Inflection ------------------------------------------------------------------------------

// Words this short are abbreviations (ПВК, РФ, ЗСУ) and do not decline.
const MIN_DECLINABLE = 4;

/**
 * The case forms of one Cyrillic word of a name, Ukrainian and Russian together: a name in a
 * Ukrainian text may come from the Russian field and the reverse, and the extra forms of the
 * other language are never ordinary words. Rules by ending, as nouns and surnames decline:
 * hard consonant (Пригожин → Пригожина, -у, -ові, -им/-ым, -ом, -і/-е), soft sign (Кремль →
 * Кремля, Кремлем, Кремлі; Білорусь → Білорусі, Білоруссю; Беларусь → Беларуси, Беларусью),
 * adjectives (Зеленський → Зеленського), -а/-я (Москва → Москви, Москві, Москвою), -о (Лукашенко
 * is indeclinable in Russian but Лукашенка, Лукашенком in Ukrainian). Words ending otherwise
 * (Шойгу, Росії) stay as they are. Vowel alternations (Київ → Києва, Верховець → Верховця) are
 * not generated: a gazetteer entry lists those forms among its aliases.
 */
export function cyrillicForms(word: string): string[] {
  const forms = new Set([word]);
  if (word.length < MIN_DECLINABLE || !isCyrillic(word)) return [...forms];
  const add = (stem: string, endings: string[]) => endings.forEach((e) => forms.add(stem + e));
  const last = word.at(-1)!;
  const stem = word.slice(0, -1);
  if (/(?:[иы]й|ій|ой)$/.test(word)) {
    // Masculine forms only: Зеленська, Зеленская is someone else.
    add(word.slice(0, -2), ['ого', 'ому', 'им', 'ым', 'ім', 'ом']);
  } else if (last === 'й') {
    add(stem, ['я', 'ю', 'ем', 'єм', 'ї', 'е']);
  } else if (last === 'ь') {
    add(stem, ['я', 'ю', 'ем', 'і', 'е', 'и', 'ью', `${stem.at(-1)}ю`]);
  } else if (last === 'а') {
    add(stem, ['и', 'і', 'у', 'ою', 'ы', 'е', 'ой', 'ові', 'ом']);
  } else if (last === 'я') {
    add(stem, ['і', 'ї', 'ю', 'ею', 'єю', 'и', 'е', 'ей']);
  } else if (last === 'о') {
    add(stem, ['а', 'у', 'ові', 'ом', 'і', 'е']);
  } else if (/[бвгґджзклмнпрстфхцчшщ]/.test(last)) {
    add(word, ['а', 'у', 'ові', 'еві', 'ом', 'ем', 'им', 'ым', 'е', 'і']);
  }
  return [...forms];
}

/** The forms of one Latin word: itself and its English possessive (Prigozhin's, Wagner Group's). */
function latinForms(word: string): string[] {
  return word.endsWith('s') ? [word, `${word}'`, `${word}'s`] : [word, `${word}'s`];
}

// ---- Names and their spellings ---------------------------------------------------------------

/**
 * Every spelling of a name the matcher looks for: the name itself, its romanisations when it is
 * Cyrillic (Лукашэнка → Lukashenka) and, for a Latin name of an entity with no Cyrillic name in
 * that language, a guessed Cyrillic spelling. Short names (РФ, UN) are not transliterated: as
 * Latin or Cyrillic letters they are too often something else.
 */
function spellings(entity: Entity): string[] {
  const written = [entity.names.uk, entity.names.en, entity.names.ru, ...entity.aliases].map((n) => n.trim()).filter(Boolean);
  const result = new Set(written);
  for (const name of written) {
    if (name.replace(/[^\p{L}]/gu, '').length < MIN_DECLINABLE) continue;
    if (isCyrillic(name)) {
      for (const scheme of ['uk', 'ru', 'be'] as const) result.add(toLatin(name, scheme));
    } else {
      if (!entity.names.uk.trim()) result.add(toCyrillic(name, 'uk'));
      if (!entity.names.ru.trim()) result.add(toCyrillic(name, 'ru'));
    }
  }
  return [...result];
}

/**
 * Names that contain an entity's alias but name someone else: longest match wins, and these
 * match nothing, so "Richard Wagner's operas" is not about the Wagner Group.
 */
export const HOMONYMS: readonly string[] = ['Richard Wagner', 'Ріхард Вагнер', 'Рихард Вагнер', 'Рихарда Вагнера', 'Ріхарда Вагнера'];

interface Phrase { entityId: string | null; words: ReadonlySet<string>[] }

interface Matcher { byFirstWord: Map<string, Phrase[]> }

function phraseOf(entityId: string | null, name: string): Phrase | null {
  const words = wordsOf(name).map((w) => new Set(isCyrillic(w.form) ? cyrillicForms(w.form) : latinForms(w.form)));
  return words.length ? { entityId, words } : null;
}

function buildMatcher(entities: readonly Entity[]): Matcher {
  const byFirstWord = new Map<string, Phrase[]>();
  const add = (phrase: Phrase | null) => {
    if (!phrase) return;
    for (const form of phrase.words[0]!) {
      const list = byFirstWord.get(form) ?? [];
      list.push(phrase);
      byFirstWord.set(form, list);
    }
  };
  for (const entity of entities) for (const name of spellings(entity)) add(phraseOf(entity.id, name));
  for (const name of HOMONYMS) add(phraseOf(null, name));
  return { byFirstWord };
}

// The gazetteer changes rarely and the same one is used for every save: remember the matcher of
// the last list seen, keyed on its content so that an edited entity rebuilds it.
let cached: { key: string; matcher: Matcher } | null = null;

function matcherFor(entities: readonly Entity[]): Matcher {
  const key = JSON.stringify(entities.map((e) => [e.id, e.names, e.aliases]));
  if (cached?.key !== key) cached = { key, matcher: buildMatcher(entities) };
  return cached.matcher;
}

// ---- Matching --------------------------------------------------------------------------------

/**
 * Entities named in `text`, each once, in order of first mention. Whole words only ("Putinism"
 * does not name Putin), any case, inflected forms, either script. Where names overlap the longest
 * wins: "Міністерство оборони Росії" is the ministry, not also Russia.
 */
export function findMentions(text: string, entities: readonly Entity[]): EntityMention[] {
  if (entities.length === 0 || !text) return [];
  const { byFirstWord } = matcherFor(entities);
  const words = wordsOf(text);
  const found = new Map<string, EntityMention>();
  for (let i = 0; i < words.length;) {
    let best: Phrase | null = null;
    for (const phrase of byFirstWord.get(words[i]!.form) ?? []) {
      if (best && phrase.words.length <= best.words.length) continue;
      if (phrase.words.every((forms, k) => k === 0 || (words[i + k] && forms.has(words[i + k]!.form)))) best = phrase;
    }
    if (!best) {
      i += 1;
      continue;
    }
    const last = words[i + best.words.length - 1]!;
    if (best.entityId && !found.has(best.entityId)) found.set(best.entityId, { entityId: best.entityId, match: text.slice(words[i]!.start, last.end) });
    i += best.words.length;
  }
  return [...found.values()];
}

/** Entities of the gazetteer named in `text`. */
export async function tagText(db: Executor, text: string): Promise<EntityMention[]> {
  return findMentions(text, await listEntities(db));
}

// ---- Tags on briefs --------------------------------------------------------------------------

/** 'editor': chosen or confirmed by a person; 'auto': found in the text on save, a suggestion. */
export type TagOrigin = 'editor' | 'auto';

/** The parts of a brief that name its subjects: headline, quotes, details, previously, background. */
export function briefText(brief: Pick<Brief, 'headline' | 'quotes' | 'details' | 'previously' | 'background'>): string {
  return [brief.headline, ...brief.quotes.map((q) => q.text), ...brief.details, ...brief.previously, ...brief.background.map((b) => b.text)].join('\n');
}

/**
 * Writes a brief's entity tags inside its save and returns the ids now on it, the editor's first.
 * `brief.entityIds` is what the editor (form, API, import) sent; compared with the stored tags:
 * a tag that was there and is no longer sent was removed, and is remembered so the text does not
 * bring it back; an id sent that was not there was chosen, and lifts an earlier removal. Then
 * the gazetteer is run over the text: entities it names become 'auto' tags, and an 'auto' tag
 * whose name has left the text goes, since it was only ever a suggestion.
 */
export async function writeBriefEntities(trx: Trx, brief: Brief): Promise<string[]> {
  const stored = new Map((await trx.selectFrom('brief_entities').select(['entity_id', 'origin']).where('brief_id', '=', brief.id).execute())
    .map((r) => [r.entity_id, r.origin as TagOrigin]));
  const sent = new Set(brief.entityIds);
  const now = new Date().toISOString();
  const removedNow = [...stored.keys()].filter((id) => !sent.has(id));
  if (removedNow.length) {
    await trx.insertInto('brief_entity_removals').values(removedNow.map((entity_id) => ({ brief_id: brief.id, entity_id, removed_at: now })))
      .onConflict((oc) => oc.columns(['brief_id', 'entity_id']).doUpdateSet({ removed_at: now })).execute();
  }
  const chosenNow = brief.entityIds.filter((id) => !stored.has(id));
  if (chosenNow.length) await trx.deleteFrom('brief_entity_removals').where('brief_id', '=', brief.id).where('entity_id', 'in', chosenNow).execute();
  const removed = new Set((await trx.selectFrom('brief_entity_removals').select('entity_id').where('brief_id', '=', brief.id).execute()).map((r) => r.entity_id));

  const named = new Set(findMentions(briefText(brief), await listEntities(trx)).map((m) => m.entityId));
  const rows: { entity_id: string; origin: TagOrigin }[] = [];
  for (const id of brief.entityIds) {
    const origin = stored.get(id) ?? 'editor';
    if (origin === 'editor' || named.has(id)) rows.push({ entity_id: id, origin });
  }
  for (const id of named) {
    if (!sent.has(id) && !removed.has(id)) rows.push({ entity_id: id, origin: 'auto' });
  }
  await trx.deleteFrom('brief_entities').where('brief_id', '=', brief.id).execute();
  if (rows.length) await trx.insertInto('brief_entities').values(rows.map((r) => ({ brief_id: brief.id, ...r }))).execute();
  return rows.map((r) => r.entity_id);
}

/** The ids of a brief's tags that are still suggestions, not yet confirmed by an editor. */
export async function suggestedEntityIds(db: Executor, briefId: string): Promise<string[]> {
  return (await db.selectFrom('brief_entities').select('entity_id').where('brief_id', '=', briefId).where('origin', '=', 'auto').execute()).map((r) => r.entity_id);
}

async function changeTag(deps: ContentDeps, actor: Actor, briefId: string, entityId: string, change: 'confirm' | 'remove'): Promise<void> {
  assertCan(actor, 'brief.write');
  await inTransaction(deps, actor.userId, async (trx, events) => {
    const brief = await trx.selectFrom('briefs').select(['id', 'status']).where('id', '=', briefId).executeTakeFirst();
    if (!brief || brief.status === 'deleted') throw notFound('Brief', 'briefId');
    // A published brief's tags are part of what readers see: changing them is an editor's call.
    if (brief.status !== 'draft' && brief.status !== 'in_review') assertCan(actor, 'brief.correct');
    const tag = await trx.selectFrom('brief_entities').select('origin').where('brief_id', '=', briefId).where('entity_id', '=', entityId).executeTakeFirst();
    if (!tag) throw notFound('Entity tag', 'entityId');
    if (change === 'confirm') {
      await trx.updateTable('brief_entities').set({ origin: 'editor' }).where('brief_id', '=', briefId).where('entity_id', '=', entityId).execute();
    } else {
      await trx.deleteFrom('brief_entities').where('brief_id', '=', briefId).where('entity_id', '=', entityId).execute();
      await trx.insertInto('brief_entity_removals').values({ brief_id: briefId, entity_id: entityId, removed_at: new Date().toISOString() })
        .onConflict((oc) => oc.columns(['brief_id', 'entity_id']).doNothing()).execute();
    }
    events.record('brief.updated', briefId, { entityTag: { entityId, change } });
  });
}

/** The editor accepts a suggested tag: it stays on the brief whatever the text says later. */
export async function confirmEntityTag(deps: ContentDeps, actor: Actor, briefId: string, entityId: string): Promise<void> {
  await changeTag(deps, actor, briefId, entityId, 'confirm');
}

/** The editor takes a tag off a brief; later saves do not suggest it again. */
export async function removeEntityTag(deps: ContentDeps, actor: Actor, briefId: string, entityId: string): Promise<void> {
  await changeTag(deps, actor, briefId, entityId, 'remove');
}

// ---- Background items naming an entity -------------------------------------------------------

/** A story-level background item that names an entity, by attribution or in its words. */
export interface BackgroundMention {
  id: string;
  storyId: string;
  text: string;
  status: ClaimStatus;
  attributionSource: string | null;
  isAttributed: boolean;
}

/**
 * Every background item of the stories `storyIds` that names `entity`: attributed to it, or naming
 * it in its text or its attribution in any language and case form. Items carry no stored tags, so their text is read
 * with the gazetteer's matcher (built once per gazetteer), grouped by story in ledger order.
 */
export async function listBackgroundNaming(db: Executor, entity: Entity, storyIds: readonly string[]): Promise<BackgroundMention[]> {
  // Only the given stories' items: the whole ledger of a large archive is thousands of items, each
  // matched against every entity, and the page shows context for the briefs it lists anyway.
  if (storyIds.length === 0) return [];
  const [rows, entities] = await Promise.all([
    db.selectFrom('background_items').select(['id', 'story_id', 'text', 'status', 'attribution_entity_id', 'attribution_source'])
      .where('story_id', 'in', [...new Set(storyIds)]).orderBy('story_id').orderBy('position').execute(),
    listEntities(db),
  ]);
  const names = (text: string) => findMentions(text, entities).some((m) => m.entityId === entity.id);
  return rows
    .filter((r) => r.attribution_entity_id === entity.id || names(`${r.text}\n${r.attribution_source ?? ''}`))
    .map((r) => ({
      id: r.id, storyId: r.story_id, text: r.text, status: r.status as ClaimStatus, attributionSource: r.attribution_source,
      isAttributed: r.attribution_entity_id === entity.id,
    }));
}
