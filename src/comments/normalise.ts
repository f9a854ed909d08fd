// Turns comment text into comparable word forms that survive the usual disguises: mixed
// Latin/Cyrillic look-alikes, leetspeak, masking characters, stretched letters and spaced-out
// letters. Word boundaries are kept on purpose: matching happens on whole words only, which is
// what keeps "Scunthorpe", "assistant" and "страхуйте" clean.

/** A word of the comment with the forms it may stand for. `forms` may contain WILDCARD. */
export interface CommentToken {
  /** The word as written (after NFKC, without invisible characters), for moderators to read. */
  word: string;
  /** Lowercase canonical forms to look up; the first is the plain reading of the word. */
  forms: string[];
}

/** Stands for exactly one unknown letter ("f*ck", "п#здец"). Never produced from letters. */
export const WILDCARD = '*';

const INVISIBLE = /[\p{Cf}\u180E]/gu;
const WORD_CHAR = /^[\p{L}\p{M}\p{N}\p{Cf}]$/u;
const LATIN_MARKS = /(\p{Script=Latin})\p{M}+/gu;

// Letters that render (almost) alike in both scripts, lowercase. "i" maps to Ukrainian "і".
const LATIN_TO_CYRILLIC: Record<string, string> = {
  a: 'а', c: 'с', e: 'е', o: 'о', p: 'р', x: 'х', y: 'у', k: 'к', m: 'м', t: 'т', h: 'н', b: 'в', i: 'і',
};
const CYRILLIC_TO_LATIN: Record<string, string> = {
  ...Object.fromEntries(Object.entries(LATIN_TO_CYRILLIC).map(([latin, cyrillic]) => [cyrillic, latin])),
  // Cyrillic letters that ru/uk text never uses and that exist mainly to impersonate Latin ones.
  ѕ: 's', ј: 'j', һ: 'h', ԁ: 'd', ԛ: 'q', ԝ: 'w', ӏ: 'l',
};
// "1" is ambiguous in Latin text (sh1t, a55ho1e), so it yields two readings.
const LATIN_LEET: Record<string, string> = { 0: 'o', 3: 'e', 4: 'a', 5: 's', 7: 't', 8: 'b', 9: 'g', '@': 'a', $: 's' };
const CYRILLIC_LEET: Record<string, string> = { 0: 'о', 1: 'і', 3: 'з', 4: 'ч', 6: 'б', '@': 'а', $: 'с' };

// A run of single letters longer than this is not treated as one spelled-out word.
const MAX_SPELLED_LETTERS = 24;

type Script = 'latin' | 'cyrillic';

const isLatinLetter = (ch: string): boolean => (ch >= 'a' && ch <= 'z') || (ch >= '\u00c0' && ch < '\u0250' && ch !== '\u00d7' && ch !== '\u00f7');
const isCyrillicLetter = (ch: string): boolean => ch >= '\u0400' && ch <= '\u04ff';
const isDigitOrSign = (ch: string): boolean => (ch >= '0' && ch <= '9') || ch === '@' || ch === '$';
// Masks may sit between the letters of one word: * # . _ -. Spaces and other punctuation split,
// apostrophes too: removing them would turn "who're" into "whore" (Ukrainian "від'їбись" still
// matches, on its part "їбись").
const isMask = (code: number): boolean => code === 42 || code === 35 || code === 46 || code === 95 || code === 45;
const isSpace = (code: number): boolean =>
  code === 32 || (code >= 9 && code <= 13) || code === 0xa0 || (code >= 0x2000 && code <= 0x200a) || code === 0x202f || code === 0x3000;

// Latin letters with a Cyrillic twin, by char code, for the per-word fast path.
const HAS_TWIN = new Uint8Array(128);
for (const latin of Object.keys(LATIN_TO_CYRILLIC)) HAS_TWIN[latin.charCodeAt(0)] = 1;

/**
 * Code units taken by the word character at `i` (0 if none): letters, marks, digits, invisible
 * format characters (removed later, so "fu\u200bck" stays one word), and "@" and "$" for leetspeak.
 * The common ranges are tested by code, since a Unicode regex per character is slow.
 */
function wordCharLength(text: string, i: number): number {
  if (i >= text.length) return 0;
  const code = text.charCodeAt(i);
  if (code < 0xc0) {
    if ((code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 64 || code === 36 || code === 0xad) return 1;
    if (code < 0x80) return 0;
  } else if ((code < 0x250 && code !== 0xd7 && code !== 0xf7) || (code >= 0x300 && code <= 0x36f) || (code >= 0x400 && code <= 0x52f)) {
    return 1;
  }
  const point = text.codePointAt(i) ?? code;
  const char = String.fromCodePoint(point);
  return WORD_CHAR.test(char) || point === 0x180e ? char.length : 0;
}

/**
 * Canonical spelling shared by text and word lists: lowercase, diacritics dropped from Latin
 * letters only (й, ї and ё carry meaning in Cyrillic), ё→е and ґ→г folded, invisible characters
 * removed. Expects NFKC input.
 */
function foldCase(raw: string): string {
  return foldLowercase(raw.toLowerCase());
}

function foldLowercase(lowercase: string): string {
  let s = lowercase;
  // Plain ASCII and plain Cyrillic are the common cases and need none of the Unicode work below.
  let hasLatinExtended = false;
  let hasYoOrGhe = false;
  let hasOther = false;
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (code < 0x80) continue;
    if (code === 0x451 || code === 0x491) hasYoOrGhe = true;
    else if (code < 0x370) hasLatinExtended = true;
    else if (code < 0x400 || code > 0x4ff) hasOther = true;
  }
  if (hasLatinExtended || hasOther) s = s.replace(INVISIBLE, '');
  if (hasLatinExtended) s = s.normalize('NFD').replace(LATIN_MARKS, '$1').normalize('NFC');
  if (hasYoOrGhe) s = s.replace(/ё/g, 'е').replace(/ґ/g, 'г');
  return s;
}

/**
 * How a folded word must be read: 'plain' needs nothing but itself (letters of one script, no
 * stretched letters); 'twinned' is a Latin word spelled only with look-alikes ("cyka"), which may
 * be Cyrillic in disguise; 'other' needs the full treatment below. Nearly every word of a real
 * comment is plain or twinned, so this is the hot path.
 */
function classifyWord(s: string): 'plain' | 'twinned' | 'other' {
  let latin = 0;
  let cyrillic = 0;
  let hasUntwinned = false;
  let run = 0;
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (code >= 97 && code <= 122) {
      latin++;
      if (HAS_TWIN[code] === 0) hasUntwinned = true;
    } else if ((code >= 0x430 && code <= 0x44f) || code === 0x454 || code === 0x456 || code === 0x457) {
      cyrillic++;
    } else {
      return 'other';
    }
    run = i > 0 && code === s.charCodeAt(i - 1) ? run + 1 : 1;
    if (run >= 3) return 'other';
  }
  if (latin > 0 && cyrillic > 0) return 'other';
  return latin > 0 && !hasUntwinned ? 'twinned' : 'plain';
}

function mapChars(s: string, table: Record<string, string>): string {
  let out = '';
  for (const ch of s) out += table[ch] ?? ch;
  return out;
}

function countScripts(s: string): { latin: number; cyrillic: number; hasLetter: boolean; hasDigitOrSign: boolean } {
  let latin = 0;
  let cyrillic = 0;
  let hasDigitOrSign = false;
  for (const ch of s) {
    if (isLatinLetter(ch)) latin++;
    else if (isCyrillicLetter(ch)) cyrillic++;
    else if (isDigitOrSign(ch)) hasDigitOrSign = true;
  }
  return { latin, cyrillic, hasLetter: latin + cyrillic > 0 || /\p{L}/u.test(s), hasDigitOrSign };
}

/** Whether every letter of a Latin word has a Cyrillic twin ("cyka" can be read as "сука"). */
function isAllLookAlike(s: string): boolean {
  for (const ch of s) if (isLatinLetter(ch) && !(ch in LATIN_TO_CYRILLIC)) return false;
  return true;
}

/** Readings of one word in the scripts it could be meant in, leetspeak decoded for that script. */
function scriptReadings(s: string): string[] {
  const { latin, cyrillic, hasLetter, hasDigitOrSign } = countScripts(s);
  const scripts: Script[] = [];
  if (latin > 0 && cyrillic > 0) {
    // A majority vote fails on short words ("xyй" is two Latin letters and one Cyrillic), and a
    // mixed word is rare enough that reading it both ways costs nothing.
    scripts.push(cyrillic >= latin ? 'cyrillic' : 'latin', cyrillic >= latin ? 'latin' : 'cyrillic');
  } else if (cyrillic > 0) {
    scripts.push('cyrillic');
  } else {
    scripts.push('latin');
    if (latin > 0 && isAllLookAlike(s)) scripts.push('cyrillic');
  }
  const readings: string[] = [];
  for (const script of scripts) {
    let reading = mapChars(s, script === 'cyrillic' ? LATIN_TO_CYRILLIC : CYRILLIC_TO_LATIN);
    // Numbers stay numbers: only a word with letters in it is read as leetspeak.
    if (hasLetter && hasDigitOrSign) {
      reading = mapChars(reading, script === 'cyrillic' ? CYRILLIC_LEET : LATIN_LEET);
      if (script === 'latin' && reading.includes('1')) {
        readings.push(reading.replace(/1/g, 'i'), reading.replace(/1/g, 'l'));
        continue;
      }
    }
    readings.push(reading);
  }
  return readings;
}

/** Spellings of a word whose masks (`*#._-`) are dropped, read as letters, or split on. */
function maskReadings(s: string): string[] {
  if (!/[*#._-]/.test(s)) return [s];
  const readings = [s.replace(/[*#._-]/g, '')];
  // Only "*" and "#" stand in for letters. Read as a letter, the hyphen of "по-бабськи" would make
  // "по?бабськи" and match "поеб*".
  if (/[*#]/.test(s)) readings.push(s.replace(/[._-]/g, '').replace(/[*#]/g, WILDCARD));
  // "prick.Then" and "fuck-you" hide a whole word behind a joiner, so each part counts too.
  for (const part of s.split(/[*#._-]+/)) if (part.length >= 2) readings.push(part);
  return readings;
}

// Letters only: a run of masks ("f***ing") stands for several different letters.
const hasLongRun = (s: string): boolean => /(\p{L})\1\1/u.test(s);

function formsOfFolded(s: string): string[] {
  const kind = classifyWord(s);
  if (kind === 'plain') return [s];
  if (kind === 'twinned') return [s, mapChars(s, LATIN_TO_CYRILLIC)];
  const forms = new Set<string>();
  for (const masked of maskReadings(s)) {
    for (const reading of scriptReadings(masked)) {
      forms.add(reading);
      // "fuuuck" → "fuck", "asssshole" → "asshole": runs of three or more become one and two.
      if (hasLongRun(reading)) {
        forms.add(reading.replace(/(\p{L})\1{2,}/gu, '$1'));
        forms.add(reading.replace(/(\p{L})\1{2,}/gu, '$1$1'));
      }
    }
  }
  return [...forms];
}

/** All lowercase forms a single written word may stand for, plain reading first. */
export function wordForms(raw: string): string[] {
  return formsOfFolded(foldCase(raw.normalize('NFKC')));
}

/**
 * Canonical form of a word-list entry: the same folding and look-alike mapping as text, but no
 * leetspeak or masks, since entries are written plainly. Returns null for an entry that cannot be
 * a single word (phrases, "s&m", "who're").
 */
export function canonicalEntry(raw: string): string | null {
  const s = foldCase(raw.trim().normalize('NFKC')).replace(/[_.-]/g, '');
  if (!/^[\p{L}\p{M}\p{N}]+$/u.test(s)) return null;
  const { latin, cyrillic } = countScripts(s);
  if (latin > 0 && cyrillic > 0) return mapChars(s, cyrillic >= latin ? LATIN_TO_CYRILLIC : CYRILLIC_TO_LATIN);
  return s;
}

/** Where the word starting at `start` ends: word characters, with masks allowed between them. */
function wordEnd(source: string, start: number): number {
  let end = start;
  for (;;) {
    let length: number;
    while ((length = wordCharLength(source, end)) > 0) end += length;
    let next = end;
    while (next < source.length && isMask(source.charCodeAt(next))) next++;
    if (next === end || wordCharLength(source, next) === 0) return end;
    end = next;
  }
}

/**
 * Splits a comment into words with their comparable forms. Besides each written word, a run of
 * single letters separated only by spaces ("f u c k", "I s u k a") also yields every spelled-out
 * stretch of three or more letters, so spacing letters apart does not hide a word.
 */
export function tokenise(text: string): CommentToken[] {
  const source = text.normalize('NFKC');
  // One lowercasing call for the whole text is far cheaper than one per word. It is only usable
  // while it keeps every offset ("İ" lowercases to two code units).
  const lowercase = source.toLowerCase();
  const isSameLength = lowercase.length === source.length;
  const tokens: CommentToken[] = [];
  let spelled: { word: string; letter: string }[] = [];
  let lastEnd = 0;
  const flushSpelled = (): void => {
    if (spelled.length >= 3) tokens.push(...spelledOut(spelled));
    spelled = [];
  };
  let i = 0;
  while (i < source.length) {
    const length = wordCharLength(source, i);
    if (length === 0) {
      i++;
      continue;
    }
    const start = i;
    i = wordEnd(source, start);
    const written = source.slice(start, i);
    const folded = foldLowercase(isSameLength ? lowercase.slice(start, i) : written.toLowerCase());
    if (folded === '') continue;
    const forms = formsOfFolded(folded);
    // Folding only changes the length by dropping invisible characters.
    const word = folded.length === written.length ? written : written.replace(INVISIBLE, '');
    tokens.push({ word, forms });
    const isSingleLetter = folded.length === 1 && (forms[0] !== folded || /\p{L}/u.test(folded));
    if (!isSingleLetter || spelled.length >= MAX_SPELLED_LETTERS || !isSpaceOnly(source, lastEnd, start)) flushSpelled();
    if (isSingleLetter) spelled.push({ word, letter: folded });
    lastEnd = i;
  }
  flushSpelled();
  return tokens;
}

function isSpaceOnly(text: string, from: number, to: number): boolean {
  if (from >= to) return false;
  for (let i = from; i < to; i++) if (!isSpace(text.charCodeAt(i))) return false;
  return true;
}

function spelledOut(letters: { word: string; letter: string }[]): CommentToken[] {
  const tokens: CommentToken[] = [];
  for (let from = 0; from + 3 <= letters.length; from++) {
    for (let to = from + 3; to <= letters.length; to++) {
      const run = letters.slice(from, to);
      tokens.push({ word: run.map((l) => l.word).join(' '), forms: formsOfFolded(run.map((l) => l.letter).join('')) });
    }
  }
  return tokens;
}
