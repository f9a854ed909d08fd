import { deskMessages as m } from '../messages.js';
import { DeskPage, type DeskContext } from './DeskPage.js';
import { CsrfField, ErrorSummary, TextField, type FormErrors } from './fields.js';

/** The log-in form; a failed attempt keeps the email and shows the error at the password. */
export function LoginPage(props: { ctx: DeskContext; email: string; next: string; errors: FormErrors }) {
  return (
    <DeskPage ctx={props.ctx} title={m.logInTitle}>
      <ErrorSummary errors={props.errors} />
      <form method="post" action="/desk/login" class="stack narrow">
        <CsrfField token={props.ctx.csrfToken} />
        {props.next ? <input type="hidden" name="next" value={props.next} /> : null}
        <TextField id="f-email" name="email" type="email" label={m.email} value={props.email} autocomplete="username" isRequired errors={props.errors} />
        <TextField id="f-password" name="password" type="password" label={m.password} value="" autocomplete="current-password" isRequired errors={props.errors} />
        <div class="actions">
          <button type="submit" class="primary">{m.logIn}</button>
        </div>
      </form>
    </DeskPage>
  );
}
