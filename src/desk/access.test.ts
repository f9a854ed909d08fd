import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_ACTOR, type StaffRole } from '../accounts/policy.js';
import { createBrief } from '../content/briefs.js';
import { addBackgroundItem } from '../content/stories.js';
import type { Db } from '../storage/database.js';
import { buildTestApp, briefInput, makeEntity, makePublishedBrief, makeStory, makeUser, type TestContext } from '../test/factories.js';
import { deskClient, loggedInStaff, type DeskClient, type FormFields } from './test-client.js';

let t: TestContext;
beforeEach(async () => { t = await buildTestApp(); });
afterEach(async () => { await t.close(); });

/** Everything a desk POST could change, so "nothing changed" is one comparison. */
async function stateOf(db: Db) {
  const count = async (table: 'briefs' | 'brief_revisions' | 'stories' | 'background_items' | 'entities' | 'users' | 'sessions' | 'events') =>
    Number((await db.selectFrom(table).select(db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  return {
    briefs: await count('briefs'), revisions: await count('brief_revisions'), stories: await count('stories'),
    items: await count('background_items'), entities: await count('entities'), users: await count('users'),
    sessions: await count('sessions'), events: await count('events'),
    statuses: (await db.selectFrom('briefs').select(['id', 'status', 'revision']).orderBy('id').execute()),
  };
}

interface Route {
  url: string;
  fields: FormFields;
  /** Whether a contributor is refused (403). */
  isEditorOnly: boolean;
}

/** Every desk POST route with a body that would succeed for an admin. */
async function seedRoutes(): Promise<Route[]> {
  const draft = await createBrief(t.deps, CLI_ACTOR, briefInput());
  const published = await makePublishedBrief(t.deps);
  const story = await makeStory(t.deps);
  const item = await addBackgroundItem(t.deps, CLI_ACTOR, story.id, { text: 'The dam was built in 1961.', status: 'confirmed' });
  const entity = await makeEntity(t.deps);
  const brief = (headline: string) => ({
    language: 'en', headline, 'sources[0][name]': 'Regional Emergency Service', 'sources[0][url]': '', 'sources[0][kind]': 'official_statement',
  });
  const story_ = { title: 'Floods in the south', summary: '', language: 'en', status: 'developing' };
  const item_ = { text: 'Officials claim the dam held.', status: 'claimed', attributionSource: '', attributionEntityId: '' };
  const entity_ = { kind: 'place', 'names[en]': 'Kherson', 'names[uk]': 'Херсон', 'names[ru]': 'Херсон', aliases: '' };
  return [
    { url: '/desk/briefs', fields: { ...brief('A new brief'), op: 'save' }, isEditorOnly: false },
    { url: `/desk/briefs/${draft.id}`, fields: { ...brief('An edited brief'), op: 'save', revision: String(draft.revision) }, isEditorOnly: false },
    { url: `/desk/briefs/${draft.id}/submit`, fields: { op: 'submit' }, isEditorOnly: false },
    { url: `/desk/briefs/${draft.id}/publish`, fields: { op: 'publish' }, isEditorOnly: true },
    { url: `/desk/briefs/${published.id}/correct`, fields: { ...brief('A corrected headline'), reason: 'The count was wrong.', revision: String(published.revision) }, isEditorOnly: true },
    { url: `/desk/briefs/${published.id}/retract`, fields: { reason: 'The source withdrew it.' }, isEditorOnly: true },
    { url: '/desk/stories', fields: story_, isEditorOnly: true },
    { url: `/desk/stories/${story.id}`, fields: story_, isEditorOnly: true },
    { url: `/desk/stories/${story.id}/items`, fields: item_, isEditorOnly: true },
    { url: `/desk/stories/${story.id}/items/${item.id}`, fields: item_, isEditorOnly: true },
    { url: '/desk/entities', fields: entity_, isEditorOnly: true },
    { url: `/desk/entities/${entity.id}`, fields: entity_, isEditorOnly: true },
    { url: '/desk/users', fields: { email: 'new.person@newsdesk.test', displayName: 'New Person', role: 'contributor' }, isEditorOnly: true },
  ];
}

const loggedIn = async (role: StaffRole): Promise<DeskClient> => (await loggedInStaff(t, role)).client;

describe('every desk POST route', () => {
  it('refuses anonymous callers (401 page or a redirect to the login) and changes nothing', async () => {
    const routes = await seedRoutes();
    const anonymous = deskClient(t.app);
    for (const route of routes) {
      const before = await stateOf(t.db);
      // With a valid CSRF token, so only the missing session can be the reason for refusal.
      const response = await anonymous.post(route.url, route.fields);
      const isRedirectToLogin = [302, 303].includes(response.statusCode) && String(response.headers.location).startsWith('/desk/login');
      expect(response.statusCode === 401 || isRedirectToLogin, `${route.url} answered ${response.statusCode}`).toBe(true);
      expect(await stateOf(t.db), route.url).toEqual(before);
    }
  });

  it('refuses a contributor everything but writing and submitting briefs, with a 403 page and no change', async () => {
    const routes = await seedRoutes();
    const contributor = await loggedIn('contributor');
    for (const route of routes.filter((r) => r.isEditorOnly)) {
      const before = await stateOf(t.db);
      const response = await contributor.post(route.url, route.fields);
      expect(response.statusCode, route.url).toBe(403);
      expect(response.headers['content-type'], route.url).toContain('text/html');
      expect(response.body, route.url).toContain('<h1>Not allowed</h1>');
      expect(await stateOf(t.db), route.url).toEqual(before);
    }
  });

  it('rejects a POST without the CSRF token with 403 and changes nothing, even for an admin', async () => {
    const routes = await seedRoutes();
    const admin = await loggedIn('admin');
    const user = await makeUser(t.db, 'editor');
    const all: Route[] = [
      ...routes,
      { url: '/desk/login', fields: { email: user.email, password: user.password }, isEditorOnly: false },
      { url: '/desk/logout', fields: {}, isEditorOnly: false },
    ];
    for (const route of all) {
      const before = await stateOf(t.db);
      const response = await admin.post(route.url, route.fields, { csrf: false });
      expect(response.statusCode, route.url).toBe(403);
      expect(await stateOf(t.db), route.url).toEqual(before);
      const forged = await admin.post(route.url, route.fields, { csrf: 'forged-token' });
      expect(forged.statusCode, route.url).toBe(403);
      expect(await stateOf(t.db), route.url).toEqual(before);
    }
  });

  it('lets an admin through every route with the same bodies (so the refusals above are about the caller)', async () => {
    const routes = await seedRoutes();
    const admin = await loggedIn('admin');
    for (const route of routes) {
      const response = await admin.post(route.url, route.fields);
      expect([201, 303], `${route.url} answered ${response.statusCode}: ${response.body.slice(0, 300)}`).toContain(response.statusCode);
    }
  });
});

describe('desk pages by role', () => {
  it('shows a contributor a 403 page for stories, entities and users, and no links to them', async () => {
    const contributor = await loggedIn('contributor');
    for (const page of ['/desk/stories', '/desk/entities', '/desk/users']) {
      const response = await contributor.get(page);
      expect(response.statusCode, page).toBe(403);
      expect(response.body, page).toContain('<h1>Not allowed</h1>');
    }
    const dashboard = await contributor.get('/desk');
    expect(dashboard.body).toContain('href="/desk/briefs/new"');
    expect(dashboard.body).not.toContain('href="/desk/stories"');
    expect(dashboard.body).not.toContain('href="/desk/users"');
  });

  it('shows the users link to admins only', async () => {
    expect((await (await loggedIn('editor')).get('/desk')).body).not.toContain('href="/desk/users"');
    expect((await (await loggedIn('admin')).get('/desk')).body).toContain('href="/desk/users"');
  });
});
