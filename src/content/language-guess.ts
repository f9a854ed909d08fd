import type { Language } from './types.js';

// Letters only one of the two Cyrillic languages uses, and the apostrophe that Ukrainian writes
// inside words (в’їзд, м'ясо) where Russian writes ъ.
const UKRAINIAN = /[іїєґ]|(?<=\p{Script=Cyrillic})['’ʼ](?=\p{Script=Cyrillic})/giu;
const RUSSIAN = /[ыэъё]/giu;

const count = (text: string, pattern: RegExp) => text.match(pattern)?.length ?? 0;

/**
 * The language a short text is most likely written in, for the `lang` of text that has no
 * language of its own (a story's background items may be typed in any). Latin script reads as
 * English; Cyrillic as Ukrainian or Russian by the letters only one of them has. When the text
 * gives no sign (no letters, or Cyrillic with neither kind of letter, as "Пригожин прибув до
 * Ростова" has not) the caller's `fallback` stands, usually the story's or the brief's language.
 */
export function guessLanguage(text: string, fallback: Language): Language {
  const latin = count(text, /\p{Script=Latin}/gu);
  const cyrillic = count(text, /\p{Script=Cyrillic}/gu);
  if (latin === 0 && cyrillic === 0) return fallback;
  // Names in the other script ("Reuters повідомило…") are outnumbered by the sentence around them.
  if (latin > cyrillic) return 'en';
  const uk = count(text, UKRAINIAN);
  const ru = count(text, RUSSIAN);
  if (uk > ru) return 'uk';
  if (ru > uk) return 'ru';
  return fallback;
}
