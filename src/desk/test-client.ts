import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { StaffRole } from '../accounts/policy.js';
import { makeUser, type TestContext } from '../test/factories.js';

// A browser stand-in for desk tests over app.inject: it keeps cookies between requests and
// posts urlencoded forms with the CSRF token taken from a rendered page, as a real form would.

export type FormFields = Record<string, string | string[]> | [string, string][];

/** The `_csrf` value of the first form on a page, or null when the page has none. */
export function csrfTokenIn(html: string): string | null {
  return /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? null;
}

/** Decodes the HTML entities Preact writes into attribute values and text. */
export function unescapeHtml(text: string): string {
  return text.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

export interface DeskClient {
  readonly cookies: Map<string, string>;
  get(url: string): Promise<LightMyRequestResponse>;
  /** Posts a form; adds the CSRF token unless `csrf` is false (or a token string to use instead). */
  post(url: string, fields?: FormFields, opts?: { csrf?: boolean | string }): Promise<LightMyRequestResponse>;
  /** A token valid for this client's CSRF cookie, fetched from the login page on first use. */
  csrfToken(): Promise<string>;
  /** Logs in through the form; throws unless the desk redirects. */
  logIn(email: string, password: string): Promise<LightMyRequestResponse>;
}

function toPairs(fields: FormFields): [string, string][] {
  if (Array.isArray(fields)) return fields;
  return Object.entries(fields).flatMap(([name, value]) => (Array.isArray(value) ? value.map((v): [string, string] => [name, v]) : [[name, value]]));
}

/** A new client with an empty cookie jar. */
export function deskClient(app: FastifyInstance): DeskClient {
  const cookies = new Map<string, string>();
  let token: string | null = null;

  const remember = (response: LightMyRequestResponse) => {
    for (const cookie of response.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      const isExpired = cookie.maxAge === 0 || (cookie.expires !== undefined && cookie.expires.getTime() <= Date.now());
      if (isExpired || cookie.value === '') cookies.delete(cookie.name);
      else cookies.set(cookie.name, cookie.value);
    }
    return response;
  };
  const cookieHeader = () => [...cookies].map(([name, value]) => `${name}=${value}`).join('; ');

  const client: DeskClient = {
    cookies,
    async get(url) {
      return remember(await app.inject({ method: 'GET', url, headers: cookies.size ? { cookie: cookieHeader() } : {} }));
    },
    async post(url, fields = {}, opts = {}) {
      const pairs = toPairs(fields);
      if (opts.csrf !== false) pairs.unshift(['_csrf', typeof opts.csrf === 'string' ? opts.csrf : await client.csrfToken()]);
      const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
      if (cookies.size) headers.cookie = cookieHeader();
      return remember(await app.inject({ method: 'POST', url, headers, payload: new URLSearchParams(pairs).toString() }));
    },
    async csrfToken() {
      if (token && cookies.has('nd_csrf')) return token;
      // A logged-in client is sent on from the login page, so it reads the dashboard's token.
      let page = await client.get('/desk/login');
      if (page.statusCode !== 200) page = await client.get('/desk');
      token = csrfTokenIn(page.body);
      if (!token) throw new Error(`no CSRF token on /desk/login (status ${page.statusCode})`);
      return token;
    },
    async logIn(email, password) {
      const response = await client.post('/desk/login', { email, password });
      if (response.statusCode !== 303) throw new Error(`login failed with ${response.statusCode}`);
      return response;
    },
  };
  return client;
}

/** A client logged in through the form as a new staff user of `role`, and that user. */
export async function loggedInStaff(t: Pick<TestContext, 'app' | 'db'>, role: StaffRole): Promise<{ client: DeskClient; user: Awaited<ReturnType<typeof makeUser>> }> {
  const user = await makeUser(t.db, role);
  const client = deskClient(t.app);
  await client.logIn(user.email, user.password);
  return { client, user };
}
