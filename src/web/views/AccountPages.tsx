import type { ComponentChildren } from 'preact';
import { formErrorsFrom, CsrfField, ErrorSummary, TextField, type FormErrors, type PathDescriber } from '../../desk/views/fields.js';
import type { AppError } from '../../common/errors.js';
import type { Role } from '../../accounts/policy.js';
import type { Language } from '../../content/types.js';
import { accountMessagesFor, type AccountMessages } from '../messages.js';
import { SitePage, type SiteInfo } from './SitePage.js';

// The reader's account pages: plain forms that work without JavaScript, the field helpers and
// error summary shared with the desk, so both surfaces show a failed form the same way. The
// pages have no language in their address: the route says which one to speak (English by default).

/** What every account page needs besides its own data. */
export interface AccountContext {
  site: SiteInfo;
  path: string;
  csrfToken: string;
  /** The language to speak, e.g. from the reader's Accept-Language; English when absent. */
  language?: Language;
}

export const ACCOUNT_FIELD_IDS = {
  displayName: 'f-displayName',
  email: 'f-email',
  password: 'f-password',
  confirm: 'f-confirm',
} as const;

function labelsFor(language: Language): Record<keyof typeof ACCOUNT_FIELD_IDS, string> {
  const m = accountMessagesFor(language);
  // English names the checkbox by what it is; the other languages by its own label.
  return { displayName: m.displayName, email: m.email, password: m.password, confirm: language === 'en' ? 'The confirmation box' : m.deleteConfirm };
}

/** A failed submission's errors, placed at the account forms' inputs and named in `language`. */
export function accountFormErrors(err: Pick<AppError, 'fields' | 'message'>, language: Language = 'en'): FormErrors {
  const labels = labelsFor(language);
  const describe: PathDescriber = (path) =>
    path in ACCOUNT_FIELD_IDS ? { id: ACCOUNT_FIELD_IDS[path as keyof typeof ACCOUNT_FIELD_IDS], label: labels[path as keyof typeof labels] } : null;
  return formErrorsFrom({ fields: err.fields, message: err.message, describe });
}

const messagesOf = (ctx: Pick<AccountContext, 'language'>): AccountMessages => accountMessagesFor(ctx.language ?? 'en');

function AccountShell(props: { ctx: AccountContext; title: string; children: ComponentChildren }) {
  return (
    <SitePage
      site={props.ctx.site} title={props.title} description={props.title} path={props.ctx.path} language={props.ctx.language ?? 'en'}
      head={<meta name="robots" content="noindex" />}
    >
      <h1>{props.title}</h1>
      {props.children}
    </SitePage>
  );
}

export interface SignUpValues { displayName: string; email: string }

/** The reader page to return to after logging in or signing up, carried by the form and the links between the two. */
function NextField(props: { next: string | null }) {
  return props.next ? <input type="hidden" name="next" value={props.next} /> : null;
}

/**
 * The language a page spoke, carried by its forms and by the links between the pages, so a
 * re-rendered form or the next page answers in the same one whatever the browser's preference.
 */
function LanguageField(props: { ctx: AccountContext }) {
  return props.ctx.language ? <input type="hidden" name="lang" value={props.ctx.language} /> : null;
}

function withNext(path: string, next: string | null, language?: Language): string {
  const params = new URLSearchParams([...(next ? [['next', next]] : []), ...(language ? [['lang', language]] : [])]);
  const query = params.toString();
  return query ? `${path}?${query}` : path;
}

export function SignUpPage(props: { ctx: AccountContext; values: SignUpValues; next?: string | null; errors: FormErrors }) {
  const { values, errors } = props;
  const m = messagesOf(props.ctx);
  return (
    <AccountShell ctx={props.ctx} title={m.signUpTitle}>
      <p>{m.signUpIntro}</p>
      <ErrorSummary errors={errors} />
      <form method="post" action="/account/signup" class="stack narrow">
        <CsrfField token={props.ctx.csrfToken} />
        <NextField next={props.next ?? null} />
        <LanguageField ctx={props.ctx} />
        <TextField id={ACCOUNT_FIELD_IDS.displayName} name="displayName" label={m.displayName} hint={m.displayNameHint} value={values.displayName} autocomplete="nickname" isRequired errors={errors} />
        <TextField id={ACCOUNT_FIELD_IDS.email} name="email" type="email" label={m.email} value={values.email} autocomplete="email" isRequired errors={errors} />
        <TextField id={ACCOUNT_FIELD_IDS.password} name="password" type="password" label={m.password} hint={m.newPasswordHint} value="" autocomplete="new-password" isRequired errors={errors} />
        <div class="actions"><button type="submit" class="primary">{m.signUp}</button></div>
      </form>
      <p>{m.haveAccount} <a href={withNext('/account/login', props.next ?? null, props.ctx.language)}>{m.logIn}</a></p>
    </AccountShell>
  );
}

export function LogInPage(props: { ctx: AccountContext; email: string; next?: string | null; errors: FormErrors }) {
  const m = messagesOf(props.ctx);
  return (
    <AccountShell ctx={props.ctx} title={m.logInTitle}>
      <ErrorSummary errors={props.errors} />
      <form method="post" action="/account/login" class="stack narrow">
        <CsrfField token={props.ctx.csrfToken} />
        <NextField next={props.next ?? null} />
        <LanguageField ctx={props.ctx} />
        <TextField id={ACCOUNT_FIELD_IDS.email} name="email" type="email" label={m.email} value={props.email} autocomplete="username" isRequired errors={props.errors} />
        <TextField id={ACCOUNT_FIELD_IDS.password} name="password" type="password" label={m.password} value="" autocomplete="current-password" isRequired errors={props.errors} />
        <div class="actions"><button type="submit" class="primary">{m.logIn}</button></div>
      </form>
      <p>{m.noAccount} <a href={withNext('/account/signup', props.next ?? null, props.ctx.language)}>{m.signUp}</a></p>
    </AccountShell>
  );
}

/** Who is signed in, a log-out button and, for readers, the delete-account form. */
export function AccountPage(props: { ctx: AccountContext; user: { displayName: string; email: string; role: Role }; isStaff: boolean; errors: FormErrors }) {
  const { user, errors } = props;
  const m = messagesOf(props.ctx);
  const confirmError = errors.byId.get(ACCOUNT_FIELD_IDS.confirm);
  return (
    <AccountShell ctx={props.ctx} title={m.accountTitle}>
      <ErrorSummary errors={errors} />
      <p>{m.signedInAs} <strong>{user.displayName}</strong> ({user.email}).</p>
      <p>{m.roleLabel}: {m.role[user.role]}</p>
      {props.isStaff ? <p><a href="/desk">{m.toDesk}</a></p> : null}
      <form method="post" action="/account/logout">
        <CsrfField token={props.ctx.csrfToken} />
        <button type="submit">{m.logOut}</button>
      </form>
      <h2>{m.deleteTitle}</h2>
      {props.isStaff ? <p>{m.staffCannotDelete}</p> : (
        <form method="post" action="/account/delete" class="stack narrow">
          <CsrfField token={props.ctx.csrfToken} />
          <LanguageField ctx={props.ctx} />
          <p>{m.deleteText}</p>
          <div class={confirmError ? 'field field-has-error' : 'field'}>
            {confirmError ? <p class="field-error" id={`${ACCOUNT_FIELD_IDS.confirm}-error`}>{confirmError}</p> : null}
            <input
              type="checkbox" id={ACCOUNT_FIELD_IDS.confirm} name="confirm" value="yes" required
              {...(confirmError ? { 'aria-describedby': `${ACCOUNT_FIELD_IDS.confirm}-error`, 'aria-invalid': 'true' as const } : {})}
            />{' '}
            <label for={ACCOUNT_FIELD_IDS.confirm}>{m.deleteConfirm}</label>
          </div>
          <div class="actions"><button type="submit" class="danger">{m.deleteButton}</button></div>
        </form>
      )}
    </AccountShell>
  );
}

export function AccountDeletedPage(props: { ctx: Omit<AccountContext, 'csrfToken'> }) {
  const m = messagesOf(props.ctx);
  return (
    <AccountShell ctx={{ ...props.ctx, csrfToken: '' }} title={m.deletedTitle}>
      <p>{m.deletedText}</p>
      <p><a href="/">{m.backHome}</a></p>
    </AccountShell>
  );
}

/** A refused or failed account request (expired form, too many attempts, not logged in). */
export function AccountErrorPage(props: { ctx: Omit<AccountContext, 'csrfToken'>; title: string; text: string }) {
  const m = messagesOf(props.ctx);
  return (
    <AccountShell ctx={{ ...props.ctx, csrfToken: '' }} title={props.title}>
      <p>{props.text}</p>
      <p><a href="/">{m.backHome}</a></p>
    </AccountShell>
  );
}
