import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import { assertCan, type Actor } from '../accounts/policy.js';
import type { FieldError } from '../common/errors.js';
import { fieldErrorsFrom, type SchemaIssue } from '../common/validation.js';
import { CommentInputSchema, addComment } from '../comments/service.js';
import { atomically } from '../storage/events.js';
import { createBrief, publishBrief, type ContentDeps } from './briefs.js';
import { BriefInputSchema, type BriefInput } from './schema.js';
import type { Brief, Language } from './types.js';
import { SITE_TIME_ZONE, parseWireText, wireTextError, type ParsedWireBrief, type WireComment } from './wiretext.js';

export interface WireImportOptions {
  /** Publish each brief as an archive import (the source requirement does not apply). */
  publish?: boolean;
  /** Zone of the wall-clock times on date lines; the site's zone by default. */
  timeZone?: string;
  /** Overrides language detection for every brief in the text. */
  language?: Language;
}

export interface PreparedBrief {
  input: BriefInput;
  comments: WireComment[];
}

/**
 * Guesses a brief's language from its letters: і ї є ґ occur in Ukrainian and not in Russian,
 * ы э ъ ё the other way round; anything else is taken for English.
 */
export function detectLanguage(text: string): Language {
  if (/[іїєґ]/iu.test(text)) return 'uk';
  if (/[ыэъё]/iu.test(text)) return 'ru';
  return 'en';
}

function allText(brief: ParsedWireBrief): string {
  return [
    brief.headline, ...brief.sources.map((s) => s.name), ...brief.quotes.map((q) => q.text), ...brief.details, ...brief.previously,
    ...brief.background.map((b) => b.text), ...brief.comments.map((c) => c.body),
  ].join('\n');
}

// How a schema path reads to someone looking at the text file.
const LABELS: Record<string, [whole: string, one: string]> = {
  headline: ['the headline', 'the headline'],
  sources: ['the Source lines', 'this Source'],
  quotes: ['the Quote sections', 'this Quote'],
  details: ['the Details paragraphs', 'this Details paragraph'],
  previously: ['the Previously paragraphs', 'this Previously paragraph'],
  background: ['the Background items', 'this Background item'],
  comments: ['the comments', 'this comment'],
};

/** Points a schema error (e.g. `sources.2.name`) at the line where that element starts. */
function onLine(brief: ParsedWireBrief, error: FieldError): FieldError {
  const [field = '', index] = error.path.split('.');
  const key = index !== undefined && /^\d+$/.test(index) ? `${field}.${index}` : field;
  const line = brief.lineOf[key] ?? brief.lineOf[field] ?? brief.line;
  const label = LABELS[field]?.[key === field ? 0 : 1] ?? field;
  return { path: `line ${line}`, reason: `${label} ${error.reason}` };
}

const schemaErrors = (schema: TSchema, value: unknown) =>
  fieldErrorsFrom([...Value.Errors(schema, value)] as SchemaIssue[]);

/**
 * Parses wire text and checks every brief and comment against the same schemas the services
 * use, so a file that would fail half-way through an import is refused before anything is
 * saved, with errors that name lines rather than JSON paths.
 */
export function prepareWireImport(text: string, opts: WireImportOptions = {}): PreparedBrief[] {
  const parsed = parseWireText(text, opts.timeZone ?? SITE_TIME_ZONE);
  const errors: FieldError[] = [];
  const prepared = parsed.map((brief): PreparedBrief => {
    const input: BriefInput = {
      language: opts.language ?? detectLanguage(allText(brief)),
      headline: brief.headline,
      publishedAt: brief.publishedAt,
      datelinePrecision: brief.datelinePrecision,
      sources: brief.sources,
      quotes: brief.quotes,
      details: brief.details,
      previously: brief.previously,
      background: brief.background,
    };
    errors.push(...schemaErrors(BriefInputSchema, input).map((e) => onLine(brief, e)));
    brief.comments.forEach((comment, i) => {
      errors.push(...schemaErrors(CommentInputSchema, comment).map((e) => onLine(brief, { path: `comments.${i}`, reason: e.reason })));
    });
    return { input, comments: brief.comments };
  });
  if (errors.length > 0) throw wireTextError(errors);
  return prepared;
}

/**
 * Imports every brief in a wire text, with its comments, as drafts or (with `publish`) as
 * published archive briefs. All or nothing: the whole text is checked first and saved in one
 * transaction; called inside `atomically()`, it joins the caller's transaction instead. Wire text
 * has no entity lines: the entities its text names are tagged by `createBrief`, as on any save,
 * as suggestions for the editor to confirm.
 */
export async function importWireText(deps: ContentDeps, actor: Actor, text: string, opts: WireImportOptions = {}): Promise<Brief[]> {
  assertCan(actor, 'brief.write');
  if (opts.publish) assertCan(actor, 'brief.publish');
  const prepared = prepareWireImport(text, opts);
  const save = async (inner: ContentDeps): Promise<Brief[]> => {
    const saved: Brief[] = [];
    for (const { input, comments } of prepared) {
      let brief = await createBrief(inner, actor, input);
      // One at a time: comment order is read back from creation time and id.
      for (const comment of comments) await addComment(inner, { briefId: brief.id, authorName: comment.authorName, body: comment.body });
      if (opts.publish) brief = await publishBrief(inner, actor, brief.id, { isArchiveImport: true });
      saved.push(brief);
    }
    return saved;
  };
  return deps.db.isTransaction ? save(deps) : atomically(deps, save);
}
