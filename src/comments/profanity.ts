// The base English list comes from leo-profanity: MIT, no runtime dependencies, still released,
// and its list is plain data (a JSON array of words) that our own matcher can compile. The other
// candidates were weaker fits: obscenity keeps its words as patterns in its own DSL, so they are
// not data we can read; naughty-words is CC-BY (attribution in every distribution) and barely
// maintained; bad-words takes its list from an old dependency full of spelling variants.
// Only the library's data is used; its own matcher (substring-based, English-only) is not.
import leoProfanity from 'leo-profanity';
import { DEFAULT_ALLOWED, DEFAULT_EN, DEFAULT_RU, DEFAULT_UK, LIBRARY_EXCLUSIONS } from './default-wordlists.js';
import { compileWordList, findMatches, type WordMatch, type WordMatcher } from './wordlists.js';

/** Editable lists kept in the database, one per language, in the word-list marker syntax. */
export interface ExtraWordLists {
  en?: readonly string[];
  uk?: readonly string[];
  ru?: readonly string[];
}

export interface ProfanityResult {
  isProfane: boolean;
  matches: WordMatch[];
}

/** The built-in entries: the library's English words (less news vocabulary) and our own lists. */
export function defaultProfanityEntries(): string[] {
  const excluded = new Set(LIBRARY_EXCLUSIONS);
  const library = leoProfanity.getDictionary('en').filter((word) => !excluded.has(word.toLowerCase()));
  // Our lists come first so that a report names our entry ("fuck*") rather than one library form.
  return [...DEFAULT_EN, ...DEFAULT_UK, ...DEFAULT_RU, ...library, ...DEFAULT_ALLOWED];
}

// Compiling takes milliseconds, matching microseconds: keep the few recent compilations. The
// database lists change rarely, so the key (their contents) is almost always a hit.
const MAX_CACHED = 8;
const cache = new Map<string, WordMatcher>();
let defaults: string[] | undefined;

function matcherFor(extra: ExtraWordLists | undefined): WordMatcher {
  const extraEntries = [...(extra?.en ?? []), ...(extra?.uk ?? []), ...(extra?.ru ?? [])];
  const key = extraEntries.join('\n');
  const cached = cache.get(key);
  if (cached) return cached;
  defaults ??= defaultProfanityEntries();
  // Extra entries go first: an editor's "!word" or "=word" must win over a default rule.
  const matcher = compileWordList([...extraEntries, ...defaults]);
  if (cache.size >= MAX_CACHED) {
    const oldest = cache.keys().next().value;
    if (oldest !== undefined) cache.delete(oldest);
  }
  cache.set(key, matcher);
  return matcher;
}

/**
 * Finds profanity and insults in a comment (uk, ru, en) with the built-in lists plus the
 * editable lists the caller loaded from the database.
 */
export function detectProfanity(text: string, extra?: ExtraWordLists): ProfanityResult {
  const matches = findMatches(matcherFor(extra), text);
  return { isProfane: matches.length > 0, matches };
}
