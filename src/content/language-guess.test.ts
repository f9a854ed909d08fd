import { describe, expect, it } from 'vitest';
import { guessLanguage } from './language-guess.js';
import type { Language } from './types.js';

type Row = [text: string, fallback: Language, expected: Language];

const ROWS: Row[] = [
  // Latin script is English whatever the fallback
  ['Prigozhin claimed that his fighters shot down six helicopters.', 'uk', 'en'],
  ['The column reached Rostov at 07:30.', 'ru', 'en'],
  ['Reuters, citing a source, said the talks began.', 'en', 'en'],
  // Ukrainian letters and the apostrophe inside a word
  ['Пригожин заявив, що його бійці збили шість гелікоптерів.', 'en', 'uk'],
  ['Колона рухається на північ.', 'ru', 'uk'],
  ['Журналістам відмовили у в’їзді.', 'en', 'uk'],
  ['Пєсков мовчить.', 'ru', 'uk'],
  ['Ґанок зруйновано.', 'en', 'uk'],
  ['Об\'єкт знищено.', 'ru', 'uk'],
  // Russian letters
  ['Пригожин заявил, что его бойцы сбили вертолёт.', 'uk', 'ru'],
  ['Мэр сказал жителям уходить.', 'en', 'ru'],
  ['Бойцы вошли в город.', 'uk', 'ru'],
  ['Подъезд закрыт.', 'en', 'ru'],
  // A name in the other script does not outweigh the sentence
  ['Reuters повідомило про зупинку колони.', 'en', 'uk'],
  ['Агентство Reuters сообщило об остановке колонны.', 'uk', 'ru'],
  ['Zelensky met Пригожин? No, he met Lukashenko in Minsk.', 'uk', 'en'],
  // No sign either way: the fallback stands
  ['Пригожин прибув до Ростова.', 'uk', 'uk'],
  ['Пригожин прибув до Ростова.', 'ru', 'ru'],
  ['12:30', 'ru', 'ru'],
  ['', 'en', 'en'],
  ['— 40 —', 'uk', 'uk'],
];

describe('guessLanguage', () => {
  it.each(ROWS)('%s (fallback %s) → %s', (text, fallback, expected) => {
    expect(guessLanguage(text, fallback)).toBe(expected);
  });
});
