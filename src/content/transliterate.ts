/**
 * Latin ↔ Cyrillic spellings of names, so that a gazetteer entry written in one script also
 * matches text in the other ("Пригожин" ↔ "Prigozhin", "Лукашэнка" → "Lukashenka").
 *
 * Written here rather than taken from npm: the packages on offer either romanise Russian only
 * (iuliia), or one generic Cyrillic table for every language (transliteration, any-ascii), while
 * names in the news are spelt by three different conventions at once: Ukraine's official
 * romanisation (2010; "Pryhozhyn", "Zelenskyi"), the English-press habit for Russian (close to
 * BGN/PCGN; "Yevgeny Prigozhin", "Shoigu") and Belarusian ("Lukashenka"). Each is a short table.
 */

export type Romanisation = 'uk' | 'ru' | 'be';

type Table = Record<string, string>;

const COMMON: Table = {
  а: 'a', б: 'b', в: 'v', д: 'd', ж: 'zh', з: 'z', к: 'k', л: 'l', м: 'm', н: 'n', о: 'o', п: 'p', р: 'r', с: 's', т: 't',
  у: 'u', ф: 'f', х: 'kh', ц: 'ts', ч: 'ch', ш: 'sh', щ: 'shch', ь: '', ъ: '', "'": '', '’': '', 'ʼ': '',
};

// Ukraine's national romanisation (Cabinet resolution 55 of 2010): є ї й ю я are spelt with y
// at the start of a word and with i inside it; зг is zgh so it is not read as ж.
const UK: Table = { ...COMMON, г: 'h', ґ: 'g', е: 'e', є: 'ie', и: 'y', і: 'i', ї: 'i', й: 'i', ю: 'iu', я: 'ia', щ: 'shch' };
const UK_INITIAL: Table = { є: 'ye', ї: 'yi', й: 'y', ю: 'yu', я: 'ya' };

// Russian as the English-language press spells it: е is ye at the start of a word and after a
// vowel (Yevgeny, Sergeyev), a final -ий/-ый is -y (Yevgeny, Zelensky), й after another vowel is i
// (Sergei, Shoigu).
const RU: Table = { ...COMMON, г: 'g', е: 'e', ё: 'yo', и: 'i', й: 'y', ы: 'y', э: 'e', ю: 'yu', я: 'ya' };
const BE: Table = { ...COMMON, г: 'h', е: 'e', ё: 'yo', і: 'i', й: 'y', ы: 'y', э: 'e', ю: 'yu', я: 'ya', ў: 'w' };
const IOTATED_AFTER: RegExp = /[аеёиіоуыэюяєїaeiouy'’ʼьъ]/i;

function keepCase(source: string, latin: string): string {
  if (!latin || source === source.toLowerCase()) return latin;
  return latin[0]!.toUpperCase() + latin.slice(1);
}

function romaniseWord(word: string, scheme: Romanisation): string {
  const lower = word.toLowerCase();
  const table = scheme === 'uk' ? UK : scheme === 'ru' ? RU : BE;
  let out = '';
  for (let i = 0; i < lower.length; i++) {
    const ch = lower[i]!;
    const prev = i > 0 ? lower[i - 1]! : '';
    let latin: string;
    if (scheme === 'uk' && i === 0 && UK_INITIAL[ch]) latin = UK_INITIAL[ch];
    else if (scheme === 'uk' && ch === 'г' && prev === 'з') latin = 'gh';
    else if (scheme === 'ru' && (ch === 'и' || ch === 'ы') && lower[i + 1] === 'й' && i + 2 === lower.length) {
      latin = 'y';
      i++;
    } else if (scheme === 'ru' && ch === 'й' && /[аеёоуэюя]/.test(prev)) latin = 'i';
    else if (scheme !== 'uk' && ch === 'е' && (i === 0 || IOTATED_AFTER.test(prev))) latin = 'ye';
    else latin = table[ch] ?? ch;
    out += keepCase(word[i]!, latin);
  }
  return out;
}

/** Romanises Cyrillic `text` by the convention of `scheme`; other characters pass through. */
export function toLatin(text: string, scheme: Romanisation): string {
  return text.replace(/[\p{Script=Cyrillic}'’ʼ]+/gu, (word) => romaniseWord(word, scheme));
}

// Longest first, so "shch" is read before "sh" and "zh" before "z".
const FROM_LATIN: [latin: string, uk: string, ru: string][] = [
  ['shch', 'щ', 'щ'], ['zgh', 'зг', 'зг'], ['kh', 'х', 'х'], ['zh', 'ж', 'ж'], ['ts', 'ц', 'ц'], ['ch', 'ч', 'ч'], ['sh', 'ш', 'ш'],
  ['yu', 'ю', 'ю'], ['ya', 'я', 'я'], ['yo', 'йо', 'ё'], ['ye', 'є', 'е'], ['yi', 'ї', 'ы'], ['iu', 'ю', 'ю'], ['ia', 'я', 'я'], ['ie', 'є', 'е'],
  ['a', 'а', 'а'], ['b', 'б', 'б'], ['c', 'ц', 'ц'], ['d', 'д', 'д'], ['e', 'е', 'е'], ['f', 'ф', 'ф'], ['g', 'г', 'г'], ['h', 'г', 'х'],
  ['i', 'і', 'и'], ['j', 'й', 'й'], ['k', 'к', 'к'], ['l', 'л', 'л'], ['m', 'м', 'м'], ['n', 'н', 'н'], ['o', 'о', 'о'], ['p', 'п', 'п'],
  ['q', 'к', 'к'], ['r', 'р', 'р'], ['s', 'с', 'с'], ['t', 'т', 'т'], ['u', 'у', 'у'], ['v', 'в', 'в'], ['w', 'в', 'в'], ['x', 'кс', 'кс'],
  ['y', 'и', 'ы'], ['z', 'з', 'з'],
];
const VOWELS = /[aeiouy]/;

function cyrilliciseWord(word: string, language: 'uk' | 'ru'): string {
  const lower = word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
  let out = '';
  for (let i = 0; i < lower.length;) {
    const prev = i > 0 ? lower[i - 1]! : '';
    const rest = lower.slice(i);
    // y or i between a vowel and a consonant or the word's end is a й ("Shoigu", "Sergei", "Sergey").
    if ((rest[0] === 'y' || rest[0] === 'i') && /[aeou]/.test(prev) && !VOWELS.test(rest[1] ?? '')) {
      out += 'й';
      i += 1;
      continue;
    }
    // A final -y after a consonant is the adjectival ending (Zelensky ← Зеленский / Зеленський).
    if (rest === 'y' && prev && !VOWELS.test(prev)) {
      out += 'ий';
      break;
    }
    const entry = FROM_LATIN.find(([latin]) => rest.startsWith(latin));
    if (!entry) {
      out += rest[0];
      i += 1;
      continue;
    }
    out += language === 'uk' ? entry[1] : entry[2];
    i += entry[0].length;
  }
  return word[0] && word[0] !== word[0].toLowerCase() ? out.charAt(0).toUpperCase() + out.slice(1) : out;
}

/**
 * A plausible Cyrillic spelling of a romanised name, for matching only: romanisation loses
 * information (e and э, и and ы), so the result is a guess that is right for common names.
 */
export function toCyrillic(text: string, language: 'uk' | 'ru'): string {
  return text.replace(/[\p{Script=Latin}]+/gu, (word) => cyrilliciseWord(word, language));
}

/** True when `text` has Cyrillic letters. */
export function isCyrillic(text: string): boolean {
  return /\p{Script=Cyrillic}/u.test(text);
}
