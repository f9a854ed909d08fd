import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StaffRole } from '../accounts/policy.js';
import { findEntity } from '../content/entities.js';
import { findStory, listBackground } from '../content/stories.js';
import { buildTestApp, makeEntity, makeUser, type TestContext } from '../test/factories.js';
import { deskClient, loggedInStaff, type DeskClient } from './test-client.js';

let t: TestContext;
beforeEach(async () => { t = await buildTestApp(); });
afterEach(async () => { await t.close(); });

const loggedIn = async (role: StaffRole): Promise<DeskClient> => (await loggedInStaff(t, role)).client;

const idFrom = (location: unknown, kind: string) => new RegExp(`/desk/${kind}/([^/?]+)`).exec(String(location))![1]!;

describe('stories on the desk', () => {
  it('creates a story, edits it, and keeps its background ledger', async () => {
    const editor = await loggedIn('editor');
    const entity = await makeEntity(t.deps, 'Regional Emergency Service');
    const created = await editor.post('/desk/stories', { title: 'Dam breach on the Dnipro', summary: 'Developing.', language: 'en', status: 'developing' });
    expect(created.statusCode).toBe(303);
    const id = idFrom(created.headers.location, 'stories');

    await editor.post(`/desk/stories/${id}`, { title: 'Dam breach on the Dnipro river', summary: '', language: 'en', status: 'concluded' });
    expect(await findStory(t.db, id)).toMatchObject({ title: 'Dam breach on the Dnipro river', status: 'concluded' });

    const added = await editor.post(`/desk/stories/${id}/items`, { text: 'Officials claim the dam held.', status: 'claimed', attributionSource: 'Governor', attributionEntityId: entity.id });
    expect(added.statusCode).toBe(303);
    const [item] = await listBackground(t.db, id);
    expect(item).toMatchObject({ text: 'Officials claim the dam held.', status: 'claimed', attributionSource: 'Governor', attributionEntityId: entity.id });

    await editor.post(`/desk/stories/${id}/items/${item!.id}`, { text: 'The dam did not hold.', status: 'denied', attributionSource: '', attributionEntityId: entity.id });
    expect((await listBackground(t.db, id))[0]).toMatchObject({ text: 'The dam did not hold.', status: 'denied', attributionSource: null, attributionEntityId: entity.id });

    const page = await editor.get(`/desk/stories/${id}?done=item-saved`);
    expect(page.body).toContain('Background item saved.');
    expect(page.body).toContain('<legend>Background item 1</legend>');
    expect(page.body).toContain(`<option value="${entity.id}" selected>Regional Emergency Service</option>`);
  });

  it('shows an empty title error at the title field and creates nothing', async () => {
    const editor = await loggedIn('editor');
    const response = await editor.post('/desk/stories', { title: ' ', summary: 'kept', language: 'en', status: 'developing' });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('id="f-title-error"');
    expect(response.body).toContain('kept</textarea>');
    expect(await t.db.selectFrom('stories').select('id').execute()).toEqual([]);
  });

  it('answers 404 for an item that belongs to another story', async () => {
    const editor = await loggedIn('editor');
    const first = idFrom((await editor.post('/desk/stories', { title: 'One', language: 'en' })).headers.location, 'stories');
    const second = idFrom((await editor.post('/desk/stories', { title: 'Two', language: 'en' })).headers.location, 'stories');
    await editor.post(`/desk/stories/${first}/items`, { text: 'Item of one.', status: 'confirmed' });
    const [item] = await listBackground(t.db, first);
    const response = await editor.post(`/desk/stories/${second}/items/${item!.id}`, { text: 'Hijacked.', status: 'denied' });
    expect(response.statusCode).toBe(404);
    expect((await listBackground(t.db, first))[0]!.text).toBe('Item of one.');
  });
});

describe('entities on the desk', () => {
  it('creates and edits an entity with comma-separated aliases', async () => {
    const editor = await loggedIn('editor');
    const created = await editor.post('/desk/entities', { kind: 'place', 'names[en]': 'Kherson', 'names[uk]': 'Херсон', 'names[ru]': 'Херсон', aliases: 'Cherson, , Kherson city ' });
    expect(created.statusCode).toBe(303);
    const id = idFrom(created.headers.location, 'entities');
    expect(await findEntity(t.db, id)).toMatchObject({ kind: 'place', names: { en: 'Kherson', uk: 'Херсон', ru: 'Херсон' }, aliases: ['Cherson', 'Kherson city'] });
    const page = await editor.get(`/desk/entities/${id}`);
    expect(page.body).toContain('value="Cherson, Kherson city"');
    await editor.post(`/desk/entities/${id}`, { kind: 'organisation', 'names[en]': 'Kherson council', 'names[uk]': '', 'names[ru]': '', aliases: '' });
    expect(await findEntity(t.db, id)).toMatchObject({ kind: 'organisation', names: { en: 'Kherson council', uk: '', ru: '' }, aliases: [] });
  });

  it('asks for a name in at least one language, at the English name', async () => {
    const editor = await loggedIn('editor');
    const response = await editor.post('/desk/entities', { kind: 'person', 'names[en]': '', 'names[uk]': ' ', 'names[ru]': '', aliases: '' });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('<a href="#f-names-en">Name in English needs a name in at least one language</a>');
  });
});

describe('users on the desk', () => {
  it('creates a user and shows the generated password once, which then logs in', async () => {
    const admin = await loggedIn('admin');
    const response = await admin.post('/desk/users', { email: 'Reporter@Newsdesk.test', displayName: 'A Reporter', role: 'contributor' });
    expect(response.statusCode).toBe(201);
    const password = /<code class="secret">([^<]+)<\/code>/.exec(response.body)?.[1];
    expect(password).toBeTruthy();
    const reporter = deskClient(t.app);
    await reporter.logIn('reporter@newsdesk.test', password!);
    expect((await reporter.get('/desk')).body).toContain('Signed in as A Reporter (Contributor)');
    // Shown once: the list page never carries it.
    expect((await admin.get('/desk/users')).body).not.toContain(password!);
  });

  it('shows a taken email at the email field', async () => {
    const admin = await loggedIn('admin');
    const existing = await makeUser(t.db, 'editor');
    const response = await admin.post('/desk/users', { email: existing.email, displayName: 'Twin', role: 'editor' });
    expect(response.statusCode).toBe(409);
    expect(response.body).toContain('<a href="#f-email">Email is already taken</a>');
  });
});
