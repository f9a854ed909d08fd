import Type, { type Static } from 'typebox';
import { conflict, forbidden, notFound } from '../common/errors.js';
import { newId } from '../common/ids.js';
import { assertMatches } from '../common/validation.js';
import type { Db } from '../storage/database.js';
import type { UserRow } from '../storage/schema.js';
import { hashPassword } from './passwords.js';
import { isStaffRole, type Role } from './policy.js';
import { openSession, type User } from './service.js';

// Reader accounts: people who sign up on the site to comment. They share the users table and
// the sessions with staff (one login for both), but hold the 'reader' role, which no grant names.

export const SignUpSchema = Type.Object(
  {
    displayName: Type.String({ minLength: 1, maxLength: 60, pattern: '\\S', description: 'Shown beside the reader\'s comments' }),
    email: Type.String({ format: 'email', maxLength: 200 }),
    password: Type.String({ minLength: 10, maxLength: 200 }),
  },
  { additionalProperties: false },
);
export type SignUpInput = Static<typeof SignUpSchema>;

/** What a signed-in user looks like from outside: no email, no moderation state. */
export const SignedInUserSchema = Type.Object(
  {
    id: Type.String(),
    displayName: Type.String(),
    role: Type.String({ description: '`reader`, or a staff role' }),
    isStaff: Type.Boolean(),
  },
  { additionalProperties: false },
);
export type SignedInUser = Static<typeof SignedInUserSchema>;

export function presentSignedInUser(user: Pick<User, 'id' | 'displayName' | 'role'>): SignedInUser {
  return { id: user.id, displayName: user.displayName, role: user.role, isStaff: isStaffRole(user.role) };
}

export const DELETED_DISPLAY_NAME = 'deleted account';
// Not a scrypt hash, so verifyPassword answers false for every password without throwing.
const UNUSABLE_PASSWORD_HASH = '!deleted';
const READER: Role = 'reader';

const emailTaken = () => conflict('An account with this email already exists.', [{ path: 'email', reason: 'is already taken' }]);

/** better-sqlite3 and node-postgres name a unique-constraint failure differently. */
function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CONSTRAINT_UNIQUE' || code === '23505';
}

/**
 * Creates a reader account and signs it in. A taken email answers 409 naming `email`, also
 * when two sign-ups race past the check (the unique index decides).
 */
export async function signUpReader(opts: { db: Db; input: SignUpInput }): Promise<{ user: User; sessionId: string }> {
  const input = { ...opts.input, email: String(opts.input.email ?? '').trim().toLowerCase() };
  assertMatches(SignUpSchema, input);
  const existing = await opts.db.selectFrom('users').select('id').where('email', '=', input.email).executeTakeFirst();
  if (existing) throw emailTaken();
  const row: UserRow = {
    id: newId(),
    email: input.email,
    display_name: input.displayName.trim(),
    password_hash: await hashPassword(input.password),
    role: READER,
    created_at: new Date().toISOString(),
    disabled_at: null,
    deleted_at: null,
    premoderate: 0,
    suspended_until: null,
    banned_at: null,
  };
  try {
    await opts.db.insertInto('users').values(row).execute();
  } catch (err) {
    if (isUniqueViolation(err)) throw emailTaken();
    throw err;
  }
  const sessionId = await openSession(opts.db, row.id);
  const user: User = { id: row.id, email: row.email, displayName: row.display_name, role: READER, createdAt: row.created_at, isDisabled: false };
  return { user, sessionId };
}

/**
 * Deletes a reader's account at their request. The row stays, so their comments keep an author,
 * but nothing personal remains: the email is freed for a new sign-up, the name is replaced, the
 * password can never match and every session ends. Staff accounts are closed by an admin instead.
 */
export async function deleteReaderAccount(opts: { db: Db; userId: string }): Promise<void> {
  await opts.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('users').select(['id', 'role', 'deleted_at']).where('id', '=', opts.userId).executeTakeFirst();
    if (!row || row.deleted_at) throw notFound('User', 'id');
    if (row.role !== READER) throw forbidden('Staff accounts are closed by an administrator, not deleted by their owner.');
    await trx
      .updateTable('users')
      .set({
        deleted_at: new Date().toISOString(),
        email: `deleted-${row.id}@invalid`,
        display_name: DELETED_DISPLAY_NAME,
        password_hash: UNUSABLE_PASSWORD_HASH,
      })
      .where('id', '=', row.id)
      .execute();
    await trx.deleteFrom('sessions').where('user_id', '=', row.id).execute();
  });
}
