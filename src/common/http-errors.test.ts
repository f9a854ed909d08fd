import { describe, expect, it } from 'vitest';
import { describeError } from './http-errors.js';

// Lost races between writers are not the client's fault and not a bug to hide behind a bare 500:
// nothing was written, and the same request a moment later normally goes through.
describe('describeError for writers that lost a race', () => {
  it.each([
    ['a PostgreSQL deadlock', Object.assign(new Error('deadlock detected'), { code: '40P01' })],
    ['a PostgreSQL serialization failure', Object.assign(new Error('could not serialize access'), { code: '40001' })],
    ['SQLite\'s write lock held past the wait', Object.assign(new Error('database is locked'), { code: 'SQLITE_BUSY' })],
  ])('answers %s with 503, Retry-After 1 and a message that reveals nothing of the database', (_, err) => {
    const described = describeError(err);
    expect(described).toMatchObject({ status: 503, retryAfter: 1, isUnexpected: true, body: { error: { code: 'busy', fields: [] } } });
    expect(described.body.error.message).not.toMatch(/deadlock|serializ|sqlite|locked|postgres/i);
  });

  it('leaves other database errors a 500', () => {
    expect(describeError(Object.assign(new Error('relation "briefs" does not exist'), { code: '42P01' }))).toMatchObject({ status: 500, isUnexpected: true });
    expect(describeError(Object.assign(new Error('constraint failed'), { code: 'SQLITE_CONSTRAINT_UNIQUE' }))).toMatchObject({ status: 500 });
  });
});
