import { validationError } from './errors.js';

/** Keyset cursors: opaque to clients, a (time, id) pair inside, stable under concurrent inserts. */
export interface Cursor {
  at: string;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.at, cursor.id])).toString('base64url');
}

export function decodeCursor(raw: string | undefined | null, path = 'cursor'): Cursor | null {
  if (!raw) return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2 && typeof parsed[0] === 'string' && typeof parsed[1] === 'string') {
      return { at: parsed[0], id: parsed[1] };
    }
  } catch {
    // fall through to the validation error below
  }
  throw validationError([{ path, reason: 'is not a cursor this server gave out' }]);
}

export interface Page<T> {
  items: T[];
  next: string | null;
}
