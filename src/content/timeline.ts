import Type from 'typebox';
import { assertCan, type Actor } from '../accounts/policy.js';
import { FieldErrors, notFound, validationError } from '../common/errors.js';
import { newId } from '../common/ids.js';
import { assertMatches } from '../common/validation.js';
import type { Executor } from '../storage/database.js';
import { inTransaction } from '../storage/events.js';
import { findBriefsByIds } from './brief-repository.js';
import type { ContentDeps } from './briefs.js';
import { LANGUAGES, PUBLIC_STATUSES, type Brief, type Language } from './types.js';

// How a story's briefs relate to each other on its timeline: which briefs are translations of
// one another (a translation group, one brief per language) and which are pinned as key events.
// Neither changes what a brief says, so neither makes a revision; both are story organisation,
// which is the editors' job (story.manage).

const IdSchema = Type.String({ minLength: 1, maxLength: 64, pattern: '^[0-9a-z_-]+$' });
const LinkInputSchema = Type.Object({ briefId: IdSchema, otherBriefId: IdSchema });
const PinInputSchema = Type.Object({ briefId: IdSchema, pinned: Type.Boolean() });

/** A brief's place on its story's timeline. */
export interface TimelineState {
  translationGroup: string | null;
  /** When it was pinned as a key event; null when it is not pinned. */
  pinnedAt: string | null;
}

interface BriefFacts extends TimelineState {
  id: string;
  language: Language;
  storyId: string | null;
  status: string;
}

async function factsOf(db: Executor, briefId: string): Promise<BriefFacts | null> {
  const row = await db.selectFrom('briefs')
    .select(['id', 'language', 'story_id', 'status', 'translation_group', 'pinned_at'])
    .where('id', '=', briefId).executeTakeFirst();
  if (!row || row.status === 'deleted') return null;
  return {
    id: row.id, language: row.language as Language, storyId: row.story_id, status: row.status,
    translationGroup: row.translation_group, pinnedAt: row.pinned_at,
  };
}

async function membersOf(db: Executor, group: string | null, fallback: BriefFacts): Promise<{ id: string; language: Language }[]> {
  if (!group) return [{ id: fallback.id, language: fallback.language }];
  const rows = await db.selectFrom('briefs').select(['id', 'language'])
    .where('translation_group', '=', group).where('status', '!=', 'deleted').execute();
  return rows.map((r) => ({ id: r.id, language: r.language as Language }));
}

/** Where a brief stands on the timeline (its group and pin); null for a missing or deleted brief. */
export async function findTimelineState(db: Executor, briefId: string): Promise<TimelineState | null> {
  const facts = await factsOf(db, briefId);
  return facts ? { translationGroup: facts.translationGroup, pinnedAt: facts.pinnedAt } : null;
}

/**
 * The other briefs in a brief's translation group, in the site's language order, whatever their
 * status (the desk shows drafts too; reader pages keep the public ones).
 */
export async function listTranslations(db: Executor, briefId: string): Promise<Brief[]> {
  const facts = await factsOf(db, briefId);
  if (!facts?.translationGroup) return [];
  const members = await membersOf(db, facts.translationGroup, facts);
  const briefs = await findBriefsByIds(db, members.map((m) => m.id).filter((id) => id !== briefId));
  return briefs.filter((b) => b.status !== 'deleted').sort((a, b) => LANGUAGES.indexOf(a.language) - LANGUAGES.indexOf(b.language));
}

/**
 * Marks two briefs as translations of each other. Their groups merge, so linking a Russian brief
 * to the English one of an English–Ukrainian pair makes a group of three. Refused (400, on
 * `otherBriefId`) when that would put two briefs in one language into a group, or join briefs of
 * different stories: a story's timeline shows a group as one entry.
 */
export async function linkTranslation(deps: ContentDeps, actor: Actor, briefId: string, otherBriefId: string): Promise<Brief[]> {
  assertCan(actor, 'story.manage');
  assertMatches(LinkInputSchema, { briefId, otherBriefId });
  return inTransaction(deps, actor.userId, async (trx, events) => {
    const brief = await factsOf(trx, briefId);
    if (!brief) throw notFound('Brief', 'id');
    const other = await factsOf(trx, otherBriefId);
    if (!other) throw validationError([{ path: 'otherBriefId', reason: 'no brief with this id' }]);
    const errors = new FieldErrors();
    if (other.id === brief.id) errors.add('otherBriefId', 'is this brief itself');
    else if (other.language === brief.language) errors.add('otherBriefId', 'is in the same language as this brief');
    else if (other.storyId !== brief.storyId) errors.add('otherBriefId', 'belongs to another story');
    errors.throwIfAny();
    if (brief.translationGroup && brief.translationGroup === other.translationGroup) return listTranslations(trx, briefId);

    const ours = await membersOf(trx, brief.translationGroup, brief);
    const theirs = await membersOf(trx, other.translationGroup, other);
    const taken = new Set(ours.map((m) => m.language));
    const clash = theirs.find((m) => taken.has(m.language));
    if (clash) errors.add('otherBriefId', `would make two ${clash.language} briefs translations of each other; unlink one first`);
    errors.throwIfAny();

    const group = brief.translationGroup ?? other.translationGroup ?? newId();
    const ids = [...ours, ...theirs].map((m) => m.id);
    await trx.updateTable('briefs').set({ translation_group: group }).where('id', 'in', ids).execute();
    for (const id of ids) events.record('brief.translations_changed', id, { group });
    return listTranslations(trx, briefId);
  });
}

/** Takes a brief out of its translation group; a group left with one brief is dissolved. */
export async function unlinkTranslation(deps: ContentDeps, actor: Actor, briefId: string): Promise<void> {
  assertCan(actor, 'story.manage');
  assertMatches(Type.Object({ briefId: IdSchema }), { briefId });
  await inTransaction(deps, actor.userId, async (trx, events) => {
    const brief = await factsOf(trx, briefId);
    if (!brief) throw notFound('Brief', 'id');
    if (!brief.translationGroup) return;
    await trx.updateTable('briefs').set({ translation_group: null }).where('id', '=', briefId).execute();
    events.record('brief.translations_changed', briefId, { group: null });
    const rest = await membersOf(trx, brief.translationGroup, brief);
    for (const member of rest) events.record('brief.translations_changed', member.id, { group: rest.length > 1 ? brief.translationGroup : null });
    if (rest.length === 1) await trx.updateTable('briefs').set({ translation_group: null }).where('id', '=', rest[0]!.id).execute();
  });
}

/**
 * Pins a brief as a key event of its story, or unpins it. Only a brief in a story can be pinned
 * (the key events are the story's). Pinning a pinned brief keeps its first pin time: the
 * record says when it became a key event; the story page lists key events by publication.
 */
export async function pinBrief(deps: ContentDeps, actor: Actor, briefId: string, pinned: boolean): Promise<TimelineState> {
  assertCan(actor, 'story.manage');
  assertMatches(PinInputSchema, { briefId, pinned });
  return inTransaction(deps, actor.userId, async (trx, events) => {
    const brief = await factsOf(trx, briefId);
    if (!brief) throw notFound('Brief', 'id');
    if (!brief.storyId) throw validationError([{ path: 'pinned', reason: 'only a brief in a story can be pinned as a key event' }]);
    const pinnedAt = pinned ? brief.pinnedAt ?? new Date().toISOString() : null;
    if (pinnedAt !== brief.pinnedAt) {
      await trx.updateTable('briefs').set({ pinned_at: pinnedAt }).where('id', '=', briefId).execute();
      events.record('brief.pinned', briefId, { storyId: brief.storyId, pinned });
    }
    return { translationGroup: brief.translationGroup, pinnedAt };
  });
}

/** One brief as the timeline groups it: enough to pick a group's entry and link the others. */
export interface TimelineMember {
  id: string;
  storyId: string | null;
  slug: string;
  language: Language;
  headline: string;
  publishedAt: string | null;
  translationGroup: string | null;
  pinnedAt: string | null;
}

/**
 * The timeline facts of the given briefs and of every public brief sharing a translation group
 * with one of them, so a page of briefs can show each group once and link its other languages.
 */
export async function listTimelineMembers(db: Executor, briefIds: string[]): Promise<TimelineMember[]> {
  if (briefIds.length === 0) return [];
  const columns = ['id', 'story_id', 'slug', 'language', 'headline', 'published_at', 'translation_group', 'pinned_at'] as const;
  const own = await db.selectFrom('briefs').select(columns).where('id', 'in', briefIds).execute();
  const groups = [...new Set(own.flatMap((r) => r.translation_group ?? []))];
  const others = groups.length === 0 ? [] : await db.selectFrom('briefs').select(columns)
    .where('translation_group', 'in', groups).where('status', 'in', [...PUBLIC_STATUSES]).where('id', 'not in', briefIds).execute();
  return [...own, ...others].map((r) => ({
    id: r.id, storyId: r.story_id, slug: r.slug, language: r.language as Language, headline: r.headline, publishedAt: r.published_at,
    translationGroup: r.translation_group, pinnedAt: r.pinned_at,
  }));
}

/** The story's public briefs pinned as key events, in the order they were published. */
export async function listPinnedBriefIds(db: Executor, storyId: string): Promise<string[]> {
  // Sorted here, not in SQL: asked for that order, SQLite walks the whole timeline by publication
  // time to find the few pinned briefs, instead of reading just those from briefs_story_pinned.
  const rows = await db.selectFrom('briefs').select(['id', 'published_at'])
    .where('story_id', '=', storyId).where('pinned_at', 'is not', null).where('status', 'in', [...PUBLIC_STATUSES])
    .execute();
  return rows.sort((a, b) => (a.published_at ?? '').localeCompare(b.published_at ?? '') || a.id.localeCompare(b.id)).map((r) => r.id);
}

/** Ids of the entities the story's public briefs are tagged with. */
export async function listStoryEntityIds(db: Executor, storyId: string): Promise<string[]> {
  const rows = await db.selectFrom('brief_entities').innerJoin('briefs', 'briefs.id', 'brief_entities.brief_id')
    .select('brief_entities.entity_id').distinct()
    .where('briefs.story_id', '=', storyId).where('briefs.status', 'in', [...PUBLIC_STATUSES]).execute();
  return rows.map((r) => r.entity_id);
}

/**
 * The brief that stands for its translation group on a page in `language`: the group's brief in
 * that language, else the one in the story's language, else the first in site order. Decided
 * from the whole group, so every page of a paginated timeline agrees and a group shows once.
 */
export function groupEntry<T extends { language: Language }>(members: readonly T[], language: Language, storyLanguage: Language): T {
  return members.find((m) => m.language === language)
    ?? members.find((m) => m.language === storyLanguage)
    ?? [...members].sort((a, b) => LANGUAGES.indexOf(a.language) - LANGUAGES.indexOf(b.language))[0]!;
}
