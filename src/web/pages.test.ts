import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../accounts/policy.js';
import { addComment } from '../comments/service.js';
import { correctBrief, createBrief, deleteBrief, retractBrief, submitBrief } from '../content/briefs.js';
import { addBackgroundItem } from '../content/stories.js';
import { briefInput, buildTestApp, makeEntity, makePublishedBrief, makeStory, type TestContext } from '../test/factories.js';
import { briefPath, entityPath, storyPath } from './paths.js';

let t: TestContext;
beforeEach(async () => { t = await buildTestApp(); });
afterEach(async () => { await t.close(); });

const get = (url: string) => t.app.inject({ method: 'GET', url });

/** Ids of the <section>s inside the article, in document order. */
function sectionIds(html: string): string[] {
  return [...html.matchAll(/<section id="([a-z-]+)"/g)].map((m) => m[1]!);
}

function h2Texts(html: string): string[] {
  return [...html.matchAll(/<h2[^>]*>(.*?)<\/h2>/g)].map((m) => m[1]!);
}

describe('home page', () => {
  it('lists published briefs newest first and never drafts or briefs in review', async () => {
    const older = await makePublishedBrief(t.deps, { headline: 'Older published brief', publishedAt: '2026-11-20T08:00:00Z' });
    const newer = await makePublishedBrief(t.deps, { headline: 'Newer published brief', publishedAt: '2026-11-21T08:00:00Z', language: 'uk' });
    await createBrief(t.deps, CLI_ACTOR, briefInput({ headline: 'A secret draft' }));
    const inReview = await createBrief(t.deps, CLI_ACTOR, briefInput({ headline: 'Waiting for an editor' }));
    await submitBrief(t.deps, CLI_ACTOR, inReview.id);

    const res = await get('/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.headers['cache-control']).toBe('public, max-age=0, s-maxage=30, stale-while-revalidate=30');
    const html = res.body;
    expect(html).not.toContain('A secret draft');
    expect(html).not.toContain('Waiting for an editor');
    expect(html.indexOf('Newer published brief')).toBeGreaterThan(-1);
    expect(html.indexOf('Newer published brief')).toBeLessThan(html.indexOf('Older published brief'));
    expect(html).toContain(`href="${briefPath(older)}"`);
    // The all-languages home speaks English to a browser that asks for nothing else; a headline
    // in another language carries its own lang, the labels around it stay in the page's.
    expect(html).toMatch(new RegExp(`<a class="brief-item-headline" href="${briefPath(newer)}" lang="uk">Newer published brief</a>.*?0 comments`));
    expect(html).toContain('<link rel="canonical" href="http://newsdesk.test/"');
  });

  it('shows the story name and the comment count with plural rules', async () => {
    const story = await makeStory(t.deps, 'Flood in the valley');
    const brief = await makePublishedBrief(t.deps, { storyId: story.id });
    await addComment(t.deps, { briefId: brief.id, authorName: 'A', body: 'First.' });
    await addComment(t.deps, { briefId: brief.id, authorName: 'B', body: 'Second.' });
    const html = (await get('/')).body;
    expect(html).toContain('Flood in the valley');
    expect(html).toContain('2 comments');
  });

  it('pages through briefs with the cursor of the "Older briefs" link', async () => {
    for (let i = 0; i < 25; i++) {
      await makePublishedBrief(t.deps, { headline: `Brief number ${String(i).padStart(2, '0')}`, publishedAt: new Date(Date.UTC(2026, 10, 1, i)).toISOString() });
    }
    const first = (await get('/')).body;
    expect(first).toContain('Brief number 24');
    expect(first).toContain('Brief number 05');
    expect(first).not.toContain('Brief number 04');
    const next = /<a rel="next" href="([^"]+)"/.exec(first)?.[1]?.replaceAll('&amp;', '&');
    expect(next).toMatch(/^\/\?cursor=/);

    const second = (await get(next!)).body;
    expect(second).toContain('Brief number 04');
    expect(second).toContain('Brief number 00');
    expect(second).not.toContain('Brief number 05');
    expect(second).not.toContain('rel="next"');
  });

  it('has a home page per language that keeps its language in the "Older briefs" link; ?lang= moves there', async () => {
    await makePublishedBrief(t.deps, { headline: 'In English', language: 'en', publishedAt: '2026-11-01T00:00:00Z' });
    for (let i = 0; i < 21; i++) {
      await makePublishedBrief(t.deps, { headline: `Новина ${String(i).padStart(2, '0')}`, language: 'uk', publishedAt: new Date(Date.UTC(2026, 10, 2, i)).toISOString() });
    }
    const moved = await get('/?lang=uk');
    expect(moved.statusCode).toBe(301);
    expect(moved.headers.location).toBe('/uk/');
    const html = (await get('/uk/')).body;
    expect(html).toContain('Новина 20');
    expect(html).not.toContain('In English');
    const next = /<a rel="next" href="([^"]+)"/.exec(html)?.[1]?.replaceAll('&amp;', '&');
    expect(next).toMatch(/^\/uk\/\?cursor=/);
    const second = (await get(next!)).body;
    expect(second).toContain('Новина 00');
    expect(second).not.toContain('In English');
  });

  it('answers a bad filter or a forged cursor with a 400 page, not JSON', async () => {
    const badLang = await get('/?lang=de');
    expect(badLang.statusCode).toBe(400);
    expect(badLang.headers['content-type']).toContain('text/html');
    const badCursor = await get('/?cursor=not-a-cursor');
    expect(badCursor.statusCode).toBe(400);
    expect(badCursor.body).toContain('<h1>Bad request</h1>');
  });
});

describe('brief page', () => {
  async function richBrief() {
    const story = await makeStory(t.deps, 'Dam breach');
    const entity = await makeEntity(t.deps, 'Olena Kovalenko');
    const earlier = await makePublishedBrief(t.deps, { headline: 'Cracks reported in the dam', storyId: story.id });
    const brief = await makePublishedBrief(t.deps, {
      storyId: story.id,
      entityIds: [entity.id],
      headline: 'Officials confirm the dam breach',
      publishedAt: '2026-11-25T07:30:00Z',
      quotes: [{ text: '“Water is rising.\nLeave now.”', speaker: 'Spokesperson', sourceIndex: 0 }],
      details: ['Rescuers moved **400 people** overnight.', 'Someone typed <script>alert(1)</script> here.'],
      previouslyLinks: [earlier.id],
      background: [{ text: 'Officials claim the dam held.', status: 'claimed', attribution: 'Regional governor' }],
    });
    await addComment(t.deps, { briefId: brief.id, authorName: '', body: 'Stay safe <b>everyone</b>.' });
    return { story, entity, earlier, brief };
  }

  it('has its sections in the fixed order', async () => {
    const { brief } = await richBrief();
    const res = await get(briefPath(brief));
    expect(res.statusCode).toBe(200);
    expect(sectionIds(res.body)).toEqual(['dateline', 'headline', 'sources', 'quotes', 'details', 'previously', 'background', 'comments']);
    expect(h2Texts(res.body)).toEqual(['Dateline', 'Source', 'Quote', 'Details', 'Previously', 'Background', '1 comment']);
    expect(res.headers['cache-control']).toBe('public, max-age=0, s-maxage=30, stale-while-revalidate=30');
  });

  it('renders the content: dateline in Kyiv time, quote line breaks, sources, background status, comments', async () => {
    const { brief, earlier, story, entity } = await richBrief();
    const html = (await get(briefPath(brief))).body;
    // 07:30 UTC is 09:30 in Kyiv; \s because newer ICU puts a narrow no-break space before AM.
    expect(html).toMatch(/<time datetime="2026-11-25T07:30:00.000Z">November 25, 2026 at 9:30\sAM<\/time>/);
    expect(html).toContain('Water is rising.<br/>Leave now.');
    expect(html).toContain('— Spokesperson, Regional Emergency Service');
    expect(html).toContain('<a href="https://example.org/statement" rel="nofollow noopener">Regional Emergency Service</a>');
    expect(html).toContain('(official statement)');
    expect(html).toContain(`<a href="${briefPath(earlier)}">Cracks reported in the dam</a>`);
    expect(html).toMatch(/<span class="claim-status">Claimed<\/span>.*Officials claim the dam held\..*Regional governor/);
    expect(html).toContain(`href="${storyPath(story, 'en')}"`);
    expect(html).toContain(`href="${entityPath(entity, 'en')}">Olena Kovalenko</a>`);
    expect(html).toContain('Anonymous');
    expect(html).toContain('Stay safe &lt;b>everyone&lt;/b>.');
    expect(html).toContain(`<link rel="canonical" href="http://newsdesk.test${briefPath(brief)}"`);
    expect(html).toMatch(/<html lang="en">/);
  });

  it('renders Markdown bold as <strong> and escapes raw HTML in details', async () => {
    const { brief } = await richBrief();
    const html = (await get(briefPath(brief))).body;
    expect(html).toContain('Rescuers moved <strong>400 people</strong> overnight.');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
  });

  it('speaks the brief language: html lang, labels and plural forms', async () => {
    const brief = await makePublishedBrief(t.deps, { language: 'uk', headline: 'Рятувальники евакуювали людей', publishedAt: '2026-11-25T07:30:00Z' });
    for (const body of ['Один', 'Два', 'Три', 'Чотири', 'П’ять']) await addComment(t.deps, { briefId: brief.id, authorName: 'Читач', body });
    const html = (await get(briefPath(brief))).body;
    expect(html).toMatch(/<html lang="uk">/);
    expect(h2Texts(html)).toEqual(['Дата', 'Джерело', 'Цитата', 'Подробиці', 'Раніше', 'Контекст', '5 коментарів']);
    expect(html).toContain('Підтверджено');
  });

  it('shows only the date for a day-precision dateline', async () => {
    const brief = await makePublishedBrief(t.deps, { publishedAt: '2026-11-24T23:30:00Z', datelinePrecision: 'day' });
    const html = (await get(briefPath(brief))).body;
    // 23:30 UTC is already the 25th in Kyiv.
    expect(html).toContain('<time datetime="2026-11-25">November 25, 2026</time>');
  });

  it('shows an "Updated" note with time and reason under the dateline after a correction', async () => {
    const brief = await makePublishedBrief(t.deps);
    await correctBrief(t.deps, CLI_ACTOR, brief.id, { details: ['Rescuers moved 300 people.'] }, 'The number of evacuees was wrong.');
    const html = (await get(briefPath(brief))).body;
    const dateline = /<section id="dateline".*?<\/section>/s.exec(html)?.[0] ?? '';
    expect(dateline).toMatch(/<strong>Updated<\/strong> <time datetime="[^"]+">[^<]+<\/time>: The number of evacuees was wrong\./);
    expect(html).toContain('Rescuers moved 300 people.');
  });

  it('keeps a retracted brief at its URL with a retraction notice above the original text', async () => {
    const brief = await makePublishedBrief(t.deps, { headline: 'A claim that fell apart' });
    await retractBrief(t.deps, CLI_ACTOR, brief.id, 'The source withdrew the statement.');
    const res = await get(briefPath(brief));
    expect(res.statusCode).toBe(200);
    const notice = res.body.indexOf('notice-retracted');
    expect(notice).toBeGreaterThan(-1);
    expect(res.body).toMatch(/<strong>Retracted<\/strong> <time datetime="[^"]+">/);
    expect(res.body).toContain('The source withdrew the statement.');
    expect(res.body.indexOf('A claim that fell apart</h1>')).toBeGreaterThan(notice);
  });

  it('answers 410 Gone for a deleted brief that was published', async () => {
    const brief = await makePublishedBrief(t.deps);
    await deleteBrief(t.deps, CLI_ACTOR, brief.id);
    const res = await get(briefPath(brief));
    expect(res.statusCode).toBe(410);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('<h1>Gone</h1>');
    expect(res.body).not.toContain(brief.headline);
  });

  it('answers 404 for a deleted draft, even one that carried a dateline', async () => {
    const draft = await createBrief(t.deps, CLI_ACTOR, briefInput({ publishedAt: '2026-11-25T07:30:00Z' }));
    await deleteBrief(t.deps, CLI_ACTOR, draft.id);
    expect((await get(briefPath(draft))).statusCode).toBe(404);
  });

  it('answers 404 for a draft, a brief in review and an unknown slug', async () => {
    const draft = await createBrief(t.deps, CLI_ACTOR, briefInput({ headline: 'Draft headline here' }));
    const inReview = await createBrief(t.deps, CLI_ACTOR, briefInput());
    await submitBrief(t.deps, CLI_ACTOR, inReview.id);
    for (const url of [briefPath(draft), briefPath(inReview), '/news/no-such-brief']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.body).toContain('<h1>Page not found</h1>');
      expect(res.body).not.toContain('Draft headline here');
    }
  });

  it('omits empty sections but always shows the comment count', async () => {
    const brief = await makePublishedBrief(t.deps, { quotes: [], previously: [], background: [], details: [] });
    const html = (await get(briefPath(brief))).body;
    expect(sectionIds(html)).toEqual(['dateline', 'headline', 'sources', 'comments']);
    expect(html).toContain('<h2>0 comments</h2>');
  });

  it('leaves out Previously links to briefs readers cannot open', async () => {
    const hidden = await createBrief(t.deps, CLI_ACTOR, briefInput({ headline: 'Still a draft' }));
    const brief = await makePublishedBrief(t.deps, { previously: [], previouslyLinks: [hidden.id] });
    const html = (await get(briefPath(brief))).body;
    expect(html).not.toContain('Still a draft');
    expect(sectionIds(html)).not.toContain('previously');
  });
});

describe('story and entity pages', () => {
  it('keeps tracking parameters out of the canonical link', async () => {
    const story = await makeStory(t.deps, 'Canonical story');
    const res = await t.app.inject({ method: 'GET', url: `${storyPath(story, 'en')}?utm_source=telegram&foo=bar` });
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain(`<link rel="canonical" href="http://newsdesk.test${storyPath(story, 'en')}"`);
  });

  it('shows a story with its public briefs newest first and its current background', async () => {
    const story = await makeStory(t.deps, 'Dam breach');
    const entity = await makeEntity(t.deps, 'Regional Governor');
    await addBackgroundItem(t.deps, CLI_ACTOR, story.id, { text: 'The dam was inspected in May.', status: 'unverified', attributionEntityId: entity.id });
    await makePublishedBrief(t.deps, { storyId: story.id, headline: 'First brief of the story', publishedAt: '2026-11-24T08:00:00Z' });
    await makePublishedBrief(t.deps, { storyId: story.id, headline: 'Second brief of the story', publishedAt: '2026-11-25T08:00:00Z' });
    await makePublishedBrief(t.deps, { headline: 'Unrelated brief' });
    await createBrief(t.deps, CLI_ACTOR, briefInput({ storyId: story.id, headline: 'Unpublished story draft' }));

    const res = await get(storyPath(story, 'en'));
    expect(res.statusCode).toBe(200);
    const html = res.body;
    expect(html).toContain('<h1>Dam breach</h1>');
    expect(html).toContain('Developing');
    expect(html.indexOf('Second brief of the story')).toBeGreaterThan(-1);
    expect(html.indexOf('Second brief of the story')).toBeLessThan(html.indexOf('First brief of the story'));
    expect(html).not.toContain('Unrelated brief');
    expect(html).not.toContain('Unpublished story draft');
    expect(html).toMatch(/<span class="claim-status">Unverified<\/span>.*The dam was inspected in May\..*Regional Governor/);
  });

  it('shows an entity with its names and the briefs naming it', async () => {
    const entity = await makeEntity(t.deps, 'Kherson');
    await makePublishedBrief(t.deps, { entityIds: [entity.id], headline: 'Brief naming Kherson' });
    await makePublishedBrief(t.deps, { headline: 'Brief naming nobody' });
    const res = await get(entityPath(entity, 'en'));
    expect(res.statusCode).toBe(200);
    expect(res.body).toContain('<h1>Kherson</h1>');
    expect(res.body).toContain('Person');
    expect(res.body).toContain('Brief naming Kherson');
    expect(res.body).not.toContain('Brief naming nobody');
  });

  it('answers 404 pages for unknown stories, entities and paths', async () => {
    for (const url of ['/stories/nope', '/entities/nope', '/no/such/page']) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.headers['content-type'], url).toContain('text/html');
    }
  });
});

describe('error pages', () => {
  it('answers an unexpected failure with a 500 page that reveals nothing of its cause', async () => {
    // A storage failure on either engine: the table the home page reads is gone.
    await sql`ALTER TABLE briefs RENAME TO briefs_gone`.execute(t.db);
    const res = await get('/');
    expect(res.statusCode).toBe(500);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toContain('<h1>Something went wrong</h1>');
    expect(res.body).not.toMatch(/driver|destroy|kysely|sqlite|postgres|briefs_gone|relation|stack|Error:/i);
  });

  it('keeps error pages out of search indexes', async () => {
    expect((await get('/news/nothing')).body).toContain('<meta name="robots" content="noindex"/>');
  });
});

describe('every page', () => {
  it('has a title, description, canonical link, landmarks and a single h1', async () => {
    const story = await makeStory(t.deps);
    const entity = await makeEntity(t.deps);
    const brief = await makePublishedBrief(t.deps, { storyId: story.id, entityIds: [entity.id] });
    for (const url of ['/', briefPath(brief), storyPath(story, 'uk'), entityPath(entity, 'ru'), '/missing']) {
      const html = (await get(url)).body;
      expect(html, url).toMatch(/<title( lang="(uk|en|ru)")?>[^<]+ — Newsdesk<\/title>/);
      expect(html, url).toMatch(/<meta name="description" content="[^"]+"/);
      expect(html, url).toContain('<link rel="canonical" href="http://newsdesk.test/');
      expect(html, url).toMatch(/<header class="site-header"><a class="site-name" href="\/(?:uk|en|ru)\/">Newsdesk<\/a><nav aria-label="[^"]+">/);
      expect(html, url).toContain('<main id="main">');
      expect(html, url).toContain('<footer');
      expect(html.match(/<h1[ >]/g), url).toHaveLength(1);
    }
  });
});
