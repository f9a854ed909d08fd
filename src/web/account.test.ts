import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signUpReader } from '../accounts/readers.js';
import { CLI_ACTOR } from '../accounts/policy.js';
import { createBrief } from '../content/briefs.js';
import { safeReaderNext } from './account.js';
import { csrfTokenIn, deskClient, type DeskClient } from '../desk/test-client.js';
import { briefInput, buildTestApp, makePublishedBrief, makeUser, type TestContext } from '../test/factories.js';

let t: TestContext;
beforeEach(async () => { t = await buildTestApp(); });
afterEach(async () => { await t.close(); });

let counter = 0;
const newEmail = () => `reader-${Date.now().toString(36)}-${counter++}@example.org`;
const PASSWORD = 'correct horse battery';

/** Posts a form with the CSRF token of the page it came from, as a browser would. */
async function submit(client: DeskClient, pageUrl: string, action: string, fields: Record<string, string>) {
  const page = await client.get(pageUrl);
  expect(page.statusCode, `${pageUrl}: ${page.body.slice(0, 200)}`).toBe(200);
  const token = csrfTokenIn(page.body);
  expect(token).not.toBeNull();
  return client.post(action, fields, { csrf: token! });
}

const userCount = async () => (await t.db.selectFrom('users').select('id').execute()).length;

async function signedInReader(client: DeskClient, email = newEmail()) {
  const res = await submit(client, '/account/signup', '/account/signup', { displayName: 'Olena', email, password: PASSWORD });
  expect(res.statusCode).toBe(303);
  return email;
}

describe('/account/signup', () => {
  it('is a labelled, uncached form that signs the reader up and in', async () => {
    const client = deskClient(t.app);
    const page = await client.get('/account/signup');
    expect(page.headers['cache-control']).toBe('no-store');
    for (const id of ['f-displayName', 'f-email', 'f-password']) {
      expect(page.body).toContain(`<label for="${id}">`);
      expect(page.body).toContain(`id="${id}"`);
    }
    const email = newEmail();
    const res = await client.post('/account/signup', { displayName: 'Olena', email, password: PASSWORD }, { csrf: csrfTokenIn(page.body)! });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/account');
    expect(res.cookies.find((c) => c.name === 'nd_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    const account = await client.get('/account');
    expect(account.statusCode).toBe(200);
    expect(account.body).toContain('<strong>Olena</strong>');
    expect(account.body).toContain(email);
    expect(account.body).toContain('action="/account/delete"');
  });

  it('refuses a post without a CSRF token and creates nobody', async () => {
    const client = deskClient(t.app);
    await client.get('/account/signup');
    const res = await client.post('/account/signup', { displayName: 'Olena', email: newEmail(), password: PASSWORD }, { csrf: false });
    expect(res.statusCode).toBe(403);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('Form expired');
    expect(await userCount()).toBe(0);
    expect(client.cookies.has('nd_session')).toBe(false);
  });

  it('re-renders with an error at each bad field, keeping what was typed but the password', async () => {
    const client = deskClient(t.app);
    const res = await submit(client, '/account/signup', '/account/signup', { displayName: 'Olena', email: 'not-an-email', password: 'short' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toMatch(/<p class="field-error" id="f-email-error">.*Email must be a valid email<\/p>/);
    expect(res.body).toMatch(/<p class="field-error" id="f-password-error">.*Password must be at least 10 characters<\/p>/);
    expect(res.body).toContain('<a href="#f-email">');
    expect(res.body).toContain('value="not-an-email"');
    expect(res.body).toContain('value="Olena"');
    expect(res.body).not.toContain('value="short"');
    expect(await userCount()).toBe(0);
  });

  it('answers 409 with the error at the email when the address is taken', async () => {
    const email = newEmail();
    await signUpReader({ db: t.db, input: { displayName: 'First', email, password: PASSWORD } });
    const res = await submit(deskClient(t.app), '/account/signup', '/account/signup', { displayName: 'Second', email, password: PASSWORD });
    expect(res.statusCode).toBe(409);
    expect(res.body).toMatch(/id="f-email-error">.*Email is already taken<\/p>/);
    expect(await userCount()).toBe(1);
  });
});

describe('/account/login and /account/logout', () => {
  it('re-renders on a wrong password with the error at the password, then logs in', async () => {
    const email = newEmail();
    await signUpReader({ db: t.db, input: { displayName: 'Olena', email, password: PASSWORD } });
    const client = deskClient(t.app);
    const wrong = await submit(client, '/account/login', '/account/login', { email, password: 'not the password' });
    expect(wrong.statusCode).toBe(401);
    expect(wrong.body).toMatch(/id="f-password-error">.*Password does not match this email<\/p>/);
    expect(wrong.body).toContain(`value="${email}"`);
    expect(client.cookies.has('nd_session')).toBe(false);

    const right = await submit(client, '/account/login', '/account/login', { email, password: PASSWORD });
    expect(right.statusCode).toBe(303);
    expect(right.headers.location).toBe('/account');
    expect((await client.get('/account')).statusCode).toBe(200);
    // Signed in, the forms send the reader to their account page instead.
    expect((await client.get('/account/login')).headers.location).toBe('/account');
  });

  it('refuses a login post without a CSRF token', async () => {
    const email = newEmail();
    await signUpReader({ db: t.db, input: { displayName: 'Olena', email, password: PASSWORD } });
    const client = deskClient(t.app);
    await client.get('/account/login');
    const res = await client.post('/account/login', { email, password: PASSWORD }, { csrf: false });
    expect(res.statusCode).toBe(403);
    expect(client.cookies.has('nd_session')).toBe(false);
  });

  it('rate-limits login attempts to ten a minute', async () => {
    const client = deskClient(t.app);
    const token = csrfTokenIn((await client.get('/account/login')).body)!;
    for (let attempt = 1; attempt <= 10; attempt++) {
      expect((await client.post('/account/login', { email: 'nobody@example.org', password: `guess ${attempt}` }, { csrf: token })).statusCode).toBe(401);
    }
    const blocked = await client.post('/account/login', { email: 'nobody@example.org', password: 'guess 11' }, { csrf: token });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.body).toContain('Too many attempts');
  });

  it('logging out ends the session on the server', async () => {
    const client = deskClient(t.app);
    await signedInReader(client);
    const sessionId = client.cookies.get('nd_session')!;
    const res = await submit(client, '/account', '/account/logout', {});
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/');
    expect(client.cookies.has('nd_session')).toBe(false);
    expect(await t.db.selectFrom('sessions').select('id_hash').execute()).toEqual([]);
    const replay = await t.app.inject({ method: 'GET', url: '/account', headers: { cookie: `nd_session=${sessionId}` } });
    expect(replay.statusCode).toBe(302);
    expect(replay.headers.location).toBe('/account/login');
  });
});

describe('/account/delete', () => {
  it('asks for the confirmation box, then deletes the account for good', async () => {
    const client = deskClient(t.app);
    const email = await signedInReader(client);
    const unconfirmed = await submit(client, '/account', '/account/delete', {});
    expect(unconfirmed.statusCode).toBe(400);
    expect(unconfirmed.body).toMatch(/id="f-confirm-error">The confirmation box must be ticked/);
    expect(unconfirmed.body).toContain('<label for="f-confirm">');
    expect((await t.db.selectFrom('users').select('deleted_at').executeTakeFirstOrThrow()).deleted_at).toBeNull();

    const res = await submit(client, '/account', '/account/delete', { confirm: 'yes' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/account/deleted');
    expect(client.cookies.has('nd_session')).toBe(false);
    expect((await client.get('/account/deleted')).body).toContain('Account deleted');
    const row = await t.db.selectFrom('users').select(['display_name', 'email']).executeTakeFirstOrThrow();
    expect(row.display_name).toBe('deleted account');
    expect(row.email).not.toBe(email);

    const login = await submit(client, '/account/login', '/account/login', { email, password: PASSWORD });
    expect(login.statusCode).toBe(401);
    // The address is free for a new account.
    expect(await signedInReader(deskClient(t.app), email)).toBe(email);
  });

  it('is refused without a CSRF token, without a session, and for staff', async () => {
    const client = deskClient(t.app);
    await signedInReader(client);
    expect((await client.post('/account/delete', { confirm: 'yes' }, { csrf: false })).statusCode).toBe(403);
    expect((await t.db.selectFrom('users').select('deleted_at').executeTakeFirstOrThrow()).deleted_at).toBeNull();

    const anonymous = deskClient(t.app);
    expect((await submit(anonymous, '/account/login', '/account/delete', { confirm: 'yes' })).statusCode).toBe(401);

    const editor = await makeUser(t.db, 'editor');
    const staff = deskClient(t.app);
    await submit(staff, '/account/login', '/account/login', { email: editor.email, password: editor.password });
    const page = await staff.get('/account');
    expect(page.body).not.toContain('action="/account/delete"');
    expect(page.body).toContain('href="/desk"');
    expect((await staff.post('/account/delete', { confirm: 'yes' }, { csrf: csrfTokenIn(page.body)! })).statusCode).toBe(403);
  });
});

describe('a reader at the desk', () => {
  it('is refused at the desk login form, which opens no session', async () => {
    const email = newEmail();
    await signUpReader({ db: t.db, input: { displayName: 'Olena', email, password: PASSWORD } });
    const before = (await t.db.selectFrom('sessions').select('id_hash').execute()).length;
    const client = deskClient(t.app);
    const res = await client.post('/desk/login', { email, password: PASSWORD });
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('Email is not a staff account');
    expect(client.cookies.has('nd_session')).toBe(false);
    expect((await t.db.selectFrom('sessions').select('id_hash').execute()).length).toBe(before);
  });

  it('is not let into the desk with a session cookie from the site', async () => {
    const client = deskClient(t.app);
    await signedInReader(client);
    for (const url of ['/desk', '/desk/briefs/new', '/desk/users']) {
      const res = await client.get(url);
      expect(res.statusCode, url).toBe(403);
      expect(res.body).toContain('the desk is for staff only');
    }
    const token = csrfTokenIn((await client.get('/account')).body)!;
    const post = await client.post('/desk/stories', { title: 'Floods', summary: '', language: 'en' }, { csrf: token });
    expect(post.statusCode).toBe(403);
    expect(await t.db.selectFrom('stories').select('id').execute()).toEqual([]);
  });
});

describe('the site header', () => {
  it('links to the account page on every reader page, the same for everyone', async () => {
    const home = await t.app.inject({ method: 'GET', url: '/' });
    expect(home.body).toContain('<a class="account-link" href="/account">Log in / account</a>');
    expect((await t.app.inject({ method: 'GET', url: '/account' })).headers.location).toBe('/account/login');
  });
});

describe('the account pages\' language', () => {
  const htmlLang = (html: string) => /<html lang="([a-z]+)"/.exec(html)?.[1];
  const get = (url: string, acceptLanguage?: string) =>
    t.app.inject({ method: 'GET', url, headers: acceptLanguage ? { 'accept-language': acceptLanguage } : {} });

  it('follow the reader\'s Accept-Language, English otherwise, and say that they vary by it', async () => {
    const uk = await get('/account/signup', 'uk-UA,uk;q=0.9,en;q=0.5');
    expect(htmlLang(uk.body)).toBe('uk');
    expect(uk.headers.vary).toContain('accept-language');
    expect(uk.body).toContain('<h1>Створити акаунт</h1>');
    for (const label of ['Ім’я для показу', 'Електронна пошта', 'Пароль']) expect(uk.body).toMatch(new RegExp(`<label for="f-\\w+">${label}</label>`));
    expect(uk.body).not.toContain('>Display name<');

    const ru = await get('/account/login', 'ru,en;q=0.3');
    expect(htmlLang(ru.body)).toBe('ru');
    expect(ru.body).toContain('<h1>Вход</h1>');
    expect(ru.body).toContain('<label for="f-email">Электронная почта</label>');
    expect(ru.body).toContain('<button type="submit" class="primary">Войти</button>');

    const other = await get('/account/login', 'de-DE,fr;q=0.8');
    expect(htmlLang(other.body)).toBe('en');
    expect(other.body).toContain('<h1>Log in</h1>');
  });

  it('speak the language asked for by ?lang= over Accept-Language, and keep it through a failed post', async () => {
    const client = deskClient(t.app);
    const page = await client.get('/account/signup?lang=ru');
    expect(htmlLang(page.body)).toBe('ru');
    expect(page.body).toContain('<input type="hidden" name="lang" value="ru"/>');
    expect(page.body).toContain('href="/account/login?lang=ru"');
    expect(htmlLang((await get('/account/signup?lang=uk', 'ru')).body)).toBe('uk');

    const failed = await client.post('/account/signup', { displayName: 'Олена', email: 'not-an-email', password: PASSWORD, lang: 'ru' }, { csrf: csrfTokenIn(page.body)! });
    expect(failed.statusCode).toBe(400);
    expect(htmlLang(failed.body)).toBe('ru');
    expect(failed.body).toMatch(/id="f-email-error">.*Электронная почта /);
  });

  it('speak the language of the page the reader goes back to, and log them in to it', async () => {
    const story = '/uk/stories/some-story?cursor=abc';
    const client = deskClient(t.app);
    const login = await client.get(`/account/login?next=${encodeURIComponent(story)}`);
    expect(htmlLang(login.body)).toBe('uk');
    expect(login.body).toContain('<h1>Вхід</h1>');
    expect(login.body).toContain(`<input type="hidden" name="next" value="${story.replace('&', '&amp;')}"/>`);

    const email = newEmail();
    await signUpReader({ db: t.db, input: { displayName: 'Olena', email, password: PASSWORD } });
    const res = await client.post('/account/login', { email, password: PASSWORD, next: story }, { csrf: csrfTokenIn(login.body)! });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(story);

    // A brief's address has no language, but the brief has one; a draft's is not given away.
    const brief = await makePublishedBrief(t.deps, { language: 'ru' });
    expect(htmlLang((await get(`/account/signup?next=${encodeURIComponent(`/news/${brief.slug}#comments`)}`, 'en')).body)).toBe('ru');
    const draft = await createBrief(t.deps, CLI_ACTOR, briefInput({ language: 'ru' }));
    expect(htmlLang((await get(`/account/signup?next=${encodeURIComponent(`/news/${draft.slug}`)}`, 'uk')).body)).toBe('uk');
  });

  it('name the refusal in the reader\'s language', async () => {
    const client = deskClient(t.app);
    await client.get('/account/login');
    const res = await t.app.inject({
      method: 'POST', url: '/account/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'accept-language': 'uk', cookie: `nd_csrf=${client.cookies.get('nd_csrf') ?? ''}` },
      payload: new URLSearchParams({ email: 'a@example.org', password: PASSWORD }).toString(),
    });
    expect(res.statusCode).toBe(403);
    expect(htmlLang(res.body)).toBe('uk');
    expect(res.body).toContain('Форма застаріла');
  });
});

describe('safeReaderNext', () => {
  it('lets through the site\'s reader pages in every language', () => {
    for (const next of [
      '/news/dam-breach#comments', '/stories/floods', '/entities/prigozhin',
      '/uk/', '/en/?cursor=abc', '/ru/#top', '/uk/stories/floods?cursor=x', '/en/entities/wagner-group',
      '/ru/search', '/uk/search?q=%D0%9F%D1%80%D0%B8%D0%B3%D0%BE%D0%B6%D0%B8%D0%BD&lang=uk', '/uk/stories/floods/background/abc',
    ]) expect(safeReaderNext(next), next).toBe(next);
  });

  it('refuses anything off the site or outside the reader pages', () => {
    for (const next of [
      '//evil.example/', '/\\evil.example', '/\\/evil.example', 'https://evil.example/', 'javascript:alert(1)', ' /news/x',
      '/news/x\r\nSet-Cookie: a=b', '/news/x y', '/news/Пригожин', '/uk//evil.example', '/uk/searchx', '/de/stories/x', '/uk',
      '/account/delete', '/desk/briefs', '/api/v1/briefs', '/news/' + 'a'.repeat(500), 42, null,
    ]) expect(safeReaderNext(next), String(next)).toBeNull();
  });
});
