import { assertCan, can, type Actor } from '../accounts/policy.js';
import { AppError, FieldErrors, conflict, notFound, validationError, type FieldError } from '../common/errors.js';
import { newId } from '../common/ids.js';
import { assertMatches, toInstant } from '../common/validation.js';
import type { Executor, Trx } from '../storage/database.js';
import { inTransaction, type EventRecorder, type TransactionDeps } from '../storage/events.js';
import { contentOf, findBrief } from './brief-repository.js';
import { recordItemChange } from './ledger.js';
import { BriefInputSchema, BriefPatchSchema, ReasonSchema, type BriefInput, type BriefPatch } from './schema.js';
import { uniqueSlug } from './slugs.js';
import { writeBriefEntities } from './tagging.js';
import type { BackgroundEntry, Brief, BriefStatus, ClaimStatus } from './types.js';

export type ContentDeps = TransactionDeps;

const EDITABLE: readonly BriefStatus[] = ['draft', 'in_review'];
const LIVE: readonly BriefStatus[] = ['published', 'corrected'];

function normalise(input: BriefInput): Omit<Brief, 'id' | 'slug' | 'status' | 'revision' | 'createdAt' | 'updatedAt' | 'correctedAt' | 'correctionReason' | 'retractedAt' | 'retractionReason' | 'authorIds'> {
  return {
    language: input.language,
    headline: input.headline.trim(),
    storyId: input.storyId ?? null,
    publishedAt: input.publishedAt ? toInstant(input.publishedAt, 'publishedAt') : null,
    datelinePrecision: input.datelinePrecision ?? 'minute',
    sources: (input.sources ?? []).map((s) => ({ name: s.name.trim(), url: s.url?.trim() || null, kind: s.kind })),
    quotes: (input.quotes ?? []).map((q) => ({ text: q.text.trim(), speaker: q.speaker?.trim() || null, sourceIndex: q.sourceIndex ?? null })),
    details: (input.details ?? []).map((p) => p.trim()),
    previously: (input.previously ?? []).map((p) => p.trim()),
    previouslyLinks: [...new Set(input.previouslyLinks ?? [])],
    background: (input.background ?? []).map((b) => ({
      text: b.text.trim(),
      status: b.status ?? 'unverified',
      attribution: b.attribution?.trim() || null,
      itemId: b.itemId ?? null,
    })),
    entityIds: [...new Set(input.entityIds ?? [])],
  };
}

type Draft = ReturnType<typeof normalise>;

/** Checks what a schema cannot: that every id names something that exists, and cross-field rules. */
async function checkReferences(trx: Trx, draft: Draft, selfId?: string): Promise<void> {
  const errors = new FieldErrors();
  if (draft.storyId) {
    const story = await trx.selectFrom('stories').select('id').where('id', '=', draft.storyId).executeTakeFirst();
    if (!story) errors.add('storyId', 'no story with this id');
  }
  if (draft.entityIds.length) {
    const found = new Set((await trx.selectFrom('entities').select('id').where('id', 'in', draft.entityIds).execute()).map((r) => r.id));
    draft.entityIds.forEach((id, i) => found.has(id) || errors.add(`entityIds.${i}`, 'no entity with this id'));
  }
  if (draft.previouslyLinks.length) {
    const found = new Set((await trx.selectFrom('briefs').select('id').where('id', 'in', draft.previouslyLinks).execute()).map((r) => r.id));
    draft.previouslyLinks.forEach((id, i) => {
      if (id === selfId) errors.add(`previouslyLinks.${i}`, 'cannot link a brief to itself');
      else if (!found.has(id)) errors.add(`previouslyLinks.${i}`, 'no brief with this id');
    });
  }
  draft.quotes.forEach((q, i) => {
    if (q.sourceIndex !== null && q.sourceIndex >= draft.sources.length) errors.add(`quotes.${i}.sourceIndex`, 'names a source the brief does not have');
  });
  draft.background.forEach((b, i) => {
    if (b.itemId && !draft.storyId) errors.add(`background.${i}.itemId`, 'only a brief in a story can refer to story background items');
  });
  errors.throwIfAny();
}

/**
 * Keeps the story's background ledger and the brief's entries in step: new entries become story
 * items, changed ones update their item. Returns the entries with their item ids filled in.
 * The ledger is the story's, so only those who manage stories change it from a brief: a
 * contributor's new entries stay the brief's own, and a change to a story item is refused.
 */
async function syncBackground(trx: Trx, events: EventRecorder, actor: Actor, storyId: string | null, entries: BackgroundEntry[], previous: BackgroundEntry[] = []): Promise<BackgroundEntry[]> {
  if (!storyId) return entries;
  // An entry the editor left as the brief already had it says nothing new about the item:
  // writing it back would roll the ledger back to this brief's older snapshot.
  const before = new Map(previous.filter((e) => e.itemId).map((e) => [e.itemId!, e]));
  const isUnchanged = (e: BackgroundEntry) => {
    const old = e.itemId ? before.get(e.itemId) : undefined;
    return !!old && old.text === e.text && old.status === e.status && old.attribution === e.attribution;
  };
  const now = new Date().toISOString();
  const items = await trx.selectFrom('background_items').selectAll().where('story_id', '=', storyId).orderBy('position').execute();
  const byId = new Map(items.map((i) => [i.id, i]));
  let nextPosition = (items.at(-1)?.position ?? 0) + 1;
  const changed: string[] = [];
  const result: BackgroundEntry[] = [];
  const errors = new FieldErrors();
  const mayChangeLedger = can(actor, 'story.manage');
  const refused: FieldError[] = [];
  for (const [index, entry] of entries.entries()) {
    if (entry.itemId) {
      const item = byId.get(entry.itemId);
      if (!item) {
        errors.add(`background.${index}.itemId`, 'no background item with this id in the brief\'s story');
        continue;
      }
      if (!isUnchanged(entry) && (item.text !== entry.text || item.status !== entry.status || item.attribution_source !== entry.attribution)) {
        if (!mayChangeLedger) {
          refused.push({ path: `background.${index}.text`, reason: 'only an editor may change the story\'s background item; keep it as it stands' });
          continue;
        }
        await trx.updateTable('background_items').set({ text: entry.text, status: entry.status, attribution_source: entry.attribution, updated_at: now }).where('id', '=', item.id).execute();
        await recordItemChange(trx, { actor, item: { ...item, text: entry.text, status: entry.status, attribution_source: entry.attribution, updated_at: now }, kind: 'edited', at: now });
        changed.push(item.id);
      }
      result.push(entry);
    } else if (!mayChangeLedger) {
      result.push(entry);
    } else {
      const row = {
        id: newId(), story_id: storyId, position: nextPosition++, text: entry.text, status: entry.status,
        attribution_entity_id: null, attribution_source: entry.attribution, occurred_at: null, created_at: now, updated_at: now,
      };
      await trx.insertInto('background_items').values(row).execute();
      await recordItemChange(trx, { actor, item: row, kind: 'created', at: now });
      changed.push(row.id);
      result.push({ ...entry, itemId: row.id });
    }
  }
  errors.throwIfAny();
  if (refused.length) throw new AppError({ status: 403, code: 'forbidden', message: 'Only editors change a story\'s background.', fields: refused });
  // The items, so caches drop only the pages showing them (distribution/purge.ts).
  if (changed.length) events.record('background.changed', storyId, { itemIds: changed });
  return result;
}

/**
 * The entries as their story items stand now: the snapshot a brief keeps when published, and
 * what a draft's preview shows, so the preview is what publishing would freeze.
 */
export async function snapshotBackground(trx: Executor, entries: BackgroundEntry[]): Promise<BackgroundEntry[]> {
  const ids = entries.map((e) => e.itemId).filter((id): id is string => !!id);
  if (ids.length === 0) return entries;
  const items = new Map((await trx.selectFrom('background_items').selectAll().where('id', 'in', ids).execute()).map((i) => [i.id, i]));
  return entries.map((e) => {
    const item = e.itemId ? items.get(e.itemId) : undefined;
    return item ? { ...e, text: item.text, status: item.status as ClaimStatus, attribution: item.attribution_source } : e;
  });
}

/**
 * Writes the brief's row, entities, authors and a revision holding the whole content. `at` is the
 * change's moment: a correction or retraction passes its own, so the brief's modification time
 * is exactly the time it names rather than a clock read a moment later.
 */
async function saveBrief(trx: Trx, actor: Actor, brief: Brief, kind: string, reason: string | null, isNew: boolean, at = new Date().toISOString()): Promise<Brief> {
  const authorIds = actor.userId && !brief.authorIds.includes(actor.userId) ? [...brief.authorIds, actor.userId] : brief.authorIds;
  const saved: Brief = { ...brief, authorIds, updatedAt: at };
  const row = {
    slug: saved.slug,
    language: saved.language,
    headline: saved.headline,
    status: saved.status,
    story_id: saved.storyId,
    published_at: saved.publishedAt,
    dateline_precision: saved.datelinePrecision,
    content: JSON.stringify(contentOf(saved)),
    revision: saved.revision,
    updated_at: saved.updatedAt,
    corrected_at: saved.correctedAt,
    correction_reason: saved.correctionReason,
    retracted_at: saved.retractedAt,
    retraction_reason: saved.retractionReason,
  };
  if (isNew) {
    await trx.insertInto('briefs').values({ ...row, id: saved.id, created_at: saved.createdAt, created_by: actor.userId }).execute();
  } else {
    // The revision check makes two editors saving at once fail loudly instead of one losing work.
    const result = await trx.updateTable('briefs').set(row).where('id', '=', saved.id).where('revision', '=', saved.revision - 1).executeTakeFirst();
    if (result.numUpdatedRows === 0n) throw conflict('Someone else saved this brief meanwhile; reload it and apply your change again.', [{ path: 'revision', reason: 'is out of date' }]);
  }
  // Entities the text names are added as suggestions ('auto' tags) next to the editor's choice.
  saved.entityIds = await writeBriefEntities(trx, saved);
  const newAuthors = authorIds.filter((id) => !brief.authorIds.includes(id) || isNew);
  if (newAuthors.length) await trx.insertInto('brief_authors').values(newAuthors.map((user_id) => ({ brief_id: saved.id, user_id }))).execute();
  await trx.insertInto('brief_revisions').values({
    id: newId(), brief_id: saved.id, number: saved.revision, kind, reason, user_id: actor.userId, created_at: saved.updatedAt, snapshot: JSON.stringify(saved),
  }).execute();
  return saved;
}

async function loadForUpdate(trx: Trx, id: string, expectedRevision?: number): Promise<Brief> {
  const brief = await findBrief(trx, id);
  if (!brief || brief.status === 'deleted') throw notFound('Brief', 'id');
  if (expectedRevision !== undefined && expectedRevision !== brief.revision) {
    throw conflict('Someone else saved this brief meanwhile; reload it and apply your change again.', [{ path: 'revision', reason: `is ${expectedRevision}, the brief is at ${brief.revision}` }]);
  }
  return brief;
}

function requireStatus(brief: Brief, allowed: readonly BriefStatus[], action: string): void {
  if (!allowed.includes(brief.status)) {
    throw new AppError({ status: 409, code: 'wrong_status', message: `A ${brief.status.replace('_', ' ')} brief cannot be ${action}.`, fields: [{ path: 'status', reason: `is ${brief.status}; must be ${allowed.join(' or ')}` }] });
  }
}

/** Creates a draft. */
export async function createBrief(deps: ContentDeps, actor: Actor, input: BriefInput): Promise<Brief> {
  assertCan(actor, 'brief.write');
  assertMatches(BriefInputSchema, input);
  const draft = normalise(input);
  return inTransaction(deps, actor.userId, async (trx, events) => {
    await checkReferences(trx, draft);
    const now = new Date().toISOString();
    const background = await syncBackground(trx, events, actor, draft.storyId, draft.background);
    const brief = await saveBrief(trx, actor, {
      ...draft, background, id: newId(), slug: await uniqueSlug(trx, 'briefs', draft.headline), status: 'draft', revision: 1,
      createdAt: now, updatedAt: now, correctedAt: null, correctionReason: null, retractedAt: null, retractionReason: null, authorIds: [],
    }, 'create', null, true);
    events.record('brief.created', brief.id, { language: brief.language, storyId: brief.storyId });
    return brief;
  });
}

function merge(brief: Brief, patch: BriefPatch): BriefInput {
  const current: BriefInput = {
    language: brief.language, headline: brief.headline, storyId: brief.storyId, publishedAt: brief.publishedAt,
    datelinePrecision: brief.datelinePrecision, sources: brief.sources, quotes: brief.quotes, details: brief.details,
    previously: brief.previously, previouslyLinks: brief.previouslyLinks, background: brief.background, entityIds: brief.entityIds,
  };
  return { ...current, ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as BriefInput;
}

/** Edits a draft or a brief in review. Published briefs change only through a correction. */
export async function updateBrief(deps: ContentDeps, actor: Actor, id: string, patch: BriefPatch, expectedRevision?: number): Promise<Brief> {
  assertCan(actor, 'brief.write');
  assertMatches(BriefPatchSchema, patch);
  return inTransaction(deps, actor.userId, async (trx, events) => {
    const brief = await loadForUpdate(trx, id, expectedRevision);
    if (LIVE.includes(brief.status)) {
      throw new AppError({ status: 409, code: 'wrong_status', message: 'A published brief changes only through a correction with a reason.', fields: [{ path: 'status', reason: `is ${brief.status}` }] });
    }
    requireStatus(brief, EDITABLE, 'edited');
    const draft = normalise(merge(brief, patch));
    await checkReferences(trx, draft, brief.id);
    const background = await syncBackground(trx, events, actor, draft.storyId, draft.background, brief.background);
    const saved = await saveBrief(trx, actor, { ...brief, ...draft, background, revision: brief.revision + 1 }, 'update', null, false);
    events.record('brief.updated', saved.id, {});
    return saved;
  });
}

/** A contributor hands a draft to the editors. */
export async function submitBrief(deps: ContentDeps, actor: Actor, id: string): Promise<Brief> {
  assertCan(actor, 'brief.submit');
  return inTransaction(deps, actor.userId, async (trx, events) => {
    const brief = await loadForUpdate(trx, id);
    requireStatus(brief, ['draft'], 'submitted for review');
    const saved = await saveBrief(trx, actor, { ...brief, status: 'in_review', revision: brief.revision + 1 }, 'submit', null, false);
    events.record('brief.submitted', saved.id, {});
    return saved;
  });
}

/**
 * Publishes a draft or a brief in review. The background is frozen as its story items stand
 * now, so later ledger edits never silently rewrite what readers were told.
 */
export async function publishBrief(deps: ContentDeps, actor: Actor, id: string, opts: { isArchiveImport?: boolean } = {}): Promise<Brief> {
  assertCan(actor, 'brief.publish');
  return inTransaction(deps, actor.userId, async (trx, events) => {
    const brief = await loadForUpdate(trx, id);
    requireStatus(brief, EDITABLE, 'published');
    // Every brief is sourced; an archive import records what was already published elsewhere.
    if (brief.sources.length === 0 && !opts.isArchiveImport) {
      throw validationError([{ path: 'sources', reason: 'a brief needs at least one source before it is published' }]);
    }
    const saved = await saveBrief(trx, actor, {
      ...brief,
      status: 'published',
      publishedAt: brief.publishedAt ?? new Date().toISOString(),
      background: await snapshotBackground(trx, brief.background),
      revision: brief.revision + 1,
    }, 'publish', null, false);
    events.record('brief.published', saved.id, { language: saved.language, storyId: saved.storyId, entityIds: saved.entityIds });
    return saved;
  });
}

/** Changes a published brief, with a reason readers see in an "Updated" note. */
export async function correctBrief(deps: ContentDeps, actor: Actor, id: string, patch: BriefPatch, reason: string, expectedRevision?: number): Promise<Brief> {
  assertCan(actor, 'brief.correct');
  assertMatches(BriefPatchSchema, patch);
  assertMatches(ReasonSchema, { reason });
  return inTransaction(deps, actor.userId, async (trx, events) => {
    const brief = await loadForUpdate(trx, id, expectedRevision);
    requireStatus(brief, LIVE, 'corrected');
    const draft = normalise(merge(brief, { ...patch, publishedAt: brief.publishedAt }));
    if (draft.language !== brief.language) throw validationError([{ path: 'language', reason: 'cannot change after publication; publish a translation instead' }]);
    await checkReferences(trx, draft, brief.id);
    if (draft.sources.length === 0) throw validationError([{ path: 'sources', reason: 'a published brief needs at least one source' }]);
    // Only a correction that edits the background touches the story's ledger: resaving the
    // brief's old snapshot would roll back claims that moved on since it was published.
    const background = await syncBackground(trx, events, actor, draft.storyId, draft.background, brief.background);
    const now = new Date().toISOString();
    const saved = await saveBrief(trx, actor, {
      ...brief, ...draft, background, status: 'corrected', correctedAt: now, correctionReason: reason.trim(), revision: brief.revision + 1,
    }, 'correct', reason.trim(), false, now);
    events.record('brief.corrected', saved.id, { reason: saved.correctionReason, storyId: saved.storyId, entityIds: saved.entityIds });
    return saved;
  });
}

/** Withdraws a published brief; its URL stays and shows the retraction notice. */
export async function retractBrief(deps: ContentDeps, actor: Actor, id: string, reason: string): Promise<Brief> {
  assertCan(actor, 'brief.retract');
  assertMatches(ReasonSchema, { reason });
  return inTransaction(deps, actor.userId, async (trx, events) => {
    const brief = await loadForUpdate(trx, id);
    requireStatus(brief, LIVE, 'retracted');
    const now = new Date().toISOString();
    const saved = await saveBrief(trx, actor, {
      ...brief, status: 'retracted', retractedAt: now, retractionReason: reason.trim(), revision: brief.revision + 1,
    }, 'retract', reason.trim(), false, now);
    events.record('brief.retracted', saved.id, { reason: saved.retractionReason, storyId: saved.storyId, entityIds: saved.entityIds });
    return saved;
  });
}

/** Removes a brief from the site: drafts vanish (404), anything once public answers 410 Gone. */
export async function deleteBrief(deps: ContentDeps, actor: Actor, id: string): Promise<void> {
  assertCan(actor, 'brief.delete');
  await inTransaction(deps, actor.userId, async (trx, events) => {
    const brief = await loadForUpdate(trx, id);
    await saveBrief(trx, actor, { ...brief, status: 'deleted', revision: brief.revision + 1 }, 'delete', null, false);
    events.record('brief.deleted', brief.id, { storyId: brief.storyId, entityIds: brief.entityIds });
  });
}
