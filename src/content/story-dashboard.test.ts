import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../accounts/policy.js';
import { addComment } from '../comments/service.js';
import { buildTestApp, briefInput, makePublishedBrief, makeStory, type TestContext } from '../test/factories.js';
import { correctBrief, createBrief, deleteBrief, retractBrief, submitBrief } from './briefs.js';
import { loadStoryDashboard } from './story-dashboard.js';
import { addBackgroundItem } from './stories.js';

let t: TestContext;
beforeEach(async () => { t = await buildTestApp(); });
afterEach(async () => { await t.close(); });

describe('loadStoryDashboard', () => {
  it('counts briefs by stage, open items by status and the comments readers can see', async () => {
    const story = await makeStory(t.deps);
    const other = await makeStory(t.deps);
    const draft1 = await createBrief(t.deps, CLI_ACTOR, briefInput({ storyId: story.id, headline: 'Draft one' }));
    const draft2 = await createBrief(t.deps, CLI_ACTOR, briefInput({ storyId: story.id, headline: 'Draft two' }));
    const review = await submitBrief(t.deps, CLI_ACTOR, (await createBrief(t.deps, CLI_ACTOR, briefInput({ storyId: story.id }))).id);
    const pub1 = await makePublishedBrief(t.deps, { storyId: story.id, publishedAt: '2023-06-24T06:00:00Z' });
    const pub2 = await makePublishedBrief(t.deps, { storyId: story.id, publishedAt: '2023-06-24T08:00:00Z' });
    const corrected = await makePublishedBrief(t.deps, { storyId: story.id, publishedAt: '2023-06-24T07:00:00Z' });
    await correctBrief(t.deps, CLI_ACTOR, corrected.id, { details: ['Fixed.'] }, 'A number was wrong.');
    const retracted = await makePublishedBrief(t.deps, { storyId: story.id });
    await retractBrief(t.deps, CLI_ACTOR, retracted.id, 'Withdrawn.');
    const deleted = await createBrief(t.deps, CLI_ACTOR, briefInput({ storyId: story.id }));
    await deleteBrief(t.deps, CLI_ACTOR, deleted.id);
    const elsewhere = await makePublishedBrief(t.deps, { storyId: other.id });

    const claimed1 = await addBackgroundItem(t.deps, CLI_ACTOR, story.id, { text: 'Prigozhin claimed six helicopters.', status: 'claimed' });
    await addBackgroundItem(t.deps, CLI_ACTOR, story.id, { text: 'The column turned back.', status: 'confirmed' });
    const unverified = await addBackgroundItem(t.deps, CLI_ACTOR, story.id, { text: 'Where Prigozhin is is not known.', status: 'unverified' });
    await addBackgroundItem(t.deps, CLI_ACTOR, story.id, { text: 'Putin met Prigozhin.', status: 'denied' });
    const claimed2 = await addBackgroundItem(t.deps, CLI_ACTOR, story.id, { text: 'Wagner took the HQ.', status: 'claimed' });
    await addBackgroundItem(t.deps, CLI_ACTOR, other.id, { text: 'Elsewhere.', status: 'claimed' });

    await addComment(t.deps, { briefId: pub1.id, authorName: 'Iryna', body: 'First', createdAt: '2023-06-24T09:00:00.000Z' });
    const newest = await addComment(t.deps, { briefId: corrected.id, authorName: 'Oleh', body: 'Newest', createdAt: '2023-06-24T11:00:00.000Z' });
    const middle = await addComment(t.deps, { briefId: pub2.id, authorName: 'Anna', body: 'Middle', createdAt: '2023-06-24T10:00:00.000Z' });
    await addComment(t.deps, { briefId: elsewhere.id, authorName: 'Other', body: 'Not this story', createdAt: '2023-06-24T12:00:00.000Z' });

    const dashboard = await loadStoryDashboard(t.db, story.id);
    expect(new Set(dashboard.briefs.draft.map((b) => b.id))).toEqual(new Set([draft1.id, draft2.id]));
    expect(dashboard.briefs.inReview.map((b) => b.id)).toEqual([review.id]);
    expect(dashboard.briefs.published.map((b) => b.id)).toEqual([pub2.id, corrected.id, pub1.id]);
    expect(dashboard.openItems.claimed.map((i) => i.id)).toEqual([claimed1.id, claimed2.id]);
    expect(dashboard.openItems.unverified.map((i) => i.id)).toEqual([unverified.id]);
    expect(dashboard.commentCount).toBe(3);
    expect(dashboard.latestComments.map((c) => [c.id, c.authorName, c.briefId])).toEqual([
      [newest.id, 'Oleh', corrected.id], [middle.id, 'Anna', pub2.id], [expect.any(String), 'Iryna', pub1.id],
    ]);
  });

  it('does not count comments hidden from readers', async () => {
    const story = await makeStory(t.deps);
    const brief = await makePublishedBrief(t.deps, { storyId: story.id });
    const shown = await addComment(t.deps, { briefId: brief.id, authorName: 'A', body: 'Shown' });
    const hidden = await addComment(t.deps, { briefId: brief.id, authorName: 'B', body: 'Hidden later' });
    await t.db.updateTable('comments').set({ status: 'rejected' }).where('id', '=', hidden.id).execute();

    const dashboard = await loadStoryDashboard(t.db, story.id);
    expect(dashboard.commentCount).toBe(1);
    expect(dashboard.latestComments.map((c) => c.id)).toEqual([shown.id]);
  });

  it('is empty for a new story', async () => {
    const story = await makeStory(t.deps);
    expect(await loadStoryDashboard(t.db, story.id)).toEqual({
      briefs: { draft: [], inReview: [], published: [] }, openItems: { claimed: [], unverified: [] }, commentCount: 0, latestComments: [],
    });
  });
});
