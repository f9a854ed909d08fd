import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CLI_ACTOR, type Actor } from '../accounts/policy.js';
import { actorForToken, createToken, createUser } from '../accounts/service.js';
import { briefInput, buildTestApp, makeEntity, makePublishedBrief, makeStory, type TestContext } from '../test/factories.js';
import { createBrief, publishBrief, updateBrief } from './briefs.js';
import { itemHistory, laterChanges } from './ledger.js';
import { addBackgroundItem, updateBackgroundItem } from './stories.js';

let t: TestContext;
let editor: Actor;
beforeEach(async () => {
  t = await buildTestApp();
  const { user } = await createUser({ db: t.db, actor: CLI_ACTOR, input: { email: 'olena@newsdesk.test', displayName: 'Olena Kovalenko', role: 'editor' } });
  editor = { userId: user.id, role: 'editor', label: 'olena@newsdesk.test' };
});
afterEach(async () => {
  vi.useRealTimers();
  await t.close();
});

/** Pins the clock, so each change carries a time the test can name. */
function at(iso: string): string {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(iso));
  return new Date(iso).toISOString();
}

describe('background item history', () => {
  it('keeps every state with who, when and the source of the change, oldest first', async () => {
    const story = await makeStory(t.deps);
    const entity = await makeEntity(t.deps, 'Yevgeny Prigozhin');
    const added = at('2026-06-24T06:10:00Z');
    const item = await addBackgroundItem(t.deps, editor, story.id, {
      text: 'Wagner forces claim to control Rostov.', status: 'claimed', attributionEntityId: entity.id, changeSource: 'Telegram, 24 June',
    });
    const confirmed = at('2026-06-24T15:40:00Z');
    await updateBackgroundItem(t.deps, CLI_ACTOR, item.id, {
      text: 'Wagner forces control Rostov.', status: 'confirmed', attributionEntityId: entity.id, changeSource: '  Reuters  ',
    });

    const history = await itemHistory(t.db, item.id);
    expect(history.map((c) => [c.kind, c.status, c.text, c.actorLabel, c.actorId, c.source, c.changedAt])).toEqual([
      ['created', 'claimed', 'Wagner forces claim to control Rostov.', 'Olena Kovalenko', editor.userId, 'Telegram, 24 June', added],
      ['edited', 'confirmed', 'Wagner forces control Rostov.', 'command line', null, 'Reuters', confirmed],
    ]);
    expect(history.every((c) => c.attributionEntityId === entity.id && c.storyId === story.id)).toBe(true);
  });

  it('names a token by its label, not by an account', async () => {
    const story = await makeStory(t.deps);
    const { token } = await createToken({ db: t.db, actor: CLI_ACTOR, role: 'editor', label: 'wire-bot' });
    const actor = await actorForToken(t.db, token);
    const item = await addBackgroundItem(t.deps, actor, story.id, { text: 'Columns seen near Voronezh.', status: 'unverified' });
    expect((await itemHistory(t.db, item.id)).map((c) => [c.actorId, c.actorLabel])).toEqual([[null, 'token wire-bot']]);
  });

  it('writes nothing for an update that changes nothing, and no history row for a date alone', async () => {
    const story = await makeStory(t.deps);
    const input = { text: 'The column stopped 200 km from Moscow.', status: 'claimed' as const };
    const item = await addBackgroundItem(t.deps, editor, story.id, input);
    const eventsBefore = t.events.length;
    const same = await updateBackgroundItem(t.deps, editor, item.id, { ...input, text: `  ${input.text} `, changeSource: 'Reuters' });
    expect(same.updatedAt).toBe(item.updatedAt);
    expect(t.events.length).toBe(eventsBefore);
    await updateBackgroundItem(t.deps, editor, item.id, { ...input, occurredAt: '2026-06-24T18:00:00Z' });
    expect((await itemHistory(t.db, item.id)).map((c) => c.kind)).toEqual(['created']);
    await updateBackgroundItem(t.deps, editor, item.id, { ...input, attributionSource: 'Kremlin pool' });
    expect((await itemHistory(t.db, item.id)).map((c) => [c.kind, c.attributionSource])).toEqual([['created', null], ['edited', 'Kremlin pool']]);
  });

  it('refuses an item addressed through another story', async () => {
    const [one, other] = [await makeStory(t.deps), await makeStory(t.deps)];
    const item = await addBackgroundItem(t.deps, editor, one.id, { text: 'A claim.', status: 'claimed' });
    await expect(updateBackgroundItem(t.deps, editor, item.id, { text: 'A claim.', status: 'denied' }, { storyId: other.id }))
      .rejects.toMatchObject({ status: 404 });
    expect((await itemHistory(t.db, item.id)).map((c) => c.status)).toEqual(['claimed']);
  });

  it('records items created and changed from the brief editor, by the brief\'s editor', async () => {
    const story = await makeStory(t.deps);
    const draft = await createBrief(t.deps, editor, briefInput({ storyId: story.id, background: [{ text: 'Shoigu was not seen in public.', status: 'unverified' }] }));
    const itemId = draft.background[0]!.itemId!;
    await updateBrief(t.deps, editor, draft.id, { background: [{ itemId, text: 'Shoigu was not seen in public.', status: 'confirmed', attribution: 'TASS' }] });
    // Saving the same entries again is no news about the item.
    await updateBrief(t.deps, editor, draft.id, { headline: 'A new headline for the same brief' });
    const history = await itemHistory(t.db, itemId);
    expect(history.map((c) => [c.kind, c.status, c.attributionSource, c.actorLabel, c.source])).toEqual([
      ['created', 'unverified', null, 'Olena Kovalenko', null],
      ['edited', 'confirmed', 'TASS', 'Olena Kovalenko', null],
    ]);
  });
});

describe('laterChanges', () => {
  it('marks only items whose status moved on since publication, with the time of that move', async () => {
    const story = await makeStory(t.deps);
    at('2026-06-24T06:00:00Z');
    const a = await addBackgroundItem(t.deps, editor, story.id, { text: 'Claim A.', status: 'claimed' });
    const b = await addBackgroundItem(t.deps, editor, story.id, { text: 'Claim B.', status: 'claimed' });
    const c = await addBackgroundItem(t.deps, editor, story.id, { text: 'Claim C.', status: 'claimed' });
    const d = await addBackgroundItem(t.deps, editor, story.id, { text: 'Claim D.', status: 'claimed' });
    at('2026-06-24T07:00:00Z');
    const brief = await makePublishedBrief(t.deps, {
      storyId: story.id,
      background: [a, b, c, d].map((i) => ({ itemId: i.id, text: i.text, status: i.status })),
    });

    const confirmedAt = at('2026-06-24T15:40:00Z');
    await updateBackgroundItem(t.deps, editor, a.id, { text: 'Claim A.', status: 'confirmed' });
    at('2026-06-24T16:00:00Z');
    // Rewording after the status changed keeps the time of the status change.
    await updateBackgroundItem(t.deps, editor, a.id, { text: 'Claim A, reworded.', status: 'confirmed' });
    // A reworded claim alone is no "later" news.
    await updateBackgroundItem(t.deps, editor, b.id, { text: 'Claim B, reworded.', status: 'claimed' });
    // Denied and then claimed again: what the brief said still stands.
    await updateBackgroundItem(t.deps, editor, c.id, { text: 'Claim C.', status: 'denied' });
    await updateBackgroundItem(t.deps, editor, c.id, { text: 'Claim C.', status: 'claimed' });
    at('2026-06-24T17:05:00Z');
    await updateBackgroundItem(t.deps, editor, d.id, { text: 'Claim D.', status: 'denied' });
    const retractedAt = at('2026-06-24T17:06:00Z');
    await updateBackgroundItem(t.deps, editor, d.id, { text: 'Claim D.', status: 'retracted' });

    const marks = await laterChanges(t.db, brief.background, brief.publishedAt);
    expect(marks).toEqual(new Map([
      [a.id, { itemId: a.id, status: 'confirmed', changedAt: confirmedAt }],
      [d.id, { itemId: d.id, status: 'retracted', changedAt: retractedAt }],
    ]));
    expect(await laterChanges(t.db, brief.background, null)).toEqual(new Map());
  });

  it('ignores entries without an item and items that are gone', async () => {
    const brief = await makePublishedBrief(t.deps, { background: [{ text: 'Not in a story.', status: 'claimed' }] });
    expect(await laterChanges(t.db, brief.background, brief.publishedAt)).toEqual(new Map());
    expect(await laterChanges(t.db, [{ text: 'x', status: 'claimed', attribution: null, itemId: 'no-such-item' }], brief.publishedAt)).toEqual(new Map());
  });

  it('leaves a published brief\'s snapshot as it was', async () => {
    const story = await makeStory(t.deps);
    const item = await addBackgroundItem(t.deps, editor, story.id, { text: 'Lukashenko brokered a deal.', status: 'claimed' });
    const draft = await createBrief(t.deps, editor, briefInput({ storyId: story.id, background: [{ itemId: item.id, text: item.text, status: 'claimed' }] }));
    const brief = await publishBrief(t.deps, editor, draft.id);
    await updateBackgroundItem(t.deps, editor, item.id, { text: 'Lukashenko brokered a deal, Minsk says.', status: 'confirmed' });
    expect(brief.background).toEqual([{ itemId: item.id, text: 'Lukashenko brokered a deal.', status: 'claimed', attribution: null }]);
    expect((await laterChanges(t.db, brief.background, brief.publishedAt)).get(item.id)?.status).toBe('confirmed');
  });
});
