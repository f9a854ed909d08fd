import type { DatelinePrecision, Language } from '../content/types.js';

// Building an Intl.DateTimeFormat costs far more than formatting with one (ICU loads the locale's
// patterns each time), and a page formats dozens of times: keep one per locale, zone and style.
// The key space is small (three languages, one zone, a few styles), so the map needs no bound.
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let found = formatters.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat(locale, options);
    formatters.set(key, found);
  }
  return found;
}

// Times are stored in UTC; every reader-facing time is shown in the site's zone (config.timeZone)
// so a dateline reads the same to every reader, wherever their browser is.

/** A stored UTC time as the reader sees it: "25 November 2026 at 09:00", or the date alone. */
export function formatDateTime(iso: string, opts: { language: Language; timeZone: string; precision?: DatelinePrecision }): string {
  const style: Intl.DateTimeFormatOptions = opts.precision === 'day' ? { dateStyle: 'long' } : { dateStyle: 'long', timeStyle: 'short' };
  return formatter(opts.language, { ...style, timeZone: opts.timeZone }).format(new Date(iso));
}

/** A compact form for lists: "25 Nov 2026, 09:00". */
export function formatShortDateTime(iso: string, opts: { language: Language; timeZone: string }): string {
  return formatter(opts.language, { dateStyle: 'medium', timeStyle: 'short', timeZone: opts.timeZone }).format(new Date(iso));
}

/**
 * The machine-readable value for <time datetime>. A day-precision dateline only knows its date,
 * so claiming an instant would invent a time; it gets the calendar date in the site's zone.
 */
export function machineDateTime(iso: string, opts: { timeZone: string; precision?: DatelinePrecision }): string {
  if (opts.precision !== 'day') return new Date(iso).toISOString();
  const parts = formatter('en-GB', { timeZone: opts.timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(new Date(iso));
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}
