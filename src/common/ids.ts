import { monotonicFactory } from 'ulidx';

const ulid = monotonicFactory();

/** Time-ordered, URL-safe ids: lowercase ULIDs, so ids sort by creation in both engines. */
export function newId(): string {
  return ulid().toLowerCase();
}
