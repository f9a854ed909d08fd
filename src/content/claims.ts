import type { ClaimStatus, Language } from './types.js';

// Claim detection: a suggestion of a background item's status and attribution from its wording
// ("Prigozhin claimed…", "allegedly…", "could not be independently verified…"). Pure and
// deliberately shallow: it reads cue words, not meaning, so the desk shows the result as a
// suggestion the editor accepts or ignores, never as a decision.

export interface ClaimSuggestion {
  status: ClaimStatus;
  /** The named party the wording attributes the item to, as written; null when it names none. */
  attribution: string | null;
  /** The words that triggered the suggestion, as written. */
  cue: string;
}

/** Where a cue's party stands: the subject before the verb, the phrase after it, or nowhere. */
type PartyAt = 'before' | 'after' | 'none';

interface Cue {
  status: ClaimStatus;
  language: Language;
  pattern: RegExp;
  party: PartyAt;
  /** Negations ("did not confirm"): their words are hidden from later cues, which would misread them. */
  isMasking?: boolean;
  /** An aside set off by commas ("Reuters, citing a source, said"): its subject stands before the comma. */
  isAside?: boolean;
}

const LETTER = '[\\p{L}\\p{M}\\p{N}]';
// JavaScript's \b knows only ASCII letters, so Cyrillic words need their own boundaries. A hyphen
// joined to a letter is part of the word: "denial-of-service" holds no denial.
const word = (source: string) => new RegExp(`(?<!${LETTER}-?)(?:${source})(?!-?${LETTER})`, 'giu');

const cue = (status: ClaimStatus, language: Language, party: PartyAt, source: string, isMasking = false): Cue =>
  ({ status, language, party, pattern: word(source), isMasking });
const aside = (language: Language, source: string): Cue => ({ status: 'claimed', language, party: 'before', pattern: word(source), isAside: true });

const REFUSED_THINGS = '(?:entry|access|bail|visas?|permission|boarding|service|treatment|parole|asylum|citizenship)(?!\\p{L})';
const LIVES = '\\s+(?:[\\p{L}\\p{N}]+\\s+)?li(?:fe|ves)(?!\\p{L})';
// An instruction: "told residents to evacuate", up to four words before "to", none of them the
// subject of a reported clause ("told reporters he wanted to…" is still a statement).
const TOLD_TO = "\\s+(?:(?!(?:that|he|she|they|we|it|i|you)\\s)[\\p{L}'’-]+\\s+){0,4}?to\\s+\\p{L}";
// The same instruction in uk and ru: "сказав мешканцям евакуюватися", an infinitive after the addressee.
const SAID_TO_UK = '\\s+(?:\\p{L}+\\s+){1,2}\\p{L}+(?:ти|тися|тись)(?!\\p{L})';
const SAID_TO_RU = '\\s+(?:\\p{L}+\\s+){1,2}\\p{L}+(?:ть|ться|чь)(?!\\p{L})';

// Order matters twice: masking negations run first, and among the rest the status ranks below
// decide (a denial or a confirmation is later news than the claim it answers).
const CUES: Cue[] = [
  // Everything that leaves the matter open comes first and hides its words from the cues after
  // it: "did not confirm" holds "confirm", "could not be verified" holds "verified".
  cue('unverified', 'en', 'before', "(?:did|does|do|has|have|had|could|would|will)\\s*(?:not|n['’]t)\\s+(?:yet\\s+)?(?:been\\s+)?(?:independently\\s+)?(?:confirm(?:ed)?|verif(?:y|ied)|deny|denied)|(?:declined|refused)\\s+to\\s+(?:confirm|deny|comment)|neither\\s+confirm(?:ed)?\\s+nor\\s+den(?:y|ied)|not\\s+(?:yet\\s+)?(?:been\\s+)?(?:independently\\s+)?(?:confirmed|verified)|no\\s+(?:independent\\s+)?confirmation", true),
  cue('unverified', 'en', 'none', "it\\s+is\\s+not\\s+(?:yet\\s+)?known(?:\\s+for\\s+certain)?|it\\s+(?:is|remains)\\s+unclear|(?:could|can)\\s*(?:not|n['’]t)\\s+(?:be\\s+)?(?:independently\\s+)?verif(?:y|ied)|impossible\\s+to\\s+verify|unconfirmed|unverified", true),
  cue('unverified', 'uk', 'before', 'ні\\s+підтверди\\p{L}*,?\\s+ні\\s+спростува\\p{L}*|не\\s+(?:було\\s+)?(?:підтверд|спростов|спростув|заперечу|заперечи)\\p{L}*', true),
  cue('unverified', 'uk', 'none', '(?:достеменно|точно|напевно)\\s+невідомо|невідомо\\s+напевно|не\\s+вдалося\\s+(?:незалежно\\s+)?(?:перевірити|підтвердити)|неможливо\\s+(?:незалежно\\s+)?перевірити|непідтвердж\\p{L}*', true),
  cue('unverified', 'ru', 'before', 'ни\\s+подтверди\\p{L}*,?\\s+ни\\s+опроверг\\p{L}*|не\\s+(?:было\\s+)?(?:подтверд|подтвержд|опроверг|отрица)\\p{L}*', true),
  cue('unverified', 'ru', 'none', '(?:достоверно|доподлинно|точно)\\s+неизвестно|не\\s+удалось\\s+(?:независимо\\s+)?(?:проверить|подтвердить)|невозможно\\s+(?:независимо\\s+)?проверить|неподтвержд\\p{L}*', true),

  cue('retracted', 'en', 'before', "withdr(?:ew|awn|aws)|retract(?:ed|s)|took\\s+back|walked\\s+back"),
  cue('retracted', 'uk', 'before', 'відклика(?:в|ла|ло|ли|є|ють)|відмови(?:вся|лася|лося|лися)\\s+від\\s+(?:своїх\\s+|своєї\\s+)?(?:слів|заяв\\p{L}*)'),
  cue('retracted', 'ru', 'before', 'отозва(?:л|ла|ло|ли)|отзыва(?:ет|ют)|отказа(?:лся|лась|лось|лись)\\s+от\\s+(?:своих\\s+|своего\\s+)?(?:слов|заявлени\\p{L}*)'),

  // "Journalists were denied entry" refuses a thing, not a claim.
  cue('denied', 'en', 'before', `den(?:ied|ies|y)(?!\\s+(?:\\p{L}+\\s+)?${REFUSED_THINGS})|refut(?:ed|es)|rebutted|dismissed\\s+(?:the\\s+|these\\s+|such\\s+)?(?:claims?|reports?)`),
  cue('denied', 'en', 'none', `denials?(?!\\s+of\\s+(?:\\p{L}+\\s+)?${REFUSED_THINGS})`),
  cue('denied', 'uk', 'before', 'спросту(?:вав|вала|вало|вали|є|ють)|запереч(?:ив|ила|ило|или|ує|ують)|назва(?:в|ла|ли)\\s+(?:це\\s+)?фейк(?:ом)?'),
  cue('denied', 'ru', 'before', 'опроверг(?:ла|ло|ли)?|опроверга(?:ет|ют)|отрица(?:ет|ют|л|ла|ли)|назва(?:л|ла|ли)\\s+(?:это\\s+)?фейк(?:ом)?'),

  // A count ("three confirmed dead") and the impersonal form ("Підтверджено 12 загиблих") confirm
  // without naming anyone; the words after them are the count, not a party.
  cue('confirmed', 'en', 'none', 'confirmed\\s+(?:dead|killed|deaths?|cases?|fatalities|casualties|injured|wounded)', true),
  cue('confirmed', 'uk', 'none', 'підтверджено', true),
  cue('confirmed', 'ru', 'none', 'подтверждено', true),
  // "A verified account" is an adjective, not a finding.
  cue('confirmed', 'en', 'before', 'confirm(?:ed|s)|(?<!(?<!\\p{L})(?:a|an|the)\\s)verified'),
  cue('confirmed', 'uk', 'before', 'підтверд(?:ив|ила|ило|или|жує|жують)|підтверди(?:вся|лася|лося|лися)'),
  cue('confirmed', 'ru', 'before', 'подтверди(?:л|ла|ло|ли)|подтвержда(?:ет|ют)|подтверди(?:лся|лась|лось|лись)'),

  cue('claimed', 'en', 'after', 'according\\s+to|as\\s+reported\\s+by'),
  aside('en', 'citing\\s+(?:[\\p{L}-]+\\s+){0,3}?sources?'),
  // Not a claim: "the fire claimed three lives", "insurance claims rose", "told residents to leave".
  cue('claimed', 'en', 'before', `claim(?:ed|s)(?!${LIVES})(?!\\s+(?:were|are|was|is|have|had|rose|fell|will|would|for|against)(?!\\p{L}))|alleg(?:ed|es)|said|says|stated|told(?!${TOLD_TO})|reported|announced|insist(?:ed|s)|asserted|accused`),
  cue('claimed', 'en', 'none', 'allegedly|reportedly|purportedly|supposedly'),
  cue('claimed', 'uk', 'after', 'за\\s+(?:\\p{L}+\\s+)?(?:словами|даними|інформацією|повідомленням)|як\\s+повідомля(?:є|ють)|з\\s+посиланням\\s+на'),
  aside('uk', 'посилаючись\\s+на\\s+(?:\\p{L}+\\s+)?джерел\\p{L}*'),
  cue('claimed', 'uk', 'before', `заяв(?:ив|ила|ило|или|ляє|ляють|ляв|ляла|ляли)|стверджу(?:є|ють|вав|вала|вали)|повідоми(?:в|ла|ло|ли)|повідомля(?:є|ють)|сказа(?:в|ла|ли)(?!${SAID_TO_UK})|звинувати(?:в|ла|ли)`),
  cue('claimed', 'uk', 'none', 'нібито|начебто|мовляв|буцімто'),
  cue('claimed', 'ru', 'after', 'по\\s+(?:\\p{L}+\\s+)?(?:словам|данным|информации|сведениям)|как\\s+сообща(?:ет|ют)|со\\s+ссылкой\\s+на'),
  aside('ru', 'ссылаясь\\s+на\\s+(?:\\p{L}+\\s+)?источник\\p{L}*'),
  cue('claimed', 'ru', 'before', `заяв(?:ил|ила|ило|или|ляет|ляют|лял|ляла|ляли)|утвержда(?:ет|ют|л|ла|ли)|сообщи(?:л|ла|ло|ли)|сообща(?:ет|ют)|сказа(?:л|ла|ли)(?!${SAID_TO_RU})|обвини(?:л|ла|ли)`),
  cue('claimed', 'ru', 'none', 'якобы|будто\\s+бы|мол|дескать'),
];

const RANK: Record<ClaimStatus, number> = { retracted: 5, denied: 4, confirmed: 3, unverified: 2, claimed: 1 };

// Latin letters that look like Cyrillic ones, as they turn up in copied Ukrainian and Russian
// text ("нiбито" with a Latin i). One character for one, so positions stay valid in the original.
const HOMOGLYPHS: Record<string, string> = {
  a: 'а', A: 'А', c: 'с', C: 'С', e: 'е', E: 'Е', i: 'і', I: 'І', o: 'о', O: 'О', p: 'р', P: 'Р', x: 'х', X: 'Х', y: 'у', B: 'В', H: 'Н',
  K: 'К', M: 'М', T: 'Т',
};

/** The text cues are matched against: mixed-script words made Cyrillic, ё read as е; same length as the input. */
function normaliseForMatching(text: string): string {
  return text
    .replace(/[\p{L}\p{M}]+/gu, (w) => (/\p{Script=Cyrillic}/u.test(w) && /[A-Za-z]/.test(w) ? [...w].map((ch) => HOMOGLYPHS[ch] ?? ch).join('') : w))
    .replace(/ё/g, 'е').replace(/Ё/g, 'Е');
}

const PRONOUNS = new Set([
  'he', 'she', 'they', 'it', 'we', 'i', 'you', 'this', 'that', 'these', 'those', 'who', 'which', 'someone', 'one', 'the', 'a', 'an',
  'він', 'вона', 'воно', 'вони', 'ми', 'я', 'це', 'хтось', 'хто',
  'он', 'она', 'оно', 'они', 'мы', 'это', 'кто-то', 'кто',
]);
// Words that open a clause without being part of its subject ("But the Kremlin denied").
const LEADING = new Set([
  'but', 'and', 'however', 'meanwhile', 'yet', 'so', 'as', 'also', 'then', 'later', 'earlier', 'while', 'whereas',
  'але', 'проте', 'однак', 'втім', 'водночас', 'і', 'й', 'та', 'а', 'як', 'також', 'згодом', 'пізніше', 'раніше',
  'но', 'однако', 'и', 'как', 'также', 'позже', 'ранее', 'впрочем',
]);
// Words between a subject and its verb ("Prigozhin has repeatedly claimed").
const BETWEEN = new Set([
  'has', 'have', 'had', 'also', 'later', 'earlier', 'previously', 'repeatedly', 'publicly', 'again', 'officially', 'then', 'since', 'first', 'now',
  'також', 'раніше', 'вже', 'згодом', 'пізніше', 'публічно', 'офіційно', 'знову', 'нібито', 'начебто', 'неодноразово', 'навіть', 'теж', 'тоді',
  'также', 'ранее', 'уже', 'позже', 'позднее', 'публично', 'официально', 'снова', 'якобы', 'неоднократно', 'даже', 'тоже', 'тогда',
]);
const PASSIVE = new Set(['was', 'were', 'is', 'are', 'been', 'be', 'being']);
// A subordinate clause starts after these: "The ministry said that Prigozhin claimed…".
const CLAUSE_OPENERS = new Set([
  'that', 'because', 'when', 'after', 'before', 'although', 'though', 'if', 'whether', 'where',
  'що', 'бо', 'коли', 'поки', 'хоча', 'якщо', 'чи', 'після', 'де',
  'что', 'потому', 'когда', 'пока', 'хотя', 'если', 'ли', 'после', 'где',
]);
const PREPOSITIONS = new Set(['on', 'in', 'at', 'у', 'в', 'о', 'об', 'на', 'під', 'во', 'под', 'вчора', 'сьогодні', 'вчера', 'сегодня']);
// "According to preliminary data" names no one.
const NO_PARTY = /^(?:preliminary|unofficial|initial|some|media|local|early|попередні\p{L}*|неофіційн\p{L}*|деяки\p{L}*|предварительн\p{L}*|неофициальн\p{L}*|некоторы\p{L}*)?\s*(?:data|reports?|information|estimates|даними|інформацією|повідомленнями|данным|информации|сведениям|сообщениям)$/iu;

// Quotation marks are not boundaries: names carry them (Бійці «Вагнера»).
const BOUNDARY_CHAR = /[.;:!?,—–()[\]\n]/u;
const BOUNDARY = /[.;:!?,—–()[\]\n]|\s-\s/u;
const MAX_PARTY_WORDS = 10;

// A closing quotation mark alone (“…,” said X) is not a word.
const wordsOf = (text: string) => text.split(/\s+/u).filter((w) => /[\p{L}\p{N}]/u.test(w));
const bare = (w: string) => w.toLowerCase().replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, '');

/** The clause up to `end`: back to the last punctuation, then after the last clause opener. */
function clauseBefore(text: string, end: number): string {
  let start = end;
  while (start > 0 && !BOUNDARY_CHAR.test(text[start - 1]!) && text.slice(start - 3, start) !== ' - ') start--;
  const words = wordsOf(text.slice(start, end));
  let opener = words.length - 1;
  while (opener >= 0 && !CLAUSE_OPENERS.has(bare(words[opener]!))) opener--;
  return words.slice(opener + 1).join(' ');
}

/** The phrase from `start` to the next punctuation or clause opener. */
function phraseAfter(text: string, start: number): string {
  const rest = text.slice(start);
  const stop = rest.search(BOUNDARY);
  const words = wordsOf(stop === -1 ? rest : rest.slice(0, stop));
  const opener = words.map(bare).findIndex((w) => CLAUSE_OPENERS.has(w));
  return (opener === -1 ? words : words.slice(0, opener)).join(' ');
}

const QUOTE_PAIRS: [string, string][] = [['«', '»'], ['“', '”'], ['„', '“'], ['"', '"'], ["'", "'"], ['‘', '’']];

/** Drops a quotation mark left over from a quote around the party, keeping pairs inside a name. */
function unquote(phrase: string): string {
  let text = phrase;
  for (const [open, close] of QUOTE_PAIRS) {
    if (text.startsWith(open) && text.indexOf(close, 1) === -1) text = text.slice(1);
    if (text.endsWith(close) && text.lastIndexOf(open, text.length - 2) === -1) text = text.slice(0, -1);
  }
  return text.trim();
}

/** A named party, or null for an empty phrase, a pronoun, a phrase too long to be a name, or "data". */
function partyFrom(phrase: string): string | null {
  const cleaned = unquote(phrase.trim().replace(/[.,]+$/u, '')).replace(/['’]s$/u, '');
  const words = wordsOf(cleaned);
  if (words.length === 0 || words.length > MAX_PARTY_WORDS) return null;
  if (words.every((w) => PRONOUNS.has(bare(w)) || LEADING.has(bare(w)))) return null;
  if (NO_PARTY.test(cleaned)) return null;
  return cleaned;
}

/**
 * The subject of the cue ending its clause at `before` and going on at `after`; for a verb that
 * opens its clause ("…, said Prigozhin"), the words after it.
 */
function subjectOf(text: string, before: number, after: number): string | null {
  const words = wordsOf(clauseBefore(text, before));
  while (words.length && LEADING.has(bare(words[0]!))) words.shift();
  // A time or place in front of the subject ("У суботу Пригожин заявив") is not part of it.
  while (words.length > 2 && PREPOSITIONS.has(bare(words[0]!))) words.splice(0, 2);
  // Adverbs between subject and verb, and English lowercase -ly words ("falsely").
  while (words.length && (BETWEEN.has(bare(words.at(-1)!)) || /^\p{Ll}+ly$/u.test(words.at(-1)!))) words.pop();
  if (words.length && PASSIVE.has(bare(words.at(-1)!))) {
    // "was denied by the Kremlin": the party follows; "It was claimed": there is none.
    const by = /^\s+by\s+/u.exec(text.slice(after));
    return by ? partyFrom(phraseAfter(text, after + by[0].length)) : null;
  }
  if (words.length) return partyFrom(words.join(' '));
  const following = wordsOf(phraseAfter(text, after));
  // "заявив у суботу Пригожин": skip the lowercase words before the name.
  while (following.length > 1 && /^\p{Ll}/u.test(following[0]!)) following.shift();
  return partyFrom(following.join(' '));
}

/** `start` includes a leading comma ("Reuters, citing…"), where the subject search begins. */
interface Match { cue: Cue; start: number; index: number; text: string }

/**
 * Suggests a status and attribution for a background item from its wording, or null when the
 * wording carries no cue (a plain statement of fact). `language`, when known, limits the cues
 * to that language's, so a name like "Said" in Ukrainian text is not read as English "said".
 */
export function suggestClaim(text: string, language?: Language): ClaimSuggestion | null {
  const original = text.normalize('NFC');
  let haystack = normaliseForMatching(original);
  const matches: Match[] = [];
  for (const c of CUES) {
    if (language && c.language !== language) continue;
    for (const found of haystack.matchAll(c.pattern)) {
      const index = found.index;
      const comma = c.isAside ? /,\s*$/u.exec(original.slice(0, index)) : null;
      matches.push({ cue: c, start: comma ? comma.index : index, index, text: original.slice(index, index + found[0].length) });
      if (c.isMasking) haystack = haystack.slice(0, found.index) + ' '.repeat(found[0].length) + haystack.slice(found.index + found[0].length);
    }
  }
  if (matches.length === 0) return null;
  const status = matches.reduce((best, m) => (RANK[m.cue.status] > RANK[best] ? m.cue.status : best), matches[0]!.cue.status);
  const partyOf = (m: Match): string | null => {
    if (m.cue.party === 'after') return partyFrom(phraseAfter(original, m.index + m.text.length));
    if (m.cue.party === 'before') return subjectOf(original, m.start, m.index + m.text.length);
    return null;
  };
  const byPosition = (list: Match[]) => [...list].sort((a, b) => a.index - b.index);
  const winners = byPosition(matches.filter((m) => m.cue.status === status));
  const chosen = winners.find((m) => partyOf(m) !== null) ?? winners[0]!;
  // "Prigozhin claimed…; this could not be verified": the claim is still Prigozhin's.
  let attribution = partyOf(chosen);
  if (attribution === null && status !== 'claimed') {
    for (const m of byPosition(matches.filter((x) => x.cue.status === 'claimed'))) {
      attribution = partyOf(m);
      if (attribution) break;
    }
  }
  return { status, attribution, cue: chosen.text.trim() };
}
