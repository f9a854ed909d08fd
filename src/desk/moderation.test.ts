import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { signUpReader } from '../accounts/readers.js';
import { CLI_ACTOR, type StaffRole } from '../accounts/policy.js';
import { decideComment, moderateCommenter } from '../comments/moderation.js';
import { DEFAULT_MODERATION_SETTINGS, getModerationSettings, updateModerationSettings, type ModerationSettings } from '../comments/policy-settings.js';
import { editComment, postComment, reportComment } from '../comments/service.js';
import { policiesFor, setCommentPolicy } from '../comments/subject-policy.js';
import type { Db } from '../storage/database.js';
import { buildTestApp, makePublishedBrief, makeStory, makeUser, type TestContext } from '../test/factories.js';
import { vnuErrors } from '../test/vnu.js';
import { formatShortDateTime } from '../web/format.js';
import { deskClient, loggedInStaff, unescapeHtml, type FormFields } from './test-client.js';

let t: TestContext;
beforeEach(async () => { t = await buildTestApp(); });
afterEach(async () => { await t.close(); });

let readerCount = 0;
async function makeReader(displayName = `Reader ${readerCount + 1}`) {
  readerCount += 1;
  const { user, sessionId } = await signUpReader({
    db: t.db, input: { displayName, email: `mod-reader-${readerCount}-${Date.now()}@newsdesk.test`, password: 'long enough password' },
  });
  return { id: user.id, sessionId, author: { id: user.id, displayName: user.displayName, role: 'reader' as const } };
}
type Reader = Awaited<ReturnType<typeof makeReader>>;
const say = (reader: Reader, briefId: string, body: string) => postComment(t.deps, { actor: reader.author, briefId, body });

const loggedIn = (role: StaffRole) => loggedInStaff(t, role);

/** One comment in each queue (and a clean one in none), under a post- and a pre-moderated brief. */
async function seedQueues() {
  await updateModerationSettings(t.deps, CLI_ACTOR, { bannedTerms: ['spamcoin'] });
  const open = await makePublishedBrief(t.deps, { headline: 'Dam breach: evacuations ordered' });
  const held = await makePublishedBrief(t.deps, { headline: 'Bridge closed & traffic diverted' });
  await setCommentPolicy(t.deps, CLI_ACTOR, { scope: 'brief', id: held.id }, { mode: 'pre' });
  const iryna = await makeReader('Iryna');
  const petro = await makeReader('Petro');
  const olena = await makeReader('Olena');
  const taras = await makeReader('Taras');
  const clean = await say(iryna, open.id, 'Stay safe, everyone.');
  const flagged = await say(petro, open.id, 'Prigozhin can go fuck himself.\n<b>Really</b> & truly.');
  const pending = await say(olena, held.id, 'What a prick.');
  const rejected = await say(taras, open.id, 'Buy spamcoin today');
  const reported = await say(olena, open.id, 'The bridge is closed, I saw it.');
  await reportComment(t.deps, { reporter: iryna.author, commentId: reported.id, report: { reason: 'spam', text: 'Advertising a <script>' } });
  const approved = await say(taras, held.id, 'What a prick he is.');
  const moderator = await makeUser(t.db, 'moderator');
  await decideComment(t.deps, moderator.actor, approved.id, 'approve');
  expect([clean.status, flagged.status, flagged.isFlagged, pending.status, rejected.status]).toEqual(['published', 'published', true, 'pending', 'rejected']);
  return { open, held, readers: { iryna, petro, olena, taras }, ids: { clean: clean.id, flagged: flagged.id, pending: pending.id, rejected: rejected.id, reported: reported.id, approved: approved.id } };
}

const articleIds = (html: string) => [...html.matchAll(/<article id="comment-([0-9a-z]+)"/g)].map((match) => match[1]);
const commentRow = (id: string) => t.db.selectFrom('comments').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const auditRows = () => t.db.selectFrom('moderation_actions').selectAll().orderBy('created_at').orderBy('id').execute();

/** Everything a moderation POST could change, so "nothing changed" is one comparison. */
async function stateOf(db: Db) {
  return {
    comments: await db.selectFrom('comments').select(['id', 'status', 'featured', 'is_flagged', 'report_count']).orderBy('id').execute(),
    users: await db.selectFrom('users').select(['id', 'banned_at', 'suspended_until', 'premoderate']).orderBy('id').execute(),
    settings: await db.selectFrom('moderation_settings').selectAll().orderBy('key').execute(),
    policies: await db.selectFrom('comment_policies').selectAll().orderBy('subject_id').execute(),
    audit: await db.selectFrom('moderation_actions').select('id').orderBy('id').execute(),
  };
}

/** The settings form as a browser would post it. */
function settingsForm(settings: ModerationSettings, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    moderation: settings.moderation,
    closeAfterDays: String(settings.closeAfterDays),
    editWindowMinutes: String(settings.editWindowMinutes),
    reportsToHide: String(settings.reportsToHide),
    newReaderMinutes: String(settings.newReaderMinutes),
    maxLinks: String(settings.maxLinks),
    allowedDomains: settings.allowedDomains.join('\n'),
    commentsPerMinutePerAccount: String(settings.commentsPerMinutePerAccount),
    commentsPerMinutePerAddress: String(settings.commentsPerMinutePerAddress),
    bannedTerms: settings.bannedTerms.join('\n'),
    'profanity[en]': settings.profanity.en.join('\n'),
    'profanity[uk]': settings.profanity.uk.join('\n'),
    'profanity[ru]': settings.profanity.ru.join('\n'),
    ...overrides,
  };
}

describe('the queues', () => {
  it('sends /desk/moderation to the pending queue', async () => {
    const { client } = await loggedIn('moderator');
    const res = await client.get('/desk/moderation');
    expect([302, 303]).toContain(res.statusCode);
    expect(res.headers.location).toBe('/desk/moderation/pending');
  });

  it('shows each queue exactly its comments, with counts, reasons, reports and the author\'s record', async () => {
    const { ids, open, held } = await seedQueues();
    const { client } = await loggedIn('moderator');
    const expected: Record<string, string[]> = {
      pending: [ids.pending], flagged: [ids.flagged], reported: [ids.reported], rejected: [ids.rejected], approved: [ids.approved],
    };
    const pages: Record<string, string> = {};
    for (const [queue, wanted] of Object.entries(expected)) {
      const res = await client.get(`/desk/moderation/${queue}`);
      expect(res.statusCode, queue).toBe(200);
      expect(res.headers['cache-control'], queue).toBe('no-store');
      expect(articleIds(res.body), queue).toEqual(wanted);
      expect(res.body, queue).not.toContain(`comment-${ids.clean}`);
      for (const [name, n] of Object.entries({ pending: 1, flagged: 1, reported: 1, rejected: 1, approved: 1 })) {
        expect(res.body, `${queue}: ${name} count`).toContain(`data-queue-count="${name}">${n}<`);
      }
      expect(res.body).toContain('<main id="main">');
      pages[queue] = res.body;
    }
    // Reasons in words, the brief each comment is under (reader page), escaped text with its line breaks.
    expect(pages.pending).toMatch(/<ul class="mod-reasons"[^>]*><li>Profanity<\/li><\/ul>/);
    expect(pages.pending).toContain(`href="/news/${held.slug}"`);
    expect(pages.pending).toContain('Bridge closed &amp; traffic diverted');
    expect(pages.flagged).toContain('Prigozhin can go fuck himself.\n&lt;b>Really&lt;/b> &amp; truly.');
    expect(pages.flagged).not.toContain('<b>Really</b>');
    expect(pages.flagged).toContain(`href="/news/${open.slug}"`);
    expect(pages.flagged).toContain('1 published, 0 pending, 0 rejected');
    expect(pages.rejected).toMatch(/<li>Banned term<\/li>/);
    expect(pages.reported).toMatch(/<li>Reported \(1\)<\/li>/);
    expect(pages.reported).toContain('<strong>Spam</strong>: <span class="mod-report-text">Advertising a &lt;script></span>');
    // Olena wrote the reported comment and the held one.
    expect(pages.reported).toContain('1 published, 1 pending, 0 rejected');
    // Buttons match the state: nothing to approve in the approved queue, nothing to reject in the rejected one.
    expect(pages.pending).toMatch(/>Approve<\/button>/);
    expect(pages.approved).not.toMatch(/>Approve<\/button>/);
    expect(pages.rejected).not.toMatch(/>Reject<\/button>/);
  });

  it('marks staff authors, edited comments and the reader\'s standing', async () => {
    const brief = await makePublishedBrief(t.deps);
    const editor = await makeUser(t.db, 'editor');
    const staffComment = await postComment(t.deps, { actor: { id: editor.id, displayName: 'Test editor', role: 'editor' }, briefId: brief.id, body: 'Official answer.' });
    const reader = await makeReader('Mykola');
    const comment = await say(reader, brief.id, 'A fine comment.');
    const moderator = await makeUser(t.db, 'moderator');
    await decideComment(t.deps, moderator.actor, staffComment.id, 'feature');
    await decideComment(t.deps, moderator.actor, comment.id, 'approve');
    await t.db.updateTable('comments').set({ edited_at: new Date().toISOString() }).where('id', '=', comment.id).execute();
    await moderateCommenter(t.deps, moderator.actor, reader.id, { action: 'ban' });
    await moderateCommenter(t.deps, moderator.actor, reader.id, { action: 'premoderate' });
    const { client } = await loggedIn('moderator');
    const page = (await client.get('/desk/moderation/approved')).body;
    expect(articleIds(page)).toEqual([comment.id, staffComment.id]);
    const staffItem = page.slice(page.indexOf(`id="comment-${staffComment.id}"`));
    expect(staffItem).toMatch(/<span class="badge badge-staff">Staff<\/span>/);
    expect(staffItem).toContain('>Unfeature</button>');
    // No measures against staff from the queue.
    expect(staffItem).not.toContain('Commenter actions');
    const readerItem = page.slice(page.indexOf(`id="comment-${comment.id}"`), page.indexOf(`id="comment-${staffComment.id}"`));
    expect(readerItem).toContain('>Edited</span>');
    expect(readerItem).toContain('<strong>Banned</strong>');
    expect(readerItem).toContain('<strong>Always pre-moderated</strong>');
    expect(readerItem).toContain('Commenter actions');
    expect(readerItem).toContain('>Unban</button>');
    expect(readerItem).toContain('>Stop pre-moderating</button>');
  });

  it('shows a moderator an edited comment\'s earlier texts, oldest first, with when each was replaced', async () => {
    const brief = await makePublishedBrief(t.deps);
    const reader = await makeReader('Mykola');
    const edited = await say(reader, brief.id, 'Frist! <b>bold</b>');
    await editComment(t.deps, { actor: reader.author, commentId: edited.id, body: 'First!' });
    // The last edit turns it into abuse: flagged, so it lands in front of a moderator.
    const last = await editComment(t.deps, { actor: reader.author, commentId: edited.id, body: 'First, you prick.' });
    expect([last.status, last.isFlagged]).toEqual(['published', true]);
    const untouched = await say(reader, brief.id, 'What a prick, unedited.');
    const replaced = (await t.db.selectFrom('comment_revisions').select('replaced_at').where('comment_id', '=', edited.id).orderBy('id').execute())
      .map((r) => r.replaced_at);
    expect(replaced).toHaveLength(2);
    const { timeZone } = t.app.deps.config;

    const { client } = await loggedIn('moderator');
    for (const url of ['/desk/moderation/flagged', `/desk/moderation/users/${reader.id}`]) {
      const page = (await client.get(url)).body;
      expect(articleIds(page), url).toEqual([untouched.id, edited.id]);
      const item = page.slice(page.indexOf(`id="comment-${edited.id}"`));
      expect(item, url).toContain('<p class="mod-text" lang="en">First, you prick.</p><details class="mod-revisions"><summary>Earlier versions (2)</summary><ol>');
      const versions = /<details class="mod-revisions">.*?<\/details>/s.exec(item)![0];
      expect([...versions.matchAll(/<li>(.*?)<\/li>/gs)].map((li) => li[1]), url).toEqual(['Frist! &lt;b>bold&lt;/b>', 'First!'].map((text, i) =>
        `<p class="mod-revision-meta">Replaced <time datetime="${replaced[i]}">${formatShortDateTime(replaced[i]!, { language: 'en', timeZone })}</time></p>`
        + `<p class="mod-text" lang="en">${text}</p>`));
      const other = page.slice(page.indexOf(`id="comment-${untouched.id}"`), page.indexOf(`id="comment-${edited.id}"`));
      expect(other, url).not.toContain('Earlier versions');
    }
  });

  it('pages a long queue with an "Older" link, and an action there returns to the same page', async () => {
    const moderator = await loggedIn('moderator');
    await updateModerationSettings(t.deps, CLI_ACTOR, { commentsPerMinutePerAccount: 1000 });
    const brief = await makePublishedBrief(t.deps);
    const reader = await makeReader('Prolific');
    await moderateCommenter(t.deps, moderator.user.actor, reader.id, { action: 'premoderate' });
    const posted: string[] = [];
    for (let i = 0; i < 52; i++) posted.push((await say(reader, brief.id, `Held comment number ${i}`)).id);
    const first = await moderator.client.get('/desk/moderation/pending');
    expect(articleIds(first.body)).toEqual(posted.slice(-50).reverse());
    const older = /<a href="(\/desk\/moderation\/pending\?cursor=[^"]+)" rel="next">Older<\/a>/.exec(first.body)?.[1];
    expect(older).toBeDefined();
    const secondUrl = unescapeHtml(older!);
    const second = await moderator.client.get(secondUrl);
    expect(articleIds(second.body)).toEqual([posted[1], posted[0]]);
    expect(second.body).toContain('>Back to the newest</a>');
    expect(second.body).not.toContain('rel="next"');

    const res = await moderator.client.post(`/desk/moderation/comments/${posted[0]}/approve`, { back: secondUrl });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe(`${secondUrl}&done=approve`);
    const after = await moderator.client.get(String(res.headers.location));
    expect(after.body).toContain('Comment approved.');
    expect(articleIds(after.body)).toEqual([posted[1]]);
  });

  it('answers 404 for a queue that does not exist and 400 for a cursor it did not give out', async () => {
    const { client } = await loggedIn('moderator');
    expect((await client.get('/desk/moderation/everything')).statusCode).toBe(404);
    expect((await client.get('/desk/moderation/pending?cursor=not-a-cursor')).statusCode).toBe(400);
  });
});

describe('decisions', () => {
  it('approves a held comment: published, audited, back to the queue with a notice', async () => {
    const { ids } = await seedQueues();
    const { client, user } = await loggedIn('moderator');
    const before = (await auditRows()).length;
    const res = await client.post(`/desk/moderation/comments/${ids.pending}/approve`, { back: '/desk/moderation/pending' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/desk/moderation/pending?done=approve');
    const row = await commentRow(ids.pending);
    expect([row.status, row.reviewed_by]).toEqual(['published', user.id]);
    const audit = (await auditRows()).slice(before);
    expect(audit.map((a) => [a.action, a.comment_id, a.actor_id])).toEqual([['comment.approve', ids.pending, user.id]]);
    const page = await client.get(String(res.headers.location));
    expect(page.body).toContain('<p class="notice" role="status">Comment approved.</p>');
    expect(articleIds(page.body)).toEqual([]);
  });

  it('rejects a flagged comment with a reason kept in the audit log', async () => {
    const { ids } = await seedQueues();
    const { client, user } = await loggedIn('editor');
    const res = await client.post(`/desk/moderation/comments/${ids.flagged}/reject`, { back: '/desk/moderation/flagged', reason: '  Abuse of a named person  ' });
    expect(res.headers.location).toBe('/desk/moderation/flagged?done=reject');
    expect((await commentRow(ids.flagged)).status).toBe('rejected');
    const last = (await auditRows()).at(-1)!;
    expect([last.action, last.comment_id, last.actor_id, last.reason]).toEqual(['comment.reject', ids.flagged, user.id, 'Abuse of a named person']);
  });

  it('features and unfeatures a comment', async () => {
    const { ids } = await seedQueues();
    const { client } = await loggedIn('moderator');
    const featured = await client.post(`/desk/moderation/comments/${ids.reported}/feature`, { back: '/desk/moderation/reported' });
    expect(featured.headers.location).toBe('/desk/moderation/reported?done=feature');
    expect((await commentRow(ids.reported)).featured).toBe(1);
    const approvedPage = await client.get('/desk/moderation/approved');
    expect(approvedPage.body).toContain(`action="/desk/moderation/comments/${ids.reported}/unfeature"`);
    await client.post(`/desk/moderation/comments/${ids.reported}/unfeature`, { back: '/desk/moderation/approved' });
    expect((await commentRow(ids.reported)).featured).toBe(0);
    expect((await auditRows()).slice(-2).map((a) => a.action)).toEqual(['comment.feature', 'comment.unfeature']);
  });

  it('never redirects outside the moderation desk, whatever `back` says', async () => {
    const { ids } = await seedQueues();
    const { client } = await loggedIn('moderator');
    for (const back of ['https://evil.example/', '//evil.example', '/desk/users', '/desk/moderation/pending?cursor=x&y=1']) {
      const res = await client.post(`/desk/moderation/comments/${ids.pending}/feature`, { back });
      expect(res.headers.location, back).toBe('/desk/moderation/pending?done=feature');
    }
  });

  it('rejects the ticked comments in one bulk action, or none of them', async () => {
    const { ids } = await seedQueues();
    const { client, user } = await loggedIn('moderator');
    const before = await stateOf(t.db);
    // A missing id stops the whole batch.
    const missing = await client.post('/desk/moderation/bulk', { ids: [ids.flagged, '01nosuchcomment'], decision: 'reject', back: '/desk/moderation/flagged' });
    expect(missing.statusCode).toBe(404);
    expect(await stateOf(t.db)).toEqual(before);

    const res = await client.post('/desk/moderation/bulk', { ids: [ids.flagged, ids.reported], decision: 'reject', reason: 'Spam wave', back: '/desk/moderation/flagged' });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/desk/moderation/flagged?done=reject&n=2');
    expect((await commentRow(ids.flagged)).status).toBe('rejected');
    expect((await commentRow(ids.reported)).status).toBe('rejected');
    const audit = (await auditRows()).slice(-2);
    expect(audit.map((a) => [a.action, a.actor_id, a.reason]).sort()).toEqual([['comment.reject', user.id, 'Spam wave'], ['comment.reject', user.id, 'Spam wave']]);
    expect(audit.map((a) => a.comment_id).sort()).toEqual([ids.flagged, ids.reported].sort());
    expect((await client.get(String(res.headers.location))).body).toContain('2 comments rejected.');

    const approve = await client.post('/desk/moderation/bulk', { ids: ids.pending, decision: 'approve', back: '/desk/moderation/pending' });
    expect(approve.headers.location).toBe('/desk/moderation/pending?done=approve');
    expect((await commentRow(ids.pending)).status).toBe('published');
  });

  it('answers a bulk action with nothing ticked with the queue and a 400 naming the selection', async () => {
    const { ids } = await seedQueues();
    const { client } = await loggedIn('moderator');
    const before = await stateOf(t.db);
    const res = await client.post('/desk/moderation/bulk', { decision: 'approve', back: '/desk/moderation/pending' });
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('Selection is empty: tick at least one comment first');
    expect(articleIds(res.body)).toEqual([ids.pending]);
    const badDecision = await client.post('/desk/moderation/bulk', { ids: ids.pending, decision: 'publish-everything', back: '/desk/moderation/pending' });
    expect(badDecision.statusCode).toBe(400);
    expect(badDecision.body).toContain('Action must be one of');
    const longReason = await client.post(`/desk/moderation/comments/${ids.pending}/reject`, { reason: 'x'.repeat(501), back: '/desk/moderation/pending' });
    expect(longReason.statusCode).toBe(400);
    expect(longReason.body).toContain('Reason must be at most 500 characters');
    expect(await stateOf(t.db)).toEqual(before);
  });

  it('answers 404 for a decision on a comment that does not exist, and 400 for an unknown decision', async () => {
    const { ids } = await seedQueues();
    const { client } = await loggedIn('moderator');
    expect((await client.post('/desk/moderation/comments/01nosuchcomment/approve', { back: '/desk/moderation/pending' })).statusCode).toBe(404);
    expect((await client.post(`/desk/moderation/comments/${ids.pending}/publish`, {})).statusCode).toBe(400);
  });
});

describe('measures against commenters', () => {
  it('suspends, bans, lifts a ban and pre-moderates a reader, each audited', async () => {
    const { readers, ids } = await seedQueues();
    const { client, user } = await loggedIn('moderator');
    const petro = readers.petro.id;
    const back = '/desk/moderation/flagged';
    const userRow = () => t.db.selectFrom('users').select(['banned_at', 'suspended_until', 'premoderate']).where('id', '=', petro).executeTakeFirstOrThrow();

    const suspended = await client.post(`/desk/moderation/users/${petro}`, { action: 'suspend-24h', reason: 'Cooling off', back });
    expect(suspended.headers.location).toBe(`${back}?done=suspend`);
    const until = Date.parse((await userRow()).suspended_until!);
    expect(Math.abs(until - (Date.now() + 24 * 3_600_000))).toBeLessThan(60_000);
    await client.post(`/desk/moderation/users/${petro}`, { action: 'suspend-7d', back });
    expect(Math.abs(Date.parse((await userRow()).suspended_until!) - (Date.now() + 7 * 24 * 3_600_000))).toBeLessThan(60_000);

    await client.post(`/desk/moderation/users/${petro}`, { action: 'ban', back });
    expect((await userRow()).banned_at).not.toBeNull();
    await client.post(`/desk/moderation/users/${petro}`, { action: 'unban', back });
    expect((await userRow()).banned_at).toBeNull();
    await client.post(`/desk/moderation/users/${petro}`, { action: 'premoderate', back });
    expect((await userRow()).premoderate).toBe(1);
    const stop = await client.post(`/desk/moderation/users/${petro}`, { action: 'unpremoderate' });
    // Without `back`, the measure returns to the commenter's own page.
    expect(stop.headers.location).toBe(`/desk/moderation/users/${petro}?done=unpremoderate`);
    expect((await userRow()).premoderate).toBe(0);

    const audit = (await auditRows()).filter((a) => a.user_id === petro && a.action.startsWith('user.'));
    expect(audit.map((a) => [a.action, a.actor_id])).toEqual([
      ['user.suspend 24h', user.id], ['user.suspend 168h', user.id], ['user.ban', user.id], ['user.unban', user.id],
      ['user.premoderate', user.id], ['user.unpremoderate', user.id],
    ]);
    expect(audit[0]!.reason).toBe('Cooling off');

    const page = await client.get(`/desk/moderation/users/${petro}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Commenter: Petro');
    expect(articleIds(page.body)).toEqual([ids.flagged]);
    expect(page.body).toContain('Suspended until');
  });

  it('refuses measures against staff (409 on the page) and unknown measures (400), changing nothing', async () => {
    const { ids } = await seedQueues();
    const { client } = await loggedIn('moderator');
    const editor = await makeUser(t.db, 'editor');
    const before = await stateOf(t.db);
    const staff = await client.post(`/desk/moderation/users/${editor.id}`, { action: 'ban', back: '/desk/moderation/pending' });
    expect(staff.statusCode).toBe(409);
    expect(staff.body).toContain('Account is a staff account');
    expect(articleIds(staff.body)).toEqual([ids.pending]);
    const unknown = await client.post(`/desk/moderation/users/${editor.id}`, { action: 'erase' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.body).toContain('Action must be one of suspend-24h');
    expect((await client.post('/desk/moderation/users/01nosuchuser', { action: 'ban' })).statusCode).toBe(404);
    expect(await stateOf(t.db)).toEqual(before);
    const staffPage = await client.get(`/desk/moderation/users/${editor.id}`);
    expect(staffPage.statusCode).toBe(200);
    expect(staffPage.body).toContain('Staff accounts are managed under Users');
    expect(staffPage.body).not.toContain('name="action"');
  });
});

describe('the audit log', () => {
  it('lists who did what to which comment or commenter, when and why, newest first', async () => {
    const { ids, readers } = await seedQueues();
    const { client } = await loggedIn('moderator');
    await client.post(`/desk/moderation/comments/${ids.flagged}/reject`, { reason: 'Insult', back: '/desk/moderation/flagged' });
    await client.post(`/desk/moderation/users/${readers.petro.id}`, { action: 'suspend-24h', reason: 'Repeat offender' });
    const res = await client.get('/desk/moderation/log');
    expect(res.statusCode).toBe(200);
    const rows = res.body.slice(res.body.indexOf('<tbody>'));
    const suspendAt = rows.indexOf('Suspended a commenter for 24 h');
    const rejectAt = rows.indexOf('Rejected a comment');
    expect(suspendAt).toBeGreaterThan(-1);
    expect(rejectAt).toBeGreaterThan(suspendAt);
    expect(rows).toContain('Test moderator');
    expect(rows).toContain('Repeat offender');
    expect(rows).toContain('<q class="mod-excerpt">Prigozhin can go fuck himself.\n&lt;b>Really&lt;/b> &amp; truly.</q>');
    expect(rows).toContain(`href="/desk/moderation/users/${readers.petro.id}">comment by Petro</a>`);
    // The seed's own decision and settings change were made by the command line.
    expect(rows).toContain('API token or command line');
    expect(rows).toContain('Changed a setting');
  });

  it('pages the log with an "Older" link', async () => {
    const { client, user } = await loggedIn('moderator');
    const start = Date.parse('2026-11-01T00:00:00Z');
    const rows = Array.from({ length: 52 }, (_, i) => ({
      id: `01audit${String(i).padStart(4, '0')}`, comment_id: null, user_id: null, actor_id: user.id, action: 'settings.updated',
      reason: `key-${i}`, created_at: new Date(start + i * 60_000).toISOString(),
    }));
    await t.db.insertInto('moderation_actions').values(rows).execute();
    const reasonsOn = (html: string) => [...html.matchAll(/<td>(key-\d+)<\/td>/g)].map((match) => match[1]);
    const first = await client.get('/desk/moderation/log');
    expect(reasonsOn(first.body)).toEqual(rows.slice(-50).reverse().map((r) => r.reason));
    const older = /<a href="([^"]+)" rel="next">Older<\/a>/.exec(first.body)?.[1];
    expect(older).toBeDefined();
    const second = await client.get(unescapeHtml(older!));
    expect(reasonsOn(second.body)).toEqual(['key-1', 'key-0']);
  });
});

describe('settings', () => {
  it('lets an admin save word lists and policy; only the changed settings are written and audited', async () => {
    const { client, user } = await loggedIn('admin');
    const form = await client.get('/desk/moderation/settings');
    expect(form.statusCode).toBe(200);
    expect(form.body).toContain('name="profanity[uk]"');
    const res = await client.post('/desk/moderation/settings', settingsForm(DEFAULT_MODERATION_SETTINGS, {
      bannedTerms: 'spamcoin\r\n\r\n  scamword  \r\nspamcoin',
      'profanity[uk]': 'курвисько',
      maxLinks: '5',
      allowedDomains: 'Example.org\nkyivindependent.com',
      moderation: 'pre',
    }));
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/desk/moderation/settings?done=settings');
    const saved = await getModerationSettings(t.db);
    expect(saved).toEqual({
      ...DEFAULT_MODERATION_SETTINGS, bannedTerms: ['spamcoin', 'scamword'], profanity: { en: [], uk: ['курвисько'], ru: [] }, maxLinks: 5,
      allowedDomains: ['example.org', 'kyivindependent.com'], moderation: 'pre',
    });
    const audit = await auditRows();
    expect(audit.map((a) => [a.action, a.reason, a.actor_id]).sort()).toEqual(
      ['allowedDomains', 'bannedTerms', 'maxLinks', 'moderation', 'profanity'].map((key) => ['settings.updated', key, user.id]),
    );
    const page = await client.get(String(res.headers.location));
    expect(page.body).toContain('Settings saved.');
    expect(page.body).toMatch(/<textarea id="f-bannedTerms" name="bannedTerms"[^>]*>spamcoin\nscamword<\/textarea>/);

    const again = await client.post('/desk/moderation/settings', settingsForm(saved));
    expect(again.headers.location).toBe('/desk/moderation/settings?done=unchanged');
    expect(await auditRows()).toHaveLength(audit.length);
  });

  it('rejects bad input with a 400 naming each field and why, storing nothing', async () => {
    const { client } = await loggedIn('admin');
    const before = await stateOf(t.db);
    const res = await client.post('/desk/moderation/settings', settingsForm(DEFAULT_MODERATION_SETTINGS, {
      maxLinks: 'lots', reportsToHide: '0', bannedTerms: `fine\n${'x'.repeat(101)}`, 'profanity[ru]': 'ok\nok2\n' + 'я'.repeat(120), moderation: 'sometimes',
    }));
    expect(res.statusCode).toBe(400);
    const body = unescapeHtml(res.body);
    expect(body).toContain('Most links in a comment must be a whole number');
    expect(body).toContain('Reports that hide a comment must be at least 1');
    expect(body).toContain('Banned terms, entry 2 must be at most 100 characters');
    expect(body).toContain('Extra profanity (Russian), entry 3 must be at most 100 characters');
    expect(body).toContain('Moderation must be one of: post, pre');
    expect(res.body).toContain('href="#f-maxLinks"');
    // The form comes back as typed.
    expect(res.body).toMatch(/id="f-maxLinks" name="maxLinks" type="text" value="lots"/);
    expect(await stateOf(t.db)).toEqual(before);
  });
});

describe('who may use the moderation desk', () => {
  async function postRoutes() {
    const { ids, readers, open } = await seedQueues();
    const routes: { url: string; fields: FormFields }[] = [
      { url: `/desk/moderation/comments/${ids.pending}/approve`, fields: { back: '/desk/moderation/pending' } },
      { url: `/desk/moderation/comments/${ids.flagged}/reject`, fields: { reason: 'no', back: '/desk/moderation/flagged' } },
      { url: `/desk/moderation/comments/${ids.reported}/feature`, fields: {} },
      { url: '/desk/moderation/bulk', fields: { ids: [ids.pending, ids.flagged], decision: 'reject' } },
      { url: `/desk/moderation/users/${readers.petro.id}`, fields: { action: 'ban' } },
      { url: '/desk/moderation/settings', fields: settingsForm(DEFAULT_MODERATION_SETTINGS, { maxLinks: '7' }) },
      { url: `/desk/briefs/${open.id}/comments`, fields: { commentMode: 'closed' } },
    ];
    return { routes, ids, readers };
  }
  const PAGES = ['/desk/moderation/pending', '/desk/moderation/flagged', '/desk/moderation/reported', '/desk/moderation/rejected',
    '/desk/moderation/approved', '/desk/moderation/log', '/desk/moderation/settings', '/desk/moderation/counts'];

  it('shows a contributor a 403 page everywhere and lets them change nothing', async () => {
    const { routes, readers } = await postRoutes();
    const { client } = await loggedIn('contributor');
    for (const page of [...PAGES, `/desk/moderation/users/${readers.petro.id}`, '/desk/moderation']) {
      const res = await client.get(page);
      expect(res.statusCode, page).toBe(403);
      expect(res.body, page).toContain('<h1>Not allowed</h1>');
    }
    for (const route of routes) {
      const before = await stateOf(t.db);
      const res = await client.post(route.url, route.fields);
      expect(res.statusCode, route.url).toBe(403);
      expect(await stateOf(t.db), route.url).toEqual(before);
    }
    const dashboard = await client.get('/desk');
    expect(dashboard.body).not.toContain('href="/desk/moderation"');
  });

  it('gives moderators and editors the queues but not the settings; admins everything', async () => {
    const { routes } = await postRoutes();
    for (const role of ['moderator', 'editor'] as const) {
      const { client } = await loggedIn(role);
      for (const page of PAGES.filter((p) => !p.endsWith('/settings'))) expect((await client.get(page)).statusCode, `${role} ${page}`).toBe(200);
      expect((await client.get('/desk/moderation/settings')).statusCode, role).toBe(403);
      const before = await stateOf(t.db);
      const settings = routes.find((r) => r.url === '/desk/moderation/settings')!;
      expect((await client.post(settings.url, settings.fields)).statusCode, role).toBe(403);
      // Bad input is refused as forbidden too, not answered with the settings form.
      expect((await client.post(settings.url, { maxLinks: 'x' })).statusCode, role).toBe(403);
      expect(await stateOf(t.db)).toEqual(before);
      const pending = await client.get('/desk/moderation/pending');
      expect(pending.body).not.toContain('href="/desk/moderation/settings"');
    }
    const { client: admin } = await loggedIn('admin');
    for (const page of PAGES) expect((await admin.get(page)).statusCode, page).toBe(200);
    for (const route of routes) expect((await admin.post(route.url, route.fields)).statusCode, route.url).toBe(303);
  });

  it('keeps readers out of the desk even with a valid session, and anonymous callers too', async () => {
    const { routes } = await postRoutes();
    const reader = await makeReader('Curious');
    const client = deskClient(t.app);
    client.cookies.set('nd_session', reader.sessionId);
    const res = await client.get('/desk/moderation/pending');
    expect(res.statusCode).toBe(403);
    expect(res.body).toContain('reader account');
    const anonymous = deskClient(t.app);
    const page = await anonymous.get('/desk/moderation/pending');
    expect(page.statusCode).toBe(302);
    expect(String(page.headers.location)).toMatch(/^\/desk\/login\?next=/);
    for (const route of routes) {
      const before = await stateOf(t.db);
      expect((await anonymous.post(route.url, route.fields)).statusCode, route.url).toBe(401);
      expect(await stateOf(t.db)).toEqual(before);
    }
  });

  it('rejects every moderation POST without a valid CSRF token (403), even from an admin', async () => {
    const { routes } = await postRoutes();
    const { client } = await loggedIn('admin');
    for (const route of routes) {
      const before = await stateOf(t.db);
      expect((await client.post(route.url, route.fields, { csrf: false })).statusCode, route.url).toBe(403);
      expect((await client.post(route.url, route.fields, { csrf: 'forged-token' })).statusCode, route.url).toBe(403);
      expect(await stateOf(t.db), route.url).toEqual(before);
    }
  });

  it('shows moderators the menu link with the number of comments waiting (each counted once)', async () => {
    await seedQueues();
    const { client } = await loggedIn('moderator');
    const dashboard = await client.get('/desk');
    // Pending, flagged and reported: three comments.
    expect(dashboard.body).toContain('<a href="/desk/moderation">Moderation <span class="nav-count">3<span class="visually-hidden"> waiting</span></span></a>');
    const counts = await client.get('/desk/moderation/counts');
    expect(counts.json()).toEqual({ pending: 1, flagged: 1, reported: 1, rejected: 1, approved: 1 });
  });
});

describe('the live stream', () => {
  async function open(url: string, cookies: Map<string, string>, signal: AbortSignal) {
    return fetch(url, { headers: { cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') }, signal });
  }

  it('streams queue changes to a moderator as text/event-stream, and refuses a contributor', async () => {
    const base = await t.app.listen({ port: 0, host: '127.0.0.1' });
    const brief = await makePublishedBrief(t.deps);
    const reader = await makeReader('Live');
    const moderator = await loggedIn('moderator');
    const contributor = await loggedIn('contributor');
    const controller = new AbortController();
    try {
      const refused = await open(`${base}/desk/moderation/live`, contributor.client.cookies, controller.signal);
      expect(refused.status).toBe(403);
      expect(refused.headers.get('content-type')).toContain('text/html');

      const res = await open(`${base}/desk/moderation/live`, moderator.client.cookies, controller.signal);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain('text/event-stream');
      const stream = res.body!.getReader();
      const decoder = new TextDecoder();
      let received = decoder.decode((await stream.read()).value);
      expect(received).toContain('retry:');
      const comment = await say(reader, brief.id, 'What a prick.');
      while (!received.includes('event: queue')) received += decoder.decode((await stream.read()).value);
      expect(received).toContain(`"commentId":"${comment.id}"`);
      expect(received).not.toContain('What a prick');
    } finally {
      controller.abort();
    }
  });
});

describe('comment policy on stories and briefs', () => {
  it('lets an editor close a brief\'s comments and set a story to pre-moderation; contributors see no control', async () => {
    const story = await makeStory(t.deps);
    const brief = await makePublishedBrief(t.deps, { storyId: story.id });
    const { client } = await loggedIn('editor');
    const page = await client.get(`/desk/briefs/${brief.id}`);
    expect(page.body).toContain('name="commentMode"');
    expect(page.body).toContain('Site setting: Post-moderation: publish, flag suspect comments.');

    const res = await client.post(`/desk/briefs/${brief.id}/comments`, { commentMode: 'closed' });
    expect(res.headers.location).toBe(`/desk/briefs/${brief.id}?done=comments-saved`);
    expect((await policiesFor(t.db, brief.id, story.id)).brief).toBe('closed');
    const saved = await client.get(String(res.headers.location));
    expect(saved.body).toContain('Comment setting saved.');
    expect(saved.body).toContain('<option value="closed" selected>Closed</option>');

    const storyRes = await client.post(`/desk/stories/${story.id}/comments`, { commentMode: 'pre' });
    expect(storyRes.headers.location).toBe(`/desk/stories/${story.id}?done=comments-saved`);
    expect(await policiesFor(t.db, brief.id, story.id)).toEqual({ brief: 'closed', story: 'pre' });
    expect((await client.get(`/desk/briefs/${brief.id}`)).body).toContain('Story setting: Pre-moderation: hold suspect comments.');
    await client.post(`/desk/briefs/${brief.id}/comments`, { commentMode: 'inherit' });
    expect((await policiesFor(t.db, brief.id, story.id)).brief).toBeNull();

    const before = await stateOf(t.db);
    const bad = await client.post(`/desk/briefs/${brief.id}/comments`, { commentMode: 'sometimes' });
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Comments must be one of');
    expect(await stateOf(t.db)).toEqual(before);

    const contributor = await loggedIn('contributor');
    expect((await contributor.client.get(`/desk/briefs/${brief.id}`)).body).not.toContain('name="commentMode"');
  });
});

describe('HTML validity of the moderation pages', () => {
  it('passes the Nu HTML Checker on every queue, the commenter page, the log and the settings', { timeout: 120_000 }, async () => {
    const { readers, open, ids } = await seedQueues();
    // An edited comment, for its earlier versions on the reported queue and Olena's page.
    await editComment(t.deps, { actor: readers.olena.author, commentId: ids.reported, body: 'The bridge is closed; I saw it myself.' });
    const story = await makeStory(t.deps);
    const { client } = await loggedIn('admin');
    await client.post(`/desk/moderation/users/${readers.olena.id}`, { action: 'suspend-24h', reason: 'Test' });
    const pages: Record<string, string> = {};
    const urls: Record<string, string> = {
      pending: '/desk/moderation/pending', flagged: '/desk/moderation/flagged', reported: '/desk/moderation/reported',
      rejected: '/desk/moderation/rejected', approved: '/desk/moderation/approved', 'pending-done': '/desk/moderation/pending?done=approve',
      commenter: `/desk/moderation/users/${readers.olena.id}`, log: '/desk/moderation/log', settings: '/desk/moderation/settings',
      brief: `/desk/briefs/${open.id}`, story: `/desk/stories/${story.id}`, dashboard: '/desk',
    };
    for (const [name, url] of Object.entries(urls)) {
      const res = await client.get(url);
      expect(res.statusCode, url).toBe(200);
      pages[name] = res.body;
    }
    pages['settings-errors'] = (await client.post('/desk/moderation/settings', settingsForm(DEFAULT_MODERATION_SETTINGS, { maxLinks: 'many', bannedTerms: 'x'.repeat(101) }))).body;
    pages['bulk-errors'] = (await client.post('/desk/moderation/bulk', { decision: 'approve', back: '/desk/moderation/pending' })).body;
    for (const name of ['reported', 'commenter']) expect(pages[name], name).toContain('<summary>Earlier versions (1)</summary>');
    expect(await vnuErrors(pages)).toEqual([]);
  });
});
