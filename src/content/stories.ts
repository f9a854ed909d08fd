import { assertCan, type Actor } from '../accounts/policy.js';
import { FieldErrors, notFound } from '../common/errors.js';
import { newId } from '../common/ids.js';
import { assertMatches, toInstant } from '../common/validation.js';
import type { Executor } from '../storage/database.js';
import { inTransaction } from '../storage/events.js';
import type { BackgroundItemRow, StoryRow } from '../storage/schema.js';
import type { ContentDeps } from './briefs.js';
import { isSameState, recordItemChange } from './ledger.js';
import { BackgroundItemInputSchema, StoryInputSchema, type BackgroundItemInput, type StoryInput } from './schema.js';
import { uniqueSlug } from './slugs.js';
import type { BackgroundItem, ClaimStatus, Language, Story, StoryStatus } from './types.js';

function toStory(row: StoryRow): Story {
  return {
    id: row.id, slug: row.slug, language: row.language as Language, title: row.title, summary: row.summary,
    status: row.status as StoryStatus, createdAt: row.created_at, updatedAt: row.updated_at,
  };
}

function toItem(row: BackgroundItemRow): BackgroundItem {
  return {
    id: row.id, storyId: row.story_id, position: row.position, text: row.text, status: row.status as ClaimStatus,
    attributionEntityId: row.attribution_entity_id, attributionSource: row.attribution_source, occurredAt: row.occurred_at, updatedAt: row.updated_at,
  };
}

export async function findStory(db: Executor, id: string): Promise<Story | null> {
  const row = await db.selectFrom('stories').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toStory(row) : null;
}

export async function findStoryBySlug(db: Executor, slug: string): Promise<Story | null> {
  const row = await db.selectFrom('stories').selectAll().where('slug', '=', slug).executeTakeFirst();
  return row ? toStory(row) : null;
}

export async function listStories(db: Executor): Promise<Story[]> {
  return (await db.selectFrom('stories').selectAll().orderBy('updated_at', 'desc').execute()).map(toStory);
}

export async function listBackground(db: Executor, storyId: string): Promise<BackgroundItem[]> {
  return (await db.selectFrom('background_items').selectAll().where('story_id', '=', storyId).orderBy('position').execute()).map(toItem);
}

export async function createStory(deps: ContentDeps, actor: Actor, input: StoryInput): Promise<Story> {
  assertCan(actor, 'story.manage');
  assertMatches(StoryInputSchema, input);
  return inTransaction(deps, actor.userId, async (trx, events) => {
    const now = new Date().toISOString();
    const row: StoryRow = {
      id: newId(), slug: await uniqueSlug(trx, 'stories', input.title), language: input.language, title: input.title.trim(),
      summary: input.summary?.trim() ?? '', status: input.status ?? 'developing', created_at: now, updated_at: now,
    };
    await trx.insertInto('stories').values(row).execute();
    events.record('story.created', row.id, {});
    return toStory(row);
  });
}

export async function updateStory(deps: ContentDeps, actor: Actor, id: string, input: StoryInput): Promise<Story> {
  assertCan(actor, 'story.manage');
  assertMatches(StoryInputSchema, input);
  return inTransaction(deps, actor.userId, async (trx, events) => {
    const story = await findStory(trx, id);
    if (!story) throw notFound('Story', 'id');
    const now = new Date().toISOString();
    await trx.updateTable('stories').set({
      title: input.title.trim(), summary: input.summary?.trim() ?? '', language: input.language, status: input.status ?? story.status, updated_at: now,
    }).where('id', '=', id).execute();
    events.record('story.changed', id, {});
    return (await findStory(trx, id))!;
  });
}

async function checkAttribution(db: Executor, input: BackgroundItemInput): Promise<void> {
  if (!input.attributionEntityId) return;
  const entity = await db.selectFrom('entities').select('id').where('id', '=', input.attributionEntityId).executeTakeFirst();
  const errors = new FieldErrors();
  if (!entity) errors.add('attributionEntityId', 'no entity with this id');
  errors.throwIfAny();
}

/** Adds an item to the end of a story's background ledger. */
export async function addBackgroundItem(deps: ContentDeps, actor: Actor, storyId: string, input: BackgroundItemInput): Promise<BackgroundItem> {
  assertCan(actor, 'story.manage');
  assertMatches(BackgroundItemInputSchema, input);
  return inTransaction(deps, actor.userId, async (trx, events) => {
    if (!(await findStory(trx, storyId))) throw notFound('Story', 'storyId');
    await checkAttribution(trx, input);
    const last = await trx.selectFrom('background_items').select('position').where('story_id', '=', storyId).orderBy('position', 'desc').executeTakeFirst();
    const now = new Date().toISOString();
    const row: BackgroundItemRow = {
      id: newId(), story_id: storyId, position: (last?.position ?? 0) + 1, text: input.text.trim(), status: input.status,
      attribution_entity_id: input.attributionEntityId ?? null, attribution_source: input.attributionSource?.trim() || null,
      occurred_at: input.occurredAt ? toInstant(input.occurredAt, 'occurredAt') : null, created_at: now, updated_at: now,
    };
    await trx.insertInto('background_items').values(row).execute();
    await recordItemChange(trx, { actor, item: row, kind: 'created', source: input.changeSource, at: now });
    events.record('background.changed', storyId, { itemId: row.id });
    return toItem(row);
  });
}

/**
 * Changes an item's text or status and adds the new state to its history, with `changeSource`
 * as where the news came from; briefs already published keep their snapshot. Changing nothing
 * writes nothing.
 */
export async function updateBackgroundItem(
  deps: ContentDeps, actor: Actor, itemId: string, input: BackgroundItemInput, opts: { storyId?: string } = {},
): Promise<BackgroundItem> {
  assertCan(actor, 'story.manage');
  assertMatches(BackgroundItemInputSchema, input);
  return inTransaction(deps, actor.userId, async (trx, events) => {
    const row = await trx.selectFrom('background_items').selectAll().where('id', '=', itemId).executeTakeFirst();
    // A caller that addressed the item through its story gets a 404 for another story's item.
    if (!row || (opts.storyId !== undefined && row.story_id !== opts.storyId)) throw notFound('Background item', 'id');
    await checkAttribution(trx, input);
    const now = new Date().toISOString();
    const updated: BackgroundItemRow = {
      ...row, text: input.text.trim(), status: input.status, attribution_entity_id: input.attributionEntityId ?? null,
      attribution_source: input.attributionSource?.trim() || null,
      occurred_at: input.occurredAt ? toInstant(input.occurredAt, 'occurredAt') : row.occurred_at, updated_at: now,
    };
    const isNewState = !isSameState(row, updated);
    // Resaving a form unchanged must not add a row to the history or bump the item's time.
    if (!isNewState && updated.occurred_at === row.occurred_at) return toItem(row);
    await trx.updateTable('background_items').set(updated).where('id', '=', itemId).execute();
    if (isNewState) await recordItemChange(trx, { actor, item: updated, kind: 'edited', source: input.changeSource, at: now });
    events.record('background.changed', row.story_id, { itemId });
    return toItem(updated);
  });
}
