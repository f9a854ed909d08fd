import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CLI_ACTOR, type Actor } from '../accounts/policy.js';
import { createUser } from '../accounts/service.js';
import { loadConfig } from '../config/index.js';
import { addBackgroundItem, listBackground, updateBackgroundItem } from '../content/stories.js';
import type { BackgroundItem, Language } from '../content/types.js';
import { buildTestApp, makePublishedBrief, makeStory, type TestContext } from '../test/factories.js';
import { vnuErrors } from '../test/vnu.js';
import { backgroundItemPath, briefPath, storyPath } from './paths.js';

let t: TestContext;
beforeEach(async () => { t = await buildTestApp(); });
afterEach(async () => {
  vi.useRealTimers();
  await t.close();
});

const get = (url: string) => t.app.inject({ method: 'GET', url });
// The zone the app under test shows times in (the site's setting, whatever the machine's is).
const zone = loadConfig({}).timeZone;

/** Pins the clock, so each change carries a time the test can name. */
function at(iso: string): string {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(new Date(iso));
  return new Date(iso).toISOString();
}

/** A time as a reader in `language` sees it, computed here with Intl rather than copied from the page. */
function shown(iso: string, language: Language): string {
  return new Intl.DateTimeFormat(language, { dateStyle: 'long', timeStyle: 'short', timeZone: zone }).format(new Date(iso));
}

async function makeEditor(displayName: string): Promise<Actor> {
  const email = `${displayName.toLowerCase().replace(/\W+/g, '.')}@newsdesk.test`;
  const { user } = await createUser({ db: t.db, actor: CLI_ACTOR, input: { email, displayName, role: 'editor' } });
  return { userId: user.id, role: 'editor', label: email };
}

/** The <li> of the background entry whose text is `text`, from a rendered page. */
function entryOf(html: string, text: string): string {
  const item = [...html.matchAll(/<li class="claim [^"]*">(.*?)<\/li>/gs)].map((m) => m[0]).find((li) => li.includes(`>${text}</span>`));
  expect(item, `entry "${text}"`).toBeDefined();
  return item!;
}

// A brief shows an item as the ledger has it; an entry differing in any field would edit the item.
const entriesOf = (items: BackgroundItem[]) => items.map((i) => ({ itemId: i.id, text: i.text, status: i.status, attribution: i.attributionSource }));

/**
 * A mutiny over one day: three briefs, two claims resolved after the first was published. What
 * each test needs: the story, its items, the briefs and the times of the changes.
 */
async function walkTheDay() {
  const olena = await makeEditor('Olena Kovalenko');
  const taras = await makeEditor('Taras Melnyk');
  const story = await makeStory(t.deps, 'Mutiny in Rostov');
  const createdAt = at('2026-06-24T05:30:00Z');
  const rostov = await addBackgroundItem(t.deps, olena, story.id, { text: 'Prigozhin claimed his men took the Rostov headquarters.', status: 'claimed', attributionSource: 'Telegram', changeSource: 'Prigozhin\'s Telegram channel' });
  const helicopter = await addBackgroundItem(t.deps, olena, story.id, { text: 'Wagner said it shot down a helicopter.', status: 'claimed' });
  const columns = await addBackgroundItem(t.deps, olena, story.id, { text: 'Columns were reported near Voronezh.', status: 'unverified' });
  const items = [rostov, helicopter, columns];

  at('2026-06-24T06:00:00Z');
  const first = await makePublishedBrief(t.deps, { storyId: story.id, headline: 'Wagner fighters enter Rostov', background: entriesOf(items) });
  at('2026-06-24T09:00:00Z');
  const second = await makePublishedBrief(t.deps, { storyId: story.id, headline: 'Columns move north', background: entriesOf(items) });
  const ukFirst = await makePublishedBrief(t.deps, { storyId: story.id, language: 'uk', headline: 'Вагнерівці в Ростові', background: entriesOf(items) });

  const confirmedAt = at('2026-06-24T15:40:00Z');
  await updateBackgroundItem(t.deps, olena, rostov.id, {
    text: 'Wagner held the Rostov headquarters for a day.', status: 'confirmed', attributionSource: 'Telegram', changeSource: 'Reuters, 24 June',
  });
  at('2026-06-24T16:30:00Z');
  // Written from the ledger as it stands now (an entry with older words would rewrite the item).
  const third = await makePublishedBrief(t.deps, { storyId: story.id, headline: 'Prigozhin turns back', background: entriesOf(await listBackground(t.db, story.id)) });
  const deniedAt = at('2026-06-24T18:05:00Z');
  await updateBackgroundItem(t.deps, taras, helicopter.id, { text: 'Wagner said it shot down a helicopter.', status: 'denied', changeSource: 'Ministry of Defence' });
  vi.useRealTimers();
  return { story, rostov, helicopter, columns, first, second, third, ukFirst, createdAt, confirmedAt, deniedAt };
}

describe('the background ledger over a day (acceptance)', () => {
  it('keeps the first brief as published, marks what was confirmed or denied later, and lists every change with who and when', async () => {
    const day = await walkTheDay();

    const page = await get(briefPath(day.first));
    expect(page.statusCode).toBe(200);
    const html = page.body;
    // The original wording and statuses, exactly as readers were told at 06:00.
    const rostov = entryOf(html, 'Prigozhin claimed his men took the Rostov headquarters.');
    expect(rostov).toContain('class="claim claim-claimed"');
    expect(rostov).toContain('<span class="claim-status">Claimed</span>');
    expect(html).not.toContain('Wagner held the Rostov headquarters for a day.');
    const helicopter = entryOf(html, 'Wagner said it shot down a helicopter.');
    expect(helicopter).toContain('<span class="claim-status">Claimed</span>');
    // …each marked with what became of it and when, linking to the item's history.
    expect(rostov).toContain(
      `<a href="${backgroundItemPath(day.story, day.rostov.id, 'en')}">Later confirmed, <time datetime="${day.confirmedAt}">${shown(day.confirmedAt, 'en')}</time></a>`,
    );
    expect(helicopter).toContain(
      `<a href="${backgroundItemPath(day.story, day.helicopter.id, 'en')}">Later denied, <time datetime="${day.deniedAt}">${shown(day.deniedAt, 'en')}</time></a>`,
    );
    // An item nobody changed carries no mark.
    expect(entryOf(html, 'Columns were reported near Voronezh.')).not.toContain('claim-later');
    expect(html.match(/class="claim-later/g)).toHaveLength(2);

    // The third brief was published after the confirmation: only the denial is news to it.
    const third = (await get(briefPath(day.third))).body;
    const thirdRostov = entryOf(third, 'Wagner held the Rostov headquarters for a day.');
    expect(thirdRostov).toContain('<span class="claim-status">Confirmed</span>');
    expect(thirdRostov).not.toContain('claim-later');
    expect(entryOf(third, 'Wagner said it shot down a helicopter.')).toContain(`Later denied, <time datetime="${day.deniedAt}">`);

    // The history of the confirmed item: every state, oldest first, with who and when.
    const history = await get(backgroundItemPath(day.story, day.rostov.id, 'en'));
    expect(history.statusCode).toBe(200);
    expect(history.headers['cache-control']).toBe('public, max-age=0, s-maxage=30, stale-while-revalidate=30');
    const changes = [...history.body.matchAll(/<ol class="history-changes">(.*?)<\/ol>/gs)][0]![1]!;
    const rows = [...changes.matchAll(/<li class="claim claim-(\w+)">(.*?)<\/li>/gs)].map((m) => ({ status: m[1], html: m[2]! }));
    expect(rows.map((r) => r.status)).toEqual(['claimed', 'confirmed']);
    expect(rows[0]!.html).toContain(`<strong>Added</strong>, <time datetime="${day.createdAt}">${shown(day.createdAt, 'en')}</time>`);
    expect(rows[0]!.html).toContain('>Prigozhin claimed his men took the Rostov headquarters.</span>');
    expect(rows[0]!.html).toContain('<dt>By</dt><dd>Olena Kovalenko</dd><dt>Source of the change</dt><dd>Prigozhin\'s Telegram channel</dd>');
    expect(rows[1]!.html).toContain(`<strong>Changed</strong>, <time datetime="${day.confirmedAt}">${shown(day.confirmedAt, 'en')}</time>`);
    expect(rows[1]!.html).toContain('>Wagner held the Rostov headquarters for a day.</span>');
    expect(rows[1]!.html).toContain('<dt>By</dt><dd>Olena Kovalenko</dd><dt>Source of the change</dt><dd>Reuters, 24 June</dd>');

    const denied = (await get(backgroundItemPath(day.story, day.helicopter.id, 'en'))).body;
    expect(denied).toContain(`<strong>Changed</strong>, <time datetime="${day.deniedAt}">${shown(day.deniedAt, 'en')}</time>`);
    expect(denied).toContain('<dt>By</dt><dd>Taras Melnyk</dd><dt>Source of the change</dt><dd>Ministry of Defence</dd>');
  });

  it('marks a Ukrainian brief in Ukrainian, with the time as Intl writes it in Ukrainian', async () => {
    const day = await walkTheDay();
    const html = (await get(briefPath(day.ukFirst))).body;
    expect(entryOf(html, 'Prigozhin claimed his men took the Rostov headquarters.')).toContain(
      `<a href="${backgroundItemPath(day.story, day.rostov.id, 'uk')}">Згодом підтверджено, <time datetime="${day.confirmedAt}">${shown(day.confirmedAt, 'uk')}</time></a>`,
    );
    expect(entryOf(html, 'Wagner said it shot down a helicopter.')).toContain(`Згодом спростовано, <time datetime="${day.deniedAt}">${shown(day.deniedAt, 'uk')}</time>`);
  });
});

describe('the language of background text', () => {
  // Items have no language of their own: an English story's ledger may hold Ukrainian wording,
  // and a Ukrainian brief may show English items. Screen readers need the right lang on each.
  it('marks each item with the language it is written in where that differs from the page around it', async () => {
    const day = await walkTheDay();
    await addBackgroundItem(t.deps, CLI_ACTOR, day.story.id, { text: 'Колона зупинилася під Єльцем.', status: 'claimed' });

    const ukBrief = (await get(briefPath(day.ukFirst))).body;
    expect(ukBrief).toContain('<span class="claim-text" lang="en">Wagner said it shot down a helicopter.</span>');
    const enBrief = (await get(briefPath(day.first))).body;
    expect(enBrief).toContain('<span class="claim-text">Wagner said it shot down a helicopter.</span>');

    const enStory = (await get(storyPath(day.story, 'en'))).body;
    expect(enStory).toContain('<span class="claim-text" lang="uk">Колона зупинилася під Єльцем.</span>');
    expect(enStory).toContain('<span class="claim-text">Columns were reported near Voronezh.</span>');
    const ukStory = (await get(storyPath(day.story, 'uk'))).body;
    expect(ukStory).toContain('<span class="claim-text">Колона зупинилася під Єльцем.</span>');
    expect(ukStory).toContain('<span class="claim-text" lang="en">Columns were reported near Voronezh.</span>');
  });
});

describe('background item history page', () => {
  it('speaks the language of its path, keeping the item\'s text in the story\'s language', async () => {
    const day = await walkTheDay();
    const expected: Record<Language, { title: string; confirmed: string; by: string }> = {
      uk: { title: 'Історія пункту контексту', confirmed: 'Підтверджено', by: 'Хто змінив' },
      en: { title: 'History of a background item', confirmed: 'Confirmed', by: 'By' },
      ru: { title: 'История пункта контекста', confirmed: 'Подтверждено', by: 'Кто изменил' },
    };
    for (const language of ['uk', 'en', 'ru'] as const) {
      const res = await get(backgroundItemPath(day.story, day.rostov.id, language));
      expect(res.statusCode, language).toBe(200);
      expect(res.body, language).toContain(`<html lang="${language}"`);
      expect(res.body, language).toContain(`<h1>${expected[language].title}</h1>`);
      expect(res.body, language).toContain(`<span class="claim-status">${expected[language].confirmed}</span>`);
      expect(res.body, language).toContain(`<dt>${expected[language].by}</dt>`);
      expect(res.body, language).toContain(`<time datetime="${day.confirmedAt}">${shown(day.confirmedAt, language)}</time>`);
      // The item's own words are English whatever the chrome speaks; screen readers must know.
      if (language !== 'en') expect(res.body, language).toContain('<span class="claim-text" lang="en">Wagner held the Rostov headquarters for a day.</span>');
    }
  });

  it('answers 404 for an unknown language, story or item, and for another story\'s item', async () => {
    const day = await walkTheDay();
    const other = await makeStory(t.deps, 'Another story');
    const stranger = await addBackgroundItem(t.deps, CLI_ACTOR, other.id, { text: 'Elsewhere.', status: 'claimed' });
    for (const url of [
      backgroundItemPath(day.story, day.rostov.id, 'en').replace('/en/', '/de/'),
      backgroundItemPath({ slug: 'no-such-story' }, day.rostov.id, 'en'),
      backgroundItemPath(day.story, 'no-such-item', 'uk'),
      backgroundItemPath(day.story, stranger.id, 'ru'),
    ]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type'], url).toContain('text/html');
    }
    expect((await get(backgroundItemPath(other, stranger.id, 'ru'))).statusCode).toBe(200);
  });

  it('passes the Nu HTML Checker in uk, en and ru, and so does a brief carrying marks', { timeout: 120_000 }, async () => {
    const day = await walkTheDay();
    const urls = {
      'history-uk': backgroundItemPath(day.story, day.rostov.id, 'uk'),
      'history-en': backgroundItemPath(day.story, day.helicopter.id, 'en'),
      'history-ru': backgroundItemPath(day.story, day.rostov.id, 'ru'),
      'brief-marked': briefPath(day.first),
    };
    const pages: Record<string, string> = {};
    for (const [name, url] of Object.entries(urls)) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      pages[name] = res.body;
    }
    expect(await vnuErrors(pages)).toEqual([]);
  });
});
