import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../common/errors.js';
import { buildTestApp, makeUser, type TestContext } from '../test/factories.js';
import { can, type Action } from './policy.js';
import { DELETED_DISPLAY_NAME, deleteReaderAccount, presentSignedInUser, signUpReader } from './readers.js';
import { listUsers, logIn, userForSession } from './service.js';

let t: TestContext;
beforeAll(async () => { t = await buildTestApp(); });
afterAll(async () => { await t.close(); });

let counter = 0;
const newEmail = () => `reader-${Date.now().toString(36)}-${counter++}@example.org`;
const PASSWORD = 'correct horse battery';

async function caught(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(() => null, (e: unknown) => e);
  if (!(err instanceof AppError)) throw new Error(`expected an AppError, got ${String(err)}`);
  return err;
}

describe('signUpReader', () => {
  it('creates a signed-in reader, storing the email trimmed and lower-cased', async () => {
    const email = newEmail();
    const { user, sessionId } = await signUpReader({ db: t.db, input: { displayName: '  Olena  ', email: `  ${email.toUpperCase()} `, password: PASSWORD } });
    expect(user).toMatchObject({ email, displayName: 'Olena', role: 'reader', isDisabled: false });
    expect((await userForSession(t.db, sessionId))?.id).toBe(user.id);
    expect(presentSignedInUser(user)).toEqual({ id: user.id, displayName: 'Olena', role: 'reader', isStaff: false });
    const again = await logIn({ db: t.db, email, password: PASSWORD });
    expect(again.user.id).toBe(user.id);
  });

  it('answers 409 naming email when the address is taken, whatever its case', async () => {
    const email = newEmail();
    await signUpReader({ db: t.db, input: { displayName: 'First', email, password: PASSWORD } });
    const err = await caught(signUpReader({ db: t.db, input: { displayName: 'Second', email: email.toUpperCase(), password: PASSWORD } }));
    expect(err.status).toBe(409);
    expect(err.fields).toEqual([{ path: 'email', reason: 'is already taken' }]);
  });

  it('answers 400 naming each bad field', async () => {
    const err = await caught(signUpReader({ db: t.db, input: { displayName: '   ', email: 'not-an-email', password: 'short' } }));
    expect(err.status).toBe(400);
    expect(err.fields.map((f) => f.path).sort()).toEqual(['displayName', 'email', 'password']);
    expect(err.fields.find((f) => f.path === 'password')?.reason).toBe('must be at least 10 characters');
    const long = await caught(signUpReader({ db: t.db, input: { displayName: 'x'.repeat(61), email: newEmail(), password: PASSWORD } }));
    expect(long.fields).toEqual([{ path: 'displayName', reason: 'must be at most 60 characters' }]);
  });

  it('is not listed among the desk\'s staff users', async () => {
    const { user } = await signUpReader({ db: t.db, input: { displayName: 'Hidden', email: newEmail(), password: PASSWORD } });
    expect((await listUsers(t.db)).map((u) => u.id)).not.toContain(user.id);
  });
});

describe('the reader role', () => {
  it('holds no grant at all', () => {
    const actions: Action[] = [
      'brief.write', 'brief.submit', 'brief.publish', 'brief.correct', 'brief.retract', 'brief.delete',
      'story.manage', 'entity.manage', 'comment.moderate', 'user.manage', 'token.manage',
    ];
    for (const action of actions) expect(can({ role: 'reader' }, action), action).toBe(false);
  });

  it('is refused by a staff-only login, which opens no session', async () => {
    const email = newEmail();
    const { user } = await signUpReader({ db: t.db, input: { displayName: 'Reader', email, password: PASSWORD } });
    const before = await t.db.selectFrom('sessions').select('id_hash').where('user_id', '=', user.id).execute();
    const err = await caught(logIn({ db: t.db, email, password: PASSWORD, isStaffOnly: true }));
    expect(err.status).toBe(403);
    expect(await t.db.selectFrom('sessions').select('id_hash').where('user_id', '=', user.id).execute()).toEqual(before);
  });
});

describe('deleteReaderAccount', () => {
  it('ends every session, blocks logging in, anonymises the row and frees the email', async () => {
    const email = newEmail();
    const { user, sessionId } = await signUpReader({ db: t.db, input: { displayName: 'Leaving', email, password: PASSWORD } });
    const second = await logIn({ db: t.db, email, password: PASSWORD });

    await deleteReaderAccount({ db: t.db, userId: user.id });

    expect(await userForSession(t.db, sessionId)).toBeNull();
    expect(await userForSession(t.db, second.sessionId)).toBeNull();
    expect(await t.db.selectFrom('sessions').select('id_hash').where('user_id', '=', user.id).execute()).toEqual([]);
    expect((await caught(logIn({ db: t.db, email, password: PASSWORD }))).status).toBe(401);
    // The row stays, so whatever references it (comments) keeps an author.
    const row = await t.db.selectFrom('users').selectAll().where('id', '=', user.id).executeTakeFirstOrThrow();
    expect(row.display_name).toBe(DELETED_DISPLAY_NAME);
    expect(row.email).toBe(`deleted-${user.id}@invalid`);
    expect(row.deleted_at).not.toBeNull();
    expect(row.password_hash).not.toMatch(/^scrypt\$/);
    // Even the scrambled address cannot be used to log in.
    expect((await caught(logIn({ db: t.db, email: row.email, password: PASSWORD }))).status).toBe(401);

    const fresh = await signUpReader({ db: t.db, input: { displayName: 'Back again', email, password: PASSWORD } });
    expect(fresh.user.id).not.toBe(user.id);
  });

  it('refuses staff accounts and accounts already deleted', async () => {
    const editor = await makeUser(t.db, 'editor');
    expect((await caught(deleteReaderAccount({ db: t.db, userId: editor.id }))).status).toBe(403);
    expect((await logIn({ db: t.db, email: editor.email, password: editor.password })).user.id).toBe(editor.id);

    const { user } = await signUpReader({ db: t.db, input: { displayName: 'Twice', email: newEmail(), password: PASSWORD } });
    await deleteReaderAccount({ db: t.db, userId: user.id });
    expect((await caught(deleteReaderAccount({ db: t.db, userId: user.id }))).status).toBe(404);
  });
});
