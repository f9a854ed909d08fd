import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../accounts/policy.js';
import { AppError } from '../common/errors.js';
import { loggedInStaff } from '../desk/test-client.js';
import { buildTestApp, makePublishedBrief, makeStory, makeToken, makeUser, type TestContext } from '../test/factories.js';
import { createBrief, deleteBrief } from './briefs.js';
import { findTimelineState, linkTranslation, listTranslations, pinBrief, unlinkTranslation } from './timeline.js';

let t: TestContext;
beforeEach(async () => { t = await buildTestApp(); });
afterEach(async () => { await t.close(); });

/** The error a call fails with, so a test can check its status and field together. */
async function failure(call: Promise<unknown>): Promise<AppError> {
  try {
    await call;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}

async function storyWithBriefs() {
  const story = await makeStory(t.deps);
  const en = await makePublishedBrief(t.deps, { storyId: story.id, language: 'en', headline: 'Dam breached' });
  const uk = await makePublishedBrief(t.deps, { storyId: story.id, language: 'uk', headline: 'Дамбу прорвало' });
  const ru = await makePublishedBrief(t.deps, { storyId: story.id, language: 'ru', headline: 'Дамбу прорвало (ru)' });
  return { story, en, uk, ru };
}

const languagesOf = (briefs: { language: string }[]) => briefs.map((b) => b.language);

describe('translations', () => {
  it('links two briefs both ways, merges groups and records an event per brief', async () => {
    const { en, uk, ru } = await storyWithBriefs();
    expect(languagesOf(await linkTranslation(t.deps, CLI_ACTOR, en.id, uk.id))).toEqual(['uk']);
    expect(languagesOf(await listTranslations(t.db, uk.id))).toEqual(['en']);
    // Linking the Russian brief to the Ukrainian one brings it into the whole group.
    await linkTranslation(t.deps, CLI_ACTOR, ru.id, uk.id);
    expect(languagesOf(await listTranslations(t.db, en.id))).toEqual(['uk', 'ru']);
    expect(t.events.filter((e) => e.type === 'brief.translations_changed').map((e) => e.subjectId).sort())
      .toEqual([en.id, uk.id, en.id, uk.id, ru.id].sort());
  });

  it('refuses the brief itself, a brief in the same language, another story and a missing id, naming the field', async () => {
    const { en, uk } = await storyWithBriefs();
    const sameLanguage = await makePublishedBrief(t.deps, { storyId: en.storyId!, language: 'en' });
    const elsewhere = await makePublishedBrief(t.deps, { storyId: (await makeStory(t.deps)).id, language: 'uk' });
    for (const [other, reason] of [
      [en.id, /itself/], [sameLanguage.id, /same language/], [elsewhere.id, /another story/], ['nope', /no brief/],
    ] as const) {
      const err = await failure(linkTranslation(t.deps, CLI_ACTOR, en.id, other));
      expect(err.status).toBe(400);
      expect(err.fields).toEqual([{ path: 'otherBriefId', reason: expect.stringMatching(reason) }]);
    }
    expect((await failure(linkTranslation(t.deps, CLI_ACTOR, 'nope', uk.id))).status).toBe(404);
    expect(await listTranslations(t.db, en.id)).toEqual([]);
  });

  it('keeps one brief per language in a group, even through merging', async () => {
    const { story, en, uk } = await storyWithBriefs();
    await linkTranslation(t.deps, CLI_ACTOR, en.id, uk.id);
    const secondUk = await makePublishedBrief(t.deps, { storyId: story.id, language: 'uk' });
    const err = await failure(linkTranslation(t.deps, CLI_ACTOR, secondUk.id, en.id));
    expect(err.status).toBe(400);
    expect(err.fields[0]).toMatchObject({ path: 'otherBriefId', reason: expect.stringContaining('two uk briefs') });
    expect(languagesOf(await listTranslations(t.db, en.id))).toEqual(['uk']);
  });

  it('unlinks one brief; a group left with one brief dissolves', async () => {
    const { en, uk, ru } = await storyWithBriefs();
    await linkTranslation(t.deps, CLI_ACTOR, en.id, uk.id);
    await linkTranslation(t.deps, CLI_ACTOR, en.id, ru.id);
    await unlinkTranslation(t.deps, CLI_ACTOR, ru.id);
    expect(languagesOf(await listTranslations(t.db, en.id))).toEqual(['uk']);
    expect(await listTranslations(t.db, ru.id)).toEqual([]);
    await unlinkTranslation(t.deps, CLI_ACTOR, uk.id);
    expect(await findTimelineState(t.db, en.id)).toEqual({ translationGroup: null, pinnedAt: null });
  });

  it('leaves deleted briefs out of a group', async () => {
    const { story, en } = await storyWithBriefs();
    const draft = await createBrief(t.deps, CLI_ACTOR, { language: 'ru', headline: 'Черновик', storyId: story.id });
    await linkTranslation(t.deps, CLI_ACTOR, en.id, draft.id);
    expect(languagesOf(await listTranslations(t.db, en.id))).toEqual(['ru']);
    await deleteBrief(t.deps, CLI_ACTOR, draft.id);
    expect(await listTranslations(t.db, en.id)).toEqual([]);
  });
});

describe('pins', () => {
  it('pins and unpins a brief of a story, keeping the first pin time and recording brief.pinned', async () => {
    const { en } = await storyWithBriefs();
    const first = await pinBrief(t.deps, CLI_ACTOR, en.id, true);
    expect(first.pinnedAt).toMatch(/^\d{4}-/);
    expect((await pinBrief(t.deps, CLI_ACTOR, en.id, true)).pinnedAt).toBe(first.pinnedAt);
    expect((await pinBrief(t.deps, CLI_ACTOR, en.id, false)).pinnedAt).toBeNull();
    expect((await findTimelineState(t.db, en.id))?.pinnedAt).toBeNull();
    // A repeated pin changes nothing, so it records nothing either.
    expect(t.events.filter((e) => e.type === 'brief.pinned').map((e) => e.payload.pinned)).toEqual([true, false]);
  });

  it('refuses a brief outside any story, on the pinned field', async () => {
    const loose = await makePublishedBrief(t.deps);
    const err = await failure(pinBrief(t.deps, CLI_ACTOR, loose.id, true));
    expect(err.status).toBe(400);
    expect(err.fields).toEqual([{ path: 'pinned', reason: expect.stringContaining('in a story') }]);
    expect((await failure(pinBrief(t.deps, CLI_ACTOR, 'nope', true))).status).toBe(404);
  });
});

describe('roles', () => {
  it('lets editors and admins organise the timeline, and refuses contributors and moderators', async () => {
    const { en, uk } = await storyWithBriefs();
    for (const role of ['contributor', 'moderator'] as const) {
      const { actor } = await makeUser(t.db, role);
      expect((await failure(linkTranslation(t.deps, actor, en.id, uk.id))).status).toBe(403);
      expect((await failure(unlinkTranslation(t.deps, actor, en.id))).status).toBe(403);
      expect((await failure(pinBrief(t.deps, actor, en.id, true))).status).toBe(403);
    }
    expect(await findTimelineState(t.db, en.id)).toEqual({ translationGroup: null, pinnedAt: null });
    for (const role of ['editor', 'admin'] as const) {
      const { actor } = await makeUser(t.db, role);
      await linkTranslation(t.deps, actor, en.id, uk.id);
      await pinBrief(t.deps, actor, en.id, true);
      await unlinkTranslation(t.deps, actor, en.id);
    }
    expect((await findTimelineState(t.db, en.id))?.pinnedAt).not.toBeNull();
  });
});

describe('on the desk', () => {
  const loggedIn = async (role: 'editor' | 'contributor') => (await loggedInStaff(t, role)).client;

  it('links a translation and pins from the brief editor, with a CSRF token', async () => {
    const { en, uk } = await storyWithBriefs();
    const editor = await loggedIn('editor');
    const page = (await editor.get(`/desk/briefs/${en.id}`)).body;
    expect(page).toContain('Translations: a brief of the same story in another language');
    expect(page).toContain(`<option value="${uk.id}"`);
    expect(page).toContain('Pin as key event');

    expect((await editor.post(`/desk/briefs/${en.id}/translations`, { otherBriefId: uk.id }, { csrf: false })).statusCode).toBe(403);
    const linked = await editor.post(`/desk/briefs/${en.id}/translations`, { otherBriefId: uk.id, op: 'link' });
    expect(linked.statusCode).toBe(303);
    expect(linked.headers.location).toBe(`/desk/briefs/${en.id}?done=translation-linked`);
    expect(languagesOf(await listTranslations(t.db, en.id))).toEqual(['uk']);

    const pinned = await editor.post(`/desk/briefs/${en.id}/pin`, { pinned: 'yes' });
    expect(pinned.headers.location).toBe(`/desk/briefs/${en.id}?done=pinned`);
    expect((await editor.get(`/desk/briefs/${en.id}?done=pinned`)).body).toContain('Unpin');
    await editor.post(`/desk/briefs/${en.id}/pin`, { pinned: 'no' });
    expect((await findTimelineState(t.db, en.id))?.pinnedAt).toBeNull();

    await editor.post(`/desk/briefs/${en.id}/translations`, { op: 'unlink' });
    expect(await listTranslations(t.db, en.id)).toEqual([]);
  });

  it('shows a refused link on the editor at the field, and hides the forms from contributors', async () => {
    const { en } = await storyWithBriefs();
    const other = await makePublishedBrief(t.deps, { storyId: en.storyId!, language: 'en' });
    const editor = await loggedIn('editor');
    const refused = await editor.post(`/desk/briefs/${en.id}/translations`, { otherBriefId: other.id, op: 'link' });
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('is in the same language as this brief');

    const contributor = await loggedIn('contributor');
    expect((await contributor.get(`/desk/briefs/${en.id}`)).body).not.toContain('Pin as key event');
    expect((await contributor.post(`/desk/briefs/${en.id}/pin`, { pinned: 'yes' })).statusCode).toBe(403);
  });
});

describe('in the API', () => {
  it('lists, links and unlinks translations and pins, with a token for writes', async () => {
    const { en, uk, ru } = await storyWithBriefs();
    const { token } = await makeToken(t.db, 'editor');
    const auth = { authorization: `Bearer ${token}` };
    const url = `/api/v1/briefs/${en.id}/translations`;
    expect((await t.app.inject({ method: 'POST', url, payload: { otherBriefId: uk.id } })).statusCode).toBe(401);

    const linked = await t.app.inject({ method: 'POST', url, headers: auth, payload: { otherBriefId: uk.id } });
    expect(linked.statusCode).toBe(200);
    expect(linked.json()).toEqual({ items: [{ id: uk.id, slug: uk.slug, url: `http://newsdesk.test/news/${uk.slug}`, language: 'uk', headline: uk.headline, status: 'published' }] });
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/briefs/${uk.id}/translations` })).json().items.map((i: { id: string }) => i.id)).toEqual([en.id]);

    const clash = await t.app.inject({ method: 'POST', url, headers: auth, payload: { otherBriefId: en.id } });
    expect(clash.statusCode).toBe(400);
    expect(clash.json().error.fields).toEqual([{ path: 'otherBriefId', reason: 'is this brief itself' }]);

    const pin = await t.app.inject({ method: 'PUT', url: `/api/v1/briefs/${ru.id}/pin`, headers: auth, payload: { pinned: true } });
    expect(pin.statusCode).toBe(200);
    expect(pin.json()).toMatchObject({ pinned: true, pinnedAt: expect.any(String) });
    expect((await t.app.inject({ method: 'PUT', url: `/api/v1/briefs/${ru.id}/pin`, headers: auth, payload: { pinned: 'yes' } })).statusCode).toBe(400);

    expect((await t.app.inject({ method: 'DELETE', url, headers: auth })).statusCode).toBe(204);
    expect((await t.app.inject({ method: 'GET', url })).json()).toEqual({ items: [] });
  });

  it('refuses a contributor token and hides a draft\'s translations from the public', async () => {
    const { en } = await storyWithBriefs();
    const draft = await createBrief(t.deps, CLI_ACTOR, { language: 'ru', headline: 'Черновик', storyId: en.storyId! });
    await linkTranslation(t.deps, CLI_ACTOR, en.id, draft.id);
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/briefs/${en.id}/translations` })).json()).toEqual({ items: [] });
    expect((await t.app.inject({ method: 'GET', url: `/api/v1/briefs/${draft.id}/translations` })).statusCode).toBe(404);
    const { token } = await makeToken(t.db, 'contributor');
    const res = await t.app.inject({ method: 'PUT', url: `/api/v1/briefs/${en.id}/pin`, headers: { authorization: `Bearer ${token}` }, payload: { pinned: true } });
    expect(res.statusCode).toBe(403);
  });
});
