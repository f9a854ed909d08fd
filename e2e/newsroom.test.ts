import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, cli, launchBrowser, startSite, type RunningSite } from './support.js';

let site: RunningSite;
let browser: Browser;
let page: Page;
let briefUrl = '';
let deskUrl = '';

beforeAll(async () => {
  site = await startSite();
  browser = await launchBrowser();
  const context = await browser.newContext();
  page = await context.newPage();
  page.setDefaultTimeout(10_000);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await site?.stop();
});

const HEADLINE = 'Rescuers reach the cut-off village of Nyzhnia Zoria by boat';

describe('an editor writes, publishes and corrects a brief; a reader reads it', () => {
  it('prints a working one-time admin login on first start, and the home page lists the demo briefs', async () => {
    const match = /Log in as (\S+) with the one-time password: (\S+)/.exec(site.output());
    expect(match).not.toBeNull();
    await page.goto(`${site.url}/desk/login`);
    await page.getByLabel('Email').fill(match![1]!);
    await page.getByLabel('Password').fill(match![2]!);
    await page.getByRole('button', { name: 'Log in' }).click();
    await expect(page.getByRole('button', { name: 'Log out' }).count()).resolves.toBe(1);
    await page.getByRole('button', { name: 'Log out' }).click();

    const home = await (await fetch(`${site.url}/`)).text();
    expect((home.match(/href="\/news\//g) ?? []).length).toBeGreaterThanOrEqual(10);
    await page.goto(`${site.url}/`);
    expect(await axeViolations(page)).toEqual([]);
  });

  // Generous: it starts the CLI in a child process and walks the whole editor, which a loaded 2-core machine makes slow.
  it('logs in as an editor and publishes a sourced brief in the story', { timeout: 90_000 }, async () => {
    const password = cli(site, ['users', 'create', '--email', 'olena@newsroom.test', '--name', 'Olena K.', '--role', 'editor']).trim();
    await page.goto(`${site.url}/desk`);
    // Anonymous: sent to the login page first.
    expect(new URL(page.url()).pathname).toBe('/desk/login');
    await page.getByLabel('Email').fill('olena@newsroom.test');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Log in' }).click();

    await page.getByRole('link', { name: 'New brief' }).first().click();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('Language').selectOption('en');
    await page.getByLabel('Headline').fill(HEADLINE);
    await page.getByLabel('Story (optional)').selectOption({ label: 'Dam breach at the Zoriane Reservoir' });

    const source1 = page.getByRole('group', { name: 'Source 1' });
    await source1.getByLabel('Name').fill('Regional Emergency Service');
    await source1.getByLabel('URL (optional)').fill('https://example.org/emergency/statement-14');
    await source1.getByLabel('Kind').selectOption({ label: 'Official statement' });
    await page.getByRole('button', { name: 'Add source' }).click();
    const source2 = page.getByRole('group', { name: 'Source 2' });
    await source2.getByLabel('Name').fill('Our correspondent in Verkhnia Zoria');
    await source2.getByLabel('Kind').selectOption({ label: 'Own correspondent' });

    const quote = page.getByRole('group', { name: 'Quote 1' });
    await quote.getByLabel('Text').fill('“We reached the village at dawn — the water is still rising.”');
    await quote.getByLabel('Speaker (optional)').fill('Rescue team leader');

    await page.getByLabel('Details').fill('Boats carried **140 people** out by noon.\nThe road remains under water.');
    await page.getByLabel('Previously').fill('Earlier, the governor ordered the evacuation of the lower town.');

    const item1 = page.getByRole('group', { name: 'Background item 1' });
    await item1.getByLabel('Text').fill('The reservoir holds about 40 million cubic metres, the operator says.');
    await item1.getByLabel('Status').selectOption({ label: 'Claimed' });
    await page.getByRole('button', { name: 'Add background item' }).click();
    const item2 = page.getByRole('group', { name: 'Background item 2' });
    await item2.getByLabel('Text').fill('Nobody drowned overnight, police confirmed.');
    await item2.getByLabel('Status').selectOption({ label: 'Confirmed' });

    await page.getByRole('button', { name: 'Save draft' }).click();
    await page.getByText('Draft created.').waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Publish' }).click();
    await page.getByText('Published.').waitFor();
    deskUrl = page.url().replace(/\?.*$/, '');

    const view = page.getByRole('link', { name: 'View on site' });
    briefUrl = new URL((await view.getAttribute('href'))!, site.url).toString();
  });

  it('shows the reader every section, in the fixed order', async () => {
    await page.goto(briefUrl);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(HEADLINE);
    const order = await page.locator('article section[id]').evaluateAll((els) => els.map((e) => e.id));
    expect(order).toEqual(['dateline', 'headline', 'sources', 'quotes', 'details', 'previously', 'background', 'comments']);
    await expect(page.locator('#sources').innerText()).resolves.toContain('Regional Emergency Service');
    await expect(page.locator('#sources').innerText()).resolves.toContain('Our correspondent in Verkhnia Zoria');
    await expect(page.locator('#quotes').innerText()).resolves.toContain('“We reached the village at dawn — the water is still rising.”');
    await expect(page.locator('#details strong').innerText()).resolves.toBe('140 people');
    await expect(page.locator('#previously').innerText()).resolves.toContain('ordered the evacuation');
    const background = await page.locator('#background li').allInnerTexts();
    expect(background).toHaveLength(2);
    expect(background[0]).toMatch(/claimed/i);
    expect(background[0]).toContain('40 million cubic metres');
    expect(background[1]).toMatch(/confirmed/i);
    expect(background[1]).toContain('Nobody drowned overnight');
    await expect(page.locator('#comments h2').innerText()).resolves.toMatch(/0 comments/);
    expect(await axeViolations(page)).toEqual([]);

    // The story page lists it too.
    await page.locator('a[href*="/stories/"]').first().click();
    await expect(page.getByRole('link', { name: HEADLINE }).count()).resolves.toBe(1);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('corrects the brief and the reader sees the Updated note with the reason', async () => {
    await page.goto(deskUrl);
    await page.getByLabel('Headline').first().fill(`${HEADLINE} and a second village`);
    await page.getByLabel('Reason for the correction (shown to readers)').fill('The boats also reached Vyshnia Zoria.');
    await page.getByRole('button', { name: 'Publish correction' }).click();
    await page.getByText('Correction published.').waitFor();

    await page.goto(briefUrl);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(`${HEADLINE} and a second village`);
    const dateline = await page.locator('#dateline').innerText();
    expect(dateline).toContain('Updated');
    expect(dateline).toContain('The boats also reached Vyshnia Zoria.');
  });
});
