import type { Role } from '../accounts/policy.js';

// The account pages' strings in English, the shape every translation follows (the Ukrainian and
// Russian ones sit in messages.ts); account.tsx picks one with accountMessagesFor.

export const accountMessages = {
  signUpTitle: 'Create an account',
  signUpIntro: 'An account lets you comment on briefs.',
  logInTitle: 'Log in',
  accountTitle: 'Your account',
  deletedTitle: 'Account deleted',
  deletedText: 'Your account was deleted and you were logged out. Your comments stay, shown as by a deleted account.',
  displayName: 'Display name',
  displayNameHint: 'Shown beside your comments; up to 60 characters.',
  email: 'Email',
  password: 'Password',
  newPasswordHint: 'At least 10 characters.',
  signUp: 'Create account',
  logIn: 'Log in',
  logOut: 'Log out',
  haveAccount: 'Already have an account?',
  noAccount: 'No account yet?',
  signedInAs: 'You are signed in as',
  roleLabel: 'Role',
  role: { reader: 'Reader', contributor: 'Contributor', editor: 'Editor', moderator: 'Moderator', admin: 'Admin' } satisfies Record<Role, string>,
  toDesk: 'Go to the desk',
  deleteTitle: 'Delete your account',
  deleteText: 'This logs you out everywhere and removes your name and email. Your comments stay, shown as by a deleted account. It cannot be undone.',
  deleteConfirm: 'I understand that my account will be deleted for good',
  deleteButton: 'Delete my account',
  staffCannotDelete: 'Staff accounts are closed by an administrator.',
  confirmRequired: 'must be ticked to delete the account',
  backHome: 'Go to the latest briefs',
  errors: {
    csrf: { title: 'Form expired', text: 'This form has expired or did not come from this site. Go back, reload the page and try again.' },
    tooMany: { title: 'Too many attempts', text: 'Too many attempts in a short time. Wait a minute and try again.' },
    notLoggedIn: { title: 'Not logged in', text: 'You are not logged in, or your session has ended. Log in and try again.' },
    other: { title: 'Request not handled', text: 'We could not handle this request.' },
    internal: { title: 'Something went wrong', text: 'Something went wrong on our side. It has been logged; please try again later.' },
  },
} as const;
