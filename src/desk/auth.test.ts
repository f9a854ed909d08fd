import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createBrief } from '../content/briefs.js';
import { CLI_ACTOR } from '../accounts/policy.js';
import { buildTestApp, briefInput, makeEntity, makeStory, makeUser, type TestContext } from '../test/factories.js';
import { safeNext } from './auth.js';
import { deskClient } from './test-client.js';

let t: TestContext;
beforeEach(async () => { t = await buildTestApp(); });
afterEach(async () => { await t.close(); });

describe('desk login', () => {
  it('sets an HttpOnly, SameSite=Lax session cookie and lands on the dashboard', async () => {
    const editor = await makeUser(t.db, 'editor');
    const client = deskClient(t.app);
    const response = await client.post('/desk/login', { email: editor.email, password: editor.password });
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/desk');
    const session = response.cookies.find((c) => c.name === 'nd_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    // The test config is plain http, so the cookie must not be Secure (it would never be sent back).
    expect(session!.secure).toBeFalsy();
    const dashboard = await client.get('/desk');
    expect(dashboard.statusCode).toBe(200);
    expect(dashboard.body).toContain('Signed in as Test editor');
  });

  it('re-renders the form on a wrong password, with the error at the password field and the email kept', async () => {
    const editor = await makeUser(t.db, 'editor');
    const client = deskClient(t.app);
    const response = await client.post('/desk/login', { email: editor.email, password: 'not the password' });
    expect(response.statusCode).toBe(401);
    expect(client.cookies.has('nd_session')).toBe(false);
    expect(response.body).toContain(`value="${editor.email}"`);
    expect(response.body).toMatch(/<p class="field-error" id="f-password-error">.*Password does not match this email<\/p>/);
    expect(response.body).toContain('aria-describedby="f-password-error"');
    expect(response.body).toContain('<a href="#f-password">Password does not match this email</a>');
    expect(await t.db.selectFrom('sessions').select('id_hash').execute()).toEqual([]);
  });

  it('returns to the page that asked for a login, but never to another site', async () => {
    const editor = await makeUser(t.db, 'editor');
    const client = deskClient(t.app);
    const login = await client.get('/desk/login?next=%2Fdesk%2Fstories');
    expect(login.body).toContain('name="next" value="/desk/stories"');
    const response = await client.post('/desk/login', { email: editor.email, password: editor.password, next: '/desk/stories' });
    expect(response.headers.location).toBe('/desk/stories');
    expect(safeNext('//evil.example/desk')).toBeNull();
    expect(safeNext('https://evil.example/desk')).toBeNull();
    expect(safeNext('/desk\\@evil.example')).toBeNull();
    expect(safeNext('/desktop')).toBeNull();
    expect(safeNext('/desk/briefs/x?done=saved')).toBe('/desk/briefs/x?done=saved');
  });

  it('allows ten login attempts a minute from one address and answers 429 to the eleventh', async () => {
    const client = deskClient(t.app);
    for (let attempt = 1; attempt <= 10; attempt++) {
      const response = await client.post('/desk/login', { email: 'nobody@newsdesk.test', password: `guess ${attempt}` });
      expect(response.statusCode, `attempt ${attempt}`).toBe(401);
    }
    const blocked = await client.post('/desk/login', { email: 'nobody@newsdesk.test', password: 'guess 11' });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers['content-type']).toContain('text/html');
    expect(blocked.body).toContain('Too many attempts');
  });

  it('logging out ends the session on the server, not only in the browser', async () => {
    const editor = await makeUser(t.db, 'editor');
    const client = deskClient(t.app);
    await client.logIn(editor.email, editor.password);
    const sessionId = client.cookies.get('nd_session')!;
    const response = await client.post('/desk/logout');
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe('/desk/login');
    expect(client.cookies.has('nd_session')).toBe(false);
    expect(await t.db.selectFrom('sessions').select('id_hash').execute()).toEqual([]);
    // Replaying the old cookie must not work either.
    const replay = await t.app.inject({ method: 'GET', url: '/desk', headers: { cookie: `nd_session=${sessionId}` } });
    expect(replay.statusCode).toBe(302);
  });
});

describe('anonymous visitors', () => {
  it('are sent from every desk page to the login form, which brings them back', async () => {
    const brief = await createBrief(t.deps, CLI_ACTOR, briefInput());
    const story = await makeStory(t.deps);
    const entity = await makeEntity(t.deps);
    const pages = [
      '/desk', '/desk/briefs/new', `/desk/briefs/${brief.id}`, `/desk/briefs/${brief.id}/preview`, '/desk/stories',
      `/desk/stories/${story.id}`, '/desk/entities', `/desk/entities/${entity.id}`, '/desk/users',
    ];
    const client = deskClient(t.app);
    for (const page of pages) {
      const response = await client.get(page);
      expect(response.statusCode, page).toBe(302);
      expect(response.headers.location, page).toBe(`/desk/login?next=${encodeURIComponent(page)}`);
      expect(response.body, page).not.toContain(brief.headline);
    }
  });

  it('get a login page that is a complete form with a CSRF token', async () => {
    const page = await deskClient(t.app).get('/desk/login');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<label for="f-email">Email</label>');
    expect(page.body).toContain('<label for="f-password">Password</label>');
    expect(page.body).toMatch(/name="_csrf" value="[^"]+"/);
    expect(page.headers['cache-control']).toBe('no-store');
  });
});
