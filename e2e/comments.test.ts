import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { axeViolations, cli, launchBrowser, recordPageErrors, startSite, type RunningSite } from './support.js';

// Issue 3 end to end: a reader signs up from a brief's comment section and comments, replies,
// edits and reports; another reader's open page hears of it live; a moderator approves a held
// comment and rejects a flagged one, and the readers' pages follow. Everything the acceptance
// items describe is clicked through real pages; only the moderator account comes from the CLI.

/** The demo's latest English brief: open for comments, with a thread, a flagged and a held comment. */
const BRIEF = 'Prosecutors open negligence case over the Zoriane dam; Stepova Energy confirms cracks were found in April';
const READER = { name: 'Marta S.', email: 'marta@readers.test', password: 'a long enough password' };
const MODERATOR = { name: 'Mira Moderator', email: 'mira@newsroom.test' };

const FIRST = 'Does anyone know whether the school on Sadova street reopens on Monday?';
const EDITED = 'Does anyone know whether the school on Shkilna street reopens on Monday? (Shkilna, not Sadova.)';
const REPLY = 'Thank you, that is good to hear. Is the bridge open for pedestrians too?';
// Three links, one over the limit of two: the pipeline holds it for a moderator.
const HELD = 'Volunteers: boats at https://example.org/boats food at https://example.org/food beds at https://example.org/beds';
// Profanity under post-moderation: published at once, flagged for a moderator.
const FLAGGED = 'What a prick.';

let site: RunningSite;
let browser: Browser;
/** The reader who signs up and comments. */
let reader: Page;
/** Another reader, not signed in, who keeps the brief open the whole time. */
let watcher: Page;
let moderator: Page;
const pageErrors: string[] = [];
let briefUrl = '';

/** Ids of the comments the test meets, by what they are. */
const ids = { first: '', reply: '', taras: '', angry: '', held: '', flagged: '' };

/** A comment of the reader site, by what it says. */
const commentSaying = (page: Page, text: string): Locator => page.locator('article.comment', { hasText: text });
const commentById = (page: Page, id: string): Locator => page.locator(`article.comment#comment-${id}`);
/** The one-time message a form left on a comment, once the page that carries it has loaded. */
const flashIn = (comment: Locator): Promise<string> => comment.locator('.comment-flash').innerText();
async function idOf(comment: Locator): Promise<string> {
  const id = await comment.getAttribute('id');
  expect(id).toMatch(/^comment-/);
  return id!.slice('comment-'.length);
}
/** The count in the section's heading ("5 comments"). */
async function commentCount(page: Page): Promise<number> {
  const heading = await page.locator('#comments > h2').innerText();
  expect(heading).toMatch(/^\d+ comments?$/);
  return Number.parseInt(heading, 10);
}

type MarkedWindow = Window & { __noReload?: boolean };
/** True while the page is the same document the mark was set in: a reload or navigation loses it. */
const isSameDocument = (page: Page) => page.evaluate(() => (window as MarkedWindow).__noReload === true);
/** The live button ("1 new comment") in the section's live region. */
const liveButton = (page: Page) => page.locator('#comments .comments-live-region').getByRole('button');

async function newPage(label: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  page.setDefaultTimeout(10_000);
  recordPageErrors(page, label, pageErrors);
  return page;
}

beforeAll(async () => {
  site = await startSite();
  browser = await launchBrowser();
  reader = await newPage('reader');
  watcher = await newPage('watcher');
  moderator = await newPage('moderator');
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await site?.stop();
});

// Each page is checked by axe once, in its fullest state: the brief signed in with threads, a
// message and open forms; the watcher's page after live inserts; each queue and the log.
describe('comments and moderation, clicked through in Chromium', { timeout: 180_000 }, () => {
  it('a reader signs up from the comment section, and another reader\'s open page hears of the new comment live', async () => {
    await reader.goto(`${site.url}/en/`);
    await reader.getByRole('link', { name: BRIEF }).click();
    briefUrl = reader.url().replace(/[?#].*$/, '');
    const briefPath = new URL(briefUrl).pathname;
    ids.taras = await idOf(commentSaying(reader, 'Is the road past the bus station open again?'));
    ids.angry = await idOf(commentSaying(reader, 'should rot in jail'));
    // The held demo comment is not shown to readers.
    await expect(commentSaying(reader, 'Cheap flats far from the flood').count()).resolves.toBe(0);

    // The watcher opens the same brief and keeps it open; its stream is listening once the
    // response to /comments/live has started (the server subscribes before answering).
    const listening = watcher.waitForResponse((r) => new URL(r.url()).pathname === `${briefPath}/comments/live` && r.status() === 200);
    await watcher.goto(briefUrl);
    await listening;
    await watcher.evaluate(() => { (window as MarkedWindow).__noReload = true; });
    const countBefore = await commentCount(watcher);

    await reader.locator('#comments').getByRole('link', { name: 'sign up' }).click();
    expect(new URL(reader.url()).pathname).toBe('/account/signup');
    await reader.getByLabel('Display name').fill(READER.name);
    await reader.getByLabel('Email').fill(READER.email);
    await reader.getByLabel('Password').fill(READER.password);
    await reader.getByRole('button', { name: 'Create account' }).click();
    // Back on the brief's comments, signed in, with the form.
    await reader.waitForURL((url) => url.pathname === briefPath);
    const form = reader.locator('#comment-form');
    await expect(form.locator('.comment-as').innerText()).resolves.toBe(`Commenting as ${READER.name}`);

    await form.getByLabel('Your comment').fill(FIRST);
    await form.getByRole('button', { name: 'Post comment' }).click();
    const mine = commentSaying(reader, FIRST);
    await expect(flashIn(mine)).resolves.toBe('Your comment was published.');
    ids.first = await idOf(mine);
    await expect(mine.locator('.comment-author').innerText()).resolves.toBe(READER.name);

    // The watcher's page, without reloading, offers the new comment…
    await liveButton(watcher).filter({ hasText: '1 new comment' }).waitFor();
    await expect(commentById(watcher, ids.first).count()).resolves.toBe(0);
    await expect(commentCount(watcher)).resolves.toBe(countBefore);
    // …and a click puts it in place, in the same document.
    await liveButton(watcher).click();
    await commentById(watcher, ids.first).waitFor();
    await expect(commentById(watcher, ids.first).locator('.comment-body').innerText()).resolves.toBe(FIRST);
    await expect(liveButton(watcher).count()).resolves.toBe(0);
    await expect(commentCount(watcher)).resolves.toBe(countBefore + 1);
    await expect(isSameDocument(watcher)).resolves.toBe(true);
    expect(await axeViolations(watcher)).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('the reader replies to another comment, and the reply reaches the open page in its thread', async () => {
    const taras = commentById(reader, ids.taras);
    await taras.locator('summary', { hasText: 'Reply' }).click();
    await taras.getByLabel('Your reply').fill(REPLY);
    await taras.locator('form').getByRole('button', { name: 'Reply', exact: true }).click();
    const reply = commentSaying(reader, REPLY);
    await expect(flashIn(reply)).resolves.toBe('Your comment was published.');
    ids.reply = await idOf(reply);
    await expect(reply.getAttribute('data-parent')).resolves.toBe(ids.taras);
    // Rendered in Taras's thread, under his comment.
    await expect(reader.locator(`li.comment-thread:has(> #comment-${ids.taras}) #comment-${ids.reply}`).count()).resolves.toBe(1);

    await liveButton(watcher).filter({ hasText: '1 new comment' }).waitFor();
    await liveButton(watcher).click();
    await watcher.locator(`li.comment-thread:has(> #comment-${ids.taras}) #comment-${ids.reply}`).waitFor();
    await expect(isSameDocument(watcher)).resolves.toBe(true);
    expect(pageErrors).toEqual([]);
  });

  it('the reader edits their own comment within the window and reports another reader\'s', async () => {
    const mine = commentById(reader, ids.first);
    // Only their own comment offers Edit; others' offer Report instead.
    await expect(commentById(reader, ids.taras).locator('summary', { hasText: 'Edit' }).count()).resolves.toBe(0);
    await expect(mine.locator('summary', { hasText: 'Report' }).count()).resolves.toBe(0);
    await mine.locator('summary', { hasText: 'Edit' }).click();
    await mine.getByLabel('Your comment').fill(EDITED);
    await mine.getByRole('button', { name: 'Save' }).click();
    await expect(flashIn(commentSaying(reader, EDITED))).resolves.toBe('Your changes were saved.');
    await expect(commentById(reader, ids.first).locator('.comment-body').innerText()).resolves.toBe(EDITED);
    await expect(commentById(reader, ids.first).locator('.comment-edited').innerText()).resolves.toBe('(edited)');
    await expect(commentSaying(reader, FIRST).count()).resolves.toBe(0);

    const angry = commentById(reader, ids.angry);
    await angry.locator('summary', { hasText: 'Report' }).click();
    await angry.getByRole('group', { name: 'What is wrong with this comment?' }).getByLabel('Abusive').check();
    await angry.getByLabel('Tell the moderators more').fill('Insults the dam workers.');
    await angry.locator('form').getByRole('button', { name: 'Report', exact: true }).click();
    await expect(flashIn(commentById(reader, ids.angry))).resolves.toBe('Thank you: a moderator will look at this comment.');
    await expect(commentById(reader, ids.angry).locator('.comment-flash').getAttribute('role')).resolves.toBe('status');
    // One report does not hide it.
    await expect(commentById(reader, ids.angry).locator('.comment-body').count()).resolves.toBe(1);

    // The signed-in view with threads, a flash and open forms has no accessibility violations.
    await commentById(reader, ids.taras).locator('summary', { hasText: 'Reply' }).click();
    await commentById(reader, ids.reply).locator('summary', { hasText: 'Edit' }).click();
    await commentById(reader, ids.taras).locator('summary', { hasText: 'Report' }).click();
    expect(await axeViolations(reader)).toEqual([]);
    expect(pageErrors).toEqual([]);
  });

  it('a comment with three links is held; an insult is published but flagged', async () => {
    await reader.goto(briefUrl);
    const form = reader.locator('#comment-form');
    await form.getByLabel('Your comment').fill(HELD);
    await form.getByRole('button', { name: 'Post comment' }).click();
    // Held: nothing of it on the page, only the message at the top of the section.
    const note = reader.locator('#comments > .comment-flash');
    await expect(note.innerText()).resolves.toBe('Your comment will appear once a moderator has read it.');
    await expect(commentSaying(reader, 'Volunteers: boats at').count()).resolves.toBe(0);

    await reader.locator('#comment-form').getByLabel('Your comment').fill(FLAGGED);
    await reader.locator('#comment-form').getByRole('button', { name: 'Post comment' }).click();
    await expect(flashIn(commentSaying(reader, FLAGGED))).resolves.toBe('Your comment was published.');
    ids.flagged = await idOf(commentSaying(reader, FLAGGED));

    // The watcher sees the published one only: the held one sent readers nothing.
    await liveButton(watcher).filter({ hasText: '1 new comment' }).waitFor();
    await liveButton(watcher).click();
    await commentById(watcher, ids.flagged).waitFor();
    await expect(commentSaying(watcher, 'Volunteers: boats at').count()).resolves.toBe(0);
    await expect(isSameDocument(watcher)).resolves.toBe(true);
    expect(pageErrors).toEqual([]);
  });

  it('a moderator approves the held comment and rejects the flagged one; the readers\' pages follow', async () => {
    const password = cli(site, ['users', 'create', '--email', MODERATOR.email, '--name', MODERATOR.name, '--role', 'moderator']).trim();
    await moderator.goto(`${site.url}/desk/login`);
    await moderator.getByLabel('Email').fill(MODERATOR.email);
    await moderator.getByLabel('Password').fill(password);
    await moderator.getByRole('button', { name: 'Log in' }).click();
    await moderator.getByRole('button', { name: 'Log out' }).waitFor();
    await moderator.goto(`${site.url}/desk/moderation/pending`);
    const tabs = moderator.getByRole('navigation', { name: 'Moderation' });

    // Pending: the reader's held comment, with why it is held.
    const held = moderator.locator('article.mod-item', { hasText: HELD });
    await held.waitFor();
    ids.held = (await held.getAttribute('data-comment-id'))!;
    await expect(held.locator('.mod-author').innerText()).resolves.toBe(READER.name);
    expect(await axeViolations(moderator)).toEqual([]);
    const watcherCount = await commentCount(watcher);
    await held.getByRole('button', { name: 'Approve' }).click();
    await expect(moderator.locator('p.notice[role=status]').innerText()).resolves.toBe('Comment approved.');
    await expect(moderator.locator(`#comment-${ids.held}`).count()).resolves.toBe(0);

    // The watcher's page offers it live; a click shows it, links and all.
    await liveButton(watcher).filter({ hasText: '1 new comment' }).waitFor();
    await liveButton(watcher).click();
    const approved = commentById(watcher, ids.held);
    await approved.waitFor();
    await expect(approved.locator('.comment-body a').count()).resolves.toBe(3);
    await expect(commentCount(watcher)).resolves.toBe(watcherCount + 1);
    // And anyone loading the brief now sees it.
    await reader.goto(briefUrl);
    await commentById(reader, ids.held).waitFor();

    // Flagged: the insult, published under post-moderation; rejected with a reason.
    await tabs.getByRole('link', { name: /^Flagged/ }).click();
    const flagged = moderator.locator('article.mod-item', { hasText: FLAGGED });
    await flagged.waitFor();
    await expect(flagged.getAttribute('data-comment-id')).resolves.toBe(ids.flagged);
    expect(await axeViolations(moderator)).toEqual([]);
    const reject = flagged.locator('form[data-action="reject"]');
    await reject.getByLabel('Reason (optional)').fill('Insult');
    await reject.getByRole('button', { name: 'Reject' }).click();
    await expect(moderator.locator('p.notice[role=status]').innerText()).resolves.toBe('Comment rejected.');
    await expect(moderator.locator(`#comment-${ids.flagged}`).count()).resolves.toBe(0);

    // It leaves the watcher's page at once, without a reload, and the count follows.
    await commentById(watcher, ids.flagged).waitFor({ state: 'detached' });
    await expect(commentCount(watcher)).resolves.toBe(watcherCount);
    await expect(isSameDocument(watcher)).resolves.toBe(true);
    await reader.reload();
    await commentById(reader, ids.held).waitFor();
    await expect(commentById(reader, ids.flagged).count()).resolves.toBe(0);
    await expect(commentSaying(reader, FLAGGED).count()).resolves.toBe(0);
    expect(pageErrors).toEqual([]);
  });

  it('the other queues and the log show what happened, without accessibility violations', async () => {
    const tabs = moderator.getByRole('navigation', { name: 'Moderation' });
    const items = moderator.locator('article.mod-item');

    await tabs.getByRole('link', { name: /^Pending/ }).click();
    await moderator.waitForURL((url) => url.pathname === '/desk/moderation/pending');
    // The demo's link spam is still waiting; the approved comment is not.
    await items.filter({ hasText: 'Cheap flats far from the flood' }).waitFor();
    await expect(moderator.locator(`#comment-${ids.held}`).count()).resolves.toBe(0);

    await tabs.getByRole('link', { name: /^Reported/ }).click();
    await moderator.waitForURL((url) => url.pathname === '/desk/moderation/reported');
    const reported = moderator.locator(`#comment-${ids.angry}`);
    await reported.waitFor();
    await expect(reported.locator('.mod-reports').innerText()).resolves.toContain('Insults the dam workers.');
    expect(await axeViolations(moderator)).toEqual([]);

    await tabs.getByRole('link', { name: /^Rejected/ }).click();
    await moderator.waitForURL((url) => url.pathname === '/desk/moderation/rejected');
    await moderator.locator(`#comment-${ids.flagged}`).waitFor();
    expect(await axeViolations(moderator)).toEqual([]);

    await tabs.getByRole('link', { name: /^Approved/ }).click();
    await moderator.waitForURL((url) => url.pathname === '/desk/moderation/approved');
    await moderator.locator(`#comment-${ids.held}`).waitFor();
    expect(await axeViolations(moderator)).toEqual([]);

    await tabs.getByRole('link', { name: /^Flagged/ }).click();
    await moderator.waitForURL((url) => url.pathname === '/desk/moderation/flagged');
    await expect(moderator.locator(`#comment-${ids.flagged}`).count()).resolves.toBe(0);

    await tabs.getByRole('link', { name: 'Audit log' }).click();
    await moderator.waitForURL((url) => url.pathname === '/desk/moderation/log');
    const rows = moderator.locator('table.mod-log tbody tr');
    const approval = rows.filter({ hasText: 'Approved a comment' }).filter({ hasText: 'Volunteers: boats at' });
    const rejection = rows.filter({ hasText: 'Rejected a comment' }).filter({ hasText: FLAGGED });
    await expect(approval.locator('td').nth(1).innerText()).resolves.toBe(MODERATOR.name);
    await expect(rejection.locator('td').nth(1).innerText()).resolves.toBe(MODERATOR.name);
    await expect(rejection.locator('td').nth(4).innerText()).resolves.toBe('Insult');
    expect(await axeViolations(moderator)).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
