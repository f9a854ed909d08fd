import { describe, expect, it } from 'vitest';
import { isCyrillic, toCyrillic, toLatin } from './transliterate.js';

describe('toLatin', () => {
  it.each([
    ['Пригожин', 'ru', 'Prigozhin'],
    ['Евгений Пригожин', 'ru', 'Yevgeny Prigozhin'],
    ['Сергей Шойгу', 'ru', 'Sergei Shoigu'],
    ['Ростов-на-Дону', 'ru', 'Rostov-na-Donu'],
    ['Пригожин', 'uk', 'Pryhozhyn'],
    ['Євгеній Пригожин', 'uk', 'Yevhenii Pryhozhyn'],
    ['Володимир Зеленський', 'uk', 'Volodymyr Zelenskyi'],
    ['Згурський', 'uk', 'Zghurskyi'],
    ['Юрій Мар’їнка', 'uk', 'Yurii Marinka'],
    ['Лукашэнка', 'be', 'Lukashenka'],
    ['Аляксандр Лукашэнка', 'be', 'Alyaksandr Lukashenka'],
    ['Беларусь', 'be', 'Belarus'],
  ] as const)('%s (%s) → %s', (cyrillic, scheme, latin) => {
    expect(toLatin(cyrillic, scheme)).toBe(latin);
  });

  it('leaves Latin text and punctuation alone', () => {
    expect(toLatin('Wagner (ПВК)', 'ru')).toBe('Wagner (PVK)');
  });
});

describe('toCyrillic', () => {
  it.each([
    ['Prigozhin', 'ru', 'Пригожин'],
    ['Prigozhin', 'uk', 'Прігожін'],
    ['Pryhozhyn', 'uk', 'Пригожин'],
    ['Lukashenko', 'ru', 'Лукашенко'],
    ['Lukashenka', 'uk', 'Лукашенка'],
    ['Putin', 'ru', 'Путин'],
    ['Putin', 'uk', 'Путін'],
    ['Shoigu', 'ru', 'Шойгу'],
    ['Zelensky', 'ru', 'Зеленский'],
    ['Yevgeny', 'ru', 'Евгений'],
    ['Sergei', 'ru', 'Сергей'],
    ['Wagner', 'ru', 'Вагнер'],
  ] as const)('%s (%s) → %s', (latin, language, cyrillic) => {
    expect(toCyrillic(latin, language)).toBe(cyrillic);
  });

  it('round-trips a Russian surname through the press romanisation', () => {
    for (const name of ['Пригожин', 'Лукашенко', 'Путин', 'Шойгу', 'Вагнер']) expect(toCyrillic(toLatin(name, 'ru'), 'ru')).toBe(name);
  });
});

describe('isCyrillic', () => {
  it('tells the scripts apart', () => {
    expect(isCyrillic('Пригожин')).toBe(true);
    expect(isCyrillic('Prigozhin')).toBe(false);
  });
});
