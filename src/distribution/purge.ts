import { findBrief } from '../content/brief-repository.js';
import { listEntities } from '../content/entities.js';
import { findMentions } from '../content/tagging.js';
import type { Executor } from '../storage/database.js';
import type { DomainEvent, EventBus } from '../storage/events.js';
import { surrogateKey } from './cache-headers.js';

/** What a brief event needs to know about the brief: read from the payload or the committed row. */
export interface BriefFacts {
  language: string | null;
  storyId: string | null;
  entityIds: readonly string[];
}

/** One purge request: the keys and the event that caused it. */
export interface PurgeRequest {
  keys: string[];
  eventType: DomainEvent['type'];
  eventId: string;
}

/** Where purges go: a CDN's API, a log, a test's list. */
export interface Purger {
  purge(request: PurgeRequest): Promise<void>;
}

const stringsOf = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []);
const stringOf = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);

/** Brief events that change what lists show: a brief joins, changes in, or leaves them. */
const LIST_CHANGING = new Set<DomainEvent['type']>(['brief.published', 'brief.corrected', 'brief.retracted', 'brief.deleted']);
/** Comment events that can change what readers see: a comment, a count, a closed form. */
const READER_VISIBLE_COMMENT = new Set<DomainEvent['type']>([
  'comment.added', 'comment.edited', 'comment.deleted', 'comment.moderated', 'comment.reported',
]);

/**
 * The surrogate keys an event makes stale, matching the keys the pages name (cache-headers.ts).
 * `brief` is what is known of the brief for brief events (its language, story and entities, from
 * the payload and the row together), null otherwise. Events no reader sees map to no keys.
 *
 * Exact: a brief joining or leaving a story's or entity's list names that list
 * (`story-briefs-…`), not the story itself, so pages that merely show the story's title or the
 * entity's name stay (page-cache-invalidation.test.ts checks both halves).
 */
export function purgeKeysFor(event: DomainEvent, brief: BriefFacts | null): string[] {
  const keys: string[] = [];
  const briefKeys = () => {
    keys.push(surrogateKey.brief(event.subjectId));
    if (brief?.storyId) keys.push(surrogateKey.storyBriefs(brief.storyId));
    for (const id of brief?.entityIds ?? []) keys.push(surrogateKey.entityBriefs(id));
  };
  if (LIST_CHANGING.has(event.type)) {
    briefKeys();
    if (brief?.language) keys.push(surrogateKey.language(brief.language));
    keys.push(surrogateKey.home, surrogateKey.feeds);
  } else if (event.type === 'brief.updated' || event.type === 'brief.translations_changed' || event.type === 'brief.pinned') {
    // Drafts change too; purging keys no cache holds costs nothing, so no status check.
    briefKeys();
    const tagged = (event.payload.entityTag as { entityId?: unknown } | undefined)?.entityId;
    if (typeof tagged === 'string') keys.push(surrogateKey.entityBriefs(tagged));
  } else if (event.type === 'story.created') {
    keys.push(surrogateKey.stories);
  } else if (event.type === 'story.changed') {
    keys.push(surrogateKey.story(event.subjectId), surrogateKey.stories);
  } else if (event.type === 'background.changed') {
    const itemIds = [...stringsOf(event.payload.itemIds), ...[stringOf(event.payload.itemId)].filter((id): id is string => id !== null)];
    keys.push(surrogateKey.storyBackground(event.subjectId), ...itemIds.map(surrogateKey.backgroundItem));
    // An event that does not say which items changed (none written so) could touch any brief page of the story.
    if (itemIds.length === 0) keys.push(surrogateKey.story(event.subjectId));
  } else if (event.type === 'entity.changed') {
    keys.push(surrogateKey.entity(event.subjectId), surrogateKey.entities);
  } else if (READER_VISIBLE_COMMENT.has(event.type)) {
    // Comment events name their brief as subject; its count shows on lists tagged with its key.
    keys.push(surrogateKey.brief(event.subjectId));
  } else if (event.type === 'comment.policy_changed') {
    keys.push(event.payload.scope === 'story' ? surrogateKey.story(event.subjectId) : surrogateKey.brief(event.subjectId));
  }
  return [...new Set(keys)];
}

/**
 * The entity pages a background change shows on: the entities its items name (attributed, or in
 * their text in any language and case form) in their new state and in the one before, so an item
 * that stops naming an entity leaves that entity's page too.
 */
async function entitiesNamedByChange(db: Executor, event: DomainEvent): Promise<string[]> {
  const itemIds = [...stringsOf(event.payload.itemIds), ...[stringOf(event.payload.itemId)].filter((id): id is string => id !== null)];
  if (itemIds.length === 0) return [];
  const states = await db.selectFrom('background_item_changes').select(['item_id', 'text', 'attribution_entity_id', 'attribution_source'])
    .where('item_id', 'in', itemIds).orderBy('changed_at', 'desc').orderBy('id', 'desc').execute();
  const lastTwo = itemIds.flatMap((id) => states.filter((state) => state.item_id === id).slice(0, 2));
  const entities = await listEntities(db);
  const named = lastTwo.flatMap((state) => [
    ...(state.attribution_entity_id ? [state.attribution_entity_id] : []),
    ...findMentions(`${state.text}\n${state.attribution_source ?? ''}`, entities).map((mention) => mention.entityId),
  ]);
  return [...new Set(named)].map(surrogateKey.entityBackground);
}

/** The payload's facts merged with the row's, so a correction that re-tagged purges old and new. */
async function briefFacts(db: Executor, event: DomainEvent): Promise<BriefFacts> {
  // A deleted brief keeps its row (status 'deleted'), so its language is still there to read.
  const row = await findBrief(db, event.subjectId);
  return {
    language: stringOf(event.payload.language) ?? row?.language ?? null,
    storyId: stringOf(event.payload.storyId) ?? row?.storyId ?? null,
    entityIds: [...new Set([...stringsOf(event.payload.entityIds), ...(row?.entityIds ?? [])])],
  };
}

/**
 * The surrogate keys an event makes stale, reading the brief's row when the event is about a
 * brief and can change what readers see. The CDN purger and the in-process page cache share it.
 */
export async function keysForEvent(db: Executor, event: DomainEvent): Promise<string[]> {
  if (event.type === 'background.changed') return [...purgeKeysFor(event, null), ...await entitiesNamedByChange(db, event)];
  if (!event.type.startsWith('brief.')) return purgeKeysFor(event, null);
  // A draft's creation or submission shows nowhere: no keys, and no need to read the row.
  if (purgeKeysFor(event, null).length === 0) return [];
  return purgeKeysFor(event, await briefFacts(db, event));
}

/** The default purger: logs each purge and keeps the last ones, which tests and operators read. */
export function createRecordingPurger(log: (message: string, request: PurgeRequest) => void = () => {}, keep = 100): Purger & { recent: PurgeRequest[] } {
  const recent: PurgeRequest[] = [];
  return {
    recent,
    async purge(request) {
      recent.push(request);
      if (recent.length > keep) recent.splice(0, recent.length - keep);
      log('cache purge', request);
    },
  };
}

/**
 * Purges by POSTing `{"keys": [...], "event": "<type>"}` to a URL: a small relay of the
 * operator's (or a CDN endpoint that takes this shape) turns it into the CDN's own call.
 */
export function createHttpPurger(url: string, timeoutMs = 5000): Purger {
  return {
    async purge(request) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ keys: request.keys, event: request.eventType }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!response.ok) throw new Error(`purge endpoint answered ${response.status}`);
    },
  };
}

/**
 * Purges the CDN from committed events. The bus awaits its subscribers before the writer's request
 * answers, so this only queues: the lookups and the purger's calls run afterwards, one at a time,
 * and a slow or failing CDN never slows publishing. `idle()` resolves when the queue is empty.
 */
export function purgeCacheOnChange(options: {
  bus: EventBus;
  db: Executor;
  purger: Purger;
  onError?: (err: unknown, event: DomainEvent) => void;
}): { stop: () => void; idle: () => Promise<void> } {
  const { bus, db, purger, onError = () => {} } = options;
  let queue: Promise<void> = Promise.resolve();
  const run = async (event: DomainEvent) => {
    try {
      const keys = await keysForEvent(db, event);
      if (keys.length > 0) await purger.purge({ keys, eventType: event.type, eventId: event.id });
    } catch (err) {
      onError(err, event);
    }
  };
  const stop = bus.subscribe((event) => {
    // setImmediate puts even the first lookup after the writer's response.
    queue = queue.then(() => new Promise<void>((resolve) => setImmediate(() => void run(event).then(resolve))));
  });
  return { stop, idle: () => queue };
}
