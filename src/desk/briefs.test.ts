import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StaffRole } from '../accounts/policy.js';
import { findBrief, listRevisions } from '../content/brief-repository.js';
import { briefPath, deskBriefPath } from '../web/paths.js';
import { buildTestApp, makeEntity, makeStory, type TestContext } from '../test/factories.js';
import { loggedInStaff, unescapeHtml, type DeskClient } from './test-client.js';

let t: TestContext;
beforeEach(async () => { t = await buildTestApp(); });
afterEach(async () => { await t.close(); });

const loggedIn = async (role: StaffRole): Promise<DeskClient> => (await loggedInStaff(t, role)).client;

const briefForm = (overrides: Record<string, string | string[]> = {}) => ({
  language: 'en',
  headline: 'Officials confirm the dam breach',
  storyId: '',
  dateline: '',
  'sources[0][name]': 'Regional Emergency Service',
  'sources[0][url]': 'https://example.org/statement',
  'sources[0][kind]': 'official_statement',
  'quotes[0][text]': '“Water is rising in the lower town.”',
  'quotes[0][speaker]': 'Spokesperson',
  'quotes[0][source]': '0',
  details: 'Rescuers moved **400 people** overnight.\n\n  \nThe bridge is closed.',
  previously: 'Earlier, the service reported cracks in the dam.',
  'background[0][text]': 'The dam was built in 1961.',
  'background[0][status]': 'confirmed',
  'background[0][attribution]': '',
  op: 'save',
  ...overrides,
});

const idFrom = (location: unknown) => /\/desk\/briefs\/([^/?]+)/.exec(String(location))![1]!;
const briefCount = async () => (await t.db.selectFrom('briefs').select('id').execute()).length;

describe('the brief editor', () => {
  it('lets a contributor create a draft from the form and submit it for review', async () => {
    const contributor = await loggedIn('contributor');
    const created = await contributor.post('/desk/briefs', briefForm());
    expect(created.statusCode).toBe(303);
    const id = idFrom(created.headers.location);
    const draft = (await findBrief(t.db, id))!;
    expect(draft).toMatchObject({
      status: 'draft', language: 'en', headline: 'Officials confirm the dam breach', publishedAt: null,
      sources: [{ name: 'Regional Emergency Service', url: 'https://example.org/statement', kind: 'official_statement' }],
      quotes: [{ text: '“Water is rising in the lower town.”', speaker: 'Spokesperson', sourceIndex: 0 }],
      // One paragraph a line; the blank and whitespace-only lines are dropped.
      details: ['Rescuers moved **400 people** overnight.', 'The bridge is closed.'],
      previously: ['Earlier, the service reported cracks in the dam.'],
      background: [{ text: 'The dam was built in 1961.', status: 'confirmed', attribution: null, itemId: null }],
    });

    const editor = await contributor.get(created.headers.location as string);
    expect(editor.body).toContain('Draft created.');
    expect(editor.body).toContain('>Submit for review</button>');
    expect(editor.body).not.toContain('>Publish</button>');

    const submitted = await contributor.post(`/desk/briefs/${id}/submit`, { op: 'submit' });
    expect(submitted.statusCode).toBe(303);
    expect((await findBrief(t.db, id))!.status).toBe('in_review');
  });

  it('keeps nothing of a refused publish, not even the edit the form carried', async () => {
    const editor = await loggedIn('editor');
    const noSource = { 'sources[0][name]': '', 'sources[0][url]': '', 'quotes[0][source]': '' };
    const id = idFrom((await editor.post('/desk/briefs', briefForm(noSource))).headers.location);
    const refused = await editor.post(`/desk/briefs/${id}/publish`, briefForm({ ...noSource, headline: 'An edited headline', revision: '1', op: 'publish' }));
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain('needs at least one source');
    expect(await findBrief(t.db, id)).toMatchObject({ status: 'draft', revision: 1, headline: 'Officials confirm the dam breach' });
  });

  it('lets an editor publish, then links to the public page and lists the history', async () => {
    const editor = await loggedIn('editor');
    const id = idFrom((await editor.post('/desk/briefs', briefForm())).headers.location);
    // Publishing from the editor form saves the edit in the same step.
    const form = briefForm({ headline: 'Officials confirm the breach at the dam', revision: '1', op: 'publish' });
    const published = await editor.post(`/desk/briefs/${id}/publish`, form);
    expect(published.statusCode).toBe(303);
    const brief = (await findBrief(t.db, id))!;
    expect(brief).toMatchObject({ status: 'published', headline: 'Officials confirm the breach at the dam' });
    expect((await listRevisions(t.db, id)).map((r) => r.kind)).toEqual(['publish', 'update', 'create']);

    const page = await editor.get(published.headers.location as string);
    expect(page.body).toContain(`<a href="${briefPath(brief)}">View on site</a>`);
    expect(page.body).toContain('Published.');
    expect(page.body).toContain('<h2 id="history-title">Revision history</h2>');
    expect(page.body).toMatch(/<td>3<\/td><td>publish<\/td><td>Test editor<\/td>/);
    // A published brief changes only through a correction: the form posts there and asks why.
    expect(page.body).toContain(`action="${deskBriefPath(brief)}/correct"`);
    expect(page.body).toContain('<label for="f-reason">Reason for the correction (shown to readers)</label>');
    expect(page.body).toContain(`action="${deskBriefPath(brief)}/retract"`);
  });

  it('re-renders an empty headline with status 400, the error beside the field, the typed values kept, and saves nothing', async () => {
    const editor = await loggedIn('editor');
    const response = await editor.post('/desk/briefs', briefForm({ headline: '   ', 'sources[0][name]': 'Agency <Ukrinform>' }));
    expect(response.statusCode).toBe(400);
    const html = response.body;
    expect(html).toMatch(/<label for="f-headline">Headline<\/label><p class="field-error" id="f-headline-error"><span class="visually-hidden">Error: <\/span>Headline must not be blank<\/p><input id="f-headline"/);
    expect(html).toMatch(/<input id="f-headline" name="headline" type="text" value="   " aria-describedby="f-headline-error" aria-invalid="true"/);
    expect(html).toContain('<a href="#f-headline">Headline must not be blank</a>');
    expect(unescapeHtml(html)).toContain('value="Agency <Ukrinform>"');
    expect(html).toContain('Rescuers moved **400 people** overnight.');
    expect(await briefCount()).toBe(0);
    expect(t.events).toEqual([]);
  });

  it('puts an error inside a repeated row beside that row’s input', async () => {
    const editor = await loggedIn('editor');
    const response = await editor.post('/desk/briefs', briefForm({
      'sources[1][name]': '', 'sources[1][url]': 'not a url', 'sources[1][kind]': 'media',
    }));
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('<p class="field-error" id="f-sources-1-url-error"><span class="visually-hidden">Error: </span>Source 2: URL must be an absolute URL</p>');
    expect(response.body).toContain('aria-describedby="f-sources-1-url-error"');
    expect(await briefCount()).toBe(0);
  });

  it('adds a source row with the "Add source" button, keeping what was typed and saving nothing', async () => {
    const editor = await loggedIn('editor');
    const response = await editor.post('/desk/briefs', briefForm({ op: 'add-source', headline: 'Half-written headline' }));
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('<legend>Source 2</legend>');
    expect(response.body).not.toContain('<legend>Source 3</legend>');
    expect(response.body).toContain('name="sources[1][name]"');
    expect(response.body).toContain('value="Half-written headline"');
    expect(await briefCount()).toBe(0);
    expect(t.events).toEqual([]);
  });

  it('removes a source row on an existing brief without saving, and repoints quotes that named later sources', async () => {
    const editor = await loggedIn('editor');
    const id = idFrom((await editor.post('/desk/briefs', briefForm())).headers.location);
    const eventsBefore = t.events.length;
    const response = await editor.post(`/desk/briefs/${id}`, briefForm({
      'sources[1][name]': 'Ukrinform', 'sources[1][url]': '', 'sources[1][kind]': 'news_agency', 'quotes[0][source]': '1',
      revision: '1', op: 'remove-source:0',
    }));
    expect(response.statusCode).toBe(200);
    expect(response.body).not.toContain('<legend>Source 2</legend>');
    expect(response.body).toContain('name="sources[0][name]" type="text" value="Ukrinform"');
    expect(response.body).toContain('<option value="0" selected>Source 1: Ukrinform</option>');
    expect((await findBrief(t.db, id))!.revision).toBe(1);
    expect(t.events.length).toBe(eventsBefore);
  });

  it('reads the dateline in the site’s time zone', async () => {
    const editor = await loggedIn('editor');
    // Europe/Kyiv is UTC+2 in winter.
    const id = idFrom((await editor.post('/desk/briefs', briefForm({ dateline: '2026-01-15T09:30' }))).headers.location);
    expect((await findBrief(t.db, id))!.publishedAt).toBe('2026-01-15T07:30:00.000Z');
    expect((await editor.get(`/desk/briefs/${id}`)).body).toContain('value="2026-01-15T09:30"');
  });

  it('attaches chosen entities and a story', async () => {
    const editor = await loggedIn('editor');
    const story = await makeStory(t.deps);
    const [a, b] = [await makeEntity(t.deps), await makeEntity(t.deps)];
    const id = idFrom((await editor.post('/desk/briefs', briefForm({ storyId: story.id, entityIds: [a.id, b.id] }))).headers.location);
    const brief = (await findBrief(t.db, id))!;
    expect(brief.storyId).toBe(story.id);
    expect([...brief.entityIds].sort()).toEqual([a.id, b.id].sort());
  });

  it('refuses a save from a form older than the brief, keeping the typed values', async () => {
    const editor = await loggedIn('editor');
    const id = idFrom((await editor.post('/desk/briefs', briefForm())).headers.location);
    await editor.post(`/desk/briefs/${id}`, briefForm({ headline: 'First save wins', revision: '1' }));
    const late = await editor.post(`/desk/briefs/${id}`, briefForm({ headline: 'Second save from an old tab', revision: '1' }));
    expect(late.statusCode).toBe(409);
    expect(late.body).toContain('Someone else saved this brief meanwhile');
    expect(late.body).toContain('value="Second save from an old tab"');
    expect((await findBrief(t.db, id))!.headline).toBe('First save wins');
  });

  it('does not let a contributor publish even with a full form, and saves none of it', async () => {
    const contributor = await loggedIn('contributor');
    const id = idFrom((await contributor.post('/desk/briefs', briefForm())).headers.location);
    const response = await contributor.post(`/desk/briefs/${id}/publish`, briefForm({ headline: 'Sneaky', revision: '1', op: 'publish' }));
    expect(response.statusCode).toBe(403);
    expect((await findBrief(t.db, id))).toMatchObject({ status: 'draft', headline: 'Officials confirm the dam breach', revision: 1 });
  });

  it('corrects with a required reason and retracts a published brief', async () => {
    const editor = await loggedIn('editor');
    const id = idFrom((await editor.post('/desk/briefs', briefForm())).headers.location);
    await editor.post(`/desk/briefs/${id}/publish`, { op: 'publish' });

    const noReason = await editor.post(`/desk/briefs/${id}/correct`, briefForm({ headline: 'Corrected', reason: '', revision: '2' }));
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain('id="f-reason-error"');
    expect((await findBrief(t.db, id))!.status).toBe('published');

    const corrected = await editor.post(`/desk/briefs/${id}/correct`, briefForm({ headline: 'Corrected', reason: 'The count was wrong.', revision: '2' }));
    expect(corrected.statusCode).toBe(303);
    expect((await findBrief(t.db, id))).toMatchObject({ status: 'corrected', headline: 'Corrected', correctionReason: 'The count was wrong.' });

    const retracted = await editor.post(`/desk/briefs/${id}/retract`, { reason: 'The source withdrew it.' });
    expect(retracted.statusCode).toBe(303);
    expect((await findBrief(t.db, id))).toMatchObject({ status: 'retracted', retractionReason: 'The source withdrew it.' });
    const history = (await editor.get(`/desk/briefs/${id}`)).body;
    expect(history).toContain('<td>The source withdrew it.</td>');
    expect(history).toContain('<td>The count was wrong.</td>');
  });
});

describe('the preview', () => {
  it('is byte for byte the page readers get', async () => {
    const editor = await loggedIn('editor');
    const id = idFrom((await editor.post('/desk/briefs', briefForm())).headers.location);
    await editor.post(`/desk/briefs/${id}/publish`, { op: 'publish' });
    const brief = (await findBrief(t.db, id))!;
    const preview = await editor.get(`/desk/briefs/${id}/preview`);
    const reader = await t.app.inject({ method: 'GET', url: briefPath(brief) });
    expect(preview.statusCode).toBe(200);
    expect(reader.statusCode).toBe(200);
    expect(preview.body).toBe(reader.body);
    expect(preview.headers['cache-control']).toBe('no-store');
    expect(preview.headers['x-robots-tag']).toBe('noindex, nofollow');
  });

  it('shows a draft, which readers cannot see', async () => {
    const editor = await loggedIn('editor');
    const created = await editor.post('/desk/briefs', briefForm({ op: 'preview' }));
    expect(created.headers.location).toMatch(/\/preview$/);
    const preview = await editor.get(created.headers.location as string);
    expect(preview.statusCode).toBe(200);
    expect(preview.body).toContain('<h1>Officials confirm the dam breach</h1>');
    expect(preview.body).toContain('Rescuers moved <strong>400 people</strong> overnight.');
  });
});
