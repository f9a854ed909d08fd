import type { Executor } from '../storage/database.js';
import type { Language } from './types.js';

// The desk's proposal for a brief's Previously section: the story's latest published briefs,
// one line each with its time and headline, and links to them. Only a proposal: the editor
// sees it in the form, edits it, and it is saved with the brief like anything typed.

export interface ProposedLink {
  id: string;
  headline: string;
  language: Language;
  publishedAt: string;
  /** For the reader's page of the brief, which the surface showing the proposal builds. */
  slug: string;
}

export interface PreviouslyProposal {
  /** One paragraph per brief, newest first: "24 June at 07:30 — Headline". */
  paragraphs: string[];
  /** Ids for the brief's previouslyLinks, in the same order. */
  previouslyLinks: string[];
  briefs: ProposedLink[];
}

const DEFAULT_LIMIT = 3;
// Enough candidates to fill the proposal after dropping translations of briefs already in it.
const CANDIDATES = 30;

/**
 * Proposes a Previously paragraph for a brief in `storyId` written in `language`: up to
 * `limit` of the story's published (or corrected) briefs, newest first, the brief's own
 * language first and others filling any gap. A brief whose translation is already proposed
 * is skipped, and so are `excludeBriefId` and its translations (a brief is not its own past).
 */
export async function proposePreviously(db: Executor, opts: {
  storyId: string; language: Language; excludeBriefId?: string | null; timeZone?: string; limit?: number;
}): Promise<PreviouslyProposal> {
  const limit = opts.limit ?? DEFAULT_LIMIT;
  const excluded = opts.excludeBriefId
    ? await db.selectFrom('briefs').select(['id', 'translation_group']).where('id', '=', opts.excludeBriefId).executeTakeFirst()
    : undefined;
  let query = db.selectFrom('briefs')
    .select(['id', 'headline', 'language', 'published_at', 'slug', 'translation_group'])
    .where('story_id', '=', opts.storyId)
    .where('status', 'in', ['published', 'corrected'])
    .where('published_at', 'is not', null);
  if (opts.excludeBriefId) query = query.where('id', '!=', opts.excludeBriefId);
  const rows = await query.orderBy('published_at', 'desc').orderBy('id', 'desc').limit(CANDIDATES).execute();

  const sameLanguageFirst = [...rows.filter((r) => r.language === opts.language), ...rows.filter((r) => r.language !== opts.language)];
  const groups = new Set<string>(excluded?.translation_group ? [excluded.translation_group] : []);
  const chosen: typeof rows = [];
  for (const row of sameLanguageFirst) {
    if (chosen.length === limit) break;
    if (row.translation_group && groups.has(row.translation_group)) continue;
    if (row.translation_group) groups.add(row.translation_group);
    chosen.push(row);
  }
  // Filling from other languages may put an older brief before a newer one; the section reads newest first.
  chosen.sort((a, b) => (a.published_at! < b.published_at! ? 1 : a.published_at! > b.published_at! ? -1 : b.id.localeCompare(a.id)));

  const when = new Intl.DateTimeFormat(opts.language, { day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: opts.timeZone ?? 'UTC' });
  const briefs = chosen.map((r): ProposedLink => ({
    id: r.id, headline: r.headline, language: r.language as Language, publishedAt: r.published_at!, slug: r.slug,
  }));
  return {
    paragraphs: briefs.map((b) => `${when.format(new Date(b.publishedAt))} — ${b.headline}`),
    previouslyLinks: briefs.map((b) => b.id),
    briefs,
  };
}
