import { canonicalEntry, tokenise, WILDCARD } from './normalise.js';

// Word lists are matched against whole words only. An entry is written in one of four ways:
//   word    the word and its simple inflections: English -s/-es/-ed/-ing/-er(s), or for a
//           Cyrillic entry the common Russian/Ukrainian case and adjective endings
//   =word   exactly this word, no inflections (for words whose inflections are innocent)
//   stem*   any word that starts with the stem ("хуй*" catches "хуйня", "fuck*" catches "fuckwit")
//   !word   never a match, even if another entry would catch it (a word list's exceptions)
// Blank entries and entries starting with "#" are ignored, and so are entries that are not a
// single word (phrases, "s&m"), since matching is per word.

/** One trie node. A trie answers exact, prefix and wildcard ("f*ck") look-ups in one walk. */
export interface TrieNode {
  children: Map<string, TrieNode>;
  /** The entry this node completes as a whole word. */
  exact?: string;
  /** The entry for which any word continuing past this node matches. */
  prefix?: string;
}

/** A compiled word list; build it once with compileWordList and reuse it for every comment. */
export interface WordMatcher {
  readonly root: TrieNode;
  readonly allowed: ReadonlySet<string>;
}

export interface WordMatch {
  /** The list entry that matched, as written in the list ("хуй*", "сука"). */
  term: string;
  /** The word of the text that matched it, as written. */
  word: string;
}

const ENGLISH_SUFFIXES = ['s', 'es', 'ed', 'ing', 'er', 'ers'];
// Noun and adjective endings of Russian and Ukrainian, enough for insults and mat used as nouns.
// Verbs inflect too freely for a list of endings; their roots are listed as stems instead.
const SLAVIC_ENDINGS = [
  'а', 'я', 'у', 'ю', 'е', 'є', 'і', 'ї', 'и', 'ы', 'о', 'ь',
  'ой', 'ою', 'ей', 'ею', 'ом', 'ем', 'ам', 'ям', 'ами', 'ями', 'ах', 'ях', 'ов', 'ев', 'ів', 'їв', 'ові', 'еві',
  'ый', 'ий', 'ій', 'ая', 'ое', 'ее', 'ые', 'ие', 'ого', 'его', 'ому', 'ему', 'ым', 'им', 'ых', 'их', 'ую', 'ими', 'ыми',
];
const SLAVIC_FINALS = /[аяоеєуюиыіїьй]$/;
const VOWELS = 'aeiou';

function englishForms(word: string): string[] {
  const forms = [word, ...ENGLISH_SUFFIXES.map((suffix) => word + suffix)];
  if (word.endsWith('e')) forms.push(word.slice(0, -1) + 'ing', word + 'd', word + 'r', word + 'rs');
  const [a, b, c] = [...word.slice(-3)];
  // "shit" → "shitting", "prick" is not doubled: consonant-vowel-consonant endings double.
  if (a && b && c && !VOWELS.includes(a) && VOWELS.includes(b) && !VOWELS.includes(c) && !'wxy'.includes(c)) {
    for (const suffix of ['ed', 'ing', 'er', 'ers']) forms.push(word + c + suffix);
  }
  return forms;
}

function slavicForms(word: string): string[] {
  // Without its final vowel "сука" gives "сук", which is itself a word ("a bough"): the stem
  // only ever appears with an ending.
  const stem = SLAVIC_FINALS.test(word) ? word.slice(0, -1) : word;
  return [word, ...SLAVIC_ENDINGS.map((ending) => stem + ending)];
}

function insert(root: TrieNode, form: string, term: string, kind: 'exact' | 'prefix'): void {
  let node = root;
  for (const ch of form) {
    let next = node.children.get(ch);
    if (!next) {
      next = { children: new Map() };
      node.children.set(ch, next);
    }
    node = next;
  }
  // The first entry to claim a form keeps it, so reports name the most specific listed entry.
  node[kind] ??= term;
}

/** Compiles word-list entries (see the marker syntax above) into a matcher. */
export function compileWordList(entries: readonly string[]): WordMatcher {
  const root: TrieNode = { children: new Map() };
  const allowed = new Set<string>();
  for (const rawEntry of entries) {
    const term = rawEntry.trim();
    if (term === '' || term.startsWith('#')) continue;
    const marker = term[0] === '!' || term[0] === '=' ? term[0] : term.endsWith('*') ? '*' : '';
    const body = marker === '*' ? term.slice(0, -1) : marker ? term.slice(1) : term;
    const word = canonicalEntry(body);
    if (word === null || word === '') continue;
    if (marker === '!') allowed.add(word);
    else if (marker === '*') insert(root, word, term, 'prefix');
    else if (marker === '=') insert(root, word, term, 'exact');
    else {
      const forms = /[\u0400-\u04ff]/.test(word) ? slavicForms(word) : englishForms(word);
      for (const form of forms) insert(root, form, term, 'exact');
    }
  }
  return { root, allowed };
}

function lookup(root: TrieNode, form: string): string | undefined {
  let node = root;
  for (const ch of form) {
    const next = node.children.get(ch);
    if (!next) return undefined;
    node = next;
    if (node.prefix !== undefined) return node.prefix;
  }
  return node.exact;
}

function lookupWithWildcards(node: TrieNode, chars: readonly string[], at: number): string | undefined {
  if (at > 0 && node.prefix !== undefined) return node.prefix;
  if (at === chars.length) return node.exact;
  const ch = chars[at] as string;
  if (ch !== WILDCARD) {
    const next = node.children.get(ch);
    return next ? lookupWithWildcards(next, chars, at + 1) : undefined;
  }
  for (const next of node.children.values()) {
    const term = lookupWithWildcards(next, chars, at + 1);
    if (term !== undefined) return term;
  }
  return undefined;
}

function matchForm(matcher: WordMatcher, form: string): string | undefined {
  if (!form.includes(WILDCARD)) return lookup(matcher.root, form);
  const chars = [...form];
  // "*" or "a**" says too little to accuse anyone of anything.
  if (chars.filter((ch) => ch !== WILDCARD).length < 2) return undefined;
  return lookupWithWildcards(matcher.root, chars, 0);
}

/** Listed words found in the text, one per matching word, in text order. */
export function findMatches(matcher: WordMatcher, text: string): WordMatch[] {
  const matches: WordMatch[] = [];
  for (const token of tokenise(text)) {
    // A word written plainly as an exception ("shitake") is innocent in any reading.
    if (token.forms[0] !== undefined && matcher.allowed.has(token.forms[0])) continue;
    for (const form of token.forms) {
      if (matcher.allowed.has(form)) continue;
      const term = matchForm(matcher, form);
      if (term !== undefined) {
        matches.push({ term, word: token.word });
        break;
      }
    }
  }
  return matches;
}
