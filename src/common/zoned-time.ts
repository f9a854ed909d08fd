// <input type="datetime-local"> carries a wall-clock time with no zone. The desk interprets it
// in the site's zone (config.timeZone), not the server's or the browser's, so a dateline typed
// in Kyiv means the same instant whoever types it and wherever the server runs.

const LOCAL_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2}))?$/;

function wallClockParts(at: Date, timeZone: string): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(at);
  const get = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? '0');
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

/** How far `timeZone` is ahead of UTC at the instant `at`, in milliseconds. */
function offsetAt(at: Date, timeZone: string): number {
  const p = wallClockParts(at, timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(at.getTime() / 1000) * 1000;
}

/**
 * A datetime-local value ("2026-03-14T12:00") read in `timeZone`, as an ISO UTC string; null
 * when the text is not such a value or names a wall time the zone skips (spring-forward gap).
 */
export function localInputToUtc(value: string, timeZone: string): string | null {
  const match = LOCAL_PATTERN.exec(value.trim());
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match.slice(1).map((n) => Number(n ?? 0)) as [number, number, number, number, number, number];
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  if (Number.isNaN(asUtc)) return null;
  // The offset depends on the instant being solved for. A zone's offset changes at most once in
  // a day, so the offsets half a day either side are the only candidates. A wall time the clocks
  // skip matches neither; one they repeat (autumn) matches both, and the earlier one is taken,
  // as Temporal's "compatible" rule does.
  const halfDay = 12 * 3600_000;
  const candidates = [asUtc - offsetAt(new Date(asUtc - halfDay), timeZone), asUtc - offsetAt(new Date(asUtc + halfDay), timeZone)]
    .filter((at) => {
      const p = wallClockParts(new Date(at), timeZone);
      return p.year === year && p.month === month && p.day === day && p.hour === hour && p.minute === minute;
    });
  return candidates.length ? new Date(Math.min(...candidates)).toISOString() : null;
}

/** A stored UTC time as a datetime-local value in `timeZone` ("2026-03-14T14:00"). */
export function utcToLocalInput(iso: string, timeZone: string): string {
  const p = wallClockParts(new Date(iso), timeZone);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}
