import { assertCan, type Actor } from '../accounts/policy.js';
import { conflict, notFound } from '../common/errors.js';
import { atomically } from '../storage/events.js';
import type { ContentDeps } from './briefs.js';
import { suggestClaim, type ClaimSuggestion } from './claims.js';
import { listBackground, updateBackgroundItem } from './stories.js';
import type { BackgroundItem } from './types.js';

// A story's items come in any of its briefs' languages, whatever the story's own language, so
// suggestions for them read every language's cues rather than passing the story's language.

/** The suggestion worth showing beside a stored item: only one that would change it. */
export function differingSuggestion(item: BackgroundItem): ClaimSuggestion | null {
  const suggestion = suggestClaim(item.text);
  if (!suggestion) return null;
  const addsAttribution = suggestion.attribution !== null && !item.attributionSource;
  return suggestion.status !== item.status || addsAttribution ? suggestion : null;
}

/**
 * Saves the suggestion an editor accepted beside a stored item (typically an imported one).
 * `expected` is the status and attribution the editor saw; if the item's wording now suggests
 * something else, or nothing, the editor was looking at a stale suggestion and gets a 409
 * rather than a change they never saw. Checked and written in one transaction.
 */
export async function acceptClaimSuggestion(deps: ContentDeps, actor: Actor, opts: {
  storyId: string; itemId: string; expected: { status: string; attribution: string };
}): Promise<BackgroundItem> {
  assertCan(actor, 'story.manage');
  return atomically(deps, async (inner) => {
    const item = (await listBackground(inner.db, opts.storyId)).find((i) => i.id === opts.itemId);
    if (!item) throw notFound('Background item', 'id');
    const suggestion = differingSuggestion(item);
    if (!suggestion || suggestion.status !== opts.expected.status || (suggestion.attribution ?? '') !== opts.expected.attribution) {
      throw conflict('This item changed since the suggestion was shown; look at the new suggestion and accept again.', [
        { path: 'status', reason: 'the suggestion is out of date' },
      ]);
    }
    return updateBackgroundItem(inner, actor, item.id, {
      text: item.text, status: suggestion.status, attributionEntityId: item.attributionEntityId,
      attributionSource: suggestion.attribution ?? item.attributionSource, occurredAt: item.occurredAt,
    }, { storyId: opts.storyId });
  });
}
