import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, launchBrowser, recordPageErrors, startSite, type RunningSite } from './support.js';

// A headline that tries to end the JSON-LD script and start one of its own, published through the
// real API and opened in Chromium: the browser must see one inert data block and no dialog.

const HEADLINE = 'Breaking </script><script>alert(1)</script> news';

let site: RunningSite;
let browser: Browser;

beforeAll(async () => {
  site = await startSite();
  browser = await launchBrowser();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await site?.stop();
});

describe('JSON-LD in Chromium', () => {
  it('keeps a headline with a closing script tag inside its JSON-LD', { timeout: 60_000 }, async () => {
    const token = cli(site, ['token', 'create', '--role', 'editor']).trim();
    const created = await fetch(`${site.url}/api/v1/briefs`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ language: 'en', headline: HEADLINE, sources: [{ name: 'Own correspondent', kind: 'own_correspondent' }] }),
    });
    expect(created.status).toBe(201);
    const { id } = (await created.json()) as { id: string };
    const published = await fetch(`${site.url}/api/v1/briefs/${id}/publish`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
    expect(published.status).toBe(200);
    const { slug } = (await published.json()) as { slug: string };

    const page = await browser.newPage();
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(`${dialog.type()}: ${dialog.message()}`);
      void dialog.dismiss();
    });
    const errors = recordPageErrors(page, 'brief');
    const response = await page.goto(`${site.url}/news/${encodeURIComponent(slug)}`, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);

    await expect(page.getByRole('heading', { level: 1 }).innerText()).resolves.toBe(HEADLINE);
    // What the browser parsed: every script element, its type and text.
    const scripts = await page.locator('script').evaluateAll((nodes) => nodes.map((n) => ({ type: n.getAttribute('type'), text: n.textContent ?? '' })));
    expect(scripts.filter((s) => s.text.includes('alert(1)')).map((s) => s.type)).toEqual(['application/ld+json', 'application/ld+json']);
    const ld = scripts.filter((s) => s.type === 'application/ld+json').map((s) => JSON.parse(s.text) as Record<string, unknown>);
    const article = ld.find((data) => data['@type'] === 'NewsArticle');
    expect(article?.headline).toBe(HEADLINE);
    expect(ld.find((data) => data['@type'] === 'BreadcrumbList')).toBeDefined();

    expect(dialogs).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
