import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { AppError } from '../common/errors.js';
import type { BackgroundEntry, Brief, Quote, Source } from './types.js';
import { formatWireText, parseWireText, type ParsedWireBrief } from './wiretext.js';

const fixture = (name: string) => fs.readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

/** A stored brief as the parser's output would become one, for feeding formatWireText. */
function briefFrom(parsed: ParsedWireBrief, overrides: Partial<Brief> = {}): Brief {
  return {
    id: 'b1', slug: 'b1', language: 'en', headline: parsed.headline, status: 'published', storyId: null,
    publishedAt: parsed.publishedAt, datelinePrecision: parsed.datelinePrecision, sources: parsed.sources, quotes: parsed.quotes,
    details: parsed.details, previously: parsed.previously, previouslyLinks: [], background: parsed.background, revision: 1,
    createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', correctedAt: null, correctionReason: null,
    retractedAt: null, retractionReason: null, entityIds: [], authorIds: [], ...overrides,
  };
}

const item = (text: string): BackgroundEntry => ({ text, status: 'unverified', attribution: null, itemId: null });
const media = (name: string): Source => ({ name, url: null, kind: 'media' });
const quote = (text: string): Quote => ({ text, speaker: null, sourceIndex: null });
const comment = (body: string) => ({ authorName: '', body });

describe('parseWireText', () => {
  it('reads every section of a full brief', () => {
    const [brief, ...others] = parseWireText(fixture('full-brief.en.txt'));
    expect(others).toEqual([]);
    expect(brief).toMatchObject({
      line: 1,
      headline: 'Officials confirm the breach of the Kakhovka dam’s lower spillway',
      // Kyiv is UTC+2 in March before the clocks change.
      publishedAt: '2026-03-14T07:45:00.000Z',
      datelinePrecision: 'minute',
      // A bare URL stays the source's name; guessing a publisher from it is not the parser's job.
      sources: [media('Regional Emergency Service'), media('https://example.org/statement')],
      quotes: [
        quote('“Water is rising in the lower town,\nand we are moving people to the school on the hill.”'),
        quote('“The bridge will stay closed until engineers inspect it.”'),
      ],
      details: [
        'Rescuers moved **400 people** overnight — most of them from the riverside streets.',
        'The bridge is closed in both directions.',
        'Buses leave the central square every 30 minutes.',
      ],
      previously: ['On 12 March the service reported cracks in the dam.', 'Residents were told to prepare for an evacuation.'],
      background: [
        item('The dam was built in 1961.'),
        item('Its reservoir held 18 km³ of water,\nabout the volume of a large lake.'),
        item('Officials have not said what caused the breach.'),
      ],
      comments: [comment('Stay safe, everyone in the lower town.'), comment('Is the road to the hospital still open?')],
    });
    expect(brief!.lineOf).toMatchObject({ headline: 1, 'sources.1': 3, 'quotes.1': 6, 'details.2': 9, 'background.2': 16, 'comments.1': 19 });
  });

  const cases: { name: string; text: string; expected: Partial<ParsedWireBrief>[]; timeZone?: string }[] = [
    {
      name: 'a date without a time means the day, from midnight in Kyiv',
      text: 'date 2026-03-14 Curfew lifted\n',
      expected: [{ headline: 'Curfew lifted', publishedAt: '2026-03-13T22:00:00.000Z', datelinePrecision: 'day' }],
    },
    {
      name: 'summer time is three hours ahead of UTC',
      text: 'date 2026-07-01 12:00 Curfew lifted',
      expected: [{ publishedAt: '2026-07-01T09:00:00.000Z', datelinePrecision: 'minute' }],
    },
    {
      name: 'the zone is a parameter',
      text: 'date 2026-07-01 12:00 Curfew lifted',
      timeZone: 'UTC',
      expected: [{ publishedAt: '2026-07-01T12:00:00.000Z' }],
    },
    {
      name: 'the headline may be on the next non-empty line, after a date with a time',
      text: 'date 2026-03-14 08:05\n\n   The bridge reopened   \nSource: Police\n',
      expected: [{ line: 1, headline: 'The bridge reopened', publishedAt: '2026-03-14T06:05:00.000Z', datelinePrecision: 'minute', sources: [media('Police')] }],
    },
    {
      name: 'stray spaces, blank lines and Windows line ends are ignored',
      text: '\r\n  date 2026-03-14   Bridge reopened  \r\n\r\n  Source:   Police  \r\n   Details:  First.  \r\n\r\n   Second.\r\n',
      expected: [{ line: 2, headline: 'Bridge reopened', sources: [media('Police')], details: ['First.', 'Second.'] }],
    },
    {
      name: 'keywords in any case, with or without a space before the colon',
      text: 'DATE 2026-03-14 H\nSOURCE: A\nquote : “Q”\nDETAILS: D\nprevIously: P\nbackground:\n- B',
      expected: [{ sources: [media('A')], quotes: [quote('“Q”')], details: ['D'], previously: ['P'], background: [item('B')] }],
    },
    {
      name: 'a keyword alone on its line takes its text from the lines below',
      text: 'date 2026-03-14 H\nSource:\nCity council\nQuote:\n“One,\ntwo.”\nDetails:\nFirst.\nSecond.\nPreviously:\nEarlier.',
      expected: [{ sources: [media('City council')], quotes: [quote('“One,\ntwo.”')], details: ['First.', 'Second.'], previously: ['Earlier.'] }],
    },
    {
      name: 'every bullet style starts a background item; other lines continue the item above',
      text: 'date 2026-03-14 H\nBackground:\n- Hyphen\n– En dash\ncontinued\n— Em dash\n* Star\nand more\nstill more',
      expected: [{ background: [item('Hyphen'), item('En dash\ncontinued'), item('Em dash'), item('Star\nand more\nstill more')] }],
    },
    {
      name: 'a line that is not a keyword continues a source',
      text: 'date 2026-03-14 H\nSource: Ministry of Defence\nof Ukraine',
      expected: [{ sources: [media('Ministry of Defence\nof Ukraine')] }],
    },
    {
      name: 'typographic quotes and dashes are kept as written',
      text: 'date 2026-03-14 «Тиша» — знову\nQuote: „Wir bleiben“ – ‘sagte er’',
      expected: [{ headline: '«Тиша» — знову', quotes: [quote('„Wir bleiben“ – ‘sagte er’')] }],
    },
    {
      name: 'one comment, in English',
      text: 'date 2026-03-14 H\n1 comment\nOnly one.',
      expected: [{ comments: [comment('Only one.')] }],
    },
    {
      name: 'zero comments',
      text: 'date 2026-03-14 H\n0 comments\n',
      expected: [{ comments: [] }],
    },
    {
      name: 'Ukrainian comment headers',
      text: 'date 2026-03-14 A\n2 коментарі\nперший\nдругий\ndate 2026-03-15 B\n5 коментарів\n1\n2\n3\n4\n5\ndate 2026-03-16 C\n1 коментар\nодин',
      expected: [{ comments: [comment('перший'), comment('другий')] }, { comments: ['1', '2', '3', '4', '5'].map(comment) }, { comments: [comment('один')] }],
    },
    {
      name: 'Russian comment headers',
      text: 'date 2026-03-14 A\n2 комментария\nпервый\nвторой\ndate 2026-03-15 B\n1 комментарий\nодин\ndate 2026-03-16 C\n5 Комментариев\n1\n2\n3\n4\n5',
      expected: [{ comments: [comment('первый'), comment('второй')] }, { comments: [comment('один')] }, { comments: ['1', '2', '3', '4', '5'].map(comment) }],
    },
    {
      name: 'several briefs in one file, with and without comments and blank lines between',
      text: 'date 2026-03-14 First\nSource: A\n\n\ndate 2026-03-15\nSecond\n1 comment\nNice.\n\ndate 2026-03-16 10:00 Third\nDetails: D',
      expected: [
        { line: 1, headline: 'First', sources: [media('A')], comments: [] },
        { line: 5, headline: 'Second', comments: [comment('Nice.')] },
        { line: 10, headline: 'Third', details: ['D'], datelinePrecision: 'minute' },
      ],
    },
  ];

  it.each(cases)('$name', ({ text, expected, timeZone }) => {
    const briefs = parseWireText(text, timeZone);
    expect(briefs).toHaveLength(expected.length);
    expected.forEach((e, i) => expect(briefs[i]).toMatchObject(e));
  });

  const malformed: { name: string; text: string; fields: { path: string; reason: string }[] }[] = [
    { name: 'an empty file', text: '', fields: [{ path: 'line 1', reason: 'the file is empty; expected "date YYYY-MM-DD" to start a brief' }] },
    { name: 'a file of blank lines', text: '  \n\n\t\n', fields: [{ path: 'line 1', reason: 'the file is empty; expected "date YYYY-MM-DD" to start a brief' }] },
    {
      name: 'text before the first date line',
      text: '\nFrom our archive\nmore\ndate 2026-03-14 H',
      fields: [{ path: 'line 2', reason: 'expected "date YYYY-MM-DD" to start a brief' }],
    },
    { name: 'no date line at all', text: 'Headline\nSource: A', fields: [{ path: 'line 1', reason: 'expected "date YYYY-MM-DD" to start a brief' }] },
    { name: 'a day that is not in the calendar', text: 'date 2026-02-30 H', fields: [{ path: 'line 1', reason: '2026-02-30 is not a date in the calendar' }] },
    { name: 'month 13', text: 'date 2026-13-01 H', fields: [{ path: 'line 1', reason: '2026-13-01 is not a date in the calendar' }] },
    { name: 'a date without leading zeros', text: 'date 2026-3-14 H', fields: [{ path: 'line 1', reason: 'expected a date as YYYY-MM-DD after "date", got "2026-3-14"' }] },
    { name: 'an hour past 23', text: 'date 2026-03-14 24:00 H', fields: [{ path: 'line 1', reason: '24:00 is not a time of day (HH:MM, 24-hour)' }] },
    {
      name: 'a time the clocks skip',
      text: 'date 2026-03-29 03:30 H',
      fields: [{ path: 'line 1', reason: '2026-03-29 03:30 does not exist in Europe/Kyiv (the clocks skip it)' }],
    },
    { name: 'no headline at the end of the file', text: 'date 2026-03-14\n\n', fields: [{ path: 'line 1', reason: 'the brief has no headline; put it after the date or on the next line' }] },
    {
      name: 'a section where the headline should be',
      text: 'date 2026-03-14 10:00\nSource: A',
      fields: [{ path: 'line 1', reason: 'the brief has no headline; put it after the date or on the next line' }],
    },
    {
      name: 'the next brief where the headline should be',
      text: 'date 2026-03-14\ndate 2026-03-15 H',
      fields: [{ path: 'line 1', reason: 'the brief has no headline; put it after the date or on the next line' }],
    },
    {
      name: 'fewer comments than announced before the end of the file',
      text: 'date 2026-03-14 H\n3 comments\none\ntwo\n',
      fields: [{ path: 'line 2', reason: 'says 3 comments but 2 lines follow before the next brief or the end' }],
    },
    {
      name: 'fewer comments than announced before the next brief',
      text: 'date 2026-03-14 H\n2 comments\none\n\ndate 2026-03-15 Next',
      fields: [{ path: 'line 2', reason: 'says 2 comments but 1 line follows before the next brief or the end' }],
    },
    {
      name: 'more lines than announced comments',
      text: 'date 2026-03-14 H\n1 comment\none\ntwo\nSource: late',
      fields: [{ path: 'line 2', reason: 'says 1 comment but 3 lines follow before the next brief or the end' }],
    },
    {
      name: 'a line outside any section',
      text: 'date 2026-03-14 H\nA second headline line',
      fields: [{ path: 'line 2', reason: 'is not inside a section; start one with Source:, Quote:, Details:, Previously: or Background:' }],
    },
    { name: 'a source without a name', text: 'date 2026-03-14 H\nSource:\nQuote: “Q”', fields: [{ path: 'line 2', reason: 'Source: needs a name' }] },
    { name: 'a quote without text', text: 'date 2026-03-14 H\nQuote:   ', fields: [{ path: 'line 2', reason: 'Quote: needs the quoted text' }] },
    {
      name: 'every problem in the file, in line order',
      text: 'date 2026-02-30 A\nstray\ndate 2026-03-14\n',
      fields: [
        { path: 'line 1', reason: '2026-02-30 is not a date in the calendar' },
        { path: 'line 2', reason: 'is not inside a section; start one with Source:, Quote:, Details:, Previously: or Background:' },
        { path: 'line 3', reason: 'the brief has no headline; put it after the date or on the next line' },
      ],
    },
  ];

  it.each(malformed)('refuses $name', ({ text, fields }) => {
    let error: unknown;
    try {
      parseWireText(text);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status: 400, code: 'invalid_wire_text', fields });
  });
});

describe('formatWireText', () => {
  it.each(['full-brief.en.txt', 'full-brief.uk.txt'])('gives back %s byte for byte after parsing', (name) => {
    const text = fixture(name);
    const [parsed] = parseWireText(text);
    expect(formatWireText(briefFrom(parsed!), parsed!.comments)).toBe(text);
  });

  it('round-trips a file of several briefs, each section and each precision', () => {
    const text = [
      'date 2026-03-14 Only a headline',
      'date 2026-10-25 03:30 The hour that happens twice',
      'Previously: Once.',
      'date 2026-12-31 23:59 Year end',
      'Background:',
      '- Item',
      'with a second line',
      '1 comment',
      'One.',
      '',
    ].join('\n');
    const out = parseWireText(text).map((b) => formatWireText(briefFrom(b), b.comments)).join('');
    expect(out).toBe(text);
  });

  it('writes the canonical layout from a non-canonical file', () => {
    const [parsed] = parseWireText('  date 2026-03-14\n  Headline  \nbackground:\n* One\nDETAILS:\nD1\n\nD2\nsource : S\n2 коментарі\n a\n b\n');
    expect(formatWireText(briefFrom(parsed!), parsed!.comments)).toBe(
      'date 2026-03-14 Headline\nSource: S\nDetails: D1\nD2\nBackground:\n- One\n2 comments\na\nb\n',
    );
  });

  it('writes the time for minute precision in the given zone', () => {
    const brief = briefFrom(parseWireText('date 2026-03-14 H')[0]!, { publishedAt: '2026-06-30T21:30:00.000Z', datelinePrecision: 'minute' });
    expect(formatWireText(brief, [])).toBe('date 2026-07-01 00:30 H\n');
    expect(formatWireText(brief, [], { timeZone: 'UTC' })).toBe('date 2026-06-30 21:30 H\n');
  });

  it('dates a brief without a dateline yet by its creation', () => {
    const brief = briefFrom(parseWireText('date 2026-03-14 H')[0]!, { publishedAt: null, createdAt: '2026-05-01T10:00:00.000Z', datelinePrecision: 'minute' });
    expect(formatWireText(brief, [])).toBe('date 2026-05-01 13:00 H\n');
  });

  it('says "1 comment" for one and leaves the line out for none', () => {
    const brief = briefFrom(parseWireText('date 2026-03-14 H')[0]!);
    expect(formatWireText(brief, [comment('Only.')])).toBe('date 2026-03-14 H\n1 comment\nOnly.\n');
    expect(formatWireText(brief, [])).toBe('date 2026-03-14 H\n');
  });

  it('keeps a headline that reads like a time off the date line of a day-precision brief', () => {
    const brief = briefFrom(parseWireText('date 2026-03-14 H')[0]!, { headline: '10:00 curfew lifted' });
    const text = formatWireText(brief, []);
    expect(text).toBe('date 2026-03-14\n10:00 curfew lifted\n');
    expect(parseWireText(text)[0]).toMatchObject({ headline: '10:00 curfew lifted', datelinePrecision: 'day' });
  });

  it('writes text typed in the desk so that it parses back the same', () => {
    const brief = briefFrom(parseWireText('date 2026-03-14 H')[0]!, {
      headline: 'Two\nlines',
      quotes: [quote('“First.\n\n  Second.”')],
      background: [item('One\n\nTwo')],
    });
    const comments = [{ authorName: 'Reader', body: 'A comment\nover two lines' }];
    const text = formatWireText(brief, comments);
    expect(text).toBe('date 2026-03-14 Two lines\nQuote: “First.\nSecond.”\nBackground:\n- One\nTwo\n1 comment\nA comment over two lines\n');
    const [again] = parseWireText(text);
    expect(formatWireText(briefFrom(again!), again!.comments)).toBe(text);
  });
});
