import { createHash, randomBytes } from 'node:crypto';
import Type from 'typebox';
import { AppError, conflict, notFound, unauthorized, validationError } from '../common/errors.js';
import { newId } from '../common/ids.js';
import { assertMatches } from '../common/validation.js';
import type { Db } from '../storage/database.js';
import type { UserRow } from '../storage/schema.js';
import { generatePassword, hashPassword, verifyPassword } from './passwords.js';
import { STAFF_ROLES, assertCan, isStaffRole, type Actor, type Role, type StaffRole } from './policy.js';

export interface User {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  createdAt: string;
  isDisabled: boolean;
}

export const SESSION_DAYS = 14;
const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

function toUser(row: UserRow): User {
  return {
    id: row.id,
    email: row.email,
    displayName: row.display_name,
    role: row.role as Role,
    createdAt: row.created_at,
    isDisabled: row.disabled_at !== null,
  };
}

export const UserInputSchema = Type.Object(
  {
    email: Type.String({ format: 'email', maxLength: 200 }),
    displayName: Type.String({ minLength: 1, maxLength: 100, pattern: '\\S' }),
    role: Type.Enum([...STAFF_ROLES]),
    password: Type.Optional(Type.String({ minLength: 12, maxLength: 200 })),
  },
  { additionalProperties: false },
);

/** Creates a staff account; answers the password too when it generated one. */
export async function createUser(opts: {
  db: Db;
  actor: Actor;
  input: { email: string; displayName: string; role: string; password?: string };
}): Promise<{ user: User; password: string }> {
  assertCan(opts.actor, 'user.manage');
  const input = { ...opts.input, email: opts.input.email.trim().toLowerCase() };
  if (!input.password) delete input.password;
  assertMatches(UserInputSchema, input);
  const existing = await opts.db.selectFrom('users').select('id').where('email', '=', input.email).executeTakeFirst();
  if (existing) throw conflict('A user with this email already exists.', [{ path: 'email', reason: 'is already taken' }]);
  const password = input.password ?? generatePassword();
  const row: UserRow = {
    id: newId(),
    email: input.email,
    display_name: input.displayName.trim(),
    password_hash: await hashPassword(password),
    role: input.role,
    created_at: new Date().toISOString(),
    disabled_at: null,
    deleted_at: null,
    premoderate: 0,
    suspended_until: null,
    banned_at: null,
  };
  await opts.db.insertInto('users').values(row).execute();
  return { user: toUser(row), password };
}

/** Staff accounts; readers sign up by the thousand and are not listed among the desk's users. */
export async function listUsers(db: Db): Promise<User[]> {
  const rows = await db.selectFrom('users').selectAll().where('role', 'in', [...STAFF_ROLES]).orderBy('created_at').execute();
  return rows.map(toUser);
}

export async function getUser(db: Db, id: string): Promise<User | null> {
  const row = await db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? toUser(row) : null;
}

/** Sets a new password, generated when none is given; ends every session of that user. */
export async function resetPassword(opts: { db: Db; actor: Actor; email: string; password?: string }): Promise<string> {
  assertCan(opts.actor, 'user.manage');
  const user = await opts.db.selectFrom('users').select('id').where('email', '=', opts.email.trim().toLowerCase()).executeTakeFirst();
  if (!user) throw notFound('User', 'email');
  const password = opts.password ?? generatePassword();
  if (password.length < 12) throw validationError([{ path: 'password', reason: 'must be at least 12 characters' }]);
  await opts.db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash: await hashPassword(password) }).where('id', '=', user.id).execute();
    await trx.deleteFrom('sessions').where('user_id', '=', user.id).execute();
  });
  return password;
}

let standIn: Promise<string> | undefined;
const standInHash = () => (standIn ??= hashPassword(generatePassword()));

/**
 * Checks a password and opens a session; the same message for unknown email and wrong password.
 * With `isStaffOnly` (the desk) a reader's correct password answers 403 and opens no session.
 */
export async function logIn(opts: { db: Db; email: string; password: string; isStaffOnly?: boolean }): Promise<{ user: User; sessionId: string }> {
  const row = await opts.db.selectFrom('users').selectAll().where('email', '=', opts.email.trim().toLowerCase()).executeTakeFirst();
  // Hash against a stand-in when the email is unknown, so the answer takes as long either way
  // and its timing does not tell which addresses have accounts.
  const isValid = await verifyPassword(opts.password, row?.password_hash ?? (await standInHash()));
  if (!row || !isValid || row.disabled_at || row.deleted_at) {
    throw new AppError({ status: 401, code: 'bad_credentials', message: 'The email or password is wrong.', fields: [{ path: 'password', reason: 'does not match this email' }] });
  }
  if (opts.isStaffOnly && !isStaffRole(row.role)) {
    throw new AppError({ status: 403, code: 'not_staff', message: 'This account is a reader account; the desk is for staff.', fields: [{ path: 'email', reason: 'is not a staff account' }] });
  }
  return { user: toUser(row), sessionId: await openSession(opts.db, row.id) };
}

/** Opens a session for a user whose identity is already proven; answers the secret session id. */
export async function openSession(db: Db, userId: string): Promise<string> {
  const sessionId = randomBytes(32).toString('base64url');
  const now = new Date();
  await db
    .insertInto('sessions')
    .values({
      id_hash: sha256(sessionId),
      user_id: userId,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + SESSION_DAYS * 86400_000).toISOString(),
    })
    .execute();
  return sessionId;
}

export async function userForSession(db: Db, sessionId: string): Promise<User | null> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .selectAll('users')
    .where('sessions.id_hash', '=', sha256(sessionId))
    .where('sessions.expires_at', '>', new Date().toISOString())
    .where('users.disabled_at', 'is', null)
    .where('users.deleted_at', 'is', null)
    .executeTakeFirst();
  return row ? toUser(row) : null;
}

export async function logOut(db: Db, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('id_hash', '=', sha256(sessionId)).execute();
}

/** Creates an API token; the secret is shown once and only its hash is stored. */
export async function createToken(opts: { db: Db; actor: Actor; role: string; label?: string }): Promise<{ id: string; token: string }> {
  assertCan(opts.actor, 'token.manage');
  if (!(STAFF_ROLES as readonly string[]).includes(opts.role)) {
    throw new AppError({ status: 400, code: 'invalid_input', message: 'Unknown role.', fields: [{ path: 'role', reason: `must be one of: ${STAFF_ROLES.join(', ')}` }] });
  }
  const id = newId();
  const token = `nd_${randomBytes(24).toString('base64url')}`;
  await opts.db
    .insertInto('api_tokens')
    .values({ id, token_hash: sha256(token), role: opts.role, label: opts.label ?? '', created_at: new Date().toISOString(), revoked_at: null })
    .execute();
  return { id, token };
}

export async function revokeToken(opts: { db: Db; actor: Actor; id: string }): Promise<void> {
  assertCan(opts.actor, 'token.manage');
  const result = await opts.db.updateTable('api_tokens').set({ revoked_at: new Date().toISOString() }).where('id', '=', opts.id).where('revoked_at', 'is', null).executeTakeFirst();
  if (result.numUpdatedRows === 0n) throw notFound('Token', 'id');
}

/** Resolves a bearer token to an actor, or throws 401 for unknown and revoked tokens alike. */
export async function actorForToken(db: Db, token: string): Promise<Actor> {
  const row = await db.selectFrom('api_tokens').selectAll().where('token_hash', '=', sha256(token)).executeTakeFirst();
  if (!row || row.revoked_at) throw unauthorized('The token is unknown or revoked.');
  return { userId: null, role: row.role as StaffRole, label: row.label ? `token ${row.label}` : `token ${row.id}` };
}
