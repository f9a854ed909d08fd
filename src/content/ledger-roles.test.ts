import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_ACTOR, type Actor } from '../accounts/policy.js';
import { createUser } from '../accounts/service.js';
import { briefInput, buildTestApp, makeStory, type TestContext } from '../test/factories.js';
import { createBrief, updateBrief } from './briefs.js';
import { itemHistory } from './ledger.js';
import { addBackgroundItem } from './stories.js';

// The ledger belongs to the story: a contributor writing a brief picks items as they stand, and
// may add entries of the brief's own, but never rewrites what every other brief of the story shows.

let t: TestContext;
let contributor: Actor;
beforeEach(async () => {
  t = await buildTestApp();
  const { user } = await createUser({ db: t.db, actor: CLI_ACTOR, input: { email: 'ivan@newsdesk.test', displayName: 'Ivan P.', role: 'contributor' } });
  contributor = { userId: user.id, role: 'contributor', label: 'ivan@newsdesk.test' };
});
afterEach(async () => { await t.close(); });

const ledger = async (storyId: string) =>
  (await t.db.selectFrom('background_items').select(['id', 'text', 'status']).where('story_id', '=', storyId).orderBy('position').execute());

describe('a contributor and the story\'s background', () => {
  it('refuses a change to a story item with 403 naming the entry, and leaves the item and the draft as they were', async () => {
    const story = await makeStory(t.deps);
    const item = await addBackgroundItem(t.deps, CLI_ACTOR, story.id, { text: 'Wagner claims to hold Rostov.', status: 'claimed' });
    const draft = await createBrief(t.deps, contributor, briefInput({ storyId: story.id, background: [{ itemId: item.id, text: item.text, status: 'claimed' }] }));
    expect(draft.background).toEqual([{ itemId: item.id, text: item.text, status: 'claimed', attribution: null }]);

    const attempt = updateBrief(t.deps, contributor, draft.id, { background: [{ itemId: item.id, text: 'Rewritten by a contributor.', status: 'denied' }] });
    await expect(attempt).rejects.toMatchObject({ status: 403, fields: [{ path: 'background.0.text', reason: expect.stringContaining('only an editor') }] });
    expect(await ledger(story.id)).toEqual([{ id: item.id, text: 'Wagner claims to hold Rostov.', status: 'claimed' }]);
    expect((await itemHistory(t.db, item.id)).map((c) => c.kind)).toEqual(['created']);
    const stored = await t.db.selectFrom('briefs').select('revision').where('id', '=', draft.id).executeTakeFirstOrThrow();
    expect(stored.revision).toBe(draft.revision);
  });

  it('keeps a contributor\'s new entries on the brief alone, out of the story\'s ledger', async () => {
    const story = await makeStory(t.deps);
    const draft = await createBrief(t.deps, contributor, briefInput({ storyId: story.id, background: [{ text: 'Convoys were seen near Voronezh.', status: 'unverified' }] }));
    expect(draft.background).toEqual([{ itemId: null, text: 'Convoys were seen near Voronezh.', status: 'unverified', attribution: null }]);
    expect(await ledger(story.id)).toEqual([]);
  });
});
