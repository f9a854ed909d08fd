import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { briefInput, buildTestApp, makeToken, makeUser, type TestContext } from '../test/factories.js';

let t: TestContext;
beforeEach(async () => { t = await buildTestApp(); });
afterEach(async () => { await t.close(); });

let counter = 0;
const newEmail = () => `reader-${Date.now().toString(36)}-${counter++}@example.org`;
const PASSWORD = 'correct horse battery';

const signUp = (payload: object) => t.app.inject({ method: 'POST', url: '/api/v1/auth/signup', payload });
const logInApi = (email: string, password: string) => t.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });
const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const logOutApi = (token: string) => t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: bearer(token) });
const deleteAccount = (token: string) => t.app.inject({ method: 'DELETE', url: '/api/v1/auth/account', headers: bearer(token) });

async function newReader(email = newEmail()) {
  const res = await signUp({ displayName: 'Olena', email, password: PASSWORD });
  expect(res.statusCode, res.body).toBe(201);
  return { email, token: res.json<{ token: string }>().token, res };
}

describe('POST /api/v1/auth/signup', () => {
  it('answers a session token and the user, and sets the HttpOnly, SameSite=Lax session cookie', async () => {
    const { token, res } = await newReader();
    const body = res.json<{ token: string; user: Record<string, unknown> }>();
    expect(token).toMatch(/^nds_[A-Za-z0-9_-]{20,}$/);
    expect(body.user).toEqual({ id: expect.any(String), displayName: 'Olena', role: 'reader', isStaff: false });
    const cookie = res.cookies.find((c) => c.name === 'nd_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    expect(cookie!.secure).toBeFalsy();
    // The cookie holds the same session as the token: the site knows the reader by it.
    expect(`nds_${cookie!.value}`).toBe(token);
    const page = await t.app.inject({ method: 'GET', url: '/account', headers: { cookie: `nd_session=${cookie!.value}` } });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<strong>Olena</strong>');
    // And the token works as a bearer.
    expect((await logOutApi(token)).statusCode).toBe(204);
  });

  it('answers 409 naming email when the address is taken', async () => {
    const { email } = await newReader();
    const res = await signUp({ displayName: 'Someone else', email, password: PASSWORD });
    expect(res.statusCode).toBe(409);
    expect(res.json().error.fields).toEqual([{ path: 'email', reason: 'is already taken' }]);
    expect(res.cookies.find((c) => c.name === 'nd_session')).toBeUndefined();
  });

  it('answers 400 naming a bad email, a short password or a blank name, and creates nobody', async () => {
    const cases: [object, string][] = [
      [{ displayName: 'A', email: 'not an email', password: PASSWORD }, 'email'],
      [{ displayName: 'A', email: newEmail(), password: 'short' }, 'password'],
      [{ displayName: '   ', email: newEmail(), password: PASSWORD }, 'displayName'],
      [{ email: newEmail(), password: PASSWORD }, 'displayName'],
    ];
    for (const [payload, field] of cases) {
      const res = await signUp(payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json<{ error: { fields: { path: string }[] } }>().error.fields.map((f) => f.path)).toEqual([field]);
    }
    expect(await t.db.selectFrom('users').select('id').execute()).toEqual([]);
  });
});

describe('POST /api/v1/auth/login', () => {
  it('signs readers and staff in alike, telling them apart by isStaff', async () => {
    const { email } = await newReader();
    const reader = await logInApi(email, PASSWORD);
    expect(reader.statusCode).toBe(200);
    expect(reader.json()).toMatchObject({ token: expect.stringMatching(/^nds_/), user: { role: 'reader', isStaff: false } });
    expect(reader.cookies.find((c) => c.name === 'nd_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });

    const editor = await makeUser(t.db, 'editor');
    const staff = await logInApi(editor.email, editor.password);
    expect(staff.statusCode).toBe(200);
    expect(staff.json().user).toEqual({ id: editor.id, displayName: 'Test editor', role: 'editor', isStaff: true });
  });

  it('answers 401 naming password for a wrong password or an unknown email', async () => {
    const { email } = await newReader();
    for (const [who, password] of [[email, 'wrong password!'], [newEmail(), PASSWORD]] as const) {
      const res = await logInApi(who, password);
      expect(res.statusCode).toBe(401);
      expect(res.json().error).toMatchObject({ code: 'bad_credentials', fields: [{ path: 'password', reason: 'does not match this email' }] });
      expect(res.cookies.find((c) => c.name === 'nd_session')).toBeUndefined();
    }
  });

  it('allows ten attempts a minute from one address and answers 429 to the eleventh', async () => {
    for (let attempt = 1; attempt <= 10; attempt++) {
      expect((await logInApi('nobody@example.org', `guess ${attempt}`)).statusCode, `attempt ${attempt}`).toBe(401);
    }
    expect((await logInApi('nobody@example.org', 'guess 11')).statusCode).toBe(429);
  });
});

describe('POST /api/v1/auth/logout', () => {
  it('ends the session: the token and the cookie stop working', async () => {
    const { token } = await newReader();
    const res = await logOutApi(token);
    expect(res.statusCode).toBe(204);
    expect(res.cookies.find((c) => c.name === 'nd_session')?.value).toBe('');
    expect(await t.db.selectFrom('sessions').select('id_hash').execute()).toEqual([]);
    const again = await logOutApi(token);
    expect(again.statusCode).toBe(401);
    expect(again.headers['www-authenticate']).toContain('Bearer');
    const page = await t.app.inject({ method: 'GET', url: '/account', headers: { cookie: `nd_session=${token.slice(4)}` } });
    expect(page.statusCode).toBe(302);
  });

  it('answers 401 with no header, an API token, or a made-up session token', async () => {
    const apiToken = (await makeToken(t.db, 'admin')).token;
    expect((await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout' })).statusCode).toBe(401);
    expect((await logOutApi(apiToken)).statusCode).toBe(401);
    expect((await logOutApi('nds_made-up')).statusCode).toBe(401);
    expect((await logOutApi('nds_')).statusCode).toBe(401);
  });
});

describe('DELETE /api/v1/auth/account', () => {
  it('deletes the reader: the token dies, logging in fails, the email can sign up again', async () => {
    const { email, token, res } = await newReader();
    const userId = res.json<{ user: { id: string } }>().user.id;
    const deleted = await deleteAccount(token);
    expect(deleted.statusCode).toBe(204);
    expect((await logOutApi(token)).statusCode).toBe(401);
    expect((await logInApi(email, PASSWORD)).statusCode).toBe(401);
    const row = await t.db.selectFrom('users').select(['display_name', 'deleted_at']).where('id', '=', userId).executeTakeFirstOrThrow();
    expect(row.display_name).toBe('deleted account');
    expect(row.deleted_at).not.toBeNull();
    const again = await newReader(email);
    expect(again.res.json().user.id).not.toBe(userId);
  });

  it('refuses staff sessions with 403 and anonymous callers with 401', async () => {
    const editor = await makeUser(t.db, 'editor');
    const token = (await logInApi(editor.email, editor.password)).json<{ token: string }>().token;
    expect((await deleteAccount(token)).statusCode).toBe(403);
    expect((await logInApi(editor.email, editor.password)).statusCode).toBe(200);
    expect((await t.app.inject({ method: 'DELETE', url: '/api/v1/auth/account' })).statusCode).toBe(401);
  });
});

describe('a reader against the staff API', () => {
  it('cannot write with their session token', async () => {
    const { token } = await newReader();
    const writes = [
      { method: 'POST' as const, url: '/api/v1/briefs', payload: briefInput() },
      { method: 'POST' as const, url: '/api/v1/stories', payload: { title: 'Floods', language: 'en' } },
      { method: 'POST' as const, url: '/api/v1/entities', payload: { kind: 'place', names: { en: 'Kherson', uk: 'Херсон', ru: 'Херсон' } } },
    ];
    for (const write of writes) {
      const res = await t.app.inject({ ...write, headers: bearer(token) });
      expect([401, 403], `${write.url}: ${res.body}`).toContain(res.statusCode);
    }
    expect(await t.db.selectFrom('events').select('id').execute()).toEqual([]);
  });
});
