import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../accounts/policy.js';
import { buildTestApp, briefInput, makeStory, makeUser, type TestContext } from '../test/factories.js';
import { findBrief, listRevisions } from './brief-repository.js';
import { correctBrief, createBrief, publishBrief, retractBrief, submitBrief, updateBrief } from './briefs.js';
import { listBackground, updateBackgroundItem } from './stories.js';

let t: TestContext;
beforeEach(async () => { t = await buildTestApp(); });
afterEach(async () => { await t.close(); });

describe('brief lifecycle', () => {
  it('keeps every save as a revision and records an event for each change', async () => {
    const author = await makeUser(t.db, 'contributor');
    const brief = await createBrief(t.deps, author.actor, briefInput());
    await updateBrief(t.deps, author.actor, brief.id, { details: ['Changed.'] });
    await submitBrief(t.deps, author.actor, brief.id);
    await publishBrief(t.deps, CLI_ACTOR, brief.id);
    const revisions = await listRevisions(t.db, brief.id);
    expect(revisions.map((r) => r.kind)).toEqual(['publish', 'submit', 'update', 'create']);
    expect(revisions[2]!.snapshot.details).toEqual(['Changed.']);
    expect(t.events.map((e) => e.type)).toEqual(['brief.created', 'brief.updated', 'brief.submitted', 'brief.published']);
    const rows = await t.db.selectFrom('events').select('type').where('subject_id', '=', brief.id).orderBy('id').execute();
    expect(rows.map((r) => r.type)).toEqual(['brief.created', 'brief.updated', 'brief.submitted', 'brief.published']);
  });

  it('gives briefs created at the same moment with the same headline each its own slug', async () => {
    // On PostgreSQL the twelve transactions run side by side; each must still see the others' slugs.
    const created = await Promise.all(Array.from({ length: 12 }, () => createBrief(t.deps, CLI_ACTOR, briefInput({ headline: 'Ferry crossing reopens at dawn.' }))));
    const slugs = created.map((b) => b.slug).sort();
    expect(new Set(slugs).size).toBe(12);
    expect(slugs).toContain('ferry-crossing-reopens-at-dawn');
    expect(slugs).toContain('ferry-crossing-reopens-at-dawn-12');
  });

  it('refuses to let a contributor publish', async () => {
    const author = await makeUser(t.db, 'contributor');
    const brief = await createBrief(t.deps, author.actor, briefInput());
    await expect(publishBrief(t.deps, author.actor, brief.id)).rejects.toMatchObject({ status: 403 });
    expect((await findBrief(t.db, brief.id))!.status).toBe('draft');
  });

  it('rejects an unknown story id naming the field, and stores nothing', async () => {
    await expect(createBrief(t.deps, CLI_ACTOR, briefInput({ storyId: 'nope' }))).rejects.toMatchObject({
      status: 400, fields: [{ path: 'storyId', reason: 'no story with this id' }],
    });
    expect(await t.db.selectFrom('briefs').select('id').execute()).toEqual([]);
    expect(await t.db.selectFrom('events').select('id').execute()).toEqual([]);
  });

  it('rejects a date no clock shows and a source link that is not http(s)', async () => {
    await expect(createBrief(t.deps, CLI_ACTOR, briefInput({ publishedAt: '2026-12-31T23:59:60Z' }))).rejects.toMatchObject({
      status: 400, fields: [{ path: 'publishedAt' }],
    });
    await expect(createBrief(t.deps, CLI_ACTOR, briefInput({ sources: [{ name: 'X', url: 'javascript:alert(1)', kind: 'media' }] }))).rejects.toMatchObject({
      status: 400, fields: [{ path: 'sources.0.url', reason: 'must be an http or https URL' }],
    });
    expect(await t.db.selectFrom('briefs').select('id').execute()).toEqual([]);
  });

  it('rejects an empty headline', async () => {
    await expect(createBrief(t.deps, CLI_ACTOR, briefInput({ headline: '   ' }))).rejects.toMatchObject({
      status: 400, fields: [{ path: 'headline', reason: 'must not be blank' }],
    });
  });

  it('freezes the story background at publication', async () => {
    const story = await makeStory(t.deps);
    const brief = await createBrief(t.deps, CLI_ACTOR, briefInput({ storyId: story.id, background: [{ text: 'Officials claim the dam held.', status: 'claimed' }] }));
    const [item] = await listBackground(t.db, story.id);
    expect(item!.text).toBe('Officials claim the dam held.');
    // The ledger moves on while the brief waits in draft: publishing freezes it as it stands then.
    await updateBackgroundItem(t.deps, CLI_ACTOR, item!.id, { text: 'Officials now say the dam partly held.', status: 'confirmed' });
    await publishBrief(t.deps, CLI_ACTOR, brief.id);
    const frozen = [{ text: 'Officials now say the dam partly held.', status: 'confirmed', attribution: null, itemId: item!.id }];
    expect((await findBrief(t.db, brief.id))!.background).toEqual(frozen);
    await updateBackgroundItem(t.deps, CLI_ACTOR, item!.id, { text: 'The dam did not hold.', status: 'denied' });
    expect((await findBrief(t.db, brief.id))!.background).toEqual(frozen);
  });

  it('does not roll back the story background when a correction leaves it alone', async () => {
    const story = await makeStory(t.deps);
    const brief = await createBrief(t.deps, CLI_ACTOR, briefInput({ storyId: story.id, background: [{ text: 'Two people drowned, a post claims.', status: 'unverified' }] }));
    await publishBrief(t.deps, CLI_ACTOR, brief.id);
    const [item] = await listBackground(t.db, story.id);
    await updateBackgroundItem(t.deps, CLI_ACTOR, item!.id, { text: 'Nobody drowned, police said.', status: 'denied' });
    await correctBrief(t.deps, CLI_ACTOR, brief.id, { headline: 'A corrected headline.' }, 'Typo in the headline.');
    // The desk posts every field back, background included, unchanged.
    const current = (await findBrief(t.db, brief.id))!;
    await correctBrief(t.deps, CLI_ACTOR, brief.id, { headline: 'Corrected again.', background: current.background }, 'Second typo.');
    const [after] = await listBackground(t.db, story.id);
    expect(after).toMatchObject({ text: 'Nobody drowned, police said.', status: 'denied' });
  });

  it('corrects with a reason and retracts, keeping the brief', async () => {
    const brief = await createBrief(t.deps, CLI_ACTOR, briefInput());
    await publishBrief(t.deps, CLI_ACTOR, brief.id);
    await expect(updateBrief(t.deps, CLI_ACTOR, brief.id, { headline: 'Sneaky edit.' })).rejects.toMatchObject({ status: 409 });
    const corrected = await correctBrief(t.deps, CLI_ACTOR, brief.id, { headline: 'A corrected headline.' }, 'The number of evacuees was wrong.');
    expect(corrected).toMatchObject({ status: 'corrected', headline: 'A corrected headline.', correctionReason: 'The number of evacuees was wrong.' });
    const retracted = await retractBrief(t.deps, CLI_ACTOR, brief.id, 'The source withdrew the statement.');
    expect(retracted.status).toBe('retracted');
    expect(retracted.publishedAt).toBe(corrected.publishedAt);
  });

  it('does not publish a brief without a source', async () => {
    const brief = await createBrief(t.deps, CLI_ACTOR, briefInput({ sources: [], quotes: [] }));
    await expect(publishBrief(t.deps, CLI_ACTOR, brief.id)).rejects.toMatchObject({ status: 400, fields: [{ path: 'sources' }] });
  });
});
