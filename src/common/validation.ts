import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { validationError, type FieldError } from './errors.js';

/** The shape both Ajv (Fastify) and TypeBox's Value.Errors report. */
export interface SchemaIssue {
  keyword: string;
  instancePath: string;
  params: Record<string, unknown>;
  message?: string;
}

function pathOf(issue: SchemaIssue): string {
  const parts = issue.instancePath.split('/').filter(Boolean);
  if (issue.keyword === 'required' && typeof issue.params.missingProperty === 'string') {
    parts.push(issue.params.missingProperty);
  }
  if (issue.keyword === 'required' && Array.isArray(issue.params.requiredProperties)) {
    parts.push(String(issue.params.requiredProperties[0]));
  }
  if (issue.keyword === 'additionalProperties') {
    const extra = issue.params.additionalProperty ?? (issue.params.additionalProperties as unknown[] | undefined)?.[0];
    if (extra !== undefined) parts.push(String(extra));
  }
  return parts.join('.') || '(body)';
}

function reasonOf(issue: SchemaIssue): string {
  const p = issue.params;
  const limit = p.limit;
  switch (issue.keyword) {
    case 'required':
      return 'is required';
    case 'minLength':
      return limit === 1 ? 'must not be empty' : `must be at least ${String(limit)} characters`;
    case 'maxLength':
      return `must be at most ${String(limit)} characters`;
    case 'pattern':
      if (p.pattern === '\\S') return 'must not be blank';
      if (p.pattern === '^https?://') return 'must be an http or https URL';
      return `must match the pattern ${String(p.pattern)}`;
    case 'enum': {
      const allowed = (p.allowedValues ?? []) as unknown[];
      return `must be one of: ${allowed.join(', ')}`;
    }
    case 'format':
      if (p.format === 'date-time') return 'must be a date and time in ISO 8601, e.g. 2026-03-14T12:00:00Z';
      if (p.format === 'uri') return 'must be an absolute URL';
      return `must be a valid ${String(p.format)}`;
    case 'type':
      return `must be ${p.type === 'array' || p.type === 'object' || p.type === 'integer' ? 'an' : 'a'} ${String(p.type)}`;
    case 'minItems':
      return `must have at least ${String(limit)} item${limit === 1 ? '' : 's'}`;
    case 'maxItems':
      return `must have at most ${String(limit)} items`;
    case 'additionalProperties':
      return 'is not a known field';
    case 'minimum':
      return `must be at least ${String(limit)}`;
    case 'maximum':
      return `must be at most ${String(limit)}`;
    default:
      return issue.message ?? 'is not valid';
  }
}

/**
 * Turns schema-validator output into one readable error per field. Union branches report
 * several errors for one path; the first specific one wins over the generic "anyOf".
 */
export function fieldErrorsFrom(issues: readonly SchemaIssue[]): FieldError[] {
  const byPath = new Map<string, FieldError>();
  const ordered = [...issues].sort((a, b) => Number(a.keyword === 'anyOf') - Number(b.keyword === 'anyOf'));
  for (const issue of ordered) {
    if (issue.keyword === 'boolean' || (issue.keyword === 'type' && issue.params.type === 'null')) continue;
    const path = pathOf(issue);
    if (!byPath.has(path)) byPath.set(path, { path, reason: reasonOf(issue) });
  }
  return [...byPath.values()];
}

/** Checks `value` against `schema` and throws a 400 AppError naming every failing field. */
export function assertMatches<T extends TSchema>(schema: T, value: unknown): void {
  if (Value.Check(schema, value)) return;
  throw validationError(fieldErrorsFrom([...Value.Errors(schema, value)] as SchemaIssue[]));
}

/**
 * An ISO instant from a string the schema already accepted as date-time. The format check lets
 * through values no clock shows (a leap second "23:59:60"); those are a 400, not a crash.
 */
export function toInstant(value: string, path: string): string {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw validationError([{ path, reason: 'is not a real date and time' }]);
  return new Date(time).toISOString();
}
