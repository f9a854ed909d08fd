import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_ACTOR } from '../accounts/policy.js';
import { signUpReader } from '../accounts/readers.js';
import { decideComment } from '../comments/moderation.js';
import { updateModerationSettings } from '../comments/policy-settings.js';
import { postComment, type CommentAuthor } from '../comments/service.js';
import { setCommentPolicy } from '../comments/subject-policy.js';
import { newId } from '../common/ids.js';
import { csrfTokenIn, deskClient, unescapeHtml, type DeskClient } from '../desk/test-client.js';
import { briefCommentsTopic } from '../live/hub.js';
import { buildTestApp, makeEntity, makePublishedBrief, makeStory, makeUser, type TestContext } from '../test/factories.js';
import { linkTranslation } from '../content/timeline.js';
import { readerCommentEvent } from './comments.js';
import { briefPath, entityPath, storyPath } from './paths.js';
import { linkSegments, safeCommentHref } from './views/CommentText.js';
import { vnuErrors } from '../test/vnu.js';

let t: TestContext;
let brief: { id: string; slug: string };
let page: string;
beforeEach(async () => {
  t = await buildTestApp();
  brief = await makePublishedBrief(t.deps);
  page = briefPath(brief);
});
afterEach(async () => { await t.close(); });

let readerCount = 0;
/** A signed-in reader: a browser stand-in carrying their session cookie. */
async function reader(displayName = `Reader ${++readerCount}`): Promise<{ id: string; author: CommentAuthor; client: DeskClient }> {
  const { user, sessionId } = await signUpReader({
    db: t.db, input: { displayName, email: `reader-${readerCount}-${Date.now()}@newsdesk.test`, password: 'long enough password' },
  });
  const client = deskClient(t.app);
  client.cookies.set('nd_session', sessionId);
  return { id: user.id, author: { id: user.id, displayName, role: 'reader' }, client };
}

/** Posts a comment form from the brief page, with the token the page carries, as a browser would. */
async function submit(client: DeskClient, action: string, fields: Record<string, string>, from = page) {
  const res = await client.get(from);
  expect(res.statusCode).toBe(200);
  const token = csrfTokenIn(res.body);
  expect(token, 'a signed-in reader gets forms with a CSRF token').not.toBeNull();
  return client.post(action, fields, { csrf: token! });
}

let clock = Date.parse('2026-11-25T08:00:00Z');
/** A stored comment at a chosen time, so orders are exact (the service stamps "now"). */
async function seedComment(body: string, opts: { parentId?: string; userId?: string; status?: string; authorName?: string } = {}): Promise<string> {
  const id = newId();
  clock += 60_000;
  await t.db.insertInto('comments').values({
    id, brief_id: brief.id, author_name: opts.authorName ?? 'Seeded', body, status: opts.status ?? 'published',
    created_at: new Date(clock).toISOString(), user_id: opts.userId ?? null, parent_id: opts.parentId ?? null,
  }).execute();
  return id;
}

/** Ids of the comment articles on a page, in document order. */
const articleIds = (html: string) => [...html.matchAll(/<article id="comment-([0-9a-z]+)"/g)].map((m) => m[1]!);
const commentsSection = (html: string) => /<section id="comments".*?<\/section>/s.exec(html)?.[0] ?? '';
const flashCookie = (res: { cookies: { name: string; value: string }[] }) => res.cookies.find((c) => c.name === 'nd_flash');

describe('the comment section', () => {
  it('shows threads with replies nested two levels, oldest first by default and newest first on request', async () => {
    const a = await seedComment('First top-level');
    const b = await seedComment('Second top-level');
    const a1 = await seedComment('Reply to the first', { parentId: a });
    const a1a = await seedComment('Reply to the reply', { parentId: a1 });
    const c = await seedComment('Third top-level');

    const oldest = (await t.app.inject({ method: 'GET', url: page })).body;
    expect(articleIds(oldest)).toEqual([a, a1, a1a, b, c]);
    expect(oldest).toContain('<h2>5 comments</h2>');
    // The second-level reply sits in a list inside the first-level reply's item, inside the thread.
    expect(oldest).toMatch(new RegExp(`<li class="comment-thread"><article id="comment-${a}" class="comment comment-depth-0">.*?`
      + `<ol class="comment-replies"><li><article id="comment-${a1}" class="comment comment-depth-1" data-parent="${a}">.*?`
      + `<ol class="comment-replies"><li><article id="comment-${a1a}" class="comment comment-depth-2" data-parent="${a1}">`, 's'));
    expect(oldest).toContain(`<a href="${page}#comments" aria-current="true">Oldest first</a>`);
    expect(oldest).toContain(`<a href="${page}?sort=newest#comments">Newest first</a>`);
    expect(oldest).toContain(`<a class="comment-time" href="#comment-${a}"><time datetime=`);

    const newest = (await t.app.inject({ method: 'GET', url: `${page}?sort=newest` })).body;
    expect(articleIds(newest)).toEqual([c, b, a, a1, a1a]);
    expect(newest).toContain(`<a href="${page}?sort=newest#comments" aria-current="true">Newest first</a>`);
    // An unknown order is the default, not an error: shared links keep working.
    expect(articleIds((await t.app.inject({ method: 'GET', url: `${page}?sort=sideways` })).body)).toEqual([a, a1, a1a, b, c]);
  });

  it('pages through top-level comments with the "More comments" cursor, in both orders', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 23; i++) ids.push(await seedComment(`Comment number ${i}`));
    for (const [sort, expected] of [['oldest', ids], ['newest', [...ids].reverse()]] as const) {
      const first = (await t.app.inject({ method: 'GET', url: `${page}?sort=${sort}` })).body;
      expect(articleIds(first)).toEqual(expected.slice(0, 20));
      expect(first).toContain('<h2>23 comments</h2>');
      const more = /<a rel="next" href="([^"]+)">More comments →<\/a>/.exec(first)?.[1];
      expect(more).toBeDefined();
      const second = await t.app.inject({ method: 'GET', url: unescapeHtml(more!) });
      expect(second.statusCode).toBe(200);
      expect(articleIds(second.body)).toEqual(expected.slice(20));
      expect(second.body).toContain('<h2>23 comments</h2>');
      expect(second.body).not.toContain('More comments');
      expect(second.body).toContain('Back to the first comments');
    }
  });

  it('shows signed-out readers the log-in and sign-up links, no form, and a page any cache may share', async () => {
    await seedComment('Someone else wrote this.');
    const res = await t.app.inject({ method: 'GET', url: page });
    expect(res.headers['cache-control']).toBe('public, max-age=0, s-maxage=30, stale-while-revalidate=30');
    expect(res.headers.vary).toContain('cookie');
    const section = commentsSection(res.body);
    const next = encodeURIComponent(`${page}#comments`);
    expect(section).toContain(`<p class="comment-signin"><a href="/account/login?next=${next}">Log in</a> or <a href="/account/signup?next=${next}">sign up</a> to comment.</p>`);
    expect(section).not.toContain('<form');
    expect(section).not.toContain('name="_csrf"');
    expect(res.body).toContain('<script type="module" src="/assets/comments-live.js"></script>');
  });

  it('brings a reader who logs in or signs up from the comments back to them, and nowhere else', async () => {
    const { client } = await reader('Olena');
    const email = `back-${Date.now()}@newsdesk.test`;
    const fresh = deskClient(t.app);
    const signup = await fresh.get(`/account/signup?next=${encodeURIComponent(`${page}#comments`)}`);
    expect(signup.body).toContain(`<input type="hidden" name="next" value="${page}#comments"/>`);
    const res = await fresh.post('/account/signup', { displayName: 'Back', email, password: 'long enough password', next: `${page}#comments` }, { csrf: csrfTokenIn(signup.body)! });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${page}#comments`);
    // Already signed in: the log-in page sends them straight back; a foreign target is ignored.
    expect((await client.get(`/account/login?next=${encodeURIComponent(page)}`)).headers.location).toBe(page);
    for (const evil of ['//evil.example/', 'https://evil.example/', '/\\evil.example', '/account/delete']) {
      expect((await client.get(`/account/login?next=${encodeURIComponent(evil)}`)).headers.location).toBe('/account');
    }
  });

  it('renders a comment as inert text: markup escaped, no javascript: link, http(s) links with rel="nofollow ugc noopener"', async () => {
    await seedComment('<script>alert(1)</script> <img src=x onerror=alert(2)>\njavascript:alert(3) and see https://example.org/report?id=1&lang=en or http://example.com/a|b');
    const html = (await t.app.inject({ method: 'GET', url: page })).body;
    const section = commentsSection(html);
    expect(section).not.toContain('<script>');
    expect(section).not.toContain('<img');
    expect(section).toContain('&lt;script>alert(1)&lt;/script> &lt;img src=x onerror=alert(2)><br/>javascript:alert(3) and see ');
    expect(section).not.toMatch(/href="javascript:/i);
    expect(section).toContain('<a href="https://example.org/report?id=1&amp;lang=en" rel="nofollow ugc noopener">https://example.org/report?id=1&amp;lang=en</a>');
    // A character a URL may not carry is percent-encoded in the href and shown as typed.
    expect(section).toContain('<a href="http://example.com/a%7Cb" rel="nofollow ugc noopener">http://example.com/a|b</a>');
  });

  it('hides pending comments from everyone else', async () => {
    await seedComment('Held for a moderator', { status: 'pending' });
    await seedComment('Rejected outright', { status: 'rejected' });
    const visible = await seedComment('Published and visible');
    for (const client of [deskClient(t.app), (await reader()).client]) {
      const html = (await client.get(page)).body;
      expect(articleIds(html)).toEqual([visible]);
      expect(html).not.toContain('Held for a moderator');
      expect(html).not.toContain('Rejected outright');
      expect(html).toContain('<h2>1 comment</h2>');
    }
  });
});

describe('comment forms', () => {
  it('posts a comment and a reply: 303 back to the comment, a one-time message, the reply nested', async () => {
    const { client } = await reader('Olena');
    const page0 = await client.get(page);
    expect(page0.headers['cache-control']).toBe('no-store');
    const form = commentsSection(page0.body);
    expect(form).toContain(`<form id="comment-form" class="comment-form" method="post" action="${page}/comments#comment-form">`);
    expect(form).toContain('<label for="comment-body">Your comment</label>');
    expect(form).toContain('<button type="submit" class="primary">Post comment</button>');
    expect(form).toContain('Commenting as <strong>Olena</strong>');

    const res = await client.post(`${page}/comments`, { body: 'Stay safe, everyone.\nSecond line.', sort: 'oldest' }, { csrf: csrfTokenIn(page0.body)! });
    expect(res.statusCode).toBe(303);
    const row = await t.db.selectFrom('comments').selectAll().where('body', '=', 'Stay safe, everyone.\nSecond line.').executeTakeFirstOrThrow();
    expect(row.status).toBe('published');
    expect(row.ip_hash).toMatch(/^[0-9a-f]{32}$/);
    expect(res.headers.location).toBe(`${page}#comment-${row.id}`);
    expect(flashCookie(res)).toBeDefined();

    const after = await client.get(page);
    expect(after.body).toContain(`<article id="comment-${row.id}"`);
    expect(after.body).toMatch(new RegExp(`id="comment-${row.id}".*?<p class="comment-flash comment-flash-success" role="status">Your comment was published.</p>`, 's'));
    expect(after.body).toContain('Stay safe, everyone.<br/>Second line.');
    // Shown once: the next visit has no message.
    expect((await client.get(page)).body).not.toContain('Your comment was published.');

    const { client: other } = await reader('Taras');
    const otherPage = await other.get(page);
    expect(otherPage.body).toContain(`<details id="reply-${row.id}" class="comment-action comment-action-reply"><summary>Reply</summary>`);
    expect(otherPage.body).toContain(`<label for="reply-body-${row.id}">Your reply</label>`);
    const reply = await other.post(`${page}/comments`, { body: 'Thank you.', parentId: row.id, sort: 'oldest' }, { csrf: csrfTokenIn(otherPage.body)! });
    expect(reply.statusCode).toBe(303);
    const replyRow = await t.db.selectFrom('comments').selectAll().where('body', '=', 'Thank you.').executeTakeFirstOrThrow();
    expect(replyRow.parent_id).toBe(row.id);
    expect(reply.headers.location).toBe(`${page}#comment-${replyRow.id}`);
    const threaded = (await other.get(page)).body;
    expect(threaded).toContain(`<article id="comment-${replyRow.id}" class="comment comment-depth-1" data-parent="${row.id}">`);
  });

  it('lets the author edit within the window and delete; others may only report', async () => {
    const author = await reader('Olena');
    const posted = await postComment(t.deps, { actor: author.author, briefId: brief.id, body: 'Frist!' });
    const own = await author.client.get(page);
    expect(own.body).toContain(`<details id="edit-${posted.id}" class="comment-action comment-action-edit"><summary>Edit</summary>`);
    expect(own.body).toMatch(new RegExp(`<textarea id="edit-body-${posted.id}" name="body"[^>]*>Frist!</textarea>`));
    expect(own.body).toContain(`<details id="delete-${posted.id}" class="comment-action comment-action-delete"><summary>Delete</summary>`);
    expect(own.body).not.toContain(`id="report-${posted.id}"`);

    const edited = await author.client.post(`${page}/comments/${posted.id}/edit`, { body: 'First!', sort: 'oldest' }, { csrf: csrfTokenIn(own.body)! });
    expect(edited.statusCode).toBe(303);
    expect(edited.headers.location).toBe(`${page}#comment-${posted.id}`);
    const afterEdit = (await author.client.get(page)).body;
    expect(afterEdit).toContain('Your changes were saved.');
    expect(afterEdit).toMatch(new RegExp(`id="comment-${posted.id}".*?<span class="comment-edited">\\(edited\\)</span>.*?<p class="comment-body">First!</p>`, 's'));

    // Someone else gets Report, and neither Edit nor Delete, on it.
    const other = await reader('Taras');
    const theirs = (await other.client.get(page)).body;
    expect(theirs).not.toContain(`id="edit-${posted.id}"`);
    expect(theirs).not.toContain(`id="delete-${posted.id}"`);
    expect(theirs).toContain(`<details id="report-${posted.id}" class="comment-action comment-action-report"><summary>Report</summary>`);
    for (const reason of ['abusive', 'spam', 'off_topic', 'other']) expect(theirs).toContain(`<input type="radio" id="report-${posted.id}-${reason}" name="reason" value="${reason}" required/>`);
    // Editing someone else's comment through the form is refused, and the text stays.
    const forged = await submit(other.client, `${page}/comments/${posted.id}/edit`, { body: 'Hijacked' });
    expect(forged.statusCode).toBe(403);
    expect(forged.body).toContain('Only the author may edit a comment.');
    expect((await t.db.selectFrom('comments').select('body').where('id', '=', posted.id).executeTakeFirstOrThrow()).body).toBe('First!');

    const report = await submit(other.client, `${page}/comments/${posted.id}/report`, { reason: 'spam', text: '' });
    expect(report.statusCode).toBe(303);
    expect(report.headers.location).toBe(`${page}#comment-${posted.id}`);
    expect((await other.client.get(page)).body).toContain('Thank you: a moderator will look at this comment.');
    const reports = await t.db.selectFrom('comment_reports').selectAll().where('comment_id', '=', posted.id).execute();
    expect(reports.map((r) => [r.user_id, r.reason])).toEqual([[other.id, 'spam']]);

    const deleted = await submit(author.client, `${page}/comments/${posted.id}/delete`, {});
    expect(deleted.statusCode).toBe(303);
    expect(deleted.headers.location).toBe(`${page}#comments`);
    const afterDelete = (await author.client.get(page)).body;
    expect(articleIds(afterDelete)).toEqual([]);
    expect(afterDelete).toContain('Your comment was deleted.');
  });

  it('hides the edit form once the window has passed', async () => {
    const author = await reader();
    const old = await seedComment('Written long ago', { userId: author.id });
    const html = (await author.client.get(page)).body;
    expect(html).not.toContain(`id="edit-${old}"`);
    expect(html).toContain(`id="delete-${old}"`);
  });

  it('refuses every form without its CSRF token (403) and changes nothing', async () => {
    const author = await reader();
    const posted = await postComment(t.deps, { actor: author.author, briefId: brief.id, body: 'Original text.' });
    await author.client.get(page);
    const attempts: [string, Record<string, string>][] = [
      [`${page}/comments`, { body: 'Forged comment' }],
      [`${page}/comments`, { body: 'Forged reply', parentId: posted.id }],
      [`${page}/comments/${posted.id}/edit`, { body: 'Forged edit' }],
      [`${page}/comments/${posted.id}/delete`, {}],
      [`${page}/comments/${posted.id}/report`, { reason: 'spam' }],
    ];
    for (const [action, fields] of attempts) {
      const res = await author.client.post(action, fields, { csrf: false });
      expect(res.statusCode, action).toBe(403);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.body).toContain('Form expired');
      expect(res.body).toContain(`href="${page}#comments"`);
    }
    const rows = await t.db.selectFrom('comments').select(['body', 'deleted_at']).execute();
    expect(rows).toEqual([{ body: 'Original text.', deleted_at: null }]);
    expect(await t.db.selectFrom('comment_reports').selectAll().execute()).toEqual([]);
  });

  it('tells the author of a held comment that it waits for a moderator, and shows it to nobody', async () => {
    // Under pre-moderation a suspect comment (profanity) waits for a moderator.
    await updateModerationSettings(t.deps, CLI_ACTOR, { moderation: 'pre' });
    const author = await reader();
    const res = await submit(author.client, `${page}/comments`, { body: 'Please approve me, you prick.' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${page}#comments`);
    const own = (await author.client.get(page)).body;
    expect(own).toContain('<p class="comment-flash comment-flash-info" role="status">Your comment will appear once a moderator has read it.</p>');
    expect(own).not.toContain('Please approve me');
    const row = await t.db.selectFrom('comments').select(['id', 'status']).executeTakeFirstOrThrow();
    expect(row.status).toBe('pending');
    expect((await t.app.inject({ method: 'GET', url: page })).body).not.toContain('Please approve me');
    expect((await t.app.inject({ method: 'GET', url: `${page}/comments/${row.id}/fragment` })).statusCode).toBe(404);
  });

  it('gives a refused comment back in its form with the reason and the status, never a 500', async () => {
    const author = await reader();
    const tooLong = 'x'.repeat(5001);
    const long = await submit(author.client, `${page}/comments`, { body: tooLong });
    expect(long.statusCode).toBe(400);
    expect(long.headers['cache-control']).toBe('no-store');
    expect(long.body).toContain('<p class="field-error" id="comment-body-error"><span class="visually-hidden">Error: </span>This is too long');
    expect(long.body).toContain(`aria-describedby="comment-body-hint comment-body-error" aria-invalid="true">${tooLong}</textarea>`);

    const blank = await submit(author.client, `${page}/comments`, { body: '   ' });
    expect(blank.statusCode).toBe(400);
    expect(blank.body).toContain('The comment is empty: write something first.');

    const other = await seedComment('A comment to report');
    const noReason = await submit(author.client, `${page}/comments/${other}/report`, { text: 'Because.' });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.body).toContain(`<details id="report-${other}" class="comment-action comment-action-report" open>`);
    expect(noReason.body).toContain('Choose what is wrong with the comment.');
    expect(noReason.body).toMatch(new RegExp(`<textarea id="report-text-${other}" name="text"[^>]*>Because.</textarea>`));

    const gone = await submit(author.client, `${page}/comments`, { body: 'Replying to nothing', parentId: 'nosuchcomment' });
    expect(gone.statusCode).toBe(400);
    expect(gone.body).toContain('<p class="comment-flash comment-flash-error" role="alert">That comment is no longer here.</p>');

    await updateModerationSettings(t.deps, CLI_ACTOR, { commentsPerMinutePerAccount: 1 });
    expect((await submit(author.client, `${page}/comments`, { body: 'One comment a minute.' })).statusCode).toBe(303);
    const limited = await submit(author.client, `${page}/comments`, { body: 'And another right away.' });
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.body).toContain('You are commenting too fast; wait a little and try again.');
    expect(limited.body).toMatch(/<textarea id="comment-body"[^>]*>And another right away.<\/textarea>/);

    // Signed out meanwhile: the page again, saying so, with the log-in link.
    const stranger = deskClient(t.app);
    const token = await stranger.csrfToken();
    const anonymous = await stranger.post(`${page}/comments`, { body: 'Who am I?' }, { csrf: token });
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.body).toContain('You are not logged in, or your session has ended.');
    expect(anonymous.body).toContain('<p class="comment-signin">');
  });

  it('keeps the brief\'s translation links on the page of a refused comment', async () => {
    const story = await makeStory(t.deps);
    const english = await makePublishedBrief(t.deps, { storyId: story.id });
    const ukrainian = await makePublishedBrief(t.deps, { storyId: story.id, language: 'uk' });
    await linkTranslation(t.deps, CLI_ACTOR, english.id, ukrainian.id);
    const author = await reader();
    const refused = await submit(author.client, `${briefPath(english)}/comments`, { body: '   ' }, briefPath(english));
    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain(`<a href="${briefPath(ukrainian)}" hreflang="uk" lang="uk"`);
  });

  it('closes the section: a note instead of the forms, and posts refused with 409', async () => {
    await seedComment('Said before closing');
    await setCommentPolicy(t.deps, CLI_ACTOR, { scope: 'brief', id: brief.id }, { mode: 'closed' });
    const author = await reader();
    const html = (await author.client.get(page)).body;
    const section = commentsSection(html);
    expect(section).toContain('<div class="comments-closed"><p><strong>Comments are closed</strong></p><p>The newsroom closed comments on this brief.</p></div>');
    expect(section).not.toContain('id="comment-form"');
    expect(section).not.toContain('comment-action-reply');
    expect(section).not.toContain('name="body"');
    expect((await t.app.inject({ method: 'GET', url: page })).body).not.toContain('comment-signin');

    const token = csrfTokenIn(html)!;
    const refused = await author.client.post(`${page}/comments`, { body: 'Too late' }, { csrf: token });
    expect(refused.statusCode).toBe(409);
    expect(refused.body).toContain('Comments on this brief are closed.');
    expect(await t.db.selectFrom('comments').select('id').where('body', '=', 'Too late').execute()).toEqual([]);
  });

  it('speaks the brief\'s language in the section and its messages', async () => {
    const ukBrief = await makePublishedBrief(t.deps, { language: 'uk', headline: 'Евакуація триває' });
    const author = await reader('Олена');
    const html = (await author.client.get(briefPath(ukBrief))).body;
    expect(html).toContain('<h2>0 коментарів</h2>');
    expect(html).toContain('<label for="comment-body">Ваш коментар</label>');
    expect(html).toContain('Надіслати коментар');
    const res = await submit(author.client, `${briefPath(ukBrief)}/comments`, { body: 'Тримайтеся!' }, briefPath(ukBrief));
    expect(res.statusCode).toBe(303);
    expect((await author.client.get(briefPath(ukBrief))).body).toContain('Ваш коментар опубліковано.');
  });
});

describe('live comments', () => {
  it('maps comment events to what readers may know: appeared or went, by id only', () => {
    const ev = (data: Record<string, unknown>) => readerCommentEvent({ event: 'comment', data: { briefId: 'b', commentId: 'c1', ...data } });
    expect(ev({ type: 'comment.added', status: 'published', parentId: 'p1' })).toEqual({ event: 'comment', data: { type: 'added', commentId: 'c1', parentId: 'p1' } });
    expect(ev({ type: 'comment.added', status: 'pending' })).toBeNull();
    expect(ev({ type: 'comment.added', status: 'rejected', reasons: ['banned_term'] })).toBeNull();
    expect(ev({ type: 'comment.flagged', reasons: ['profanity'] })).toBeNull();
    expect(ev({ type: 'comment.moderated', decision: 'approve', status: 'published', previousStatus: 'pending' })).toEqual({ event: 'comment', data: { type: 'added', commentId: 'c1', parentId: null } });
    expect(ev({ type: 'comment.moderated', decision: 'reject', status: 'rejected', previousStatus: 'published' })).toEqual({ event: 'comment', data: { type: 'removed', commentId: 'c1' } });
    expect(ev({ type: 'comment.moderated', decision: 'reject', status: 'rejected', previousStatus: 'pending' })).toBeNull();
    expect(ev({ type: 'comment.moderated', decision: 'feature', status: 'published', previousStatus: 'published' })).toBeNull();
    expect(ev({ type: 'comment.reported', reason: 'spam', reportCount: 3, status: 'pending' })).toEqual({ event: 'comment', data: { type: 'removed', commentId: 'c1' } });
    expect(ev({ type: 'comment.reported', reason: 'spam', reportCount: 1 })).toBeNull();
    expect(ev({ type: 'comment.edited', status: 'pending', previousStatus: 'published' })).toEqual({ event: 'comment', data: { type: 'removed', commentId: 'c1' } });
    expect(ev({ type: 'comment.deleted', byAuthor: true })).toEqual({ event: 'comment', data: { type: 'removed', commentId: 'c1' } });
  });

  it('streams a published comment to an open page, and nothing of a held one', { timeout: 20_000 }, async () => {
    const address = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const controller = new AbortController();
    try {
      const res = await fetch(`${address}${page}/comments/live`, { signal: controller.signal });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/event-stream');
      expect(t.app.live.listenerCount(briefCommentsTopic(brief.id))).toBe(1);
      const stream = res.body!.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      /** Every block the stream has carried so far, whatever its event name, as sent. */
      const received: string[] = [];
      /** The next `comment` event's data, read off the stream (comments and retry lines skipped). */
      const nextComment = async (): Promise<Record<string, unknown>> => {
        for (;;) {
          const end = buffer.indexOf('\n\n');
          if (end >= 0) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            received.push(block);
            if (block.includes('event: comment')) return JSON.parse(/^data: (.*)$/m.exec(block)![1]!) as Record<string, unknown>;
            continue;
          }
          const { value, done } = await stream.read();
          if (done) throw new Error('the stream ended');
          buffer += value;
        }
      };

      const author = await reader();
      const published = await postComment(t.deps, { actor: author.author, briefId: brief.id, body: 'Live and visible.' });
      expect(await nextComment()).toEqual({ type: 'added', commentId: published.id, parentId: null });

      await updateModerationSettings(t.deps, CLI_ACTOR, { moderation: 'pre' });
      const seenBeforeHeld = received.length;
      const held = await postComment(t.deps, { actor: (await reader()).author, briefId: brief.id, body: 'Held back, you prick.' });
      expect(held.status).toBe('pending');
      // Staff skip pre-moderation. Events leave in commit order, so once the staff comment's event
      // has arrived, anything the stream said about the held one would have arrived before it.
      const editor = await makeUser(t.db, 'editor');
      const staff = await postComment(t.deps, { actor: { id: editor.id, displayName: 'Editor', role: 'editor' }, briefId: brief.id, body: 'From the newsroom.' });
      let event: Record<string, unknown>;
      do event = await nextComment(); while (event.commentId !== staff.id);
      expect(event).toEqual({ type: 'added', commentId: staff.id, parentId: null });
      expect(received.filter((block) => block.includes(held.id))).toEqual([]);
      expect(received.slice(seenBeforeHeld).filter((block) => block.includes('event: comment'))).toHaveLength(1);
      // Approving the held one makes it news; rejecting a published one takes it away.
      await decideComment(t.deps, editor.actor, held.id, 'approve');
      expect(await nextComment()).toEqual({ type: 'added', commentId: held.id, parentId: null });
      await decideComment(t.deps, editor.actor, published.id, 'reject', { reason: 'off topic' });
      expect(await nextComment()).toEqual({ type: 'removed', commentId: published.id });
    } finally {
      controller.abort();
    }
  });

  it('answers a published comment\'s fragment with its article, and 404 for anything readers cannot see', async () => {
    const top = await seedComment('Top-level comment');
    const reply = await seedComment('A reply', { parentId: top });
    const pending = await seedComment('Pending', { status: 'pending' });
    const underHidden = await seedComment('Reply under a hidden comment', { parentId: pending });

    const res = await t.app.inject({ method: 'GET', url: `${page}/comments/${reply}/fragment` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toMatch(new RegExp(`^<article id="comment-${reply}" class="comment comment-depth-1" data-parent="${top}">.*</article>$`, 's'));
    expect(res.body).toContain('A reply');

    const otherBrief = await makePublishedBrief(t.deps);
    for (const url of [
      `${page}/comments/${pending}/fragment`,
      `${page}/comments/${underHidden}/fragment`,
      `${page}/comments/nosuchcomment/fragment`,
      `${briefPath(otherBrief)}/comments/${top}/fragment`,
    ]) expect((await t.app.inject({ method: 'GET', url })).statusCode, url).toBe(404);

    // Signed in, the fragment carries the reader's forms, returning to the page they are on.
    const { client } = await reader();
    const cursor = Buffer.from(JSON.stringify(['2026-11-25T08:00:00.000Z', top])).toString('base64url');
    const withForms = await client.get(`${page}/comments/${top}/fragment?sort=newest&cursor=${cursor}`);
    expect(withForms.headers['cache-control']).toBe('no-store');
    expect(withForms.body).toContain(`<details id="reply-${top}"`);
    expect(withForms.body).toContain('<input type="hidden" name="sort" value="newest"/>');
    expect(withForms.body).toContain(`<input type="hidden" name="cursor" value="${cursor}"/>`);
    expect(csrfTokenIn(withForms.body)).not.toBeNull();
  });
});

describe('links to briefs', () => {
  it('say how many comments each brief has on the home, story and entity pages', async () => {
    const story = await makeStory(t.deps, 'Counted story');
    const entity = await makeEntity(t.deps, 'Counted Person');
    const counted = await makePublishedBrief(t.deps, { storyId: story.id, entityIds: [entity.id], headline: 'Counted brief' });
    const previous = brief;
    brief = counted;
    await seedComment('One');
    await seedComment('Two');
    await seedComment('Not shown', { status: 'pending' });
    brief = previous;
    for (const url of ['/', storyPath(story, 'en'), entityPath(entity, 'en')]) {
      const html = (await t.app.inject({ method: 'GET', url })).body;
      expect(html, url).toMatch(new RegExp(`${briefPath(counted)}">Counted brief</a>.*?<a class="brief-item-comments" href="${briefPath(counted)}#comments">2 comments</a>`, 's'));
    }
  });
});

describe('comment text', () => {
  it('links only http(s) addresses written out, with a href the HTML checker accepts', () => {
    expect(linkSegments('see example.org, www.example.org, mailto:a@example.org, //example.org and ftp://example.org')).toEqual([
      { text: 'see example.org, www.example.org, mailto:a@example.org, //example.org and ftp://example.org', href: null },
    ]);
    expect(linkSegments('(https://example.org/x).')).toEqual([
      { text: '(', href: null }, { text: 'https://example.org/x', href: 'https://example.org/x' }, { text: ').', href: null },
    ]);
    expect(safeCommentHref('https://example.org/p|q^r{s}#f#g')).toBe('https://example.org/p%7Cq%5Er%7Bs%7D#f%23g');
    expect(safeCommentHref('https://пример.укр/шлях')).toBe('https://xn--e1afmkfd.xn--j1amh/%D1%88%D0%BB%D1%8F%D1%85');
    expect(safeCommentHref('https://user:secret@example.org/')).toBeNull();
    expect(safeCommentHref('javascript:alert(1)')).toBeNull();
    expect(safeCommentHref('data:text/html,hi')).toBeNull();
  });
});

describe('HTML validity of the comment section', () => {
  it('passes the Nu HTML Checker signed in and out, with threads, forms, messages and a refused form', { timeout: 120_000 }, async () => {
    const author = await reader('Olena');
    const other = await reader('Taras');
    const editor = await makeUser(t.db, 'editor');
    const top = await postComment(t.deps, { actor: author.author, briefId: brief.id, body: 'Stay safe.\nhttps://example.org/news?id=1&x=<y> and javascript:alert(1)' });
    const reply = await postComment(t.deps, { actor: other.author, briefId: brief.id, body: 'Thanks <b>all</b>', parentId: top.id });
    await postComment(t.deps, { actor: { id: editor.id, displayName: 'Newsroom', role: 'editor' }, briefId: brief.id, body: 'Official answer.', parentId: reply.id });
    await decideComment(t.deps, editor.actor, top.id, 'feature');
    await seedComment('Bell \u0007 and \u001b[31m escape');
    const ukBrief = await makePublishedBrief(t.deps, { language: 'uk' });
    const closed = await makePublishedBrief(t.deps, { language: 'ru' });
    await setCommentPolicy(t.deps, CLI_ACTOR, { scope: 'brief', id: closed.id }, { mode: 'closed' });

    const posted = await submit(author.client, `${page}/comments`, { body: 'Another one' });
    const pages: Record<string, string> = {
      'signed-in-with-flash': (await author.client.get(String(posted.headers.location).split('#')[0]!)).body,
      'signed-in-other': (await other.client.get(`${page}?sort=newest`)).body,
      'signed-out': (await t.app.inject({ method: 'GET', url: page })).body,
      'refused-form': (await submit(other.client, `${page}/comments/${top.id}/report`, { text: 'x'.repeat(1001) })).body,
      'uk-signed-in': (await author.client.get(briefPath(ukBrief))).body,
      'ru-closed': (await author.client.get(briefPath(closed))).body,
      fragment: `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Fragment</title></head><body>${(await author.client.get(`${page}/comments/${reply.id}/fragment`)).body}</body></html>`,
      'login-with-next': (await deskClient(t.app).get(`/account/login?next=${encodeURIComponent(`${page}#comments`)}`)).body,
    };
    expect(pages['refused-form']).toContain('comment-action-report" open>');
    expect(await vnuErrors(pages)).toEqual([]);
  });
});
