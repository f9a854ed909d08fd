import { STAFF_ROLES } from '../../accounts/policy.js';
import type { User } from '../../accounts/service.js';
import { fieldId, type UserFormValues } from '../forms.js';
import { deskMessages as m } from '../messages.js';
import { DeskPage, type DeskContext } from './DeskPage.js';
import { CsrfField, ErrorSummary, SelectField, TextField, type FormErrors, type PathDescriber } from './fields.js';

const mu = m.usersPage;

const LABELS: Record<string, string> = { email: m.email, displayName: mu.name, role: mu.role };
export const describeUserPath: PathDescriber = (path) => (LABELS[path] ? { id: fieldId(path), label: LABELS[path] } : null);

/** Staff accounts and the form to add one; right after creating, the new password once. */
export function UsersPage(props: {
  ctx: DeskContext; users: User[]; values: UserFormValues; errors: FormErrors; created?: { email: string; password: string } | null;
}) {
  const { values, errors } = props;
  return (
    <DeskPage ctx={props.ctx} title={mu.title} current="users">
      {props.created ? (
        <div class="notice" role="status">
          <p>{mu.created(props.created.email)}</p>
          <p>{mu.passwordOnce} <code class="secret">{props.created.password}</code></p>
        </div>
      ) : null}
      <ErrorSummary errors={errors} />
      <table aria-label={mu.title}>
        <thead><tr><th scope="col">{mu.name}</th><th scope="col">{m.email}</th><th scope="col">{mu.role}</th></tr></thead>
        <tbody>
          {props.users.map((user) => (
            <tr>
              <td>{user.displayName}{user.isDisabled ? ` (${mu.disabled})` : ''}</td>
              <td>{user.email}</td>
              <td>{m.role[user.role]}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <section aria-labelledby="new-user">
        <h2 id="new-user">{mu.newUser}</h2>
        <form method="post" action="/desk/users" class="stack">
          <CsrfField token={props.ctx.csrfToken} />
          <TextField id={fieldId('email')} name="email" type="email" label={m.email} value={values.email} autocomplete="off" errors={errors} />
          <TextField id={fieldId('displayName')} name="displayName" label={mu.name} value={values.displayName} autocomplete="off" errors={errors} />
          <SelectField id={fieldId('role')} name="role" label={mu.role} value={values.role} options={STAFF_ROLES.map((r) => [r, m.role[r]] as const)} errors={errors} />
          <div class="actions"><button type="submit" class="primary">{mu.create}</button></div>
        </form>
      </section>
    </DeskPage>
  );
}
