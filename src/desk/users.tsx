import type { FastifyPluginAsync } from 'fastify';
import { assertCan } from '../accounts/policy.js';
import { createUser, listUsers } from '../accounts/service.js';
import { AppError } from '../common/errors.js';
import { deskActor, deskContext, sendDeskPage } from './context.js';
import { userValuesFromBody, type FormBody } from './forms.js';
import { formErrorsFromAppError, NO_ERRORS } from './views/fields.js';
import { UsersPage, describeUserPath } from './views/UsersPage.js';

const EMPTY_USER = { email: '', displayName: '', role: 'contributor' };

/** Staff accounts; admins only. */
export const userRoutes: FastifyPluginAsync = async (app) => {
  const { db } = app.deps;

  app.get('/', async (request, reply) => {
    assertCan(deskActor(request), 'user.manage');
    const users = await listUsers(db);
    return sendDeskPage(reply, <UsersPage ctx={deskContext(request, reply)} users={users} values={EMPTY_USER} errors={NO_ERRORS} />);
  });

  // Answers with a page instead of redirecting: the generated password is stored only as a
  // hash, so this response is the one chance to show it. Reloading re-posts and fails harmlessly
  // with "already taken".
  app.post('/', { preHandler: app.csrfProtection }, async (request, reply) => {
    const values = userValuesFromBody(request.body as FormBody);
    try {
      const { user, password } = await createUser({ db, actor: deskActor(request), input: values });
      const users = await listUsers(db);
      const page = <UsersPage ctx={deskContext(request, reply)} users={users} values={EMPTY_USER} errors={NO_ERRORS} created={{ email: user.email, password }} />;
      return sendDeskPage(reply, page, 201);
    } catch (err) {
      if (!(err instanceof AppError) || (err.status !== 400 && err.status !== 409)) throw err;
      const users = await listUsers(db);
      const page = <UsersPage ctx={deskContext(request, reply)} users={users} values={values} errors={formErrorsFromAppError(err, describeUserPath)} />;
      return sendDeskPage(reply, page, err.status);
    }
  });
};
