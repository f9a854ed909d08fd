import { findBrief } from '../content/brief-repository.js';
import { LANGUAGES, PUBLIC_STATUSES, type Language } from '../content/types.js';
import type { Executor } from '../storage/database.js';
import type { DomainEvent, EventBus } from '../storage/events.js';

// Live updates for open pages. The hub turns committed domain events into messages on topics
// (one per brief's comment section, one for the moderation desk, one per home page language and
// one per story) and hands them to whoever holds a Server-Sent Events stream open on that topic.
// It lives in one process; with several processes on one database (a worker per core), each
// runs its own hub and also hears the others' commits through the event tail (remote events).

export interface LiveMessage {
  /** The SSE event name, e.g. "comment". */
  event: string;
  data: Record<string, unknown>;
}

export type LiveListener = (message: LiveMessage) => void;

export interface LiveHub {
  /** Listens on a topic until the returned function is called; `onClose` runs if the hub closes first. */
  listen(topic: string, listener: LiveListener, onClose?: () => void): () => void;
  publish(topic: string, message: LiveMessage): void;
  /** Open listeners, for tests and the health of long-lived connections. */
  listenerCount(topic?: string): number;
  close(): void;
}

export const briefCommentsTopic = (briefId: string) => `brief-comments:${briefId}`;
export const MODERATION_TOPIC = 'moderation';
/** Briefs published or corrected in one language, or in any (`all`), for the home pages. */
export const briefsTopic = (language: Language | 'all') => `briefs:${language}`;
export const storyTopic = (storyId: string) => `story:${storyId}`;

const COMMENT_EVENTS = new Set(['comment.added', 'comment.edited', 'comment.deleted', 'comment.reported', 'comment.moderated', 'comment.flagged']);

/** What a domain event means for live pages: the brief's readers and the moderators. */
function route(event: DomainEvent): { topic: string; message: LiveMessage }[] {
  if (!COMMENT_EVENTS.has(event.type)) return [];
  const data = { type: event.type, briefId: event.subjectId, ...event.payload };
  return [
    { topic: briefCommentsTopic(event.subjectId), message: { event: 'comment', data } },
    { topic: MODERATION_TOPIC, message: { event: 'queue', data } },
  ];
}

export function createLiveHub(bus: EventBus): LiveHub {
  const topics = new Map<string, Set<LiveListener>>();
  const closers = new Map<LiveListener, () => void>();
  const publish = (topic: string, message: LiveMessage) => {
    for (const listener of topics.get(topic) ?? []) {
      // One broken connection must not keep the message from the others.
      try {
        listener(message);
      } catch {
        // the stream's own close handler removes it
      }
    }
  };
  // Remote too: a reader whose stream another worker holds must hear of a comment posted here.
  const unsubscribe = bus.subscribe((event) => {
    for (const { topic, message } of route(event)) publish(topic, message);
  }, { remote: true });
  return {
    listen(topic, listener, onClose) {
      let set = topics.get(topic);
      if (!set) topics.set(topic, (set = new Set()));
      set.add(listener);
      if (onClose) closers.set(listener, onClose);
      return () => {
        set.delete(listener);
        closers.delete(listener);
        if (set.size === 0) topics.delete(topic);
      };
    },
    publish,
    listenerCount(topic) {
      if (topic !== undefined) return topics.get(topic)?.size ?? 0;
      let n = 0;
      for (const set of topics.values()) n += set.size;
      return n;
    },
    close() {
      unsubscribe();
      const pending = [...closers.values()];
      closers.clear();
      topics.clear();
      for (const onClose of pending) onClose();
    },
  };
}

/** What a reader's page is told about a brief that changed: which one, what happened, and when it was dated. */
export type BriefUpdateKind = 'published' | 'corrected' | 'retracted';

const BRIEF_UPDATES: ReadonlyMap<string, BriefUpdateKind> = new Map([
  ['brief.published', 'published'],
  ['brief.corrected', 'corrected'],
  ['brief.retracted', 'retracted'],
]);

/**
 * Feeds the home and story topics from brief events. The events do not all carry the brief's
 * language and date, so each is read back from the database after the commit; only the id, the
 * kind and the publication time go out, never the brief's text, which readers fetch as a page.
 * Answers the function that stops the feed.
 */
export function feedBriefUpdates(deps: { bus: EventBus; db: Executor }, hub: LiveHub): () => void {
  return deps.bus.subscribe(async (event) => {
    const kind = BRIEF_UPDATES.get(event.type);
    if (!kind) return;
    // An import publishes thousands of briefs with nobody watching; it should not pay a read for each.
    const storyId = typeof event.payload.storyId === 'string' ? event.payload.storyId : null;
    const isWatched = [...LANGUAGES, 'all' as const].some((language) => hub.listenerCount(briefsTopic(language)) > 0)
      || (storyId !== null && hub.listenerCount(storyTopic(storyId)) > 0);
    if (!isWatched) return;
    const brief = await findBrief(deps.db, event.subjectId);
    // Gone again (deleted, say) by the time the event arrived: there is nothing to tell readers.
    if (!brief || !brief.publishedAt || !PUBLIC_STATUSES.includes(brief.status)) return;
    const message: LiveMessage = { event: 'brief', data: { briefId: brief.id, kind, publishedAt: brief.publishedAt } };
    hub.publish(briefsTopic(brief.language), message);
    hub.publish(briefsTopic('all'), message);
    if (brief.storyId) hub.publish(storyTopic(brief.storyId), message);
  }, { remote: true });
}
