import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, cli, htmlCheckerErrors, launchBrowser, recordPageErrors, startSite, type RunningSite } from './support.js';

// Issue 4 end to end: a reader keeps a developing story open while the desk publishes a brief in
// it; the reader's page offers "1 new update" without moving, a click shows the brief in the
// timeline, and the reader opens it. The story page switches language through its language
// links, a brief leads to its translation through its "Also in" links, and the story, entity and
// search pages pass axe and the HTML checker in uk, en and ru.

const LANGUAGES = ['uk', 'en', 'ru'] as const;
const STORY_TITLE = 'Dam breach at the Zoriane Reservoir';
const ENTITY_NAME = 'Ostap Levchyshyn';
const HEADLINE = 'Divers find the breach in the Zoriane dam narrower than first feared';
const EDITOR = { name: 'Olena K.', email: 'olena@newsroom.test' };
// A key event of the demo story, published in English and linked to its Ukrainian translation.
const TRANSLATED = {
  en: 'Water breaches the Zoriane dam above Verkhnia Zoria; emergency service tells the lower town to leave',
  uk: 'Вода прорвала греблю Зорянського водосховища, мешканців нижньої частини Верхньої Зорі закликають виїхати',
};

let site: RunningSite;
let browser: Browser;
/** A reader, not signed in, who keeps the story open. */
let reader: Page;
let desk: Page;
const pageErrors: string[] = [];
let story: { id: string; slug: string };
let entity: { slug: string };

type MarkedWindow = Window & { __noReload?: boolean };
/** True while the page is the same document the mark was set in: a reload or navigation loses it. */
const isSameDocument = (page: Page) => page.evaluate(() => (window as MarkedWindow).__noReload === true);
const markDocument = (page: Page) => page.evaluate(() => { (window as MarkedWindow).__noReload = true; });
/** The "N new updates" button in the page's live spot. */
const updatesButton = (page: Page) => page.locator('.live-updates').getByRole('button');
const storyPath = (language: string) => `/${language}/stories/${story.slug}`;

async function newPage(label: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  page.setDefaultTimeout(10_000);
  recordPageErrors(page, label, pageErrors);
  return page;
}

/** Opens a story page and waits until its event stream is open (the server listens before answering). */
async function openStory(page: Page, language: string): Promise<void> {
  const listening = page.waitForResponse((r) => new URL(r.url()).pathname === `/live/stories/${story.id}` && r.status() === 200);
  await page.goto(`${site.url}${storyPath(language)}`);
  await listening;
}

beforeAll(async () => {
  site = await startSite();
  browser = await launchBrowser();
  reader = await newPage('reader');
  desk = await newPage('desk');
  const stories = (await (await fetch(`${site.url}/api/v1/stories`)).json()) as { items: { id: string; slug: string; title: string }[] };
  story = stories.items.find((s) => s.title === STORY_TITLE)!;
  expect(story).toBeDefined();
  const entities = (await (await fetch(`${site.url}/api/v1/entities`)).json()) as { items: { slug: string; names: { en: string } }[] };
  entity = entities.items.find((e) => e.names.en === ENTITY_NAME)!;
  expect(entity).toBeDefined();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await site?.stop();
});

describe('a developing story, read live and in three languages, in Chromium', { timeout: 180_000 }, () => {
  it('a reader on the story page sees "1 new update" when the desk publishes, clicks it and opens the brief', async () => {
    await openStory(reader, 'en');
    const spot = reader.locator('.live-updates');
    // The plain link readers without JavaScript use is there until there is news.
    await expect(spot.getByRole('link', { name: 'Check for new updates' }).getAttribute('href')).resolves.toBe(storyPath('en'));
    await expect(reader.getByRole('link', { name: HEADLINE }).count()).resolves.toBe(0);
    const firstBrief = reader.locator('main .brief-list > li').first();
    const firstBriefBefore = await firstBrief.boundingBox();
    expect(firstBriefBefore).not.toBeNull();
    await markDocument(reader);
    // Another reader keeps the English home page open.
    const home = await newPage('home');
    const homeListening = home.waitForResponse((r) => `${new URL(r.url()).pathname}${new URL(r.url()).search}` === '/live/briefs?lang=en' && r.status() === 200);
    await home.goto(`${site.url}/en/`);
    await homeListening;

    // The desk, in its own browser context: an editor writes and publishes a brief in the story.
    const password = cli(site, ['users', 'create', '--email', EDITOR.email, '--name', EDITOR.name, '--role', 'editor']).trim();
    await desk.goto(`${site.url}/desk/login`);
    await desk.getByLabel('Email').fill(EDITOR.email);
    await desk.getByLabel('Password').fill(password);
    await desk.getByRole('button', { name: 'Log in' }).click();
    await desk.getByRole('link', { name: 'New brief' }).first().click();
    await desk.getByLabel('Language').selectOption('en');
    await desk.getByLabel('Headline').fill(HEADLINE);
    await desk.getByLabel('Story (optional)').selectOption({ label: STORY_TITLE });
    const source = desk.getByRole('group', { name: 'Source 1' });
    await source.getByLabel('Name').fill('Our correspondent in Verkhnia Zoria');
    await source.getByLabel('Kind').selectOption({ label: 'Own correspondent' });
    await desk.getByLabel('Details').fill('Divers measured the gap at eleven metres.');
    await desk.getByRole('button', { name: 'Save draft' }).click();
    await desk.getByText('Draft created.').waitFor();
    // A saved draft is no news for readers: the publication below must be the first and only one.
    await desk.getByRole('button', { name: 'Publish' }).click();
    await desk.getByText('Published.').waitFor();

    // The reader's page, without reloading, offers the update in the same spot: nothing moved.
    await updatesButton(reader).filter({ hasText: '1 new update' }).waitFor();
    await expect(updatesButton(reader).innerText()).resolves.toBe('1 new update');
    await expect(spot.getAttribute('aria-live')).resolves.toBe('polite');
    expect(await firstBrief.boundingBox()).toEqual(firstBriefBefore);
    await expect(reader.getByRole('link', { name: HEADLINE }).count()).resolves.toBe(0);
    await expect(isSameDocument(reader)).resolves.toBe(true);
    expect(await axeViolations(reader)).toEqual([]);
    await updatesButton(home).filter({ hasText: '1 new update' }).waitFor();
    await updatesButton(home).click();
    await home.locator('main .brief-list').getByRole('link', { name: HEADLINE }).waitFor();
    await home.close();

    // A click loads the story afresh, with the new brief in its timeline; the reader opens it.
    await updatesButton(reader).click();
    const newBrief = reader.locator('main .brief-list').getByRole('link', { name: HEADLINE });
    await newBrief.waitFor();
    expect(new URL(reader.url()).pathname).toBe(storyPath('en'));
    await expect(isSameDocument(reader)).resolves.toBe(false);
    await expect(reader.locator('.live-updates').getByRole('link', { name: 'Check for new updates' }).count()).resolves.toBe(1);
    await newBrief.click();
    await expect(reader.getByRole('heading', { level: 1 }).innerText()).resolves.toBe(HEADLINE);
    expect(pageErrors).toEqual([]);
  });

  it('the story page switches language through its language links, and its live button speaks the language', async () => {
    await openStory(reader, 'en');
    const listening = reader.waitForResponse((r) => new URL(r.url()).pathname === `/live/stories/${story.id}` && r.status() === 200);
    await reader.locator('header').getByRole('link', { name: 'Українська' }).click();
    await listening;
    expect(new URL(reader.url()).pathname).toBe(storyPath('uk'));
    await expect(reader.locator('html').getAttribute('lang')).resolves.toBe('uk');
    await expect(reader.locator('.live-updates').getByRole('link', { name: 'Перевірити, чи є нові оновлення' }).count()).resolves.toBe(1);
    await markDocument(reader);

    // Two briefs through the API this time, one Ukrainian, one Russian: the story's readers hear
    // of both, whatever language their page is in.
    const token = cli(site, ['token', 'create', '--role', 'editor']).trim();
    for (const [language, headline] of [['uk', 'Водолази оглянули пролом у греблі'], ['ru', 'Водолазы осмотрели пролом в плотине']] as const) {
      const created = await fetch(`${site.url}/api/v1/briefs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ language, headline, storyId: story.id, sources: [{ name: 'Власний кореспондент', kind: 'own_correspondent' }] }),
      });
      expect(created.status).toBe(201);
      const { id } = (await created.json()) as { id: string };
      const published = await fetch(`${site.url}/api/v1/briefs/${id}/publish`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
      expect(published.status).toBe(200);
      if (language === 'uk') await updatesButton(reader).filter({ hasText: '1 нове оновлення' }).waitFor();
    }
    await updatesButton(reader).filter({ hasText: '2 нові оновлення' }).waitFor();
    await expect(isSameDocument(reader)).resolves.toBe(true);
    expect(await axeViolations(reader)).toEqual([]);
    await updatesButton(reader).click();
    await reader.locator('main .brief-list').getByRole('link', { name: 'Водолази оглянули пролом у греблі' }).waitFor();
    expect(new URL(reader.url()).pathname).toBe(storyPath('uk'));
    expect(pageErrors).toEqual([]);
  });

  it('a brief leads to its translation through "Also in", and the page then speaks the translation\'s language', async () => {
    await reader.goto(`${site.url}${storyPath('en')}`);
    await reader.locator('#key-events').getByRole('link', { name: TRANSLATED.en }).click();
    await expect(reader.getByRole('heading', { level: 1 }).innerText()).resolves.toBe(TRANSLATED.en);
    await expect(reader.locator('html').getAttribute('lang')).resolves.toBe('en');
    const englishPath = new URL(reader.url()).pathname;
    expect(englishPath).toMatch(/^\/news\//);
    const alsoIn = reader.locator('main .brief-translations');
    await expect(alsoIn.innerText()).resolves.toContain('Also in');
    // The HTML checker reads what the server sent, not the DOM the scripts may have touched since.
    const served = async (path: string) => (await fetch(`${site.url}${path}`)).text();
    const pages: Record<string, string> = { 'brief-en': await served(englishPath) };
    expect(await axeViolations(reader)).toEqual([]);

    const toUkrainian = alsoIn.getByRole('link', { name: 'Українська' });
    await expect(toUkrainian.getAttribute('hreflang')).resolves.toBe('uk');
    await toUkrainian.click();
    await expect(reader.getByRole('heading', { level: 1 }).innerText()).resolves.toBe(TRANSLATED.uk);
    await expect(reader.locator('html').getAttribute('lang')).resolves.toBe('uk');
    expect(new URL(reader.url()).pathname).not.toBe(englishPath);
    // The translation speaks Ukrainian throughout and links back to the English brief.
    const back = reader.locator('main .brief-translations');
    await expect(back.innerText()).resolves.toContain('Іншими мовами');
    await expect(back.getByRole('link', { name: 'English' }).getAttribute('href')).resolves.toBe(englishPath);
    pages['brief-uk'] = await served(new URL(reader.url()).pathname);
    expect(await axeViolations(reader)).toEqual([]);
    expect(await htmlCheckerErrors(pages)).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('story, entity and search pages pass axe and the HTML checker in uk, en and ru', async () => {
    const paths = LANGUAGES.flatMap((language) => [
      [`story-${language}`, storyPath(language)],
      [`entity-${language}`, `/${language}/entities/${entity.slug}`],
      [`search-${language}`, `/${language}/search?q=${encodeURIComponent(language === 'en' ? 'Levchyshyn' : 'Левчишина')}`],
    ] as const);
    const pages: Record<string, string> = {};
    const violations: string[] = [];
    // Soft checks, so one missing page does not hide what the others have to say.
    for (const [name, path] of paths) {
      const response = await reader.goto(`${site.url}${path}`);
      expect.soft(response?.status(), path).toBe(200);
      if (response?.status() !== 200) continue;
      expect.soft(await reader.locator('html').getAttribute('lang'), path).toBe(name.slice(-2));
      for (const line of await axeViolations(reader)) violations.push(`${path}: ${line}`);
      pages[name] = await response.text();
    }
    expect.soft(violations).toEqual([]);
    expect.soft(await htmlCheckerErrors(pages)).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
