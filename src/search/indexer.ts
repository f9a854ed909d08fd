import type { EventBus } from '../storage/events.js';
import type { SearchIndex } from './types.js';

/**
 * Keeps the index in step with the content, from committed domain events. The bus awaits each
 * handler before the service call that recorded the event returns, so a brief is findable by the
 * time publishBrief (or the desk's or the API's request) has answered. A failed update is left to
 * the bus's error handler and does not undo the committed change; `newsdesk search-rebuild`
 * repairs the index. Returns the unsubscribe function.
 */
export function keepSearchIndexCurrent(bus: EventBus, index: SearchIndex): () => void {
  return bus.subscribe(async (event) => {
    // Every brief event: whatever changed (status, text, tags), the brief's document is rebuilt
    // from the committed row, indexed while public and removed otherwise. That includes events
    // added later (tag confirmations), which need no change here.
    if (event.type.startsWith('brief.')) {
      if (event.type === 'brief.deleted') await index.removeBrief(event.subjectId);
      else await index.indexBrief(event.subjectId);
    } else if (event.type.startsWith('entity.')) {
      // A renamed entity or a new alias changes the documents of every brief tagged with it.
      await index.indexEntity(event.subjectId);
    }
  });
}
