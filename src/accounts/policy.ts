import { forbidden } from '../common/errors.js';

export const STAFF_ROLES = ['contributor', 'editor', 'moderator', 'admin'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];
/** Readers sign up on the site; they are never staff and hold no grant in the table below. */
export type Role = StaffRole | 'reader';

/** Who is acting: a staff user (desk), a reader, an API token, or the local command line. */
export interface Actor {
  /** A user id, or null for a token or the CLI (kept apart so revisions name real people). */
  userId: string | null;
  role: Role;
  label: string;
}

export type Action =
  | 'brief.write'
  | 'brief.submit'
  | 'brief.publish'
  | 'brief.correct'
  | 'brief.retract'
  | 'brief.delete'
  | 'story.manage'
  | 'entity.manage'
  | 'comment.moderate'
  | 'comment.configure'
  | 'user.manage'
  | 'token.manage'
  | 'webhook.manage';

// Authorization as plain data: one table, read by services (so no transport can forget a
// check) and by views (so nobody is shown a button they cannot use).
const GRANTS: Record<Action, readonly StaffRole[]> = {
  'brief.write': ['contributor', 'editor', 'admin'],
  'brief.submit': ['contributor', 'editor', 'admin'],
  'brief.publish': ['editor', 'admin'],
  'brief.correct': ['editor', 'admin'],
  'brief.retract': ['editor', 'admin'],
  'brief.delete': ['admin'],
  'story.manage': ['editor', 'admin'],
  'entity.manage': ['editor', 'admin'],
  'comment.moderate': ['moderator', 'editor', 'admin'],
  // Word lists and policy shape every reader's experience: the admins' call, not each moderator's.
  'comment.configure': ['admin'],
  'user.manage': ['admin'],
  'token.manage': ['admin'],
  // Webhooks send content and comments to outside addresses: an admin decides where.
  'webhook.manage': ['admin'],
};

export function can(actor: Pick<Actor, 'role'> | null | undefined, action: Action): boolean {
  return !!actor && (GRANTS[action] as readonly Role[]).includes(actor.role);
}

/** Throws a 403 AppError unless the actor's role grants the action. */
export function assertCan(actor: Actor, action: Action): void {
  if (!can(actor, action)) throw forbidden(`The ${actor.role} role may not ${action.replace('.', ' ')}.`);
}

/** Whether the desk and the staff API are open to this role; readers' are not. */
export function isStaffRole(value: unknown): value is StaffRole {
  return typeof value === 'string' && (STAFF_ROLES as readonly string[]).includes(value);
}

/** The command line runs with full rights: whoever can run it already owns the data folder. */
export const CLI_ACTOR: Actor = { userId: null, role: 'admin', label: 'command line' };
