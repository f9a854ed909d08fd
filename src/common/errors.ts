/** One failing field: `path` is dotted (`sources.0.name`), `reason` is a sentence for people. */
export interface FieldError {
  path: string;
  reason: string;
}

/**
 * The single error family. Services throw these; the HTTP layer turns them into
 * `{"error": {"code", "message", "fields"}}` and the CLI into a message and a non-zero exit.
 */
export class AppError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: FieldError[];
  /** Seconds a client should wait before trying again (429, 503); sent as `Retry-After`. */
  readonly retryAfter: number | undefined;

  constructor(opts: { status: number; code: string; message: string; fields?: FieldError[]; retryAfter?: number }) {
    super(opts.message);
    this.name = 'AppError';
    this.status = opts.status;
    this.code = opts.code;
    this.fields = opts.fields ?? [];
    this.retryAfter = opts.retryAfter;
  }
}

export function validationError(fields: FieldError[], message = 'The input is not valid.'): AppError {
  return new AppError({ status: 400, code: 'invalid_input', message, fields });
}

export function notFound(what: string, path?: string): AppError {
  return new AppError({
    status: 404,
    code: 'not_found',
    message: `${what} was not found.`,
    fields: path ? [{ path, reason: `no ${what.toLowerCase()} with this id` }] : [],
  });
}

/** 410: the thing was public once and has been removed, so caches and crawlers should drop it. */
export function gone(what = 'brief'): AppError {
  return new AppError({ status: 410, code: 'gone', message: `This ${what} was removed.` });
}

export function forbidden(message = 'Your role does not allow this.'): AppError {
  return new AppError({ status: 403, code: 'forbidden', message });
}

export function unauthorized(message = 'Authentication is required.'): AppError {
  return new AppError({ status: 401, code: 'unauthorized', message });
}

export function conflict(message: string, fields: FieldError[] = []): AppError {
  return new AppError({ status: 409, code: 'conflict', message, fields });
}

/** Collects field errors during validation, then throws them all at once. */
export class FieldErrors {
  readonly list: FieldError[] = [];
  add(path: string, reason: string): void {
    this.list.push({ path, reason });
  }
  get isEmpty(): boolean {
    return this.list.length === 0;
  }
  throwIfAny(message?: string): void {
    if (!this.isEmpty) throw validationError(this.list, message);
  }
}
