import { plural, type PluralForms } from '../common/plural.js';
import type { EntityKind, Language } from '../content/types.js';
import type { SearchableStatus } from '../search/types.js';

// Labels of the reader's search page in uk, en and ru. Plural forms are chosen by
// Intl.PluralRules and numbers and language names come from Intl, so only words live here.

export type SearchField = 'q' | 'story' | 'entity' | 'language' | 'from' | 'to' | 'status' | 'cursor';

export interface SearchMessages {
  title: string;
  description: string;
  query: string;
  submit: string;
  filters: string;
  fields: Record<SearchField, string>;
  anyStory: string;
  anyEntity: string;
  anyLanguage: string;
  anyStatus: string;
  statuses: Record<SearchableStatus, string>;
  entityKinds: Record<EntityKind, string>;
  results: PluralForms;
  briefs: string;
  entities: string;
  prompt: string;
  nothingFound: string;
  moreResults: string;
  errorTitle: string;
  errorIntro: string;
  invalidValue: string;
  rangeBackwards: string;
}

const en: SearchMessages = {
  title: 'Search',
  description: 'Search briefs, stories\' background and the people, organisations and places they name, in Ukrainian, English and Russian.',
  query: 'Words or names',
  submit: 'Search',
  filters: 'Filters',
  fields: { q: 'Words or names', story: 'Story', entity: 'Person, organisation or place', language: 'Language', from: 'From', to: 'To', status: 'Status', cursor: 'Page' },
  anyStory: 'Any story',
  anyEntity: 'Anyone or anywhere',
  anyLanguage: 'Any language',
  anyStatus: 'Any status',
  statuses: { published: 'Published', corrected: 'Corrected', retracted: 'Retracted' },
  entityKinds: { person: 'Person', organisation: 'Organisation', place: 'Place' },
  results: { one: '# result', other: '# results' },
  briefs: 'Briefs',
  entities: 'People, organisations, places',
  prompt: 'Type a word or a name, in any language and any form, or choose a filter.',
  nothingFound: 'Nothing found. Try fewer words, another form of a name, or fewer filters.',
  moreResults: 'More results',
  errorTitle: 'The search could not run',
  errorIntro: 'Please correct these fields:',
  invalidValue: 'this value is not valid',
  rangeBackwards: 'the range ends before it starts',
};

const uk: SearchMessages = {
  title: 'Пошук',
  description: 'Пошук у новинах, у передісторії сюжетів і серед людей, організацій та місць, які в них згадано, українською, англійською та російською.',
  query: 'Слова або імена',
  submit: 'Шукати',
  filters: 'Фільтри',
  fields: { q: 'Слова або імена', story: 'Сюжет', entity: 'Особа, організація чи місце', language: 'Мова', from: 'Від', to: 'До', status: 'Статус', cursor: 'Сторінка' },
  anyStory: 'Будь-який сюжет',
  anyEntity: 'Будь-хто або будь-де',
  anyLanguage: 'Будь-яка мова',
  anyStatus: 'Будь-який статус',
  statuses: { published: 'Опубліковано', corrected: 'Виправлено', retracted: 'Відкликано' },
  entityKinds: { person: 'Особа', organisation: 'Організація', place: 'Місце' },
  results: { one: '# результат', few: '# результати', many: '# результатів', other: '# результату' },
  briefs: 'Новини',
  entities: 'Особи, організації, місця',
  prompt: 'Введіть слово чи ім’я будь-якою мовою і в будь-якій формі або виберіть фільтр.',
  nothingFound: 'Нічого не знайдено. Спробуйте менше слів, іншу форму імені або менше фільтрів.',
  moreResults: 'Більше результатів',
  errorTitle: 'Пошук не вдався',
  errorIntro: 'Виправте, будь ласка, ці поля:',
  invalidValue: 'це значення неприпустиме',
  rangeBackwards: 'проміжок закінчується раніше, ніж починається',
};

const ru: SearchMessages = {
  title: 'Поиск',
  description: 'Поиск по новостям, предыстории сюжетов и упомянутым в них людям, организациям и местам, на украинском, английском и русском.',
  query: 'Слова или имена',
  submit: 'Искать',
  filters: 'Фильтры',
  fields: { q: 'Слова или имена', story: 'Сюжет', entity: 'Человек, организация или место', language: 'Язык', from: 'С', to: 'По', status: 'Статус', cursor: 'Страница' },
  anyStory: 'Любой сюжет',
  anyEntity: 'Кто и где угодно',
  anyLanguage: 'Любой язык',
  anyStatus: 'Любой статус',
  statuses: { published: 'Опубликовано', corrected: 'Исправлено', retracted: 'Отозвано' },
  entityKinds: { person: 'Человек', organisation: 'Организация', place: 'Место' },
  results: { one: '# результат', few: '# результата', many: '# результатов', other: '# результата' },
  briefs: 'Новости',
  entities: 'Люди, организации, места',
  prompt: 'Введите слово или имя на любом языке и в любой форме или выберите фильтр.',
  nothingFound: 'Ничего не найдено. Попробуйте меньше слов, другую форму имени или меньше фильтров.',
  moreResults: 'Больше результатов',
  errorTitle: 'Поиск не удался',
  errorIntro: 'Исправьте, пожалуйста, эти поля:',
  invalidValue: 'это значение недопустимо',
  rangeBackwards: 'промежуток заканчивается раньше, чем начинается',
};

const MESSAGES: Record<Language, SearchMessages> = { en, uk, ru };

export function searchMessagesFor(language: Language): SearchMessages {
  return MESSAGES[language];
}

/** "3 results", "3 результати", "5 результатов": the form Intl.PluralRules picks for the language. */
export function resultCount(language: Language, count: number): string {
  return plural(language, MESSAGES[language].results, count);
}

/** A language's own name in the page's language ("англійська"), from Intl rather than a table. */
export function languageLabel(language: Language, inLanguage: Language): string {
  const name = new Intl.DisplayNames([inLanguage], { type: 'language' }).of(language) ?? language;
  return name.charAt(0).toLocaleUpperCase(inLanguage) + name.slice(1);
}
