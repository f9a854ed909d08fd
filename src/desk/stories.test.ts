import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_ACTOR, type StaffRole } from '../accounts/policy.js';
import { addComment } from '../comments/service.js';
import { findBrief } from '../content/brief-repository.js';
import { createBrief, submitBrief } from '../content/briefs.js';
import { addBackgroundItem, listBackground } from '../content/stories.js';
import { backgroundItemPath } from '../web/paths.js';
import { buildTestApp, briefInput, makePublishedBrief, makeStory, type TestContext } from '../test/factories.js';
import { vnuErrors } from '../test/vnu.js';
import { loggedInStaff, unescapeHtml, type DeskClient } from './test-client.js';

let t: TestContext;
beforeEach(async () => { t = await buildTestApp(); });
afterEach(async () => { await t.close(); });

const loggedIn = async (role: StaffRole): Promise<DeskClient> => (await loggedInStaff(t, role)).client;

/** The item rows and their history, so "nothing was saved" is one comparison. */
async function ledgerOf(storyId: string) {
  return {
    items: await listBackground(t.db, storyId),
    changes: Number((await t.db.selectFrom('background_item_changes').select(t.db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n),
  };
}

const itemForm = (fields: Partial<Record<string, string>>) => ({
  text: '', status: 'unverified', attributionSource: '', attributionEntityId: '', changeSource: '', ...fields,
});

/** The option a <select> named `name` shows as chosen, within the form posting to `action`. */
function formOf(html: string, action: string): string {
  const start = html.indexOf(`action="${action}"`);
  expect(start, `form ${action}`).toBeGreaterThan(-1);
  return html.slice(start, html.indexOf('</form>', start));
}
const selected = (form: string) => /<option value="([a-z]+)" selected/.exec(form)?.[1];
const inputValue = (form: string, name: string) => unescapeHtml(new RegExp(`name="${name}"[^>]*value="([^"]*)"`).exec(form)?.[1] ?? '');

async function seedStory() {
  const story = await makeStory(t.deps, 'Wagner mutiny');
  const item = await addBackgroundItem(t.deps, CLI_ACTOR, story.id, { text: 'Wagner fighters entered Rostov.', status: 'confirmed' });
  return { story, item };
}

describe('claim suggestion on the desk story page', () => {
  it('shows the suggestion for the typed wording and saves nothing', async () => {
    const { story, item } = await seedStory();
    const editor = await loggedIn('editor');
    const before = await ledgerOf(story.id);
    const typed = 'Reuters, citing a source, said the column stopped near Yelets.';
    const base = `/desk/stories/${story.id}`;

    const response = await editor.post(`${base}/items/${item.id}/suggest`, { ...itemForm({ text: typed, status: 'confirmed' }), op: 'suggest' });
    expect(response.statusCode).toBe(200);
    const form = formOf(response.body, `${base}/items/${item.id}`);
    expect(unescapeHtml(form)).toContain('Suggested: Claimed — attributed to Reuters (from ‘citing a source’)');
    expect(unescapeHtml(form)).toContain(`>${typed}</textarea>`);
    expect(selected(form)).toBe('confirmed');
    expect(inputValue(form, 'suggestedStatus')).toBe('claimed');
    expect(inputValue(form, 'suggestedAttribution')).toBe('Reuters');
    expect(await ledgerOf(story.id)).toEqual(before);

    const fresh = await editor.post(`${base}/items/new/suggest`, { ...itemForm({ text: 'Пригожин заявив про марш.' }), op: 'suggest' });
    expect(unescapeHtml(formOf(fresh.body, `${base}/items`))).toContain('Suggested: Claimed — attributed to Пригожин (from ‘заявив’)');
    const innocent = await editor.post(`${base}/items/new/suggest`, { ...itemForm({ text: 'The column reached Rostov at 07:30.' }), op: 'suggest' });
    expect(formOf(innocent.body, `${base}/items`)).toContain('The wording suggests no status');
    expect(await ledgerOf(story.id)).toEqual(before);
  });

  it('fills the form when the suggestion is accepted, still without saving', async () => {
    const { story, item } = await seedStory();
    const editor = await loggedIn('editor');
    const before = await ledgerOf(story.id);
    const base = `/desk/stories/${story.id}`;
    const response = await editor.post(`${base}/items/${item.id}/suggest`, {
      ...itemForm({ text: 'The Kremlin denied that Putin met Prigozhin.', status: 'confirmed', changeSource: 'TASS' }),
      op: 'accept', suggestedStatus: 'denied', suggestedAttribution: 'The Kremlin',
    });
    expect(response.statusCode).toBe(200);
    const form = formOf(response.body, `${base}/items/${item.id}`);
    expect(selected(form)).toBe('denied');
    expect(inputValue(form, 'attributionSource')).toBe('The Kremlin');
    expect(inputValue(form, 'changeSource')).toBe('TASS');
    expect(form).toContain('Suggestion put into the form');
    expect(await ledgerOf(story.id)).toEqual(before);
  });

  it('saves the source of a change into the item’s history', async () => {
    const { story, item } = await seedStory();
    const editor = await loggedIn('editor');
    const base = `/desk/stories/${story.id}`;
    const saved = await editor.post(`${base}/items/${item.id}`, itemForm({ text: item.text, status: 'denied', changeSource: 'Reuters, 24 June' }));
    expect(saved.statusCode).toBe(303);
    const added = await editor.post(`${base}/items`, itemForm({ text: 'Prigozhin claimed six helicopters.', status: 'claimed', changeSource: 'Telegram, 24 June' }));
    expect(added.statusCode).toBe(303);

    const history = await t.db.selectFrom('background_item_changes').select(['item_id', 'status', 'source', 'kind']).where('story_id', '=', story.id).orderBy('changed_at').orderBy('id').execute();
    const items = await listBackground(t.db, story.id);
    expect(items.map((i) => i.status)).toEqual(['denied', 'claimed']);
    expect(history.filter((h) => h.item_id === item.id).at(-1)).toEqual({ item_id: item.id, status: 'denied', source: 'Reuters, 24 June', kind: 'edited' });
    expect(history.filter((h) => h.item_id === items[1]!.id)).toEqual([{ item_id: items[1]!.id, status: 'claimed', source: 'Telegram, 24 June', kind: 'created' }]);
  });

  it('offers stored items a suggestion when their wording disagrees with their status, and saves it only on Accept', async () => {
    const story = await makeStory(t.deps);
    const imported = await addBackgroundItem(t.deps, CLI_ACTOR, story.id, { text: 'The Kremlin denied that Putin met Prigozhin.', status: 'claimed' });
    const agreeing = await addBackgroundItem(t.deps, CLI_ACTOR, story.id, { text: 'Prigozhin claimed six helicopters.', status: 'claimed', attributionSource: 'Prigozhin' });
    const editor = await loggedIn('editor');
    const base = `/desk/stories/${story.id}`;

    const page = await editor.get(base);
    expect(page.statusCode).toBe(200);
    const offered = formOf(page.body, `${base}/items/${imported.id}/accept`);
    expect(unescapeHtml(offered)).toContain('Suggested: Denied — attributed to The Kremlin (from ‘denied’)');
    expect(page.body).not.toContain(`${base}/items/${agreeing.id}/accept`);
    expect((await listBackground(t.db, story.id))[0]!.status).toBe('claimed');

    const stale = await editor.post(`${base}/items/${imported.id}/accept`, { status: 'confirmed', attribution: 'The Kremlin' });
    expect(stale.statusCode).toBe(409);
    expect((await listBackground(t.db, story.id))[0]!.status).toBe('claimed');

    const accepted = await editor.post(`${base}/items/${imported.id}/accept`, { status: 'denied', attribution: 'The Kremlin' });
    expect(accepted.statusCode).toBe(303);
    const [item] = await listBackground(t.db, story.id);
    expect({ status: item!.status, attributionSource: item!.attributionSource, text: item!.text })
      .toEqual({ status: 'denied', attributionSource: 'The Kremlin', text: imported.text });
    expect((await editor.get(base)).body).not.toContain(`${base}/items/${imported.id}/accept`);
  });

  it('answers the island with the same suggestion as JSON', async () => {
    const { story } = await seedStory();
    const editor = await loggedIn('editor');
    const response = await editor.get(`/desk/stories/${story.id}/claim-suggestion?text=${encodeURIComponent('Prigozhin later withdrew his claim.')}`);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      suggestion: { status: 'retracted', attribution: 'Prigozhin', cue: 'withdrew' },
      label: 'Suggested: Retracted by its author — attributed to Prigozhin (from ‘withdrew’)', statusLabel: 'Retracted by its author',
    });
    expect((await editor.get(`/desk/stories/${story.id}/claim-suggestion?text=${encodeURIComponent('Rostov is quiet.')}`)).json())
      .toEqual({ suggestion: null, label: null, statusLabel: null });
  });

  it('links each item to its history page', async () => {
    const { story, item } = await seedStory();
    const editor = await loggedIn('editor');
    const page = await editor.get(`/desk/stories/${story.id}`);
    expect(page.body).toContain(`href="${backgroundItemPath(story, item.id, story.language)}"`);
  });
});

describe('story dashboard on the desk story page', () => {
  it('shows exact counts of briefs by stage, open items and comments', async () => {
    const story = await makeStory(t.deps);
    await createBrief(t.deps, CLI_ACTOR, briefInput({ storyId: story.id, headline: 'First draft' }));
    await createBrief(t.deps, CLI_ACTOR, briefInput({ storyId: story.id, headline: 'Second draft' }));
    await submitBrief(t.deps, CLI_ACTOR, (await createBrief(t.deps, CLI_ACTOR, briefInput({ storyId: story.id, headline: 'Waiting' }))).id);
    const published = await makePublishedBrief(t.deps, { storyId: story.id, headline: 'Column enters Rostov' });
    await addBackgroundItem(t.deps, CLI_ACTOR, story.id, { text: 'One claim.', status: 'claimed' });
    await addBackgroundItem(t.deps, CLI_ACTOR, story.id, { text: 'Another claim.', status: 'claimed' });
    await addBackgroundItem(t.deps, CLI_ACTOR, story.id, { text: 'An open question.', status: 'unverified' });
    await addBackgroundItem(t.deps, CLI_ACTOR, story.id, { text: 'Settled.', status: 'confirmed' });
    const comment = await addComment(t.deps, { briefId: published.id, authorName: 'Iryna', body: 'Stay safe <3' });
    await addComment(t.deps, { briefId: published.id, authorName: 'Oleh', body: 'Thanks' });

    const page = (await (await loggedIn('editor')).get(`/desk/stories/${story.id}`)).body;
    const count = (key: string) => new RegExp(`data-count="${key}">(\\d+)<`).exec(page)?.[1];
    expect([count('draft'), count('inReview'), count('published'), count('claimed'), count('unverified')]).toEqual(['2', '1', '1', '2', '1']);
    expect(page).toContain('data-value="2"');
    expect(page).toContain('2 published comments on this story’s briefs');
    expect(page).toContain(`href="/news/${published.slug}?sort=newest#comment-${comment.id}"`);
    expect(page).toContain('Stay safe &lt;3');
  });
});

describe('roles', () => {
  it('refuses contributors and moderators the story page, the suggestion routes and accepting, changing nothing', async () => {
    const story = await makeStory(t.deps);
    const item = await addBackgroundItem(t.deps, CLI_ACTOR, story.id, { text: 'The Kremlin denied it.', status: 'claimed' });
    const base = `/desk/stories/${story.id}`;
    for (const role of ['contributor', 'moderator'] as const) {
      const client = await loggedIn(role);
      const before = await ledgerOf(story.id);
      expect((await client.get(base)).statusCode, role).toBe(403);
      expect((await client.get(`${base}/claim-suggestion?text=claimed`)).statusCode, role).toBe(403);
      expect((await client.post(`${base}/items/${item.id}/suggest`, { ...itemForm({ text: 'X claimed.' }), op: 'suggest' })).statusCode, role).toBe(403);
      expect((await client.post(`${base}/items/new/suggest`, { ...itemForm({ text: 'X claimed.' }), op: 'accept', suggestedStatus: 'claimed' })).statusCode, role).toBe(403);
      expect((await client.post(`${base}/items/${item.id}/accept`, { status: 'denied', attribution: 'The Kremlin' })).statusCode, role).toBe(403);
      expect(await ledgerOf(story.id), role).toEqual(before);
    }
  });
});

describe('Previously in the brief editor', () => {
  it('proposes the story’s latest briefs into the form without saving, and saves them when the editor does', async () => {
    const story = await makeStory(t.deps);
    const earlier = await makePublishedBrief(t.deps, { storyId: story.id, headline: 'Column enters Rostov', publishedAt: '2023-06-24T04:00:00Z' });
    const later = await makePublishedBrief(t.deps, { storyId: story.id, headline: 'Column passes Voronezh', publishedAt: '2023-06-24T09:00:00Z' });
    const editor = await loggedIn('editor');
    const briefsBefore = Number((await t.db.selectFrom('briefs').select(t.db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const form = {
      language: 'en', headline: 'Prigozhin turns back', storyId: story.id, dateline: '', previously: '',
      'sources[0][name]': 'Reuters', 'sources[0][url]': '', 'sources[0][kind]': 'news_agency',
    };

    const proposed = await editor.post('/desk/briefs', { ...form, op: 'propose-previously' });
    expect(proposed.statusCode).toBe(200);
    const text = /name="previously"[^>]*>([^<]*)<\/textarea>/.exec(proposed.body)?.[1];
    // Times in the site's zone, Europe/Kyiv by default (UTC+3 in June).
    expect(unescapeHtml(text ?? '')).toBe('June 24 at 12:00 — Column passes Voronezh\nJune 24 at 07:00 — Column enters Rostov');
    expect([...proposed.body.matchAll(/name="previouslyLinks" value="([^"]+)" checked/g)].map((m) => m[1])).toEqual([later.id, earlier.id]);
    expect(Number((await t.db.selectFrom('briefs').select(t.db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n)).toBe(briefsBefore);

    const saved = await editor.post('/desk/briefs', [
      ...Object.entries({ ...form, previously: 'Earlier: the column passed Voronezh.', op: 'save' }),
      ['previouslyLinks', later.id],
    ]);
    expect(saved.statusCode).toBe(303);
    const id = /\/desk\/briefs\/([0-9a-z]+)/.exec(String(saved.headers.location))![1]!;
    const brief = await findBrief(t.db, id);
    expect({ previously: brief!.previously, previouslyLinks: brief!.previouslyLinks }).toEqual({ previously: ['Earlier: the column passed Voronezh.'], previouslyLinks: [later.id] });
  });

  it('prefills a new brief started from a story, and explains when there is nothing to propose', async () => {
    const story = await makeStory(t.deps);
    const editor = await loggedIn('editor');
    const empty = await editor.post('/desk/briefs', { language: 'en', headline: 'H', storyId: story.id, op: 'propose-previously' });
    expect(empty.statusCode).toBe(400);
    expect(empty.body).toContain('the story has no published briefs to propose yet');
    const noStory = await editor.post('/desk/briefs', { language: 'en', headline: 'H', storyId: '', op: 'propose-previously' });
    expect(noStory.statusCode).toBe(400);
    expect(noStory.body).toContain('choose a story first');

    const published = await makePublishedBrief(t.deps, { storyId: story.id, headline: 'Column enters Rostov', publishedAt: '2023-06-24T04:00:00Z' });
    const page = await editor.get(`/desk/briefs/new?storyId=${story.id}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toMatch(new RegExp(`<option value="${story.id}" selected`));
    expect(unescapeHtml(/name="previously"[^>]*>([^<]*)<\/textarea>/.exec(page.body)?.[1] ?? '')).toBe('June 24 at 07:00 — Column enters Rostov');
    expect(page.body).toContain(`name="previouslyLinks" value="${published.id}" checked`);
  });

  it('keeps a brief’s links through an ordinary save of the editor', async () => {
    const story = await makeStory(t.deps);
    const earlier = await makePublishedBrief(t.deps, { storyId: story.id });
    const draft = await createBrief(t.deps, CLI_ACTOR, briefInput({ storyId: story.id, previouslyLinks: [earlier.id] }));
    const editor = await loggedIn('editor');
    const page = await editor.get(`/desk/briefs/${draft.id}`);
    expect(page.body).toContain(`name="previouslyLinks" value="${earlier.id}" checked`);
    expect(page.body).toContain(earlier.headline);
  });
});

describe('HTML validity of the desk story page', () => {
  it('passes the Nu HTML Checker with the dashboard and a suggestion shown, and on the editor with Previously proposed', { timeout: 120_000 }, async () => {
    const story = await makeStory(t.deps);
    const published = await makePublishedBrief(t.deps, { storyId: story.id, headline: 'Column enters Rostov & stops' });
    await createBrief(t.deps, CLI_ACTOR, briefInput({ storyId: story.id }));
    await addComment(t.deps, { briefId: published.id, authorName: 'Iryna', body: 'Stay <safe>' });
    await addBackgroundItem(t.deps, CLI_ACTOR, story.id, { text: 'The Kremlin denied that Putin met Prigozhin.', status: 'claimed' });
    const item = await addBackgroundItem(t.deps, CLI_ACTOR, story.id, { text: 'Wagner fighters entered Rostov.', status: 'confirmed' });
    const editor = await loggedIn('editor');
    const base = `/desk/stories/${story.id}`;
    const pages = {
      suggested: (await editor.post(`${base}/items/${item.id}/suggest`, { ...itemForm({ text: 'Prigozhin claimed it.', status: 'confirmed' }), op: 'suggest' })).body,
      accepted: (await editor.post(`${base}/items/new/suggest`, { ...itemForm({ text: 'Prigozhin claimed it.' }), op: 'accept', suggestedStatus: 'claimed', suggestedAttribution: 'Prigozhin' })).body,
      plain: (await editor.get(base)).body,
      // The brief editor with Previously proposed and its links as ticks.
      proposed: (await editor.post('/desk/briefs', { language: 'en', headline: 'Next', storyId: story.id, op: 'propose-previously' })).body,
    };
    expect(await vnuErrors(pages)).toEqual([]);
    expect(pages.suggested).toContain('Suggested: Claimed — attributed to Prigozhin');
    expect(pages.proposed).toContain(`name="previouslyLinks" value="${published.id}" checked`);
  });
});
