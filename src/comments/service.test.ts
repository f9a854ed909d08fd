import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLI_ACTOR, type Actor } from '../accounts/policy.js';
import { signUpReader } from '../accounts/readers.js';
import { AppError } from '../common/errors.js';
import { buildTestApp, makePublishedBrief, makeStory, makeUser, type TestContext } from '../test/factories.js';
import { commentRevisions, decideComment, listQueue } from './moderation.js';
import { updateModerationSettings } from './policy-settings.js';
import { findComment, listPublishedComments } from './repository.js';
import { countComments, deleteComment, editComment, postComment, reportComment, type CommentAuthor } from './service.js';
import { setCommentPolicy } from './subject-policy.js';

let t: TestContext;
let briefId: string;
beforeEach(async () => {
  t = await buildTestApp();
  briefId = (await makePublishedBrief(t.deps)).id;
});
afterEach(async () => { await t.close(); });

let readerCount = 0;
async function makeReader(): Promise<CommentAuthor> {
  const displayName = `Reader ${++readerCount}`;
  const { user } = await signUpReader({ db: t.db, input: { displayName, email: `svc-${readerCount}-${Date.now()}@newsdesk.test`, password: 'long enough password' } });
  return { id: user.id, displayName, role: 'reader' };
}
const asActor = (author: CommentAuthor): Actor => ({ userId: author.id, role: author.role, label: author.displayName });
const post = (actor: CommentAuthor, body: string, onBrief = briefId) => postComment(t.deps, { actor, briefId: onBrief, body });
const publicIds = async (onBrief = briefId) => (await listPublishedComments(t.db, onBrief)).items.map((c) => c.id);
const eventsOf = (type: string) => t.events.filter((e) => e.type === type).map((e) => e.payload);
const ageComment = (id: string, minutes: number) =>
  t.db.updateTable('comments').set({ created_at: new Date(Date.now() - minutes * 60_000).toISOString() }).where('id', '=', id).execute();

/** The AppError a promise rejects with, to assert status and code together. */
async function failureOf(promise: Promise<unknown>): Promise<{ status: number; code: string; fields: unknown }> {
  const err = await promise.then(() => null, (e: unknown) => e);
  if (!(err instanceof AppError)) throw new Error(`expected an AppError, got ${String(err)}`);
  return { status: err.status, code: err.code, fields: err.fields };
}

describe('editComment', () => {
  it('replaces the text, marks it edited and keeps every earlier text, oldest first', async () => {
    const reader = await makeReader();
    const posted = await post(reader, 'The bridge is open.');
    await editComment(t.deps, { actor: reader, commentId: posted.id, body: 'The bridge is closed.' });
    const edited = await editComment(t.deps, { actor: reader, commentId: posted.id, body: 'The bridge is closed again.' });
    expect(edited).toMatchObject({ body: 'The bridge is closed again.', status: 'published', editedAt: expect.any(String), message: null });
    expect((await commentRevisions(t.db, posted.id)).map((r) => r.body)).toEqual(['The bridge is open.', 'The bridge is closed.']);
    expect(eventsOf('comment.edited')).toHaveLength(2);
  });

  it('keeps no revision when the text did not change', async () => {
    const reader = await makeReader();
    const posted = await post(reader, 'Same words.');
    const again = await editComment(t.deps, { actor: reader, commentId: posted.id, body: 'Same words.' });
    expect(again.editedAt).toBeNull();
    expect(await commentRevisions(t.db, posted.id)).toEqual([]);
  });

  it('moderates the new text: abuse is flagged under post-moderation, held under pre-moderation, a banned term rejects', async () => {
    const reader = await makeReader();
    const first = await post(reader, 'Good riddance.');
    const flagged = await editComment(t.deps, { actor: reader, commentId: first.id, body: 'Good riddance, you prick.' });
    expect(flagged).toMatchObject({ status: 'published', isFlagged: true, reasons: ['profanity'] });

    await updateModerationSettings(t.deps, CLI_ACTOR, { moderation: 'pre', bannedTerms: ['casino'] });
    const second = await post(reader, 'A fine remark.');
    const held = await editComment(t.deps, { actor: reader, commentId: second.id, body: 'A fine remark, prick.' });
    expect(held).toMatchObject({ status: 'pending', reasons: ['profanity'], message: 'Your comment will appear once a moderator has read it.' });
    expect(eventsOf('comment.edited').at(-1)).toMatchObject({ commentId: second.id, status: 'pending', previousStatus: 'published' });
    expect(await publicIds()).toEqual([first.id]);

    const third = await post(reader, 'Another remark.');
    expect((await editComment(t.deps, { actor: reader, commentId: third.id, body: 'Visit my casino' })).status).toBe('rejected');
  });

  it('never publishes a held comment by editing it clean', async () => {
    const reader = await makeReader();
    const held = await post(reader, 'See https://a.org https://b.org https://c.org');
    expect(held.status).toBe('pending');
    const edited = await editComment(t.deps, { actor: reader, commentId: held.id, body: 'No links any more.' });
    expect(edited).toMatchObject({ status: 'pending', reasons: ['links'] });
    expect(await publicIds()).toEqual([]);
  });

  it('does not run the pipeline on staff, who answer to their editors', async () => {
    const staff = await makeUser(t.db, 'editor');
    const author: CommentAuthor = { id: staff.id, displayName: 'Test editor', role: 'editor' };
    const posted = await post(author, 'Our correspondent reports.');
    expect((await editComment(t.deps, { actor: author, commentId: posted.id, body: 'What a prick he is, our correspondent reports.' })))
      .toMatchObject({ status: 'published', isFlagged: false, reasons: [] });
  });

  it('refuses someone else (403), an edit after the window or of a rejected comment (409), an unknown comment (404)', async () => {
    const author = await makeReader();
    const posted = await post(author, 'Original words.');
    expect(await failureOf(editComment(t.deps, { actor: await makeReader(), commentId: posted.id, body: 'Hijacked.' }))).toMatchObject({ status: 403 });
    await updateModerationSettings(t.deps, CLI_ACTOR, { editWindowMinutes: 10, bannedTerms: ['casino'] });
    await ageComment(posted.id, 9);
    expect((await editComment(t.deps, { actor: author, commentId: posted.id, body: 'Still in time.' })).body).toBe('Still in time.');
    await ageComment(posted.id, 11);
    expect(await failureOf(editComment(t.deps, { actor: author, commentId: posted.id, body: 'Too late.' }))).toMatchObject({ status: 409, code: 'edit_window_closed' });
    expect((await findComment(t.db, posted.id))!.body).toBe('Still in time.');

    const rejected = await post(author, 'Best casino');
    expect(await failureOf(editComment(t.deps, { actor: author, commentId: rejected.id, body: 'Best bakery' }))).toMatchObject({ status: 409, code: 'edit_window_closed' });
    expect(await failureOf(editComment(t.deps, { actor: author, commentId: 'nope', body: 'x' }))).toMatchObject({ status: 404 });
    expect(await failureOf(editComment(t.deps, { actor: author, commentId: posted.id, body: '   ' }))).toMatchObject({ status: 400 });
  });
});

describe('deleteComment', () => {
  it('lets the author delete: gone for readers, no audit row, the event says by the author', async () => {
    const reader = await makeReader();
    const posted = await post(reader, 'I take it back.');
    await deleteComment(t.deps, { actor: asActor(reader), commentId: posted.id });
    expect(await publicIds()).toEqual([]);
    expect(await findComment(t.db, posted.id)).toBeNull();
    expect(await t.db.selectFrom('moderation_actions').selectAll().execute()).toEqual([]);
    expect(eventsOf('comment.deleted')).toEqual([{ commentId: posted.id, byAuthor: true }]);
  });

  it('lets a moderator delete anyone\'s comment, with an audit row; refuses other readers and contributors', async () => {
    const reader = await makeReader();
    const posted = await post(reader, 'Spam spam spam.');
    const contributor = await makeUser(t.db, 'contributor');
    expect(await failureOf(deleteComment(t.deps, { actor: asActor(await makeReader()), commentId: posted.id }))).toMatchObject({ status: 403 });
    expect(await failureOf(deleteComment(t.deps, { actor: contributor.actor, commentId: posted.id }))).toMatchObject({ status: 403 });
    expect(await publicIds()).toEqual([posted.id]);

    const moderator = await makeUser(t.db, 'moderator');
    await deleteComment(t.deps, { actor: moderator.actor, commentId: posted.id });
    expect(await publicIds()).toEqual([]);
    const audit = await t.db.selectFrom('moderation_actions').select(['action', 'actor_id', 'comment_id', 'user_id']).execute();
    expect(audit).toEqual([{ action: 'comment.delete', actor_id: moderator.id, comment_id: posted.id, user_id: reader.id }]);
    expect(eventsOf('comment.deleted')).toEqual([{ commentId: posted.id, byAuthor: false }]);
    expect(await failureOf(deleteComment(t.deps, { actor: moderator.actor, commentId: posted.id }))).toMatchObject({ status: 404 });
  });
});

describe('reportComment', () => {
  it('counts one report per reader, and hides the comment pending review at reportsToHide', async () => {
    await updateModerationSettings(t.deps, CLI_ACTOR, { reportsToHide: 2 });
    const posted = await post(await makeReader(), 'Something people dislike.');
    const first = await makeReader();
    expect(await reportComment(t.deps, { reporter: first, commentId: posted.id, report: { reason: 'spam' } })).toMatchObject({ isHidden: false });
    expect(await reportComment(t.deps, { reporter: first, commentId: posted.id, report: { reason: 'abusive' } })).toMatchObject({ isHidden: false });
    expect((await findComment(t.db, posted.id))!).toMatchObject({ reportCount: 1, status: 'published' });
    expect(await publicIds()).toEqual([posted.id]);

    const second = await reportComment(t.deps, { reporter: await makeReader(), commentId: posted.id, report: { reason: 'other', text: ' Lies ' } });
    expect(second).toEqual({ message: 'Thank you: a moderator will look at this comment.', isHidden: true });
    expect((await findComment(t.db, posted.id))!).toMatchObject({ reportCount: 2, status: 'pending', reasons: ['reported'] });
    expect(await publicIds()).toEqual([]);
    const reported = await listQueue(t.db, 'reported');
    expect(reported.items.map((c) => [c.id, c.reports.map((r) => [r.reason, r.text])])).toEqual([[posted.id, [['spam', null], ['other', 'Lies']]]]);
    expect((await listQueue(t.db, 'pending')).items.map((c) => c.id)).toEqual([posted.id]);
    expect(eventsOf('comment.reported').map((p) => [p.reportCount, p.status])).toEqual([[1, undefined], [2, 'pending']]);
  });

  it('counts reports that arrive at the same moment, each once, one per reader', async () => {
    // On PostgreSQL these transactions run side by side: each must count the others' reports.
    await updateModerationSettings(t.deps, CLI_ACTOR, { reportsToHide: 10 });
    const posted = await post(await makeReader(), 'Something many dislike at once.');
    const readers = await Promise.all(Array.from({ length: 6 }, () => makeReader()));
    const twice = [...readers, readers[0]!];
    await Promise.all(twice.map((reporter) => reportComment(t.deps, { reporter, commentId: posted.id, report: { reason: 'spam' } })));
    expect((await findComment(t.db, posted.id))!).toMatchObject({ reportCount: 6, status: 'published' });
    expect(await t.db.selectFrom('comment_reports').select('user_id').where('comment_id', '=', posted.id).execute()).toHaveLength(6);
  });

  it('refuses one\'s own comment and "other" without text (400), and a comment readers cannot see (404)', async () => {
    const author = await makeReader();
    const posted = await post(author, 'Mine.');
    expect(await failureOf(reportComment(t.deps, { reporter: author, commentId: posted.id, report: { reason: 'spam' } })))
      .toMatchObject({ status: 400, fields: [{ path: 'id', reason: 'is your own comment; delete it instead' }] });
    expect(await failureOf(reportComment(t.deps, { reporter: await makeReader(), commentId: posted.id, report: { reason: 'other', text: ' ' } })))
      .toMatchObject({ status: 400, fields: [{ path: 'text', reason: 'must say what is wrong when the reason is other' }] });
    const held = await post(author, 'Links https://a.org https://b.org https://c.org');
    expect(await failureOf(reportComment(t.deps, { reporter: await makeReader(), commentId: held.id, report: { reason: 'spam' } }))).toMatchObject({ status: 404 });
    expect((await findComment(t.db, posted.id))!.reportCount).toBe(0);
  });
});

describe('story and brief policies', () => {
  it('closes a story\'s briefs; closed anywhere wins over a brief\'s own "post"; null reopens', async () => {
    const story = await makeStory(t.deps);
    const inStory = await makePublishedBrief(t.deps, { storyId: story.id });
    const reader = await makeReader();
    const moderator = (await makeUser(t.db, 'moderator')).actor;
    await setCommentPolicy(t.deps, moderator, { scope: 'story', id: story.id }, { mode: 'closed' });
    await setCommentPolicy(t.deps, moderator, { scope: 'brief', id: inStory.id }, { mode: 'post' });
    expect(await failureOf(post(reader, 'Hello?', inStory.id))).toMatchObject({ status: 409, code: 'comments_closed' });
    // Another brief outside the story is untouched.
    expect((await post(reader, 'Hello elsewhere.')).status).toBe('published');
    await setCommentPolicy(t.deps, moderator, { scope: 'story', id: story.id }, { mode: null });
    expect((await post(reader, 'Hello again.', inStory.id)).status).toBe('published');
    const audit = await t.db.selectFrom('moderation_actions').select(['action', 'reason']).orderBy('created_at').orderBy('id').execute();
    expect(audit).toEqual([
      { action: 'story.comments', reason: `${story.id}: closed` },
      { action: 'brief.comments', reason: `${inStory.id}: post` },
      { action: 'story.comments', reason: `${story.id}: inherit` },
    ]);
  });

  it('pre-moderates one brief under a post-moderated site, and post-moderates one under a pre-moderated site', async () => {
    const moderator = (await makeUser(t.db, 'moderator')).actor;
    const reader = await makeReader();
    await setCommentPolicy(t.deps, moderator, { scope: 'brief', id: briefId }, { mode: 'pre' });
    expect((await post(reader, 'What a prick.')).status).toBe('pending');
    expect((await post(reader, 'Ha,ha,ha!')).status).toBe('published');

    await updateModerationSettings(t.deps, CLI_ACTOR, { moderation: 'pre' });
    const other = await makePublishedBrief(t.deps);
    await setCommentPolicy(t.deps, moderator, { scope: 'brief', id: other.id }, { mode: 'post' });
    expect(await post(reader, 'You prick.', other.id)).toMatchObject({ status: 'published', isFlagged: true });
  });

  it('lets only moderators, editors and admins set a policy, and names an unknown subject', async () => {
    const contributor = (await makeUser(t.db, 'contributor')).actor;
    expect(await failureOf(setCommentPolicy(t.deps, contributor, { scope: 'brief', id: briefId }, { mode: 'closed' }))).toMatchObject({ status: 403 });
    expect((await post(await makeReader(), 'Still open.')).status).toBe('published');
    const editor = (await makeUser(t.db, 'editor')).actor;
    expect(await failureOf(setCommentPolicy(t.deps, editor, { scope: 'story', id: 'nope' }, { mode: 'closed' }))).toMatchObject({ status: 404, fields: [{ path: 'id' }] });
  });
});

describe('review fixes', () => {
  it('does not let a banned or suspended reader edit or report, nor anyone edit on a closed brief', async () => {
    const reader = await makeReader();
    const other = await makeReader();
    const own = await post(reader, 'My first comment.');
    const theirs = await post(other, 'Their comment.');
    await t.db.updateTable('users').set({ banned_at: new Date().toISOString() }).where('id', '=', reader.id).execute();
    expect(await failureOf(editComment(t.deps, { actor: reader, commentId: own.id, body: 'Now abuse.' }))).toMatchObject({ status: 403 });
    expect(await failureOf(reportComment(t.deps, { reporter: reader, commentId: theirs.id, report: { reason: 'spam' } }))).toMatchObject({ status: 403 });
    expect((await findComment(t.db, theirs.id))!.reportCount).toBe(0);

    await t.db.updateTable('users').set({ banned_at: null, suspended_until: new Date(Date.now() + 3_600_000).toISOString() }).where('id', '=', reader.id).execute();
    expect(await failureOf(reportComment(t.deps, { reporter: reader, commentId: theirs.id, report: { reason: 'spam' } }))).toMatchObject({ status: 403 });

    await setCommentPolicy(t.deps, CLI_ACTOR, { scope: 'brief', id: briefId }, { mode: 'closed' });
    expect(await failureOf(editComment(t.deps, { actor: other, commentId: theirs.id, body: 'Changed after closing.' }))).toMatchObject({ status: 409, code: 'comments_closed' });
    expect((await findComment(t.db, theirs.id))!.body).toBe('Their comment.');
  });

  it('takes an approved comment out of the approved queue when an edit makes it suspect again', async () => {
    const reader = await makeReader();
    const posted = await post(reader, 'A calm remark.');
    const moderator = await makeUser(t.db, 'moderator');
    await decideComment(t.deps, moderator.actor, posted.id, 'approve');
    expect((await listQueue(t.db, 'approved')).items.map((c) => c.id)).toEqual([posted.id]);
    await editComment(t.deps, { actor: reader, commentId: posted.id, body: 'What a prick.' });
    expect((await listQueue(t.db, 'approved')).items).toEqual([]);
    expect((await listQueue(t.db, 'flagged')).items.map((c) => c.id)).toEqual([posted.id]);
  });

  it('counts only the comments readers can see: a reply under a held comment is not counted', async () => {
    const reader = await makeReader();
    const top = await post(reader, 'Top-level comment.');
    const reply = await postComment(t.deps, { actor: await makeReader(), briefId, body: 'A reply.', parentId: top.id });
    await postComment(t.deps, { actor: await makeReader(), briefId, body: 'A reply to the reply.', parentId: reply.id });
    expect((await countComments(t.db, [briefId])).get(briefId)).toBe(3);
    await t.db.updateTable('comments').set({ status: 'pending' }).where('id', '=', reply.id).execute();
    expect((await countComments(t.db, [briefId])).get(briefId)).toBe(1);
    await t.db.updateTable('comments').set({ status: 'published', deleted_at: new Date().toISOString() }).where('id', '=', top.id).execute();
    expect((await countComments(t.db, [briefId])).get(briefId)).toBeUndefined();
  });
});
