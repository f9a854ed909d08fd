import { parseArgs } from 'node:util';
import { CLI_ACTOR } from '../accounts/policy.js';
import { createToken, createUser, resetPassword, revokeToken } from '../accounts/service.js';
import type { Command } from './main.js';
import { UsageError, required } from './usage.js';

/** `token create --role ROLE [--label L]` prints the secret alone; `token revoke ID`. */
export const tokenCommand: Command = async (args, io, runtime) => {
  const [action, ...rest] = args;
  if (action === 'create') {
    const { values } = parseArgs({ args: rest, options: { role: { type: 'string' }, label: { type: 'string' } } });
    const role = required(values.role, '--role ROLE', 'token create');
    const { id, token } = await createToken({ db: runtime.db, actor: CLI_ACTOR, role, label: values.label });
    io.out(token);
    // stdout stays the bare token so scripts can capture it; the id is needed only to revoke.
    io.err(`Token id ${id} (revoke with: newsdesk token revoke ${id})`);
    return 0;
  }
  if (action === 'revoke') {
    const { positionals } = parseArgs({ args: rest, allowPositionals: true, options: {} });
    const [id, ...extra] = positionals;
    if (!id || extra.length > 0) throw new UsageError('token revoke needs exactly one token ID');
    await revokeToken({ db: runtime.db, actor: CLI_ACTOR, id });
    io.out(`Revoked token ${id}.`);
    return 0;
  }
  throw new UsageError('token needs "create" or "revoke"');
};

/** `users create --email E --name N --role R` and `users reset-password --email E` print the password. */
export const usersCommand: Command = async (args, io, runtime) => {
  const [action, ...rest] = args;
  if (action === 'create') {
    const { values } = parseArgs({ args: rest, options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' } } });
    const input = {
      email: required(values.email, '--email E', 'users create'),
      displayName: required(values.name, '--name N', 'users create'),
      role: required(values.role, '--role ROLE', 'users create'),
    };
    const { password } = await createUser({ db: runtime.db, actor: CLI_ACTOR, input });
    io.out(password);
    return 0;
  }
  if (action === 'reset-password') {
    const { values } = parseArgs({ args: rest, options: { email: { type: 'string' } } });
    const email = required(values.email, '--email E', 'users reset-password');
    io.out(await resetPassword({ db: runtime.db, actor: CLI_ACTOR, email }));
    return 0;
  }
  throw new UsageError('users needs "create" or "reset-password"');
};
