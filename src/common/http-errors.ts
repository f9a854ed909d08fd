import type { FastifyError } from 'fastify';
import { AppError, type FieldError } from './errors.js';
import { fieldErrorsFrom, type SchemaIssue } from './validation.js';

export interface ErrorBody {
  error: { code: string; message: string; fields: FieldError[] };
}

/**
 * Maps anything a handler threw to a status and the API's error body. Fastify's own 4xx
 * (schema validation, body too large, bad JSON) get a field and a reason like ours do;
 * anything unexpected becomes a 500 that reveals nothing of its cause.
 */
export function describeError(err: unknown): { status: number; body: ErrorBody; isUnexpected: boolean; retryAfter?: number } {
  if (err instanceof AppError) {
    return { status: err.status, body: { error: { code: err.code, message: err.message, fields: err.fields } }, isUnexpected: false };
  }
  const fe = err as Partial<FastifyError> & { validation?: SchemaIssue[]; validationContext?: string };
  if (fe.validation) {
    const where = fe.validationContext && fe.validationContext !== 'body' ? `${fe.validationContext}.` : '';
    const fields = fieldErrorsFrom(fe.validation).map((f) => ({ ...f, path: f.path === '(body)' ? fe.validationContext ?? 'body' : where + f.path }));
    return { status: 400, body: { error: { code: 'invalid_input', message: 'The input is not valid.', fields } }, isUnexpected: false };
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return { status: 413, body: { error: { code: 'payload_too_large', message: 'The request body is too large.', fields: [{ path: 'body', reason: 'must be at most 1 MiB' }] } }, isUnexpected: false };
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return { status: 400, body: { error: { code: 'invalid_json', message: 'The request body is not valid JSON.', fields: [{ path: 'body', reason: 'is not valid JSON' }] } }, isUnexpected: false };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return { status: 415, body: { error: { code: 'unsupported_media_type', message: 'This content type is not accepted here.', fields: [{ path: 'content-type', reason: 'must be application/json' }] } }, isUnexpected: false };
    default:
      break;
  }
  // Writers that met others and lost: PostgreSQL broke a deadlock or a serialization conflict,
  // or SQLite's write lock stayed taken for the whole wait. Nothing was written; the same
  // request a moment later normally succeeds, which a 503 with Retry-After tells the client.
  if (fe.code === '40P01' || fe.code === '40001' || fe.code === 'SQLITE_BUSY') {
    return {
      status: 503,
      body: { error: { code: 'busy', message: 'The site is busy with other changes; nothing was saved. Try again in a moment.', fields: [] } },
      isUnexpected: true,
      retryAfter: 1,
    };
  }
  const status = typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500 ? fe.statusCode : 500;
  if (status === 500) {
    return { status, body: { error: { code: 'internal', message: 'Something went wrong on our side; it has been logged.', fields: [] } }, isUnexpected: true };
  }
  return { status, body: { error: { code: (fe.code ?? 'bad_request').toLowerCase(), message: fe.message ?? 'Bad request.', fields: [] } }, isUnexpected: false };
}
