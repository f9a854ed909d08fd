import { plural, type PluralForms } from '../common/plural.js';
import { LANGUAGES, type Language } from '../content/types.js';

// The strings of the live updates on home and story pages. The browser island imports this file
// too, so it holds no server code and the island counts with the same rules the tests check.

export interface LiveMessages {
  /** The plain link that reloads the list: the whole feature for a reader without JavaScript. */
  checkForUpdates: string;
  /** The button the island shows once the server has told it of new or corrected briefs. */
  newUpdates: PluralForms;
}

const catalogue: Record<Language, LiveMessages> = {
  en: {
    checkForUpdates: 'Check for new updates',
    newUpdates: { one: '# new update', other: '# new updates' },
  },
  uk: {
    checkForUpdates: 'Перевірити, чи є нові оновлення',
    // `other` is for fractions, which a count never is; it is there because Intl may ask for it.
    newUpdates: { one: '# нове оновлення', few: '# нові оновлення', many: '# нових оновлень', other: '# нового оновлення' },
  },
  ru: {
    checkForUpdates: 'Проверить, есть ли новые обновления',
    newUpdates: { one: '# новое обновление', few: '# новых обновления', many: '# новых обновлений', other: '# нового обновления' },
  },
};

export const isLanguage = (value: string): value is Language => (LANGUAGES as readonly string[]).includes(value);

/** The live updates' strings for one language. */
export function liveMessagesFor(language: Language): LiveMessages {
  return catalogue[language];
}

/** "1 new update", "2 нові оновлення", "5 новых обновлений": the count in its language's plural form. */
export function newUpdatesText(language: Language, count: number): string {
  return plural(language, catalogue[language].newUpdates, count);
}
