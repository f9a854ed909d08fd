import { stemmer as stemEnglish } from '@orama/stemmers/english';
import { stemmer as stemRussian } from '@orama/stemmers/russian';
import { stemmer as stemUkrainian } from '@orama/stemmers/ukrainian';

// The one analyser for indexing, querying and highlighting, in plain TypeScript so every engine
// (SQLite FTS5 now, PostgreSQL later) sees the same terms and a highlighted word is always one the
// index matched.
//
// Why stems computed here rather than FTS5 prefix queries over the original words: a prefix on a
// stem misses words the stemmer rewrites ("mutinies" → "mutini*" never reaches "mutiny"), and
// matches words that merely start alike ("кремл*" → "кремлівський"). FTS5 cannot load a stemming
// tokenizer through better-sqlite3, so the index holds stems written by this module and FTS5's
// unicode61 tokenizer only splits them on spaces. The Snowball stemmers come from @orama/stemmers,
// which has Ukrainian besides English and Russian.
//
// A brief's language does not tell the language of every word in it (a Ukrainian brief quotes
// Russian officials), so a Cyrillic word is indexed under both its Ukrainian and its Russian stem
// and a query word is looked up under both; a Latin word is stemmed as English.

/** Analyser version: stored with the index; a change means existing documents need rebuilding. */
export const ANALYSER_VERSION = 'snowball-uk-ru-en-1';

export interface Token {
  /** The word as written, for display. */
  word: string;
  /** UTF-16 offsets into the analysed text. */
  start: number;
  end: number;
  /** Every stem the word is indexed or looked up under (one or two). */
  stems: string[];
}

// Letters, digits and combining marks, joined by in-word apostrophes (м'ясо, Prigozhin's, don't).
const WORD = /[\p{L}\p{N}\p{M}]+(?:['’ʼ‘`´][\p{L}\p{N}\p{M}]+)*/gu;
const APOSTROPHES = /['’ʼ‘`´]/g;
const LATIN = /[a-z]/;
const CYRILLIC = /\p{Script=Cyrillic}/u;

function stemsOf(raw: string): string[] {
  // Stress marks (Пу́тин) are reading aids, not spelling; й and ё stay single letters after NFC.
  let word = raw.normalize('NFC').replace(/[\u0300\u0301]/g, '').toLowerCase().replace(/ё/g, 'е');
  if (LATIN.test(word)) {
    // English possessive: "Prigozhin's" is about Prigozhin. Latin diacritics fold away (café = cafe).
    word = word.replace(/['’ʼ‘`´]s$/, '').normalize('NFD').replace(/\p{M}/gu, '');
  }
  word = word.replace(APOSTROPHES, '');
  if (!word) return [];
  if (CYRILLIC.test(word)) {
    const stems = new Set([stemUkrainian(word) || word, stemRussian(word) || word]);
    return [...stems];
  }
  if (LATIN.test(word)) return [stemEnglish(word) || word];
  return [word];
}

/** The words of `text` with their positions and stems. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  for (const match of text.matchAll(WORD)) {
    const stems = stemsOf(match[0]);
    if (stems.length) tokens.push({ word: match[0], start: match.index, end: match.index + match[0].length, stems });
  }
  return tokens;
}

/** `text` as the index stores it: its stems, space-separated. */
export function analyse(text: string): string {
  return tokenize(text).flatMap((t) => t.stems).join(' ');
}

// Words so common that requiring them would only lose results; dropped from queries (not from
// the index), unless the query has nothing else.
const STOPWORDS = new Set([
  'a', 'an', 'and', 'the', 'of', 'in', 'on', 'at', 'to', 'for', 'by', 'with', 'from', 'or', 'is', 'are', 'was', 'were', 'be',
  'і', 'й', 'та', 'в', 'у', 'на', 'з', 'із', 'зі', 'до', 'від', 'по', 'за', 'про', 'що', 'як', 'не', 'це',
  'и', 'в', 'во', 'на', 'с', 'со', 'к', 'ко', 'от', 'по', 'за', 'о', 'об', 'про', 'что', 'как', 'не', 'это', 'из',
]);

/** Whether a query word is too common to require. */
export function isStopword(word: string): boolean {
  return STOPWORDS.has(word.normalize('NFC').toLowerCase());
}
