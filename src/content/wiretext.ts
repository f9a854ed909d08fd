import { AppError, type FieldError } from '../common/errors.js';
import type { BackgroundEntry, Brief, DatelinePrecision, Quote, Source } from './types.js';

// The wire-text format: how briefs travel between newsrooms as plain text. One brief starts
// with a `date` line; sections follow in any order; an optional `N comments` line closes it.
// Parsing is lenient about spacing and strict about structure, so an archive with a miscounted
// comment block is refused whole instead of importing comments into the wrong brief.

export const SITE_TIME_ZONE = 'Europe/Kyiv';

export interface WireComment {
  authorName: string;
  body: string;
}

export interface ParsedWireBrief {
  /** The 1-based line of the brief's date line. */
  line: number;
  headline: string;
  /** UTC ISO instant: the dateline's day start (precision 'day') or its minute in the zone. */
  publishedAt: string;
  datelinePrecision: DatelinePrecision;
  sources: Source[];
  quotes: Quote[];
  details: string[];
  previously: string[];
  background: BackgroundEntry[];
  comments: WireComment[];
  /** Where each element starts, keyed like schema paths ('headline', 'sources.0', 'comments.1'). */
  lineOf: Record<string, number>;
}

// Reasons shown to people, in one place so they can be translated with the rest of the module.
const reasons = {
  emptyFile: 'the file is empty; expected "date YYYY-MM-DD" to start a brief',
  expectedDate: 'expected "date YYYY-MM-DD" to start a brief',
  badDateFormat: (got: string) => `expected a date as YYYY-MM-DD after "date", got "${got}"`,
  noSuchDate: (date: string) => `${date} is not a date in the calendar`,
  badTime: (time: string) => `${time} is not a time of day (HH:MM, 24-hour)`,
  skippedTime: (date: string, time: string, zone: string) => `${date} ${time} does not exist in ${zone} (the clocks skip it)`,
  missingHeadline: 'the brief has no headline; put it after the date or on the next line',
  outsideSection: 'is not inside a section; start one with Source:, Quote:, Details:, Previously: or Background:',
  emptySource: 'Source: needs a name',
  emptyQuote: 'Quote: needs the quoted text',
  commentCount: (expected: number, found: number) =>
    `says ${expected} comment${expected === 1 ? '' : 's'} but ${found} line${found === 1 ? '' : 's'} follow${found === 1 ? 's' : ''} before the next brief or the end`,
};

/** The 400 error for text that is not wire text; `fields` name lines (`line 3`). */
export function wireTextError(fields: FieldError[]): AppError {
  return new AppError({ status: 400, code: 'invalid_wire_text', message: 'The wire text is not valid.', fields });
}

const DATE_LINE = /^date\s+\d{4}-\d{1,2}-\d{1,2}(?=\s|$)/i;
const SECTION_LINE = /^(source|quote|details|previously|background)\s*:\s*(.*)$/i;
// English, Ukrainian (коментар/коментарі/коментарів) and Russian (комментарий/комментария/комментариев);
// agreement of number and noun is not checked, archives get it wrong often enough.
const COMMENTS_LINE = /^(\d+)\s+(?:comments?|коментар(?:і|ів)?|комментари(?:й|я|ев))$/iu;
const BULLET = /^[-–—*]\s+(.*)$/;
const TIME = /^(\d{1,2}):(\d{2})(?:\s+(.*))?$/;

type SectionName = 'source' | 'quote' | 'details' | 'previously' | 'background';

interface Building {
  brief: ParsedWireBrief;
  section: SectionName | null;
  isAwaitingHeadline: boolean;
  /** The `N comments` line, once seen. */
  commentHeader: { line: number; count: number } | null;
  /** Non-empty lines after the expected comments: any at all means the count was wrong. */
  extraLines: number;
}

// ---- time zone arithmetic -------------------------------------------------------------

const formatters = new Map<string, Intl.DateTimeFormat>();

function wallClock(instant: number, timeZone: string) {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  const parts: Record<string, number> = {};
  for (const p of formatter.formatToParts(new Date(instant))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return { year: parts.year!, month: parts.month!, day: parts.day!, hour: parts.hour!, minute: parts.minute!, second: parts.second! };
}

/** Milliseconds the zone is ahead of UTC at `instant`. */
function offsetAt(instant: number, timeZone: string): number {
  const w = wallClock(instant, timeZone);
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second) - Math.floor(instant / 1000) * 1000;
}

/**
 * The instant a wall-clock time in `timeZone` names, or null inside a spring-forward gap. In the
 * autumn hour that happens twice, the earlier instant wins. Offsets taken half a day either side
 * cover both sides of any transition.
 */
function instantOf(wall: number, timeZone: string): number | null {
  const offsets = new Set([offsetAt(wall - 12 * 3600_000, timeZone), offsetAt(wall + 12 * 3600_000, timeZone)]);
  const matches = [...offsets].map((o) => wall - o).filter((t) => offsetAt(t, timeZone) === wall - t);
  return matches.length ? Math.min(...matches) : null;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

// ---- parsing ------------------------------------------------------------------------------

function newBrief(line: number): Building {
  return {
    brief: {
      line, headline: '', publishedAt: '', datelinePrecision: 'day', sources: [], quotes: [], details: [], previously: [], background: [], comments: [], lineOf: {},
    },
    section: null,
    isAwaitingHeadline: false,
    commentHeader: null,
    extraLines: 0,
  };
}

/** Reads the date line; answers the headline text that followed the date (maybe empty). */
function readDateLine(b: Building, line: string, n: number, timeZone: string, errors: FieldError[]): string {
  const [, dateToken = '', rest = ''] = /^date\s+(\S+)\s*(.*)$/i.exec(line) ?? [];
  const path = `line ${n}`;
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dateToken);
  if (!date) {
    errors.push({ path, reason: reasons.badDateFormat(dateToken) });
    return rest;
  }
  const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) {
    errors.push({ path, reason: reasons.noSuchDate(dateToken) });
    return rest;
  }
  const time = TIME.exec(rest);
  let [hour, minute, headline] = [0, 0, rest];
  if (time) {
    [hour, minute, headline] = [Number(time[1]), Number(time[2]), time[3] ?? ''];
    if (hour > 23 || minute > 59) {
      errors.push({ path, reason: reasons.badTime(`${time[1]}:${time[2]}`) });
      return headline;
    }
    b.brief.datelinePrecision = 'minute';
  }
  const instant = instantOf(Date.UTC(year, month - 1, day, hour, minute), timeZone);
  if (instant === null) {
    // Midnight is skipped in a few zones; then the day starts at the first minute that exists.
    if (!time) b.brief.publishedAt = new Date(instantOf(Date.UTC(year, month - 1, day, 1), timeZone) ?? probe.getTime()).toISOString();
    else errors.push({ path, reason: reasons.skippedTime(dateToken, `${pad(hour)}:${pad(minute)}`, timeZone) });
  } else {
    b.brief.publishedAt = new Date(instant).toISOString();
  }
  return headline;
}

function addToSection(b: Building, text: string, n: number, isNewSection: boolean): void {
  const brief = b.brief;
  const note = (key: string) => {
    brief.lineOf[key] ??= n;
  };
  switch (b.section) {
    case 'source':
    case 'quote': {
      const list = b.section === 'source' ? brief.sources : brief.quotes;
      const prefix = b.section === 'source' ? 'sources' : 'quotes';
      if (isNewSection) {
        if (b.section === 'source') brief.sources.push({ name: text, url: null, kind: 'media' });
        else brief.quotes.push({ text, speaker: null, sourceIndex: null });
        note(`${prefix}.${list.length - 1}`);
        return;
      }
      // A keyword alone on its line leaves the text empty until the next line supplies it.
      if (b.section === 'source') {
        const last = brief.sources.at(-1)!;
        last.name = last.name ? `${last.name}\n${text}` : text;
      } else {
        const last = brief.quotes.at(-1)!;
        last.text = last.text ? `${last.text}\n${text}` : text;
      }
      return;
    }
    case 'details':
    case 'previously': {
      if (!text) return;
      const list = brief[b.section];
      list.push(text);
      note(`${b.section}.${list.length - 1}`);
      return;
    }
    case 'background': {
      if (!text) return;
      const bullet = BULLET.exec(text);
      const last = brief.background.at(-1);
      if (bullet || !last || isNewSection) {
        brief.background.push({ text: bullet ? bullet[1]! : text, status: 'unverified', attribution: null, itemId: null });
        note(`background.${brief.background.length - 1}`);
      } else {
        last.text = `${last.text}\n${text}`;
      }
      return;
    }
    case null:
      return;
  }
}

function finish(b: Building, errors: FieldError[]): ParsedWireBrief {
  const brief = b.brief;
  if (!brief.headline) errors.push({ path: `line ${brief.line}`, reason: reasons.missingHeadline });
  brief.sources.forEach((s, i) => s.name || errors.push({ path: `line ${brief.lineOf[`sources.${i}`]}`, reason: reasons.emptySource }));
  brief.quotes.forEach((q, i) => q.text || errors.push({ path: `line ${brief.lineOf[`quotes.${i}`]}`, reason: reasons.emptyQuote }));
  const header = b.commentHeader;
  if (header && (brief.comments.length < header.count || b.extraLines > 0)) {
    errors.push({ path: `line ${header.line}`, reason: reasons.commentCount(header.count, brief.comments.length + b.extraLines) });
  }
  return brief;
}

/**
 * Parses wire text holding one or more briefs. Checks the whole text before answering and
 * throws one AppError (400, 'invalid_wire_text') listing every problem by `line N`.
 * Times on date lines are wall-clock times in `timeZone`.
 */
export function parseWireText(text: string, timeZone: string = SITE_TIME_ZONE): ParsedWireBrief[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/).map((l) => l.trim());
  const errors: FieldError[] = [];
  const briefs: ParsedWireBrief[] = [];
  let current: Building | null = null;
  let hasComplainedBeforeFirst = false;

  for (const [index, line] of lines.entries()) {
    const n = index + 1;
    if (!line) continue;
    if (DATE_LINE.test(line)) {
      if (current) briefs.push(finish(current, errors));
      current = newBrief(n);
      const headline = readDateLine(current, line, n, timeZone, errors);
      if (headline) {
        current.brief.headline = headline;
        current.brief.lineOf.headline = n;
      } else {
        current.isAwaitingHeadline = true;
      }
      continue;
    }
    const b = current;
    if (!b) {
      if (!hasComplainedBeforeFirst) errors.push({ path: `line ${n}`, reason: reasons.expectedDate });
      hasComplainedBeforeFirst = true;
      continue;
    }
    if (b.commentHeader) {
      if (b.brief.comments.length < b.commentHeader.count) {
        b.brief.comments.push({ authorName: '', body: line });
        b.brief.lineOf[`comments.${b.brief.comments.length - 1}`] = n;
      } else {
        b.extraLines++;
      }
      continue;
    }
    const section = SECTION_LINE.exec(line);
    const comments = COMMENTS_LINE.exec(line);
    if (b.isAwaitingHeadline) {
      b.isAwaitingHeadline = false;
      // A section or the comments right after the date line mean the headline is missing;
      // finish() reports that, and the line is read for what it is.
      if (!section && !comments) {
        b.brief.headline = line;
        b.brief.lineOf.headline = n;
        continue;
      }
    }
    if (comments) {
      b.commentHeader = { line: n, count: Number(comments[1]) };
      b.section = null;
      continue;
    }
    if (section) {
      b.section = section[1]!.toLowerCase() as SectionName;
      addToSection(b, section[2]!, n, true);
      continue;
    }
    if (!b.section) {
      errors.push({ path: `line ${n}`, reason: reasons.outsideSection });
      continue;
    }
    addToSection(b, line, n, false);
  }

  if (current) briefs.push(finish(current, errors));
  if (briefs.length === 0 && errors.length === 0) errors.push({ path: 'line 1', reason: reasons.emptyFile });
  if (errors.length > 0) {
    const lineNumber = (f: FieldError) => Number(f.path.replace(/^line /, ''));
    throw wireTextError(errors.sort((a, b) => lineNumber(a) - lineNumber(b)));
  }
  return briefs;
}

// ---- formatting --------------------------------------------------------------------------

/** The non-empty, trimmed lines of a text: blank lines carry nothing in wire text. */
const linesOf = (text: string) => text.split(/\r\n|\r|\n/).map((l) => l.trim()).filter(Boolean);

function section(keyword: string, text: string): string[] {
  const [first, ...rest] = linesOf(text);
  return first === undefined ? [] : [`${keyword} ${first}`, ...rest];
}

/**
 * Writes a brief (and its comments) as canonical wire text, ending with one newline. Parsing
 * the result gives back every section. A brief without a dateline yet is dated by its creation.
 */
export function formatWireText(brief: Brief, comments: WireComment[], opts: { timeZone?: string } = {}): string {
  const timeZone = opts.timeZone ?? SITE_TIME_ZONE;
  const w = wallClock(new Date(brief.publishedAt ?? brief.createdAt).getTime(), timeZone);
  const time = brief.datelinePrecision === 'minute' ? ` ${pad(w.hour)}:${pad(w.minute)}` : '';
  const dateLine = `date ${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}${time}`;
  const headline = linesOf(brief.headline).join(' ');
  // A headline that reads like a time ("10:00 curfew lifted") would turn a day dateline into a
  // minute one if it shared the date line; on its own line it cannot.
  const out = time || !TIME.test(headline) ? [`${dateLine} ${headline}`] : [dateLine, headline];

  for (const source of brief.sources) out.push(...section('Source:', source.name));
  for (const quote of brief.quotes) out.push(...section('Quote:', quote.text));
  for (const [keyword, paragraphs] of [['Details:', brief.details], ['Previously:', brief.previously]] as const) {
    const lines = paragraphs.flatMap(linesOf);
    if (lines.length) out.push(`${keyword} ${lines[0]}`, ...lines.slice(1));
  }
  const items = brief.background.map((b) => linesOf(b.text)).filter((l) => l.length > 0);
  if (items.length) out.push('Background:', ...items.flatMap(([first, ...rest]) => [`- ${first}`, ...rest]));

  // A comment is one line in wire text, so line breaks inside it become spaces.
  const bodies = comments.map((c) => linesOf(c.body).join(' ')).filter(Boolean);
  if (bodies.length) out.push(`${bodies.length} comment${bodies.length === 1 ? '' : 's'}`, ...bodies);
  return `${out.join('\n')}\n`;
}
