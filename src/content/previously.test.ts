import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../accounts/policy.js';
import { buildTestApp, briefInput, makePublishedBrief, makeStory, type TestContext } from '../test/factories.js';
import { createBrief, retractBrief } from './briefs.js';
import { proposePreviously } from './previously.js';

let t: TestContext;
beforeEach(async () => { t = await buildTestApp(); });
afterEach(async () => { await t.close(); });

describe('proposePreviously', () => {
  it('proposes the three latest published briefs of the story, newest first, with times and links', async () => {
    const story = await makeStory(t.deps);
    const other = await makeStory(t.deps);
    const at = (hour: number) => `2023-06-24T${String(hour).padStart(2, '0')}:00:00Z`;
    const b1 = await makePublishedBrief(t.deps, { storyId: story.id, headline: 'Wagner column enters Rostov', publishedAt: at(4) });
    const b2 = await makePublishedBrief(t.deps, { storyId: story.id, headline: 'Prigozhin claims control of the district HQ', publishedAt: at(6) });
    const b3 = await makePublishedBrief(t.deps, { storyId: story.id, headline: 'Column passes Voronezh', publishedAt: at(9) });
    const b4 = await makePublishedBrief(t.deps, { storyId: story.id, headline: 'Lukashenko says he brokered a deal', publishedAt: at(17) });
    await makePublishedBrief(t.deps, { storyId: other.id, headline: 'Another story', publishedAt: at(18) });
    await createBrief(t.deps, CLI_ACTOR, briefInput({ storyId: story.id, headline: 'A draft is not news yet' }));
    const retracted = await makePublishedBrief(t.deps, { storyId: story.id, headline: 'Retracted', publishedAt: at(19) });
    await retractBrief(t.deps, CLI_ACTOR, retracted.id, 'Wrong.');

    const proposal = await proposePreviously(t.db, { storyId: story.id, language: 'en', timeZone: 'Europe/Kyiv' });
    expect(proposal.previouslyLinks).toEqual([b4.id, b3.id, b2.id]);
    expect(proposal.paragraphs).toEqual([
      'June 24 at 20:00 — Lukashenko says he brokered a deal',
      'June 24 at 12:00 — Column passes Voronezh',
      'June 24 at 09:00 — Prigozhin claims control of the district HQ',
    ]);
    expect(proposal.briefs.map((b) => b.slug)).toEqual([b4, b3, b2].map((b) => b.slug));
    expect(proposal.previouslyLinks).not.toContain(b1.id);
  });

  it('leaves out the brief being edited and prefers its language, filling from others newest first', async () => {
    const story = await makeStory(t.deps);
    const uk1 = await makePublishedBrief(t.deps, { language: 'uk', storyId: story.id, headline: 'Колона увійшла до Ростова', publishedAt: '2023-06-24T04:00:00Z' });
    const en1 = await makePublishedBrief(t.deps, { storyId: story.id, headline: 'Column passes Voronezh', publishedAt: '2023-06-24T09:00:00Z' });
    const uk2 = await makePublishedBrief(t.deps, { language: 'uk', storyId: story.id, headline: 'Пригожин заявив про марш', publishedAt: '2023-06-24T06:00:00Z' });
    const self = await makePublishedBrief(t.deps, { language: 'uk', storyId: story.id, headline: 'Цей бриф', publishedAt: '2023-06-24T10:00:00Z' });
    const en2 = await makePublishedBrief(t.deps, { storyId: story.id, headline: 'Older English brief', publishedAt: '2023-06-24T03:00:00Z' });

    const proposal = await proposePreviously(t.db, { storyId: story.id, language: 'uk', excludeBriefId: self.id, timeZone: 'UTC' });
    // Both Ukrainian briefs, then the newest English one; shown newest first.
    expect(proposal.previouslyLinks).toEqual([en1.id, uk2.id, uk1.id]);
    expect(proposal.paragraphs).toEqual([
      '24 червня о 09:00 — Column passes Voronezh',
      '24 червня о 06:00 — Пригожин заявив про марш',
      '24 червня о 04:00 — Колона увійшла до Ростова',
    ]);
    expect(proposal.previouslyLinks).not.toContain(en2.id);
  });

  it('skips translations of a brief already proposed and of the brief being edited', async () => {
    const story = await makeStory(t.deps);
    const en = await makePublishedBrief(t.deps, { storyId: story.id, headline: 'Column passes Voronezh', publishedAt: '2023-06-24T09:00:00Z' });
    const ru = await makePublishedBrief(t.deps, { language: 'ru', storyId: story.id, headline: 'Колонна прошла Воронеж', publishedAt: '2023-06-24T09:05:00Z' });
    const self = await makePublishedBrief(t.deps, { storyId: story.id, headline: 'This brief', publishedAt: '2023-06-24T12:00:00Z' });
    const selfRu = await makePublishedBrief(t.deps, { language: 'ru', storyId: story.id, headline: 'Этот бриф', publishedAt: '2023-06-24T12:05:00Z' });
    await t.db.updateTable('briefs').set({ translation_group: 'g-voronezh' }).where('id', 'in', [en.id, ru.id]).execute();
    await t.db.updateTable('briefs').set({ translation_group: 'g-self' }).where('id', 'in', [self.id, selfRu.id]).execute();

    const proposal = await proposePreviously(t.db, { storyId: story.id, language: 'en', excludeBriefId: self.id });
    expect(proposal.previouslyLinks).toEqual([en.id]);
  });

  it('proposes nothing for a story without published briefs', async () => {
    const story = await makeStory(t.deps);
    await createBrief(t.deps, CLI_ACTOR, briefInput({ storyId: story.id }));
    expect(await proposePreviously(t.db, { storyId: story.id, language: 'en' })).toEqual({ paragraphs: [], previouslyLinks: [], briefs: [] });
  });
});
