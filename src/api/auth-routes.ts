import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { deleteReaderAccount, presentSignedInUser, SignedInUserSchema, SignUpSchema, signUpReader } from '../accounts/readers.js';
import { logIn, logOut, type User } from '../accounts/service.js';
import { clearSessionCookie, setSessionCookie } from '../desk/auth.js';
import { requireSessionUser, sessionTokenFor, sessionUserOf } from './auth.js';
import { BEARER, errorResponses } from './schemas.js';

const tags = ['auth'];
// The desk login's limit: enough for a person who mistypes, far too few for guessing passwords.
const LOGIN_ATTEMPTS_PER_MINUTE = 10;
// Sign-ups are cheap to script; a household behind one address still gets through.
const SIGNUPS_PER_MINUTE = 10;

const LoginSchema = Type.Object(
  { email: Type.String({ minLength: 1, maxLength: 200 }), password: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);

const SessionSchema = Type.Object(
  {
    token: Type.String({ description: 'Send as `Authorization: Bearer <token>`; starts with `nds_`' }),
    user: SignedInUserSchema,
  },
  { additionalProperties: false, description: 'A new session: its bearer token, and the same session in the `nd_session` cookie' },
);

const session = (user: User, sessionId: string) => ({ token: sessionTokenFor(sessionId), user: presentSignedInUser(user) });

/**
 * Reader (and staff) sessions under /v1/auth. Signing up or in answers a bearer token and sets
 * the site's session cookie, so a browser client and a script both come away signed in.
 */
export const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db } = app.deps;

  app.post('/v1/auth/signup', {
    config: { rateLimit: { max: SIGNUPS_PER_MINUTE, timeWindow: '1 minute' } },
    schema: {
      summary: 'Create a reader account and sign in', tags, body: SignUpSchema,
      response: { 201: SessionSchema, ...errorResponses(400, 409, 413) },
    },
  }, async (request, reply) => {
    const { user, sessionId } = await signUpReader({ db, input: request.body });
    setSessionCookie(reply, sessionId);
    return reply.code(201).send(session(user, sessionId));
  });

  app.post('/v1/auth/login', {
    config: { rateLimit: { max: LOGIN_ATTEMPTS_PER_MINUTE, timeWindow: '1 minute' } },
    schema: {
      summary: 'Sign in with email and password', tags, body: LoginSchema,
      response: { 200: SessionSchema, ...errorResponses(400, 401, 413) },
    },
  }, async (request, reply) => {
    const { user, sessionId } = await logIn({ db, email: request.body.email, password: request.body.password });
    setSessionCookie(reply, sessionId);
    return reply.send(session(user, sessionId));
  });

  app.post('/v1/auth/logout', {
    onRequest: requireSessionUser,
    schema: { summary: 'End the session whose token is sent', tags, security: BEARER, response: { 204: Type.Null(), ...errorResponses(401) } },
  }, async (request, reply) => {
    await logOut(db, sessionUserOf(request).sessionId);
    clearSessionCookie(reply);
    return reply.code(204).send(null);
  });

  app.delete('/v1/auth/account', {
    onRequest: requireSessionUser,
    schema: {
      summary: 'Delete the signed-in reader\'s account',
      description: 'Comments stay, shown as by a deleted account; the email can sign up again. Staff accounts answer 403.',
      tags, security: BEARER, response: { 204: Type.Null(), ...errorResponses(401, 403) },
    },
  }, async (request, reply) => {
    await deleteReaderAccount({ db, userId: sessionUserOf(request).user.id });
    clearSessionCookie(reply);
    return reply.code(204).send(null);
  });
};
